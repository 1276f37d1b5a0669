// GrowthSeries — counts and bytes per type and per allocation site over a series of snapshots, and
// which of them grew at every step (objgraph's show_growth across runs, LeakCanary's "repeatedly
// growing"). Snapshots are recorded one at a time, so a caller holds only one at once.
import HeapGraph

/// Per-type and per-site totals over snapshots taken in order.
public struct GrowthSeries: Sendable {
    /// What a row is keyed by.
    public enum Key: Sendable { case type, site }

    /// One type or site across the series.
    public struct Row: Sendable, Hashable {
        public var key: String
        /// Objects in each snapshot, in order (0 where absent).
        public var counts: [Int]
        /// Bytes in each snapshot, in order.
        public var bytes: [UInt64]
        /// Objects added from the first snapshot to the last.
        public var countGrowth: Int { (counts.last ?? 0) - (counts.first ?? 0) }
        /// Bytes added from the first snapshot to the last.
        public var bytesGrowth: Int64 { Int64(clamping: bytes.last ?? 0) - Int64(clamping: bytes.first ?? 0) }
    }

    /// Snapshots recorded so far.
    public private(set) var snapshotCount = 0
    private var types: [String: Row] = [:]
    private var sites: [String: Row] = [:]

    public init() {}

    /// Adds the next snapshot's totals.
    /// - Complexity: O(objects + distinct types and sites).
    public mutating func record(_ snapshot: HeapSnapshot) {
        var typeCounts = [Int](repeating: 0, count: snapshot.typeNames.count)
        var typeBytes = [UInt64](repeating: 0, count: snapshot.typeNames.count)
        var siteCounts = [Int](repeating: 0, count: snapshot.sites.count)
        var siteBytes = [UInt64](repeating: 0, count: snapshot.sites.count)
        for o in snapshot.objectIndices {
            let t = Int(snapshot.typeIndices[o])
            typeCounts[t] += 1
            typeBytes[t] &+= snapshot.sizes[o]
            let s = snapshot.siteIndices[o]
            if s != HeapSnapshot.none {
                siteCounts[Int(s)] += 1
                siteBytes[Int(s)] &+= snapshot.sizes[o]
            }
        }
        Self.merge(&types, names: snapshot.typeNames, counts: typeCounts, bytes: typeBytes, at: snapshotCount)
        Self.merge(&sites, names: snapshot.sites, counts: siteCounts, bytes: siteBytes, at: snapshotCount)
        snapshotCount += 1
    }

    private static func merge(_ rows: inout [String: Row], names: [String], counts: [Int], bytes: [UInt64], at step: Int) {
        for (i, name) in names.enumerated() where counts[i] > 0 {
            var row = rows[name] ?? Row(key: name, counts: Array(repeating: 0, count: step), bytes: Array(repeating: 0, count: step))
            // A name may appear twice in one snapshot's table only if the producer repeated it: add up.
            if row.counts.count == step + 1 {
                row.counts[step] += counts[i]
                row.bytes[step] &+= bytes[i]
            } else {
                row.counts.append(counts[i])
                row.bytes.append(bytes[i])
            }
            rows[name] = row
        }
        for (key, var row) in rows where row.counts.count == step {
            row.counts.append(0)
            row.bytes.append(0)
            rows[key] = row
        }
    }

    /// Every row, in key order.
    public func rows(_ key: Key) -> [Row] {
        (key == .type ? types : sites).values.sorted { $0.key < $1.key }
    }

    /// The rows whose object count rose at every step (at least two snapshots), most bytes added first
    /// (then most objects added, then key).
    public func grewAtEveryStep(_ key: Key) -> [Row] {
        guard snapshotCount >= 2 else { return [] }
        return rows(key).filter { row in
            zip(row.counts, row.counts.dropFirst()).allSatisfy { $0 < $1 }
        }.sorted {
            ($0.bytesGrowth, $0.countGrowth, $1.key) > ($1.bytesGrowth, $1.countGrowth, $0.key)
        }
    }
}
