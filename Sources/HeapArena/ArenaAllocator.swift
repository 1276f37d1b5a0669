// ArenaAllocator — a pymalloc-style small-object allocator (CPython's Objects/obmalloc.c): requests up to
// the threshold are rounded to a size class and served from pools, pools are carved from arenas mapped from
// the OS, larger requests go to the system allocator and are tracked. This file holds the storage, the
// life cycle and the public entry points; the pointer work is in `ArenaAllocator+RawMemory.swift`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small-object allocator. Not thread-safe: one owner at a time.
///
/// Blocks of 1…`smallRequestThreshold` bytes come from size classes in `alignment` steps; each class
/// reuses its recently freed blocks first (a small LIFO cache), then takes blocks from its partly used
/// pools; pools come from arenas, preferring the fullest arena (CPython's `usable_arenas` order) so that
/// nearly empty arenas can drain and be given back (once `flushCaches()` has emptied the caches).
public final class ArenaAllocator {
    public let configuration: ArenaConfiguration
    @usableFromInline let geometry: ArenaGeometry

    /// Per size class, the head of its doubly linked list of partly used pools (CPython's `usedpools`).
    /// Invariant: every listed pool has `blocksInUse > 0` and a non-nil `freeBlock`; full pools are in no list.
    @usableFromInline let usedPools: UnsafeMutablePointer<Pool?>
    /// Per size class, its LIFO cache of recently freed blocks (glibc's tcache idea), consulted before the
    /// pools. Invariant: a cached block is the start of a carved block of a pool of that class, counted in
    /// its pool's `blocksInUse`, on no free list and in no other cache; `count ≤ blockCacheCapacity`.
    @usableFromInline let blockCaches: UnsafeMutablePointer<BlockCache>
    /// Arena base address → arena index, for the O(1) "is this pointer ours" test.
    /// Stored inline and exempt from dynamic exclusivity checks: the class is single-owner (not thread-safe)
    /// and every free reads it, so it must cost one load.
    @exclusivity(unchecked) @usableFromInline var directory: ArenaDirectory

    /// Arena records by index (CPython's `arenas` array). A record whose `base` is nil is unused and linked
    /// through `nextArena` from `unusedRecordsHead`.
    @exclusivity(unchecked) var arenas: [ArenaRecord] = []
    var unusedRecordsHead = -1
    /// Head of the list of arenas with at least one free pool, ordered by increasing `freePoolCount`
    /// (fullest first); -1 when empty. Arenas with no free pool are in no list.
    var usableArenasHead = -1
    /// For each free-pool count `k`, the last arena of `usableArenas` with exactly `k` free pools, or -1
    /// (CPython's `nfp2lasta`), so an arena moves to its sorted place in O(1).
    @exclusivity(unchecked) var lastUsableArena: [Int]
    /// Live large objects (above the threshold) → requested bytes.
    var largeObjectSizes: [UnsafeMutableRawPointer: Int] = [:]
    /// Sum of `largeObjectSizes` values.
    var largeObjectBytes = 0
    var arenasAllocatedTotal = 0
    var arenasReclaimed = 0
    var arenasHighWater = 0
    /// Arenas mapped right now (records with a non-nil `base`).
    var arenasCurrent = 0

    /// Creates an allocator, validating `configuration`.
    /// - Throws: `.invalidConfiguration(reason)` naming the rule the configuration breaks.
    public init(configuration: ArenaConfiguration = ArenaConfiguration()) throws(ArenaError) {
        self.configuration = configuration
        geometry = try ArenaGeometry(
            validating: configuration, headerSize: MemoryLayout<PoolHeader>.size, pageSize: Self.systemPageSize)
        usedPools = .allocate(capacity: geometry.classCount)
        usedPools.initialize(repeating: nil, count: geometry.classCount)
        blockCaches = .allocate(capacity: geometry.classCount)
        blockCaches.initialize(repeating: BlockCache(), count: geometry.classCount)
        directory = ArenaDirectory(minimumCapacity: 16)
        lastUsableArena = Array(repeating: -1, count: geometry.poolsPerArena + 1)
    }

    deinit {
        for record in arenas { if let base = record.base { Self.unmapArena(base, size: geometry.arenaSize) } }
        for pointer in largeObjectSizes.keys { free(pointer) }
        directory.release()
        usedPools.deallocate()
        blockCaches.deallocate()
    }

    /// Returns a block of at least `byteCount` bytes, aligned to `configuration.alignment`.
    /// - Throws: `.zeroSizedRequest` for 0, `.negativeByteCount` below 0, `.outOfMemory` when the OS refuses.
    /// - Complexity: O(1); amortized O(1) when a pool or arena must be set up.
    @inlinable
    public func allocate(byteCount: Int) throws(ArenaError) -> UnsafeMutableRawPointer {
        // One unsigned compare covers 1…threshold.
        if UInt(bitPattern: byteCount &- 1) < UInt(bitPattern: geometry.threshold) {
            return try allocateSmall(sizeClass: (byteCount &- 1) &>> geometry.alignmentShift)
        }
        return try allocateLarge(byteCount: byteCount)
    }

    /// Gives back a block from `allocate(byteCount:)`.
    ///
    /// A small block goes to its size class's cache of recently freed blocks while that holds fewer than
    /// `blockCacheCapacity`, else back to its pool (see `flushCaches()`).
    ///
    /// A pointer that is neither in one of our arenas nor a live large object stops the program with a
    /// message, in every build. Checked builds (`HEAPSCAN_CHECKS`) also stop on a double free, a pointer
    /// inside a block, or a block never handed out; release builds check only that its pool is in use and
    /// that the block is not the one freed last in its class (the head of its cache).
    /// - Complexity: O(1) (checked builds: O(blocks in the pool + cache capacity)).
    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer) {
        let address = UInt(bitPattern: pointer)
        if directory.contains(arenaAt: address & ~geometry.arenaOffsetMask, arenaShift: geometry.arenaShift) {
            deallocateSmall(pointer, address: address)
        } else {
            deallocateLarge(pointer)
        }
    }

    /// Whether this build runs the invariant checks after every mutation and stops on any bad free
    /// (`HEAPSCAN_CHECKS`, defined in debug builds).
    public static var checksEnabled: Bool {
        #if HEAPSCAN_CHECKS
        true
        #else
        false
        #endif
    }

    /// A picture of the allocator now (walks every pool of every arena).
    /// - Complexity: O(arenas × pools per arena + size classes).
    public var statistics: AllocatorStatistics { computeStatistics() }
}
