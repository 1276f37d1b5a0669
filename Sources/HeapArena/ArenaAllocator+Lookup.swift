// ArenaAllocator+Lookup — questions asked of any pointer in O(1): is it in one of our arenas, which arena,
// pool, size class and block; and the free check that names the pointer, its pool and its arena on misuse.

/// Where a pointer lies inside the allocator's arenas.
public struct BlockInfo: Sendable, Hashable {
    /// Index of the arena (stable while the arena is mapped).
    public var arenaIndex: Int
    /// Start of the arena's mapping (aligned to the arena size).
    public var arenaAddress: UInt
    /// Start of the pool (aligned to the pool size); its header sits there.
    public var poolAddress: UInt
    /// Position of the pool inside its arena.
    public var poolIndex: Int
    /// Size class of the pool (0 for the smallest blocks).
    public var sizeClass: Int
    /// Bytes per block of that class.
    public var blockSize: Int
    /// Start of the block containing the pointer.
    public var blockAddress: UInt
    /// Whether the pointer is the block's start (what `allocate` returned).
    public var isBlockStart: Bool
}

extension ArenaAllocator {
    /// Whether `pointer` lies inside one of this allocator's arenas (large objects are not "owned": see
    /// `isLargeObject(_:)`).
    /// - Complexity: O(1) expected (one hash probe; never reads the pointed-to memory).
    @inlinable
    public func owns(_ pointer: UnsafeRawPointer) -> Bool {
        let address = UInt(bitPattern: pointer)
        return directory.contains(arenaAt: address & ~geometry.arenaOffsetMask, arenaShift: geometry.arenaShift)
    }

    /// Whether `pointer` is a live large object (a request above the threshold).
    /// - Complexity: O(1) expected.
    public func isLargeObject(_ pointer: UnsafeRawPointer) -> Bool {
        largeObjectSizes[UnsafeMutableRawPointer(mutating: pointer)] != nil
    }

    /// Arena, pool, size class and block of `pointer`, or nil when it is not inside a pool in use of one of
    /// our arenas (outside every arena, in an empty or never-used pool, or in a pool header). It does not
    /// say whether the block is free or in use; `validateFree(_:)` does.
    /// - Complexity: O(1).
    public func blockInfo(_ pointer: UnsafeRawPointer) -> BlockInfo? {
        let address = UInt(bitPattern: pointer)
        let base = address & ~geometry.arenaOffsetMask
        let arenaIndex = directory.index(ofArenaAt: base, arenaShift: geometry.arenaShift)
        guard arenaIndex >= 0, let arenaBase = arenas[arenaIndex].base else { return nil }
        let pool = pool(containing: address)
        let offset = offset(of: address, in: pool)
        guard pool.pointee.blocksInUse > 0, offset >= geometry.poolOverhead else { return nil }
        let sizeClass = Int(pool.pointee.sizeClass)
        guard sizeClass < geometry.classCount else { return nil }
        let size = geometry.blockSize(ofClass: sizeClass)
        let intoBlock = (offset - geometry.poolOverhead) % size
        return BlockInfo(
            arenaIndex: arenaIndex, arenaAddress: base, poolAddress: UInt(bitPattern: pool),
            poolIndex: poolIndex(of: pool, inArenaAt: arenaBase), sizeClass: sizeClass, blockSize: size,
            blockAddress: address - UInt(intoBlock), isBlockStart: intoBlock == 0)
    }

    /// Usable bytes of a live allocation: its block size for a small one, the requested size for a large
    /// one; nil when the pointer is neither.
    /// - Complexity: O(1).
    public func usableSize(_ pointer: UnsafeRawPointer) -> Int? {
        if let info = blockInfo(pointer) { return info.isBlockStart ? info.blockSize : nil }
        return largeObjectSizes[UnsafeMutableRawPointer(mutating: pointer)]
    }

    /// Checks that `deallocate(pointer)` would be legal, without freeing and without stopping: the pointer
    /// must be a live large object, or the start of a carved block, neither on its pool's free list nor in
    /// its class's cache of recently freed blocks, in a pool in use of one of our arenas.
    /// - Throws: `.invalidFree(message)`, the message naming the pointer, its pool and its arena.
    /// - Complexity: O(blocks per pool + cache capacity) (walks the pool's free list and the class's cache
    ///   to find a double free).
    public func validateFree(_ pointer: UnsafeMutableRawPointer) throws(ArenaError) {
        let address = UInt(bitPattern: pointer)
        let base = address & ~geometry.arenaOffsetMask
        let arenaIndex = directory.index(ofArenaAt: base, arenaShift: geometry.arenaShift)
        guard arenaIndex >= 0, let arenaBase = arenas[arenaIndex].base else {
            if largeObjectSizes[pointer] != nil { return }
            throw .invalidFree(
                "\(Self.describe(address)) is not in any arena of this allocator and is not a live large object")
        }
        let pool = pool(containing: address)
        let offset = offset(of: address, in: pool)
        let place =
            "\(Self.describe(address)) (pool \(Self.describe(UInt(bitPattern: pool))) #\(poolIndex(of: pool, inArenaAt: arenaBase)) "
            + "of arena #\(arenaIndex) at \(Self.describe(base)))"
        guard offset >= geometry.poolOverhead else { throw .invalidFree("\(place) points into the pool header") }
        guard pool.pointee.blocksInUse > 0 else {
            throw .invalidFree("\(place): its pool holds no block in use (double free, or never allocated)")
        }
        let sizeClass = Int(pool.pointee.sizeClass)
        guard sizeClass < geometry.classCount, Int(pool.pointee.arenaIndex) == arenaIndex else {
            throw .invalidFree("\(place): the pool header is corrupt (size class \(sizeClass), arena \(pool.pointee.arenaIndex))")
        }
        let size = geometry.blockSize(ofClass: sizeClass)
        let intoBlock = (offset - geometry.poolOverhead) % size
        guard intoBlock == 0 else {
            throw .invalidFree("\(place) is \(intoBlock) bytes into a \(size)-byte block, not the start of one")
        }
        guard offset < Int(pool.pointee.nextOffset) else {
            throw .invalidFree("\(place): this \(size)-byte block was never allocated")
        }
        if freeListContains(pool, offset: offset, limit: geometry.blocksPerPool(ofClass: sizeClass)) {
            throw .invalidFree("\(place): double free of a \(size)-byte block that is already free")
        }
        if cacheContains(pointer, sizeClass: sizeClass) {
            throw .invalidFree(
                "\(place): double free of a \(size)-byte block that is already free (in the cache of recently freed blocks)")
        }
    }

    /// What `validateFree` says about `pointer`, or nil when freeing it is legal.
    @usableFromInline
    func diagnoseFree(_ pointer: UnsafeMutableRawPointer) -> ArenaError? {
        do throws(ArenaError) {
            try validateFree(pointer)
            return nil
        } catch { return error }
    }

    /// Stops the program on misuse: freeing something that is not a live block of ours.
    @usableFromInline
    func reportMisuse(_ error: ArenaError) -> Never {
        fatalError("ArenaAllocator: \(error)")
    }
}
