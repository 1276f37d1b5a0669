// ManagedHeap — storage and life cycle of the reference-counted object heap: the allocator, the
// directory of live objects, the type and site tables, the generation lists the collector works on.
// Each concern (allocation, references, freeing, weak refs, introspection, snapshot) is in its own file.
import HeapArena
import HeapGraph

/// A heap of reference-counted objects whose references are all recorded, like one CPython interpreter.
///
/// Object layout in its arena block: a 72-byte header (type, refcounts, collector links and scratch,
/// id, site), then the type's reference fields, then the object's variable slots, then the type's weak
/// fields (packed id and weak epoch, never counted), then the payload.
///
/// **Counts.** An object's refcount is the number of fields and slots that name it plus the counts held
/// from outside (``Owned`` handles, explicit ``retain(_:)``), as in CPython. When it reaches zero the
/// finalizer runs (once), then the object's references are released — iteratively, so freeing the head
/// of a ten-million-long chain uses no stack — and its block goes back to the allocator.
///
/// **Threads.** Single-threaded by design and not `Sendable`: own it from one actor, for example
/// ```swift
/// actor Interpreter {
///     let heap = ManagedHeap()
///     func run() throws { let o = try heap.make(someType) ... }
/// }
/// ```
public final class ManagedHeap {
    /// Most reference fields a type may declare.
    public static let maximumFieldCount = 4096
    /// Largest payload a type may declare, in bytes.
    public static let maximumPayloadSize = 1 << 24
    /// Most variable slots one object may have.
    public static let maximumSlotCount = 1 << 26
    /// Largest refcount; a retain or store beyond it throws. Fits the collector's 32-bit `gcRefs`.
    public static let maximumRefcount = UInt32(Int32.max)
    /// `maximumRefcount` as a constant the inlined hot paths can fold (a `static let` is read through an accessor across modules).
    @inlinable static var refcountLimit: UInt32 { 0x7FFF_FFFF }

    /// Where the object blocks come from.
    public let allocator: ArenaAllocator

    /// Id → header of every live object, in id order.
    @usableFromInline @exclusivity(unchecked) var directory = ObjectDirectory()
    /// Registered types, by `TypeID.index`: descriptors and name tables.
    @exclusivity(unchecked) var types: [RegisteredType] = []
    /// `types.count`, readable from the inlined allocation path.
    @usableFromInline @exclusivity(unchecked) var typeCount = 0
    /// Hot per-type numbers and statistics, `types.count` initialized entries, by `TypeID.index`.
    @usableFromInline @exclusivity(unchecked) var layouts: UnsafeMutablePointer<TypeLayout>
    @exclusivity(unchecked) var layoutCapacity = 8
    var typeIndexByName: [String: UInt32] = [:]
    /// Interned field names across all types (snapshot field-name table).
    var fieldNames = StringTable()
    /// Interned allocation sites, "file:line".
    var sites = StringTable()
    /// Fast path from a call site (StaticString address, line) to its interned index.
    @usableFromInline @exclusivity(unchecked) var siteCache = SiteCache()
    /// The last call site `siteIndex` resolved (file key, line, index), so that a loop allocating at one
    /// site skips the cache's hash. `lastSiteFile == 0` matches no site.
    @usableFromInline @exclusivity(unchecked) var lastSiteFile: UInt = 0
    @usableFromInline @exclusivity(unchecked) var lastSiteLine: UInt = 0
    @usableFromInline @exclusivity(unchecked) var lastSiteIndex: UInt32 = 0
    /// Short labels by object id (objects with flag `hasLabel`).
    var labels: [UInt64: String] = [:]
    /// Root names by object id (objects with flag `hasRootName`).
    var rootNames: [UInt64: String] = [:]

    /// Objects whose refcount reached zero and that wait to be freed by the running `drainFrees()`.
    @exclusivity(unchecked) var pendingFrees: [ObjectPointer] = []
    /// Whether `drainFrees()` is running (a release inside it only queues).
    @exclusivity(unchecked) var isFreeing = false

    /// Generation lists 0, 1, 2 and 3 (permanent), CPython's `gc.get_objects(generation)`.
    @usableFromInline let generationLists: [ObjectList]
    /// `generationLists[0].head`, one load away for allocation and freeing (no array, no link-kind switch).
    @usableFromInline let youngHead: ObjectPointer
    /// Counters and settings of the collector; the heap only updates `counts.0` and calls the trigger.
    @usableFromInline @exclusivity(unchecked) var gc = GCState()

