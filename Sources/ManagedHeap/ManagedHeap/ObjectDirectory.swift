// ObjectDirectory — maps every live object id to its header, in pages indexed by id.
// Ids are handed out in allocation order, so the directory is also the heap's list of all objects in
// increasing id order (what a snapshot needs), object(withID:) is two loads, and a handle to a freed
// object is recognised without reading the freed block.

/// Id → header, in pages of `pageSize` entries. A page is freed when its last object is freed and no
/// more ids will land in it; only pages holding live objects cost memory.
struct ObjectDirectory {
    static let pageShift = 10
    static let pageSize = 1 << pageShift

    /// Page table: entry `p` covers ids `p * pageSize ..< (p + 1) * pageSize`; nil once emptied.
    /// Invariant: `pageCapacity >= pageCount`; entries `0..<pageCount` are initialized.
    private(set) var pages: UnsafeMutablePointer<UnsafeMutablePointer<ObjectPointer?>?>
    /// Live objects per page (parallel to `pages`).
    private var liveCounts: UnsafeMutablePointer<UInt32>
    private(set) var pageCount = 0
    private var pageCapacity = 0
    /// The next id to hand out. Ids start at 1 (0 is never an object).
    private(set) var nextID: UInt64 = 1
    /// Live objects.
    private(set) var count = 0

    init() {
        pageCapacity = 16
        pages = .allocate(capacity: pageCapacity)
        liveCounts = .allocate(capacity: pageCapacity)
    }

    func deallocate() {
        for p in 0..<pageCount { pages[p]?.deallocate() }
        pages.deallocate()
        liveCounts.deallocate()
    }

    /// The header of live object `id`, or nil.
    @inline(__always) func lookup(_ id: UInt64) -> ObjectPointer? {
        let p = Int(truncatingIfNeeded: id >> UInt64(Self.pageShift))
        guard id < nextID, let page = pages[p] else { return nil }
        return page[Int(truncatingIfNeeded: id) & (Self.pageSize - 1)]
    }

    /// Hands out the next id and records `object` under it.
    @inline(__always) mutating func insert(_ object: ObjectPointer) -> UInt64 {
        let id = nextID
        let p = Int(truncatingIfNeeded: id >> UInt64(Self.pageShift))
        if p == pageCount { addPage() }
        pages[p].unsafelyUnwrapped[Int(truncatingIfNeeded: id) & (Self.pageSize - 1)] = object
        liveCounts[p] &+= 1
        nextID = id &+ 1
        count &+= 1
        return id
    }

    /// Forgets live object `id`; frees its page when that was the page's last object and the page is full.
    @inline(__always) mutating func remove(_ id: UInt64) {
        let p = Int(truncatingIfNeeded: id >> UInt64(Self.pageShift))
        let page = pages[p].unsafelyUnwrapped
        page[Int(truncatingIfNeeded: id) & (Self.pageSize - 1)] = nil
        liveCounts[p] &-= 1
        count &-= 1
        if liveCounts[p] == 0 && p < pageCount - 1 {
            page.deallocate()
            pages[p] = nil
        }
    }

    private mutating func addPage() {
        if pageCount == pageCapacity {
            let newCapacity = pageCapacity * 2
            let newPages = UnsafeMutablePointer<UnsafeMutablePointer<ObjectPointer?>?>.allocate(capacity: newCapacity)
            newPages.moveInitialize(from: pages, count: pageCount)
            pages.deallocate()
            pages = newPages
            let newCounts = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
            newCounts.moveInitialize(from: liveCounts, count: pageCount)
            liveCounts.deallocate()
            liveCounts = newCounts
            pageCapacity = newCapacity
        }
        let page = UnsafeMutablePointer<ObjectPointer?>.allocate(capacity: Self.pageSize)
        page.initialize(repeating: nil, count: Self.pageSize)
        pages[pageCount] = page
        liveCounts[pageCount] = 0
        pageCount += 1
    }

    /// Calls `body` with every live object in increasing id order.
    /// - Complexity: O(live objects + pages holding them). `body` must not allocate or free.
    @inline(__always) func forEach(_ body: (ObjectPointer) throws -> Void) rethrows {
        for p in 0..<pageCount {
            guard let page = pages[p], liveCounts[p] > 0 else { continue }
            for i in 0..<Self.pageSize {
                if let o = page[i] { try body(o) }
            }
        }
    }
}
