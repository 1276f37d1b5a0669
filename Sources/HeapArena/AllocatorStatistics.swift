// AllocatorStatistics — what `sys._debugmallocstats()` prints, as a value: per size class and per arena.
// It is plain data so that a heap dump can carry it (HeapGraph) and `heapscan stats` can print it offline.

/// A picture of the small-object allocator at one moment.
public struct AllocatorStatistics: Sendable, Hashable {
    /// One size class: blocks of `blockSize` bytes carved from `pools` pools.
    public struct SizeClass: Sendable, Hashable {
        /// Position of the class, 0 for the smallest blocks.
        public var index: Int
        /// Bytes per block (a multiple of the alignment).
        public var blockSize: Int
        /// Pools currently assigned to this class (partly used or full).
        public var pools: Int
        /// Blocks handed out and not yet freed.
        public var blocksInUse: Int
        /// Blocks free inside this class's pools (on free lists or not yet carved).
        public var blocksAvailable: Int

        public init(index: Int, blockSize: Int, pools: Int, blocksInUse: Int, blocksAvailable: Int) {
            self.index = index
            self.blockSize = blockSize
            self.pools = pools
            self.blocksInUse = blocksInUse
            self.blocksAvailable = blocksAvailable
        }
    }

    public var alignment: Int
    public var poolSize: Int
    public var arenaSize: Int
    public var smallRequestThreshold: Int
    /// Only the classes with at least one pool, in increasing block size.
    public var sizeClasses: [SizeClass]
    public var arenasAllocatedTotal: Int
    public var arenasReclaimed: Int
    public var arenasHighWater: Int
    public var arenasCurrent: Int
    public var bytesInAllocatedBlocks: Int
    public var bytesInAvailableBlocks: Int
    /// Pools inside live arenas that belong to no size class.
    public var unusedPools: Int
    public var bytesLostToPoolHeaders: Int
    public var bytesLostToQuantization: Int
    public var bytesLostToArenaAlignment: Int
    /// Requests above the threshold, served by the system allocator and tracked.
    public var largeObjects: Int
    public var largeObjectBytes: Int

    public init(
        alignment: Int = 16, poolSize: Int = 4096, arenaSize: Int = 256 * 1024, smallRequestThreshold: Int = 512,
        sizeClasses: [SizeClass] = [], arenasAllocatedTotal: Int = 0, arenasReclaimed: Int = 0,
        arenasHighWater: Int = 0, arenasCurrent: Int = 0, bytesInAllocatedBlocks: Int = 0,
        bytesInAvailableBlocks: Int = 0, unusedPools: Int = 0, bytesLostToPoolHeaders: Int = 0,
        bytesLostToQuantization: Int = 0, bytesLostToArenaAlignment: Int = 0, largeObjects: Int = 0,
        largeObjectBytes: Int = 0
    ) {
        self.alignment = alignment
        self.poolSize = poolSize
        self.arenaSize = arenaSize
        self.smallRequestThreshold = smallRequestThreshold
        self.sizeClasses = sizeClasses
        self.arenasAllocatedTotal = arenasAllocatedTotal
        self.arenasReclaimed = arenasReclaimed
        self.arenasHighWater = arenasHighWater
        self.arenasCurrent = arenasCurrent
        self.bytesInAllocatedBlocks = bytesInAllocatedBlocks
        self.bytesInAvailableBlocks = bytesInAvailableBlocks
        self.unusedPools = unusedPools
        self.bytesLostToPoolHeaders = bytesLostToPoolHeaders
        self.bytesLostToQuantization = bytesLostToQuantization
        self.bytesLostToArenaAlignment = bytesLostToArenaAlignment
        self.largeObjects = largeObjects
        self.largeObjectBytes = largeObjectBytes
    }

    // The computed values below saturate instead of trapping: a value read from an untrusted dump may hold
    // any numbers, and `heapscan stats` must print them, not crash.

    /// Bytes in unused pools (`unusedPools` × `poolSize`).
    public var bytesInUnusedPools: Int { Self.product(unusedPools, poolSize) }

    /// Number of size classes (`smallRequestThreshold / alignment`), whether or not they have pools.
    public var sizeClassCount: Int { alignment > 0 ? smallRequestThreshold / alignment : 0 }

    /// Bytes mapped for arenas now (`arenasCurrent × arenaSize`). For a live allocator this equals the sum
    /// of allocated and available blocks, unused pools, pool headers, quantization and arena alignment.
    public var bytesInArenas: Int { Self.product(arenasCurrent, arenaSize) }

    /// Pools assigned to a size class (partly used or full).
    public var poolsInUse: Int { sizeClasses.reduce(0) { Self.sum($0, $1.pools) } }

    /// Blocks handed out from pools and not freed.
    public var blocksInUse: Int { sizeClasses.reduce(0) { Self.sum($0, $1.blocksInUse) } }

    /// Free bytes held inside live arenas: available blocks in used pools plus unused pools.
    public var bytesFreeInArenas: Int { Self.sum(bytesInAvailableBlocks, bytesInUnusedPools) }

    /// The sum of the byte breakdown CPython prints as "Total": allocated and available blocks, unused
    /// pools, pool headers, quantization and arena alignment.
    public var bytesAccounted: Int {
        [bytesInAvailableBlocks, bytesInUnusedPools, bytesLostToPoolHeaders, bytesLostToQuantization,
         bytesLostToArenaAlignment].reduce(bytesInAllocatedBlocks, Self.sum)
    }

    /// The share of usable arena memory that is free but held: `(bytes in available blocks + bytes in
    /// unused pools) / (that + bytes in allocated blocks)`, in 0…1; 0 when no arena is mapped. Arenas go
    /// back to the OS only when wholly empty, so this is memory the process keeps but cannot use for
    /// anything else. Pool headers, quantization and alignment are structural overhead, not counted.
    public var fragmentation: Double {
        let free = Double(bytesFreeInArenas)
        let total = free + Double(bytesInAllocatedBlocks)
        guard total > 0, free >= 0 else { return 0 }
        return min(1, free / total)
    }

    static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) != (b < 0) ? .min : .max) : value
    }

    static func sum(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? (a < 0 ? .min : .max) : value
    }
}
