// GarbageCycle — one leaked cycle: a strongly connected component of the garbage, the member to
// blame, and the acyclic garbage that only it keeps alive.
import HeapGraph

/// A strongly connected component of garbage with more than one member, or an object that refers to
/// itself, with the acyclic garbage that only it keeps alive.
///
/// Everything here depends only on the garbage subgraph (ids, sizes, types, field names), so a live
/// collector that snapshots just the garbage it found and an offline dump of the whole heap name the
/// same cycles, with the same roots and signatures.
public struct GarbageCycle: Sendable, Hashable {
    /// The member to blame, the one a reader should look at first (rule: see ``LeakAnalysis``).
    public var root: HeapSnapshot.ObjectIndex
    /// The component, root first, then the other members in depth-first order from the root
    /// (references followed in field order).
    public var members: [HeapSnapshot.ObjectIndex]
    /// Acyclic garbage kept alive only by this cycle (this cycle is the nearest cycle dominating
    /// it in the garbage graph), in increasing index order.
    public var hangers: [HeapSnapshot.ObjectIndex]
    /// Shallow bytes of the members and the hangers.
    public var retainedBytes: UInt64
    /// 16 hex digits: a stable hash of the type and field names along the cycle from a canonical
    /// start; equal for the same leak in two dumps or two runs, whatever the ids.
    public var signature: String

    public init(
        root: HeapSnapshot.ObjectIndex, members: [HeapSnapshot.ObjectIndex], hangers: [HeapSnapshot.ObjectIndex],
        retainedBytes: UInt64, signature: String
    ) {
        self.root = root
        self.members = members
        self.hangers = hangers
        self.retainedBytes = retainedBytes
        self.signature = signature
    }
}
