// LeakAnalysis+SignatureGroups — the same leak counted once: cycles grouped by their signature, so a
// dump with a thousand copies of one leak reads as one line with a count.
import HeapGraph

/// The cycles of one analysis that share a signature.
public struct CycleSignatureGroup: Sendable, Hashable {
    public var signature: String
    /// How many cycles have this signature.
    public var cycles: Int
    /// Members over all these cycles.
    public var members: Int
    /// Bytes retained by all these cycles.
    public var retainedBytes: UInt64
    /// The root of the highest-ranked cycle with this signature: the example to look at.
    public var example: HeapSnapshot.ObjectIndex
    /// Rank of that cycle in `LeakAnalysis.cycles`.
    public var firstRank: Int
}

extension LeakAnalysis {
    /// The cycles grouped by signature, most retained bytes first, then by the rank of their first cycle.
    /// - Complexity: O(cycles log cycles).
    public func signatureGroups() -> [CycleSignatureGroup] {
        var position: [String: Int] = [:]
        var groups: [CycleSignatureGroup] = []
        for (rank, cycle) in cycles.enumerated() {
            if let i = position[cycle.signature] {
                groups[i].cycles += 1
                groups[i].members += cycle.members.count
                groups[i].retainedBytes.addSaturated(cycle.retainedBytes)
            } else {
                position[cycle.signature] = groups.count
                groups.append(
                    CycleSignatureGroup(
                        signature: cycle.signature, cycles: 1, members: cycle.members.count,
                        retainedBytes: cycle.retainedBytes, example: cycle.root, firstRank: rank))
            }
        }
        return groups.sorted {
            $0.retainedBytes != $1.retainedBytes ? $0.retainedBytes > $1.retainedBytes : $0.firstRank < $1.firstRank
        }
    }
}
