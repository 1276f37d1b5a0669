// MisuseTests — a bad free is reported, never absorbed: `validateFree` names the pointer, its pool and
// its arena without stopping; in checked builds `deallocate` stops the process with that message
// (proved with exit tests).
import Testing
import HeapArena
#if canImport(Glibc)
import Glibc
#endif

@Suite struct MisuseTests {
    @Test func validateFreeAcceptsLiveBlocksAndLargeObjects() throws {
        let allocator = try ArenaAllocator()
        let small = try allocator.allocate(byteCount: 24)
        let large = try allocator.allocate(byteCount: 2048)
        try allocator.validateFree(small)
        try allocator.validateFree(large)
        allocator.deallocate(small)
        allocator.deallocate(large)
    }

    /// With the cache the freed block is cached; without, it is on its pool's free list: both are found.
    @Test(arguments: [16, 0])
    func doubleFreeIsNamedWithPoolAndArena(cacheCapacity: Int) throws {
        let allocator = try ArenaAllocator(configuration: .init(blockCacheCapacity: cacheCapacity))
        let keep = try allocator.allocate(byteCount: 24)
        let freed = try allocator.allocate(byteCount: 24)
        allocator.deallocate(freed)
        #expect(allocator.cachedBlockCount == (cacheCapacity > 0 ? 1 : 0))
        let info = try #require(allocator.blockInfo(freed))
        let message = try Self.message { try allocator.validateFree(freed) }
        #expect(message.contains("double free"))
        #expect(message.contains("in the cache of recently freed blocks") == (cacheCapacity > 0))
        #expect(message.contains("0x" + String(UInt(bitPattern: freed), radix: 16)))
        #expect(message.contains("pool 0x" + String(info.poolAddress, radix: 16)))
        #expect(message.contains("arena #\(info.arenaIndex) at 0x" + String(info.arenaAddress, radix: 16)))
        allocator.deallocate(keep)
    }

    @Test func otherBadFreesAreNamed() throws {
        let allocator = try ArenaAllocator()
        let block = try allocator.allocate(byteCount: 64)
        #expect(try Self.message { try allocator.validateFree(block + 16) }.contains("not the start of one"))
        // The next block in the pool was carved ahead but never handed out; the one after was never carved.
        #expect(try Self.message { try allocator.validateFree(block + 64) }.contains("double free"))
        #expect(try Self.message { try allocator.validateFree(block + 128) }.contains("never allocated"))
        let info = try #require(allocator.blockInfo(block))
        let header = UnsafeMutableRawPointer(bitPattern: info.poolAddress)!
        #expect(try Self.message { try allocator.validateFree(header) }.contains("pool header"))
        let otherPool = header + allocator.configuration.poolSize + 48
        #expect(try Self.message { try allocator.validateFree(otherPool) }.contains("holds no block in use"))
        let foreign = try #require(malloc(32))
        defer { free(foreign) }
        #expect(try Self.message { try allocator.validateFree(foreign) }.contains("not in any arena"))
        let large = try allocator.allocate(byteCount: 600)
        allocator.deallocate(large)
        #expect(try Self.message { try allocator.validateFree(large) }.contains("not a live large object"))
        allocator.deallocate(block)
    }

    @Test func invariantCheckerRunsAfterEveryMutationInCheckedBuilds() {
        #if DEBUG
        #expect(ArenaAllocator.checksEnabled)
        #endif
    }

    @Test(.enabled(if: ArenaAllocator.checksEnabled))
    func checkedBuildStopsOnDoubleFree() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let allocator = try ArenaAllocator()
            let keep = try allocator.allocate(byteCount: 32)
            let pointer = try allocator.allocate(byteCount: 32)
            allocator.deallocate(pointer)
            allocator.deallocate(pointer)
            allocator.deallocate(keep)
        }
        let stderr = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("double free"))
        #expect(stderr.contains("pool 0x"))
        #expect(stderr.contains("arena #0"))
    }

    @Test(.enabled(if: ArenaAllocator.checksEnabled))
    func checkedBuildStopsOnDoubleFreeOfABlockDeepInTheCache() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let allocator = try ArenaAllocator()
            let a = try allocator.allocate(byteCount: 32)
            let b = try allocator.allocate(byteCount: 32)
            allocator.deallocate(a)
            allocator.deallocate(b)
            allocator.deallocate(a)  // `a` is cached behind `b`
        }
        let stderr = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("double free of a 32-byte block that is already free (in the cache of recently freed blocks)"))
        #expect(stderr.contains("pool 0x") && stderr.contains("arena #0"))
    }

    /// Release builds catch this one too: the block freed last in its class is compared on every free.
    @Test func everyBuildStopsOnFreeingTheSameBlockTwiceInARow() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let allocator = try ArenaAllocator()
            let keep = try allocator.allocate(byteCount: 48)
            let pointer = try allocator.allocate(byteCount: 48)
            allocator.deallocate(pointer)
            allocator.deallocate(pointer)
            allocator.deallocate(keep)
        }
        let stderr = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("double free"))
        #expect(stderr.contains("pool 0x") && stderr.contains("arena #0"))
    }

    @Test func everyBuildStopsOnFreeingAForeignPointer() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let allocator = try ArenaAllocator()
            let foreign = malloc(64)!
            allocator.deallocate(foreign)
        }
        let stderr = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("is not in any arena of this allocator"))
    }

    /// The message of the `ArenaError.invalidFree` that `body` throws ("" if it throws nothing).
    static func message(_ body: () throws -> Void) throws -> String {
        do {
            try body()
            Issue.record("expected an invalid free")
            return ""
        } catch {
            guard case .invalidFree(let message) = error as? ArenaError else {
                Issue.record("unexpected error \(error)")
                return ""
            }
            return message
        }
    }
}
