// InvariantCheckerTests — the checker is not a rubber stamp: corrupting a free list (as a use-after-free
// write would) makes `checkInvariants()` throw naming the damage, and makes a checked build stop at the
// next mutation of that pool.
import Testing
import HeapArena

@Suite struct InvariantCheckerTests {
    /// Allocates three 32-byte blocks in one pool and frees the first two, so the pool's free list is
    /// `second → first → (block carved ahead)`; returns the allocator and the blocks.
    static func poolWithFreeList() throws -> (ArenaAllocator, first: UnsafeMutableRawPointer, second: UnsafeMutableRawPointer, kept: UnsafeMutableRawPointer) {
        let allocator = try ArenaAllocator()
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

    @Test func hugeRequestIsOutOfMemoryNotACrash() throws {
        let allocator = try ArenaAllocator()
        #expect(throws: ArenaError.outOfMemory(requested: Int.max)) { try allocator.allocate(byteCount: Int.max) }
        #expect(allocator.statistics.largeObjects == 0)
    }
}
