// StatisticsTests — the debugmallocstats fields add up, and the report reads like CPython's.
import Testing
import HeapArena

@Suite struct StatisticsTests {
    @Test func emptyAllocatorReportsNothingMapped() throws {
        let stats = try ArenaAllocator().statistics
        #expect(stats == AllocatorStatistics())
        #expect(stats.fragmentation == 0)
        #expect(stats.report().contains("Small block threshold = 512, in 32 size classes."))
    }

    @Test func fieldsAddUpToTheArenaMemory() throws {
        let allocator = try ArenaAllocator()
        var pointers: [UnsafeMutableRawPointer] = []
        for i in 0..<2_000 { pointers.append(try allocator.allocate(byteCount: 1 + (i * 37) % 512)) }
        for pointer in pointers.enumerated().filter({ $0.offset % 3 == 0 }).map(\.element) { allocator.deallocate(pointer) }
        let stats = allocator.statistics
        let total =
            stats.bytesInAllocatedBlocks + stats.bytesInAvailableBlocks + stats.bytesInUnusedPools
            + stats.bytesLostToPoolHeaders + stats.bytesLostToQuantization + stats.bytesLostToArenaAlignment
        #expect(total == stats.arenasCurrent * stats.arenaSize)
        #expect(stats.bytesLostToPoolHeaders == stats.poolsInUse * 48)
        #expect(stats.blocksInUse == 2_000 - 667)
        // Class 2 (48 bytes): 84 blocks per pool, remainder 4048 − 84·48 = 16 bytes lost per pool.
        let class2 = try #require(stats.sizeClasses.first { $0.index == 2 })
        #expect(class2.blockSize == 48)
        #expect(class2.blocksInUse + class2.blocksAvailable == class2.pools * 84)
        let expectedFragmentation =
            Double(stats.bytesInAvailableBlocks + stats.bytesInUnusedPools)
            / Double(stats.bytesInAvailableBlocks + stats.bytesInUnusedPools + stats.bytesInAllocatedBlocks)
        #expect(stats.fragmentation == expectedFragmentation)
        #expect(stats.fragmentation > 0 && stats.fragmentation < 1)
    }

    @Test func cachedBlocksCountAsAvailableNotInUse() throws {
        let allocator = try ArenaAllocator()
        var pointers: [UnsafeMutableRawPointer] = []
        for _ in 0..<50 { pointers.append(try allocator.allocate(byteCount: 64)) }
        for pointer in pointers.prefix(20) { allocator.deallocate(pointer) }
        // 16 frees are cached, 4 went back to the pool; all 20 are available.
        #expect(allocator.cachedBlockCount(ofClass: 3) == 16)
        let stats = allocator.statistics
        let class3 = try #require(stats.sizeClasses.first { $0.index == 3 })
        #expect(class3.blocksInUse == 30)
        #expect(class3.blocksAvailable == 63 - 30)
        #expect(stats.bytesInAllocatedBlocks == 30 * 64)
        #expect(allocator.cachedBlockCount == 16, "statistics do not flush the cache")
        allocator.flushCaches()
        #expect(allocator.statistics == stats, "flushing moves blocks between two kinds of available")
        for pointer in pointers.dropFirst(20) { allocator.deallocate(pointer) }
        allocator.flushCaches()
        #expect(allocator.statistics.arenasCurrent == 0)
    }

    @Test func reportLooksLikeDebugMallocStats() throws {
        let allocator = try ArenaAllocator()
        let a = try allocator.allocate(byteCount: 16)
        let b = try allocator.allocate(byteCount: 1_000_000)
        let report = allocator.statistics.report()
        let lines = report.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Small block threshold = 512, in 32 size classes.")
        #expect(lines[2] == "class   size   num pools   blocks in use  avail blocks")
        #expect(lines[3] == "-----   ----   ---------   -------------  ------------")
        #expect(lines[4] == "    0     16           1               1           252")
        #expect(lines.contains("# arenas allocated total           =                    1"))
        #expect(lines.contains("1 arenas * 262144 bytes/arena      =              262,144"))
        #expect(lines.contains("63 unused pools * 4096 bytes       =              258,048"))
        #expect(lines.contains("# bytes lost to pool headers       =                   48"))
        #expect(lines.contains("Total                              =              262,144"))
        #expect(lines.contains("# bytes in large objects           =            1,000,000"))
        #expect(report.contains("fragmentation"))
        allocator.deallocate(a)
        allocator.deallocate(b)
    }

    @Test func hostileValuesFromADumpPrintWithoutTrapping() {
        let hostile = AllocatorStatistics(
            alignment: -1, poolSize: .max, arenaSize: .max, smallRequestThreshold: .min,
            sizeClasses: [.init(index: .max, blockSize: .min, pools: .max, blocksInUse: .max, blocksAvailable: .min),
                          .init(index: 0, blockSize: 0, pools: .max, blocksInUse: .max, blocksAvailable: -1)],
            arenasAllocatedTotal: .min, arenasReclaimed: .max, arenasHighWater: -3, arenasCurrent: .max,
            bytesInAllocatedBlocks: .max, bytesInAvailableBlocks: .max, unusedPools: .max,
            bytesLostToPoolHeaders: .min, bytesLostToQuantization: .max, bytesLostToArenaAlignment: .max,
            largeObjects: .min, largeObjectBytes: .min)
        let report = hostile.report()
        #expect(report.contains("Small block threshold"))
        #expect(hostile.bytesInArenas == .max && hostile.poolsInUse == .max && hostile.sizeClassCount == 0)
        #expect((0...1).contains(hostile.fragmentation))
    }
}
