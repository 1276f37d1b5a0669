// RandomSequenceTests — the property: any sequence of allocations (1 byte … 4 KiB) and frees keeps every
// live block's bytes intact (no two live blocks overlap), keeps the invariants (checked after every
// mutation in checked builds, fully every few hundred steps here), and keeps statistics equal to what the
// test itself counted (blocks in the caches of recently freed blocks count as available, not in use).
import Testing
import PropertyBased
import HeapArena
import HeapscanTestSupport

@Suite struct RandomSequenceTests {
    static let configurations: [ArenaConfiguration] = [
        ArenaConfiguration(),
        .cpython310,
        ArenaConfiguration(alignment: 8, smallRequestThreshold: 256, poolSize: 4096, arenaSize: 16 * 1024),
        // No cache, and a cache of one block (always at its bound), besides the default 16.
        ArenaConfiguration(blockCacheCapacity: 0),
        ArenaConfiguration(alignment: 8, smallRequestThreshold: 256, poolSize: 4096, arenaSize: 16 * 1024, blockCacheCapacity: 1),
    ]

    @Test func randomSequencesKeepBlocksIntactAndInvariantsTrue() async {
        await propertyCheck(count: 10, input: Gen.uint64(), Gen.int(in: 0...(Self.configurations.count - 1))) { seed, configurationIndex in
            let configuration = Self.configurations[configurationIndex]
            do {
                try Self.run(seed: seed, configuration: configuration, steps: 5_000)
            } catch {
                Issue.record("seed \(seed), configuration \(configuration): \(error)")
            }
        }
    }

    /// Runs `steps` random operations; phases alternate between growing and shrinking the live set so that
    /// pools fill, empty and arenas come and go.
    static func run(seed: UInt64, configuration: ArenaConfiguration, steps: Int) throws {
        var random = SplitMix64(seed: seed)
        let allocator = try ArenaAllocator(configuration: configuration)
        let threshold = configuration.smallRequestThreshold
        let alignment = configuration.alignment
        var live: [LiveBlock] = []
        var nextTag: UInt64 = 1
        var largeCount = 0
        var largeBytes = 0
        for step in 0..<steps {
            let growing = (step / 500) % 2 == 0
            let allocate = live.isEmpty || Int.random(in: 0..<100, using: &random) < (growing ? 70 : 30)
            if allocate {
                // Mostly small requests, some up to 4 KiB.
                let byteCount =
                    Int.random(in: 0..<10, using: &random) < 8
                    ? Int.random(in: 1...threshold, using: &random) : Int.random(in: 1...4096, using: &random)
                let pointer = try allocator.allocate(byteCount: byteCount)
                #expect(UInt(bitPattern: pointer) % UInt(alignment) == 0)
                if byteCount > threshold {
                    largeCount += 1
                    largeBytes += byteCount
                    #expect(!allocator.owns(pointer))
                } else {
                    let info = try #require(allocator.blockInfo(pointer))
                    #expect(info.isBlockStart && info.blockSize >= byteCount && info.blockSize - byteCount < alignment)
                }
                fillPattern(pointer, count: byteCount, tag: nextTag)
                live.append(LiveBlock(pointer: pointer, byteCount: byteCount, tag: nextTag))
                nextTag += 1
            } else {
                let victim = live.removeSwapping(at: Int.random(in: 0..<live.count, using: &random))
                if let broken = brokenPattern(victim.pointer, count: victim.byteCount, tag: victim.tag) {
                    Issue.record("block \(victim.tag) (\(victim.byteCount) bytes) was overwritten at byte \(broken)")
                    return
                }
                try allocator.validateFree(victim.pointer)
                allocator.deallocate(victim.pointer)
                if victim.byteCount > threshold {
                    largeCount -= 1
                    largeBytes -= victim.byteCount
                }
            }
            // Now and then give the cached blocks back, as a long-running owner would.
            if Int.random(in: 0..<200, using: &random) == 0 { allocator.flushCaches() }
            if step % 250 == 0 || step == steps - 1 {
                try allocator.checkInvariants()
                try expectStatistics(allocator.statistics, agreeWith: live, threshold: threshold, largeCount: largeCount, largeBytes: largeBytes)
            }
        }
        for block in live {
            #expect(brokenPattern(block.pointer, count: block.byteCount, tag: block.tag) == nil)
            allocator.deallocate(block.pointer)
        }
        try allocator.checkInvariants()
        #expect(allocator.statistics.blocksInUse == 0)
        allocator.flushCaches()
        try allocator.checkInvariants()
        #expect(allocator.cachedBlockCount == 0)
        let final = allocator.statistics
        #expect(final.arenasCurrent == 0 && final.blocksInUse == 0 && final.largeObjects == 0)
        #expect(final.arenasAllocatedTotal == final.arenasReclaimed)
    }

    static func expectStatistics(
        _ stats: AllocatorStatistics, agreeWith live: [LiveBlock], threshold: Int, largeCount: Int, largeBytes: Int
    ) throws {
        var perClass: [Int: Int] = [:]
        var allocatedBytes = 0
        for block in live where block.byteCount <= threshold {
            let sizeClass = (block.byteCount - 1) / stats.alignment
            perClass[sizeClass, default: 0] += 1
            allocatedBytes += (sizeClass + 1) * stats.alignment
        }
        // A class whose pools hold only cached blocks is listed with 0 in use.
        let reported = Dictionary(
            uniqueKeysWithValues: stats.sizeClasses.filter { $0.blocksInUse > 0 }.map { ($0.index, $0.blocksInUse) })
        #expect(reported == perClass)
        #expect(stats.bytesInAllocatedBlocks == allocatedBytes)
        #expect(stats.largeObjects == largeCount)
        #expect(stats.largeObjectBytes == largeBytes)
        let accounted =
            stats.bytesInAllocatedBlocks + stats.bytesInAvailableBlocks + stats.bytesInUnusedPools
            + stats.bytesLostToPoolHeaders + stats.bytesLostToQuantization + stats.bytesLostToArenaAlignment
        #expect(accounted == stats.bytesInArenas)
        #expect((0...1).contains(stats.fragmentation))
    }
}

extension Array {
    /// Swaps element `index` to the end and removes it: O(1) removal when order does not matter.
    mutating func removeSwapping(at index: Int) -> Element {
        swapAt(index, count - 1)
        return removeLast()
    }
}
