// HPROFObjectLookup — object id → snapshot position over the sorted ids, in about one byte per
// object: a bucket table on the id's high bits narrows a binary search to a few ids.
import HeapGraph

/// Finds an id's position among sorted, distinct ids.
struct HPROFObjectLookup {
    let ids: [UInt64]
    private let base: UInt64
    private let shift: UInt64
    /// `bucketStarts[b]..<bucketStarts[b + 1]` are the positions whose `(id - base) >> shift == b`.
    private let bucketStarts: [UInt32]

    /// - Complexity: O(objects).
    init(sortedIDs: [UInt64]) {
        ids = sortedIDs
        base = sortedIDs.first ?? 0
        let span = (sortedIDs.last ?? 0) &- base
        // About one bucket per four objects.
        let wanted = UInt64(Swift.max(sortedIDs.count / 4, 1))
        var s: UInt64 = 0
        while s < 63 && (span >> s) >= wanted { s += 1 }
        shift = s
        let buckets = Int(span >> s) + 1
        var starts = [UInt32](repeating: 0, count: buckets + 1)
        for id in sortedIDs { starts[Int((id - base) >> s) + 1] += 1 }
        for b in 0..<buckets { starts[b + 1] += starts[b] }
        bucketStarts = starts
    }

    /// The position of `id`, or nil when no object has it.
    @inline(__always) func position(of id: UInt64) -> Int? {
        guard id >= base else { return nil }
        let b = (id - base) >> shift
        guard b < UInt64(bucketStarts.count - 1) else { return nil }
        var lo = Int(bucketStarts[Int(b)])
        var hi = Int(bucketStarts[Int(b) + 1])
        return ids.withUnsafeBufferPointer { v -> Int? in
            while lo < hi {
                let mid = (lo + hi) >> 1
                let x = v[mid]
                if x == id { return mid }
                if x < id { lo = mid + 1 } else { hi = mid }
            }
            return nil
        }
    }
}
