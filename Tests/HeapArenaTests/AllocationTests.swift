// AllocationTests — size classes, alignment, pointer lookups and large objects, one behaviour at a time.
import Testing
import HeapArena

@Suite struct AllocationTests {
    @Test func zeroAndNegativeRequestsAreRejected() throws {
        let allocator = try ArenaAllocator()
        #expect(throws: ArenaError.zeroSizedRequest) { try allocator.allocate(byteCount: 0) }
        #expect(throws: ArenaError.negativeByteCount(-5)) { try allocator.allocate(byteCount: -5) }
        #expect(allocator.statistics.blocksInUse == 0)
        #expect(allocator.statistics.arenasCurrent == 0)
    }

    @Test func requestsRoundUpToSixteenByteClasses() throws {
        let allocator = try ArenaAllocator()
        for (request, expectedClass) in [(1, 0), (16, 0), (17, 1), (32, 1), (33, 2), (500, 31), (512, 31)] {
            let pointer = try allocator.allocate(byteCount: request)
            let info = try #require(allocator.blockInfo(pointer))
            #expect(info.sizeClass == expectedClass, "request \(request)")
            #expect(info.blockSize == (expectedClass + 1) * 16)
            #expect(info.isBlockStart)
            #expect(UInt(bitPattern: pointer) % 16 == 0)
            #expect(allocator.usableSize(pointer) == info.blockSize)
            #expect(info.arenaAddress % UInt(allocator.configuration.arenaSize) == 0)
            #expect(info.poolAddress % UInt(allocator.configuration.poolSize) == 0)
            #expect(info.poolAddress == info.arenaAddress + UInt(info.poolIndex * allocator.configuration.poolSize))
            #expect(allocator.blockInfo(pointer + 3)?.blockAddress == UInt(bitPattern: pointer))
            #expect(allocator.blockInfo(pointer + 3)?.isBlockStart == false)
            allocator.deallocate(pointer)
        }
        try allocator.checkInvariants()
    }

    @Test func lookupsAnswerForForeignPointers() throws {
        let allocator = try ArenaAllocator()
        let small = try allocator.allocate(byteCount: 40)
        var local = 0
        withUnsafeMutablePointer(to: &local) { foreign in
            #expect(!allocator.owns(foreign))
            #expect(allocator.blockInfo(foreign) == nil)
            #expect(allocator.usableSize(foreign) == nil)
        }
        #expect(allocator.owns(small))
        let info = try #require(allocator.blockInfo(small))
        // The pool header and a never-used pool are inside the arena but are not blocks.
        #expect(allocator.owns(UnsafeRawPointer(bitPattern: info.poolAddress)!))
        #expect(allocator.blockInfo(UnsafeRawPointer(bitPattern: info.poolAddress)!) == nil)
        let unusedPool = info.arenaAddress + UInt(allocator.configuration.arenaSize - allocator.configuration.poolSize) + 64
        #expect(allocator.blockInfo(UnsafeRawPointer(bitPattern: unusedPool)!) == nil)
        allocator.deallocate(small)
        #expect(allocator.owns(small), "the freed block is cached, so its arena stays")
        allocator.flushCaches()
        #expect(!allocator.owns(small), "the only arena went back to the OS")
    }

