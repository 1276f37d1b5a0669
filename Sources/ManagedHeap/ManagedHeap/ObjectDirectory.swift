// ObjectDirectory — maps every live object id to its header, in pages indexed by id.
// Ids are handed out in allocation order, so the directory is also the heap's list of all objects in
// increasing id order (what a snapshot needs), object(withID:) is two loads, and a handle to a freed
// object is recognised without reading the freed block.

/// Id → header, in pages of `pageSize` entries. A page is freed when its last object is freed and no
/// more ids will land in it; only pages holding live objects cost memory.
///
/// An entry is the header's address, 0 for no object, or the address with bit 0 set while the object
/// is queued for freeing (flag `deallocating`): so one comparison of the entry with a handle's address
/// tells a live, usable object from a freed or dying one, without reading the header.
@usableFromInline struct ObjectDirectory {
    @inlinable static var pageShift: Int { 10 }
    @inlinable static var pageSize: Int { 1 << pageShift }

    /// Page table: entry `p` covers ids `p * pageSize ..< (p + 1) * pageSize`; nil once emptied.
    /// Invariant: `pageCapacity >= pageCount`; entries `0..<pageCount` are initialized.
    @usableFromInline private(set) var pages: UnsafeMutablePointer<UnsafeMutablePointer<UInt>?>
    /// Live objects per page (parallel to `pages`).
    @usableFromInline private(set) var liveCounts: UnsafeMutablePointer<UInt32>
    @usableFromInline private(set) var pageCount = 0
    private var pageCapacity = 0
    /// The next id to hand out. Ids start at 1 (0 is never an object).
    @usableFromInline private(set) var nextID: UInt64 = 1
    /// Live objects.
    @usableFromInline private(set) var count = 0
    /// Emptied pages kept for reuse (all entries 0), so that steady allocate/free churn does not
    /// allocate, zero and page-fault a fresh page every `pageSize` objects. At most `spareLimit`.
    private var spares: [UnsafeMutablePointer<UInt>] = []
    private static let spareLimit = 8

    init() {
        pageCapacity = 16
        pages = .allocate(capacity: pageCapacity)
        liveCounts = .allocate(capacity: pageCapacity)
    }

    func deallocate() {
        for p in 0..<pageCount { pages[p]?.deallocate() }
        for page in spares { page.deallocate() }
        pages.deallocate()
        liveCounts.deallocate()
    }

    /// The raw entry of `id`: its header's address (bit 0 set while queued for freeing), or 0.
    @inlinable @inline(__always) func entry(_ id: UInt64) -> UInt {
        let p = Int(truncatingIfNeeded: id >> UInt64(Self.pageShift))
        guard id < nextID, let page = pages[p] else { return 0 }
        return page[Int(truncatingIfNeeded: id) & (Self.pageSize - 1)]
    }

    /// The header of object `id`, live or queued for freeing, or nil once freed.
    @inlinable @inline(__always) func lookup(_ id: UInt64) -> ObjectPointer? {
        ObjectPointer(bitPattern: entry(id) & ~1)
    }

    /// Sets or clears the "queued for freeing" bit of live object `id`'s entry.
    @inline(__always) func setDeallocating(_ id: UInt64, _ dying: Bool) {
        let p = Int(truncatingIfNeeded: id >> UInt64(Self.pageShift))
        let page = pages[p].unsafelyUnwrapped
        let i = Int(truncatingIfNeeded: id) & (Self.pageSize - 1)
        page[i] = dying ? page[i] | 1 : page[i] & ~1
    }

    /// Hands out the next id and records `object` under it.
    @inlinable @inline(__always) mutating func insert(_ object: ObjectPointer) -> UInt64 {
        let id = nextID
        let p = Int(truncatingIfNeeded: id >> UInt64(Self.pageShift))
        if p == pageCount { addPage() }
        pages[p].unsafelyUnwrapped[Int(truncatingIfNeeded: id) & (Self.pageSize - 1)] = UInt(bitPattern: object)
        liveCounts[p] &+= 1
        nextID = id &+ 1
        count &+= 1
        return id
    }

    /// Forgets live object `id`; frees its page when that was the page's last object and the page is full.
    @inline(__always) mutating func remove(_ id: UInt64) {
        let p = Int(truncatingIfNeeded: id >> UInt64(Self.pageShift))
        let page = pages[p].unsafelyUnwrapped
        page[Int(truncatingIfNeeded: id) & (Self.pageSize - 1)] = 0
        liveCounts[p] &-= 1
        count &-= 1
        if liveCounts[p] == 0 && p < pageCount - 1 {
            if spares.count < Self.spareLimit { spares.append(page) } else { page.deallocate() }
            pages[p] = nil
        }
    }

    @usableFromInline mutating func addPage() {
        if pageCount == pageCapacity {
            let newCapacity = pageCapacity * 2
            let newPages = UnsafeMutablePointer<UnsafeMutablePointer<UInt>?>.allocate(capacity: newCapacity)
            newPages.moveInitialize(from: pages, count: pageCount)
            pages.deallocate()
            pages = newPages
            let newCounts = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
            newCounts.moveInitialize(from: liveCounts, count: pageCount)
            liveCounts.deallocate()
            liveCounts = newCounts
            pageCapacity = newCapacity
        }
        let page: UnsafeMutablePointer<UInt>
        if let spare = spares.popLast() {
            page = spare
        } else {
            page = .allocate(capacity: Self.pageSize)
            page.initialize(repeating: 0, count: Self.pageSize)
        }
        pages[pageCount] = page
        liveCounts[pageCount] = 0
        pageCount += 1
    }

    /// Calls `body` with every object (live or queued for freeing) in increasing id order.
    /// - Complexity: O(live objects + pages holding them). `body` must not allocate or free.
    @inline(__always) func forEach(_ body: (ObjectPointer) throws -> Void) rethrows {
        for p in 0..<pageCount {
            guard let page = pages[p], liveCounts[p] > 0 else { continue }
            for i in 0..<Self.pageSize {
                if let o = ObjectPointer(bitPattern: page[i] & ~1) { try body(o) }
            }
        }
    }
}
