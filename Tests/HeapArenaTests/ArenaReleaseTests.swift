// ArenaReleaseTests — arenas go back to the OS exactly when their last pool empties, whatever the order of
// the frees, and allocation prefers the fullest arena (CPython's usable_arenas order).
import Testing
import HeapArena

@Suite struct ArenaReleaseTests {
    enum Order: String, CaseIterable { case forward, backward, random, arenaByArena, roundRobin }

    @Test(arguments: Order.allCases, [ArenaConfiguration(), .cpython310])
    func eachArenaIsGivenBackWhenItsLastPoolEmpties(order: Order, configuration: ArenaConfiguration) throws {
        let allocator = try ArenaAllocator(configuration: configuration)
        // Several size classes so that pools of different classes share arenas; enough for ~4 arenas.
        let sizes = [16, 48, 112, 256, 512]
        var blocks: [(pointer: UnsafeMutableRawPointer, arena: UInt)] = []
        var liveInArena: [UInt: Int] = [:]
        let target = 4 * configuration.arenaSize
        var bytes = 0
        var i = 0
        while bytes < target - configuration.arenaSize / 2 {
            let size = sizes[i % sizes.count]
            let pointer = try allocator.allocate(byteCount: size)
            let arena = try #require(allocator.blockInfo(pointer)).arenaAddress
            blocks.append((pointer, arena))
            liveInArena[arena, default: 0] += 1
            bytes += size
            i += 1
        }
        var stats = allocator.statistics
        #expect(stats.arenasCurrent == liveInArena.count)
        #expect(stats.arenasCurrent >= 3)
        #expect(stats.arenasAllocatedTotal == liveInArena.count)
        #expect(stats.arenasHighWater == liveInArena.count)
        try allocator.checkInvariants()

        var random = SeededGenerator(seed: 42)
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
        for (step, block) in blocks.enumerated() {
            allocator.deallocate(block.pointer)
            liveInArena[block.arena]! -= 1
            let emptied = liveInArena[block.arena] == 0
            if emptied {
                reclaimed += 1
                liveInArena[block.arena] = nil
            }
            // The arena is still mapped exactly while it holds a live block.
            #expect(allocator.owns(UnsafeRawPointer(bitPattern: block.arena)!) == !emptied)
            if emptied || step % 97 == 0 {
                stats = allocator.statistics
                #expect(stats.arenasCurrent == liveInArena.count)
                #expect(stats.arenasReclaimed == reclaimed)
                #expect(stats.arenasAllocatedTotal == stats.arenasCurrent + stats.arenasReclaimed)
            }
            if step % 500 == 0 { try allocator.checkInvariants() }
        }
        stats = allocator.statistics
        #expect(stats.arenasCurrent == 0)
        #expect(stats.arenasReclaimed == stats.arenasAllocatedTotal)
        #expect(stats.bytesInAllocatedBlocks == 0 && stats.sizeClasses.isEmpty && stats.unusedPools == 0)
        try allocator.checkInvariants()
    }

    @Test func allocationPrefersTheFullestArena() throws {
        // 4 pools per arena, 64-byte blocks: (4096 − 48) / 64 = 63 blocks per pool.
        let configuration = ArenaConfiguration(poolSize: 4096, arenaSize: 16 * 1024)
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