    @Test func consecutiveAllocationsShareAPoolAndDoNotOverlap() throws {
        let allocator = try ArenaAllocator()
        var pointers: [UnsafeMutableRawPointer] = []
        for _ in 0..<300 { pointers.append(try allocator.allocate(byteCount: 48)) }
        let addresses = pointers.map { UInt(bitPattern: $0) }.sorted()
        for (a, b) in zip(addresses, addresses.dropFirst()) { #expect(b - a >= 48) }
        // (4096 − 48) / 48 = 84 blocks per pool: 300 blocks need 4 pools.
        let stats = allocator.statistics
        #expect(stats.sizeClasses.map(\.index) == [2])
        #expect(stats.sizeClasses.first?.pools == 4)
        #expect(stats.sizeClasses.first?.blocksInUse == 300)
        #expect(stats.sizeClasses.first?.blocksAvailable == 4 * 84 - 300)
        for pointer in pointers { allocator.deallocate(pointer) }
        // 16 blocks are cached; they hold their pools until flushed.
        #expect(allocator.cachedBlockCount(ofClass: 2) == 16)
        #expect(allocator.statistics.sizeClasses.first?.blocksInUse == 0)
        allocator.flushCaches()
        #expect(allocator.statistics.arenasCurrent == 0)
    }

    @Test func theCacheIsBoundedAndLastInFirstOut() throws {
        let allocator = try ArenaAllocator(configuration: .init(blockCacheCapacity: 4))
        var pointers: [UnsafeMutableRawPointer] = []
        for _ in 0..<10 { pointers.append(try allocator.allocate(byteCount: 24)) }
        for pointer in pointers { allocator.deallocate(pointer) }
        // The first four frees fill the cache; the other six went to the pool's free list.
        #expect(allocator.cachedBlockCount == 4 && allocator.cachedBlockCount(ofClass: 1) == 4)
        #expect(allocator.cachedBlockCount(ofClass: 0) == 0 && allocator.cachedBlockCount(ofClass: 99) == 0)
        try allocator.checkInvariants()
        // Reuse comes from the cache, last freed first; then from the pool (block freed last there first).
        for expected in [pointers[3], pointers[2], pointers[1], pointers[0], pointers[9]] {
            #expect(try allocator.allocate(byteCount: 17) == expected)
        }
        #expect(allocator.cachedBlockCount == 0)
        try allocator.checkInvariants()
    }

    @Test func freedBlockIsReusedFirst() throws {
        let allocator = try ArenaAllocator()
        let a = try allocator.allocate(byteCount: 64)
        let b = try allocator.allocate(byteCount: 64)
        allocator.deallocate(a)
        #expect(try allocator.allocate(byteCount: 60) == a)
        allocator.deallocate(a)
        allocator.deallocate(b)
    }

    @Test func largeObjectsGoToTheSystemAllocatorAndAreTracked() throws {
        let allocator = try ArenaAllocator()
        let big = try allocator.allocate(byteCount: 513)
        let bigger = try allocator.allocate(byteCount: 100_000)
        #expect(!allocator.owns(big))
        #expect(allocator.isLargeObject(big))
        #expect(allocator.usableSize(bigger) == 100_000)
        #expect(UInt(bitPattern: big) % 16 == 0)
        var stats = allocator.statistics
        #expect(stats.largeObjects == 2)
        #expect(stats.largeObjectBytes == 100_513)
        #expect(stats.arenasCurrent == 0)
        allocator.deallocate(big)
        stats = allocator.statistics
        #expect(stats.largeObjects == 1)
        #expect(stats.largeObjectBytes == 100_000)
        #expect(!allocator.isLargeObject(big))
        allocator.deallocate(bigger)
        #expect(allocator.statistics.largeObjects == 0)
        try allocator.checkInvariants()
    }

    @Test func wideAlignmentIsHonoured() throws {
        let allocator = try ArenaAllocator(configuration: .init(alignment: 64, smallRequestThreshold: 1024, poolSize: 8192, arenaSize: 65536))
        for request in [1, 63, 65, 1000, 1025, 5000] {
            let pointer = try allocator.allocate(byteCount: request)
            #expect(UInt(bitPattern: pointer) % 64 == 0, "request \(request)")
            allocator.deallocate(pointer)
        }
    }

    @Test func poolWithRoomForOneBlockWorks() throws {
        // 4096-byte pools, threshold 4032: the largest class fits one block per pool.
        let allocator = try ArenaAllocator(configuration: .init(smallRequestThreshold: 4032, poolSize: 4096, arenaSize: 4 * 4096))
        var pointers: [UnsafeMutableRawPointer] = []
        for _ in 0..<9 { pointers.append(try allocator.allocate(byteCount: 4000)) }
        #expect(allocator.statistics.arenasCurrent == 3)
        try allocator.checkInvariants()
        for pointer in pointers.reversed() {
            allocator.deallocate(pointer)
            try allocator.checkInvariants()
        }
        allocator.flushCaches()
        try allocator.checkInvariants()
        #expect(allocator.statistics.arenasCurrent == 0)
    }
}
