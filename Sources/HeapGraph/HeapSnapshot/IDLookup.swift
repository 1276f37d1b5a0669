// IDLookup — object id to position, for the builder and the JSON reader: a direct table when ids are
// dense, an open-addressing hash table otherwise.

/// Id → position among sorted ids: a direct table when ids are dense, an open-addressing hash table
/// otherwise (binary search over a million ids per reference was most of the JSON import's time).
struct IDLookup {
    let base: UInt64
    /// For dense ids: `table[id - base]` is the position, or `HeapSnapshot.none`.
    let dense: [UInt32]?
    /// For sparse ids: slots of (id, position); position `HeapSnapshot.none` marks an empty slot.
    let keys: [UInt64]
    let values: [UInt32]
    let mask: Int

    init(_ ids: [UInt64]) {
        base = ids.first ?? 0
        if let last = ids.last, last - base < UInt64(4 * ids.count + 1024) {
            var table = [UInt32](repeating: HeapSnapshot.none, count: Int(last - base) + 1)
            for (p, id) in ids.enumerated() { table[Int(id - base)] = UInt32(p) }
            dense = table
            keys = []
            values = []
            mask = 0
            return
        }
        dense = nil
        var capacity = 16
        while capacity < 2 * ids.count { capacity *= 2 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var values = [UInt32](repeating: HeapSnapshot.none, count: capacity)
        let mask = capacity - 1
        for (p, id) in ids.enumerated() {
            var slot = IDLookup.hash(id) & mask
            while values[slot] != HeapSnapshot.none { slot = (slot + 1) & mask }
            keys[slot] = id
            values[slot] = UInt32(p)
        }
        self.keys = keys
        self.values = values
        self.mask = mask
    }

    @inline(__always)
    static func hash(_ id: UInt64) -> Int {
        Int(truncatingIfNeeded: (id &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    @inline(__always)
    func position(of id: UInt64) -> Int? {
        if let dense {
            guard id >= base, id - base < UInt64(dense.count) else { return nil }
            let p = dense[Int(id - base)]
            return p == HeapSnapshot.none ? nil : Int(p)
        }
        var slot = IDLookup.hash(id) & mask
        while true {
            let p = values[slot]
            if p == HeapSnapshot.none { return nil }
            if keys[slot] == id { return Int(p) }
            slot = (slot + 1) & mask
        }
    }
}
