// ArenaReleaseTests — arenas go back to the OS exactly when their last pool empties, whatever the order of
// the frees, with or without the cache of recently freed blocks (which defers release until it is
// flushed), and allocation prefers the fullest arena (CPython's usable_arenas order).
import Testing
import HeapArena
import HeapscanTestSupport

@Suite struct ArenaReleaseTests {
    enum Order: String, CaseIterable { case forward, backward, random, arenaByArena, roundRobin }

    /// Geometries × cache capacities: without a cache every free goes to its pool; with one, the test models
    /// the cache (the first `blockCacheCapacity` frees of each class stay cached, LIFO) to know which frees
    /// reach a pool.
    static let configurations: [ArenaConfiguration] = [
        ArenaConfiguration(blockCacheCapacity: 0),
        ArenaConfiguration(poolSize: 16 * 1024, arenaSize: 1024 * 1024, blockCacheCapacity: 0),
        ArenaConfiguration(),
        .cpython310,
    ]

    @Test(arguments: Order.allCases, configurations)
    func eachArenaIsGivenBackWhenItsLastPoolEmpties(order: Order, configuration: ArenaConfiguration) throws {
        let allocator = try ArenaAllocator(configuration: configuration)
        // Several size classes so that pools of different classes share arenas; enough for ~4 arenas.
        let sizes = [16, 48, 112, 256, 512]
        var blocks: [(pointer: UnsafeMutableRawPointer, arena: UInt, sizeClass: Int)] = []
        /// Blocks per arena that hold a pool: live or cached.
        var heldInArena: [UInt: Int] = [:]
        let target = 4 * configuration.arenaSize
        var bytes = 0
        var i = 0
        while bytes < target - configuration.arenaSize / 2 {
            let size = sizes[i % sizes.count]
            let pointer = try allocator.allocate(byteCount: size)
            let info = try #require(allocator.blockInfo(pointer))
            blocks.append((pointer, info.arenaAddress, info.sizeClass))
            heldInArena[info.arenaAddress, default: 0] += 1
            bytes += size
            i += 1
        }
        var stats = allocator.statistics
        #expect(stats.arenasCurrent == heldInArena.count)
        #expect(stats.arenasCurrent >= 3)
        #expect(stats.arenasAllocatedTotal == heldInArena.count)
        #expect(stats.arenasHighWater == heldInArena.count)
        try allocator.checkInvariants()

        var random = SplitMix64(seed: 42)
        switch order {
        case .forward: break
        case .backward: blocks.reverse()
        case .random: blocks.shuffle(using: &random)
        case .arenaByArena: blocks.sort { $0.arena < $1.arena }
        case .roundRobin:
            let byArena = Dictionary(grouping: blocks, by: \.arena).values.map { $0 }
            blocks = []
            for k in 0..<(byArena.map(\.count).max() ?? 0) {
                for group in byArena where k < group.count { blocks.append(group[k]) }
            }
        }
        var reclaimed = 0
        var modelCache: [Int: [UInt]] = [:]  // size class → arenas of its cached blocks, in push order
        /// A block leaves its pool for good: its arena is given back when that was its last held block.
        func release(arena: UInt) -> Bool {
            heldInArena[arena]! -= 1
            guard heldInArena[arena] == 0 else { return false }
            reclaimed += 1
            heldInArena[arena] = nil
            return true
        }
        func expectCountsAgree() {
            stats = allocator.statistics
            #expect(stats.arenasCurrent == heldInArena.count)
            #expect(stats.arenasReclaimed == reclaimed)
            #expect(stats.arenasAllocatedTotal == stats.arenasCurrent + stats.arenasReclaimed)
            #expect(allocator.cachedBlockCount == modelCache.values.map(\.count).reduce(0, +))
        }
        for (step, block) in blocks.enumerated() {
            allocator.deallocate(block.pointer)
            let emptied: Bool
            if modelCache[block.sizeClass, default: []].count < configuration.blockCacheCapacity {
                modelCache[block.sizeClass, default: []].append(block.arena)
                emptied = false
            } else {
                emptied = release(arena: block.arena)
            }
            // The arena is still mapped exactly while it holds a live or cached block.
            #expect(allocator.owns(UnsafeRawPointer(bitPattern: block.arena)!) == !emptied)
            if emptied || step % 97 == 0 { expectCountsAgree() }
            if step % 500 == 0 { try allocator.checkInvariants() }
        }
        // Only cached blocks hold arenas now; flushing gives every one of them back.
        #expect(allocator.statistics.blocksInUse == 0)
        for arena in modelCache.values.joined() { #expect(allocator.owns(UnsafeRawPointer(bitPattern: arena)!)) }
        let deferred = heldInArena.count
        #expect(configuration.blockCacheCapacity == 0 ? deferred == 0 : deferred > 0)
        allocator.flushCaches()
        for arena in modelCache.values.joined() { _ = release(arena: arena) }
        modelCache = [:]
        #expect(heldInArena.isEmpty)
        expectCountsAgree()
        stats = allocator.statistics
        #expect(stats.arenasCurrent == 0)
        #expect(stats.arenasReclaimed == stats.arenasAllocatedTotal)
        #expect(stats.bytesInAllocatedBlocks == 0 && stats.sizeClasses.isEmpty && stats.unusedPools == 0)
        try allocator.checkInvariants()
    }

    @Test func theCacheDefersReleaseUntilFlushed() throws {
        let allocator = try ArenaAllocator()  // default: 16 cached blocks per class
        let pointer = try allocator.allocate(byteCount: 100)
        let arena = try #require(allocator.blockInfo(pointer)).arenaAddress
        allocator.deallocate(pointer)
        // The block is cached: its pool and arena stay, and statistics say so without flushing.
        #expect(allocator.cachedBlockCount == 1)
        #expect(allocator.owns(UnsafeRawPointer(bitPattern: arena)!))
        var stats = allocator.statistics
        #expect(stats.arenasCurrent == 1 && stats.blocksInUse == 0 && stats.poolsInUse == 1)
        #expect(allocator.cachedBlockCount == 1, "reading statistics does not flush")
        try allocator.checkInvariants()
        allocator.flushCaches()
        #expect(allocator.cachedBlockCount == 0)
        #expect(!allocator.owns(UnsafeRawPointer(bitPattern: arena)!))
        stats = allocator.statistics
        #expect(stats.arenasCurrent == 0 && stats.arenasReclaimed == 1 && stats.poolsInUse == 0)
        try allocator.checkInvariants()
    }

    @Test func allocationPrefersTheFullestArena() throws {
        // 4 pools per arena, 64-byte blocks: (4096 − 48) / 64 = 63 blocks per pool.
        // No block cache: every free reaches its pool, so pools empty when the test frees their blocks.
        let configuration = ArenaConfiguration(poolSize: 4096, arenaSize: 16 * 1024, blockCacheCapacity: 0)
        let allocator = try ArenaAllocator(configuration: configuration)
        let perPool = 63
        var byArena: [UInt: [UnsafeMutableRawPointer]] = [:]
        for _ in 0..<(3 * 4 * perPool) {
            let pointer = try allocator.allocate(byteCount: 64)
            byArena[try #require(allocator.blockInfo(pointer)).arenaAddress, default: []].append(pointer)
        }
        #expect(byArena.count == 3 && byArena.values.allSatisfy { $0.count == 4 * perPool })
        let arenas = byArena.keys.sorted()
        // Empty three pools of arena 0 and one pool of arena 1: arena 1 is now the fullest with a free pool.
        for pointer in byArena[arenas[0]]!.prefix(3 * perPool) { allocator.deallocate(pointer) }
        for pointer in byArena[arenas[1]]!.prefix(perPool) { allocator.deallocate(pointer) }
        try allocator.checkInvariants()
        // A new pool (another size class) must come from arena 1, then arena 0's remaining free pools.
        let first = try allocator.allocate(byteCount: 256)
        #expect(allocator.blockInfo(first)?.arenaAddress == arenas[1])
        var later: [UnsafeMutableRawPointer] = []
        for size in [128, 320, 400] {
            let pointer = try allocator.allocate(byteCount: size)
            later.append(pointer)
            #expect(allocator.blockInfo(pointer)?.arenaAddress == arenas[0], "size \(size)")
        }
        // All pools are taken again: the next new pool needs a fresh arena.
        let fresh = try allocator.allocate(byteCount: 496)
        #expect(allocator.statistics.arenasCurrent == 4)
        #expect(!arenas.contains(allocator.blockInfo(fresh)!.arenaAddress))
        try allocator.checkInvariants()
    }
}
