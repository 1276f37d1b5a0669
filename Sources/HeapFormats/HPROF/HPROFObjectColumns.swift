// HPROFObjectColumns — the object table in increasing id order: each object's id and the offset of
// its record, permuted from the indexer's file order one column at a time (so a sort never holds
// two copies of the table).
import HeapGraph

/// Ids and record offsets sorted by id.
struct HPROFObjectColumns {
    var ids: [UInt64]
    var offsets: [Int]

    /// Sorts the indexer's rows by id (taking them over); a repeated id is an error.
    /// - Complexity: O(objects log objects), no sort when the file is in id order.
    init(index: inout HPROFIndexer) throws(DumpError) {
        let n = index.ids.count
        guard n < Int(UInt32.max) else { throw DumpError(.countTooLarge, "expected fewer than \(UInt32.max) objects, found \(n)") }
        var ids: [UInt64] = []
        var offsets: [Int] = []
        swap(&ids, &index.ids)
        swap(&offsets, &index.offsets)
        if !ids.indices.dropFirst().allSatisfy({ ids[$0 - 1] < ids[$0] }) {
            var order = [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
                for i in 0..<n { buffer[i] = UInt32(i) }
                count = n
            }
            order.sort { ids[Int($0)] < ids[Int($1)] }
            ids = order.map { ids[Int($0)] }
            offsets = order.map { offsets[Int($0)] }
        }
        for i in ids.indices.dropFirst() where ids[i] == ids[i - 1] {
            throw DumpError(.duplicateID(ids[i]), offset: offsets[i], "expected each object dumped once, object 0x\(String(ids[i], radix: 16)) comes twice")
        }
        self.ids = ids
        self.offsets = offsets
    }
}
