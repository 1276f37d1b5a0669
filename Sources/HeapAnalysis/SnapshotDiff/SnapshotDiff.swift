// SnapshotDiff — what changed between two snapshots of one heap: objects by id (ids are never
// reused, so an id in both is the same object), and counts and bytes by type and by site, ordered
// like tracemalloc's compare_to.
import HeapGraph

/// One key's change between two snapshots.
public struct DiffEntry: Sendable, Hashable {
    /// Type name or allocation site.
    public var key: String
    /// Objects and bytes in the later snapshot.
    public var count: Int
    public var bytes: UInt64
    /// Later minus earlier.
    public var countDelta: Int
    public var bytesDelta: Int64

    public init(key: String, count: Int, bytes: UInt64, countDelta: Int, bytesDelta: Int64) {
        self.key = key
        self.count = count
        self.bytes = bytes
        self.countDelta = countDelta
        self.bytesDelta = bytesDelta
    }
}

/// The difference between an earlier and a later snapshot of the same heap.
public struct SnapshotDiff: Sendable {
    /// Objects of `after` whose id is not in `before`, increasing index order (indices into `after`).
    public let newObjects: [HeapSnapshot.ObjectIndex]
    /// Objects of `before` whose id is not in `after`, increasing index order (indices into `before`).
    public let freedObjects: [HeapSnapshot.ObjectIndex]
    /// Per type name, every key present in either snapshot, ordered like tracemalloc's compare_to:
    /// largest absolute byte change first, then bytes, then absolute count change, then count, then key.
    public let byType: [DiffEntry]
    /// Per allocation site (`<unknown>` when not recorded), same order.
    public let bySite: [DiffEntry]

    /// Compares two snapshots.
    /// - Complexity: O(objects of both) — ids are sorted in both, so one merge pass.
    public init(before: HeapSnapshot, after: HeapSnapshot) {
        var new: [Int] = []
        var freed: [Int] = []
        var i = 0, j = 0
        while i < before.objectCount || j < after.objectCount {
            if j == after.objectCount || (i < before.objectCount && before.ids[i] < after.ids[j]) {
                freed.append(i); i += 1
            } else if i == before.objectCount || after.ids[j] < before.ids[i] {
                new.append(j); j += 1
            } else {
                i += 1; j += 1
            }
        }
        newObjects = new
        freedObjects = freed
        byType = Self.compare(before.typeHistogram(), after.typeHistogram())
        bySite = Self.compare(before.siteHistogram(), after.siteHistogram())
    }

    static func compare(_ before: [HistogramEntry], _ after: [HistogramEntry]) -> [DiffEntry] {
        var entries: [String: DiffEntry] = [:]
        for a in after {
            entries[a.key] = DiffEntry(key: a.key, count: a.count, bytes: a.bytes, countDelta: a.count, bytesDelta: Int64(clamping: a.bytes))
        }
        for b in before {
            var e = entries[b.key] ?? DiffEntry(key: b.key, count: 0, bytes: 0, countDelta: 0, bytesDelta: 0)
            e.countDelta -= b.count
            // Saturating (json-format.md): the delta of byte totals near 2^64 is clamped to Int64, never wrapped.
            e.bytesDelta = Int64(clamping: Int128(e.bytes) - Int128(b.bytes))
            entries[b.key] = e
        }
        return entries.values.sorted { a, b in
            if a.bytesDelta.magnitude != b.bytesDelta.magnitude { return a.bytesDelta.magnitude > b.bytesDelta.magnitude }
            if a.bytes != b.bytes { return a.bytes > b.bytes }
            if a.countDelta.magnitude != b.countDelta.magnitude { return a.countDelta.magnitude > b.countDelta.magnitude }
            if a.count != b.count { return a.count > b.count }
            return a.key < b.key
        }
    }
}
