// InvariantCheckerTests — the checker is not a rubber stamp: corrupting a free list or a cache of recently
// freed blocks (as a use-after-free write would) makes `checkInvariants()` throw naming the damage, and
// makes a checked build stop at the next mutation of that pool or cache.
import Testing
import HeapArena

@Suite struct InvariantCheckerTests {
    /// Allocates three 32-byte blocks in one pool and frees the first two, so the pool's free list is
    /// `second → first → (block carved ahead)` (no block cache, so frees reach the pool); returns the
    /// allocator and the blocks.
    static func poolWithFreeList() throws -> (ArenaAllocator, first: UnsafeMutableRawPointer, second: UnsafeMutableRawPointer, kept: UnsafeMutableRawPointer) {
        let allocator = try ArenaAllocator(configuration: .init(blockCacheCapacity: 0))
        let first = try allocator.allocate(byteCount: 32)
        let second = try allocator.allocate(byteCount: 32)
        let kept = try allocator.allocate(byteCount: 32)
        allocator.deallocate(first)
        allocator.deallocate(second)
        try allocator.checkInvariants()
        return (allocator, first, second, kept)
    }

    @Test func cycleInAFreeListIsFound() throws {
        let (allocator, _, second, kept) = try Self.poolWithFreeList()
        let saved = second.load(as: UnsafeMutableRawPointer?.self)
        second.storeBytes(of: second, as: UnsafeMutableRawPointer?.self)  // second → second
        #expect {
            try allocator.checkInvariants()
        } throws: { error in
            guard case .invariantViolation(let message) = error as? ArenaError else { return false }
            return message.contains("cycle")
        }
        second.storeBytes(of: saved, as: UnsafeMutableRawPointer?.self)
        try allocator.checkInvariants()
        allocator.deallocate(kept)
    }

    @Test func freeListLinkOutsideThePoolIsFound() throws {
        let (allocator, first, second, kept) = try Self.poolWithFreeList()
        let saved = second.load(as: UnsafeMutableRawPointer?.self)
        second.storeBytes(of: first + 8, as: UnsafeMutableRawPointer?.self)  // not a block boundary
        #expect {
            try allocator.checkInvariants()
        } throws: { error in
            guard case .invariantViolation(let message) = error as? ArenaError else { return false }
            return message.contains("not a carved 32-byte block")
        }
        second.storeBytes(of: saved, as: UnsafeMutableRawPointer?.self)
        try allocator.checkInvariants()
        allocator.deallocate(kept)
    }

    @Test func lostFreeBlockBreaksTheCount() throws {
        let (allocator, _, second, kept) = try Self.poolWithFreeList()
        let saved = second.load(as: UnsafeMutableRawPointer?.self)
        second.storeBytes(of: nil as UnsafeMutableRawPointer?, as: UnsafeMutableRawPointer?.self)  // drops `first`
        #expect {
            try allocator.checkInvariants()
        } throws: { error in
            guard case .invariantViolation(let message) = error as? ArenaError else { return false }
            return message.contains("blocks in use")
        }
        second.storeBytes(of: saved, as: UnsafeMutableRawPointer?.self)
        allocator.deallocate(kept)
    }

    @Test(.enabled(if: ArenaAllocator.checksEnabled))
    func checkedBuildStopsAtTheNextMutationOfACorruptPool() async {
        await #expect(processExitsWith: .failure) {
            let (allocator, _, second, _) = try Self.poolWithFreeList()
            second.storeBytes(of: second, as: UnsafeMutableRawPointer?.self)
            _ = try allocator.allocate(byteCount: 32)
        }
    }

    /// Allocates three 32-byte blocks and frees the first two into the (default) block cache, which is
    /// then `second → first`.
    static func cacheOfTwo() throws -> (ArenaAllocator, first: UnsafeMutableRawPointer, second: UnsafeMutableRawPointer, kept: UnsafeMutableRawPointer) {
        let allocator = try ArenaAllocator()
        let first = try allocator.allocate(byteCount: 32)
        let second = try allocator.allocate(byteCount: 32)
        let kept = try allocator.allocate(byteCount: 32)
        allocator.deallocate(first)
        allocator.deallocate(second)
        #expect(allocator.cachedBlockCount(ofClass: 1) == 2)
        try allocator.checkInvariants()
        return (allocator, first, second, kept)
    }

    /// Whether `checkInvariants()` throws a violation whose message contains `text`.
    static func violation(_ allocator: ArenaAllocator, contains text: String) -> Bool {
        do {
            try allocator.checkInvariants()
            return false
        } catch {
            guard case .invariantViolation(let message) = error else { return false }
            return message.contains(text)
        }
    }

    @Test func cycleInABlockCacheIsFound() throws {
        let (allocator, _, second, kept) = try Self.cacheOfTwo()
        let saved = second.load(as: UnsafeMutableRawPointer?.self)
        second.storeBytes(of: second, as: UnsafeMutableRawPointer?.self)  // second → second
        #expect(Self.violation(allocator, contains: "block cache of size class 1: its list is longer than its bound 16: it has a cycle"))
        second.storeBytes(of: saved, as: UnsafeMutableRawPointer?.self)
        try allocator.checkInvariants()
        allocator.deallocate(kept)
    }

    @Test func lostCachedBlockBreaksTheCacheCount() throws {
        let (allocator, _, second, kept) = try Self.cacheOfTwo()
        let saved = second.load(as: UnsafeMutableRawPointer?.self)
        second.storeBytes(of: nil as UnsafeMutableRawPointer?, as: UnsafeMutableRawPointer?.self)  // drops `first`
        #expect(Self.violation(allocator, contains: "its list holds 1 blocks but its count says 2"))
        second.storeBytes(of: saved, as: UnsafeMutableRawPointer?.self)
        allocator.deallocate(kept)
    }

    @Test func cachedBlockOfAnotherClassOrInsideABlockIsFound() throws {
        let (allocator, first, second, kept) = try Self.cacheOfTwo()
        let saved = second.load(as: UnsafeMutableRawPointer?.self)
        let other = try allocator.allocate(byteCount: 200)
        second.storeBytes(of: other, as: UnsafeMutableRawPointer?.self)
        #expect(Self.violation(allocator, contains: "not the start of a block of this class"))
        second.storeBytes(of: first + 16, as: UnsafeMutableRawPointer?.self)
        #expect(Self.violation(allocator, contains: "not the start of a block of this class"))
        var local = 0
        withUnsafeMutablePointer(to: &local) { second.storeBytes(of: UnsafeMutableRawPointer($0), as: UnsafeMutableRawPointer?.self) }
        #expect(Self.violation(allocator, contains: "not in a pool in use of this allocator"))
        second.storeBytes(of: saved, as: UnsafeMutableRawPointer?.self)
        try allocator.checkInvariants()
        allocator.deallocate(other)
        allocator.deallocate(kept)
    }

    @Test func blockBothCachedAndFreeListedIsFound() throws {
        // Cache of 1: `first` is cached, `second` goes to the pool's free list (`second → carved ahead`).
        let allocator = try ArenaAllocator(configuration: .init(blockCacheCapacity: 1))
        let first = try allocator.allocate(byteCount: 32)
        let second = try allocator.allocate(byteCount: 32)
        let kept = try allocator.allocate(byteCount: 32)
        allocator.deallocate(first)
        allocator.deallocate(second)
        try allocator.checkInvariants()
        // Free list `second → first`: the counts still add up (the carved-ahead block is dropped), but
        // `first` is now in two states.
        let saved = second.load(as: UnsafeMutableRawPointer?.self)
        second.storeBytes(of: first, as: UnsafeMutableRawPointer?.self)
        #expect(Self.violation(allocator, contains: "is both on its pool's free list and in its class's cache"))
        second.storeBytes(of: saved, as: UnsafeMutableRawPointer?.self)
        try allocator.checkInvariants()
        allocator.deallocate(kept)
    }

    @Test(.enabled(if: ArenaAllocator.checksEnabled))
    func checkedBuildStopsAtTheNextUseOfACorruptCache() async {
        await #expect(processExitsWith: .failure) {
            let (allocator, _, second, _) = try Self.cacheOfTwo()
            second.storeBytes(of: second, as: UnsafeMutableRawPointer?.self)
            _ = try allocator.allocate(byteCount: 32)
        }
    }

    @Test func hugeRequestIsOutOfMemoryNotACrash() throws {
        let allocator = try ArenaAllocator()
        #expect(throws: ArenaError.outOfMemory(requested: Int.max)) { try allocator.allocate(byteCount: Int.max) }
        #expect(allocator.statistics.largeObjects == 0)
    }
}