    /// References stored in fields and slots right now (the edge count of a snapshot).
    @usableFromInline @exclusivity(unchecked) var liveReferenceCount = 0
    /// Bytes of live objects, as requested from the allocator: the sum of the per-type figures
    /// (O(types), so that allocation and freeing update one counter fewer).
    var liveBytes: Int {
        var total = 0
        for t in 0..<types.count { total &+= layouts[t].liveBytes }
        return total
    }

    /// A heap over a new allocator with `configuration`.
    public init(configuration: ArenaConfiguration) throws(ArenaError) {
        allocator = try ArenaAllocator(configuration: configuration)
        layouts = .allocate(capacity: layoutCapacity)
        generationLists = (0...3).map { _ in ObjectList(links: .generation) }
        youngHead = generationLists[0].head
    }

    /// A heap over a new allocator with the default configuration.
    public convenience init() {
        do { try self.init(configuration: ArenaConfiguration()) } catch {
            preconditionFailure("the default allocator configuration was refused: \(error)")
        }
    }

    deinit {
        // Free every block still live; no finalizers run (like interpreter teardown without atexit).
        var blocks: [UnsafeMutableRawPointer] = []
        blocks.reserveCapacity(directory.count)
        directory.forEach { blocks.append(UnsafeMutableRawPointer($0)) }
        for b in blocks { allocator.deallocate(b) }
        directory.deallocate()
        for list in generationLists { list.deallocateSentinel() }
        for t in 0..<types.count { layouts[t].objects.deallocateSentinel() }
        layouts.deinitialize(count: types.count)
        layouts.deallocate()
        siteCache.deallocate()
    }
}

@available(*, unavailable, message: "a ManagedHeap is single-threaded: own it from one actor")
extension ManagedHeap: Sendable {}

/// The collector's counters and settings, kept by the heap so that allocation can trigger a collection.
///
/// CPython semantics: `counts.0` is tracked allocations minus deallocations since the last young
/// collection; `counts.1`/`counts.2` count collections of the generation below since the last one of
/// that generation. The heap itself only maintains `counts.0` and calls
/// `AutomaticCollection.collectAutomatically()` when it exceeds `thresholds.0`.
@usableFromInline struct GCState {
    @usableFromInline var enabled = true
    /// True while a collection runs: allocation does not trigger another, `snapshot()` leaves `gcRefs` alone.
    @usableFromInline var collecting = false
    /// Young threshold 2000 (CPython 3.13), then every 10 collections of the generation below.
    @usableFromInline var thresholds: (Int, Int, Int) = (2000, 10, 10)
    @usableFromInline var counts: (Int, Int, Int) = (0, 0, 0)
    /// Objects in generation 2 after the last full collection (CPython's long_lived_total).
    var longLivedTotal = 0
    /// Objects promoted into generation 2 since then (CPython's long_lived_pending).
    var longLivedPending = 0
    /// Anything else the collector keeps (statistics, callbacks, saved garbage); the heap never reads it.
    var storage: AnyObject?
}

/// Adopted by the cycle collector's file (`extension ManagedHeap: AutomaticCollection`); the heap calls
/// it after an allocation that takes `gc.counts.0` above `gc.thresholds.0` while enabled and not collecting.
protocol AutomaticCollection: AnyObject {
    func collectAutomatically()
}

/// A direct-mapped cache from a call site's (file StaticString address, line) to its interned index,
/// so that allocation in a loop interns its site with one comparison instead of a hash lookup.
@usableFromInline struct SiteCache {
    @inlinable static var size: Int { 64 }
    /// Invariant: entry `i` is valid when `files[i] != 0`.
    @usableFromInline let files: UnsafeMutablePointer<UInt>
    @usableFromInline let lines: UnsafeMutablePointer<UInt>
    @usableFromInline let indices: UnsafeMutablePointer<UInt32>

    init() {
        files = .allocate(capacity: Self.size)
        files.initialize(repeating: 0, count: Self.size)
        lines = .allocate(capacity: Self.size)
        lines.initialize(repeating: 0, count: Self.size)
        indices = .allocate(capacity: Self.size)
        indices.initialize(repeating: 0, count: Self.size)
    }

    func deallocate() {
        files.deallocate()
        lines.deallocate()
        indices.deallocate()
    }

    @inlinable @inline(__always) static func slot(_ file: UInt, _ line: UInt) -> Int {
        Int(truncatingIfNeeded: ((file &+ line &* 0x9E37_79B9) &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    @inlinable @inline(__always) func lookup(file: UInt, line: UInt) -> UInt32? {
        let s = Self.slot(file, line)
        return files[s] == file && lines[s] == line ? indices[s] : nil
    }

    func insert(file: UInt, line: UInt, index: UInt32) {
        let s = Self.slot(file, line)
        files[s] = file
        lines[s] = line
        indices[s] = index
    }
}
