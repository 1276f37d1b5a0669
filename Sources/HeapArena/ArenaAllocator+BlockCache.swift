// ArenaAllocator+BlockCache — the per-size-class caches of recently freed blocks (glibc's tcache idea in
// front of pymalloc's pools): flushing them back to their pools, counting them, and checking them.
// The push/pop fast paths are in `ArenaAllocator+RawMemory.swift`.
//
// Why: with 4 KiB pools a large class has 7–15 blocks per pool, so under random free/allocate a third of all
// operations would move a pool between "full" and "partly used" (CPython's policy), and those branches
// mispredict. A cached block stays allocated from its pool's point of view, so its pool does not churn.

extension ArenaAllocator {
    /// Gives every cached block back to its pool, so pools that are now empty return to their arenas and
    /// arenas whose pools are all empty return to the OS. Call it when memory should be handed back (after
    /// freeing many blocks, before measuring the process); allocation and statistics never flush.
    /// - Complexity: O(cached blocks) (checked builds: O(cached blocks × blocks per pool)).
    public func flushCaches() {
        for sizeClass in 0..<geometry.classCount {
            #if HEAPSCAN_CHECKS
            stopOnViolation { () throws(ArenaError) in try checkCache(sizeClass) }
            #endif
            while let block = popCachedBlock(ofClass: sizeClass) {
                freeToPool(block, pool: pool(containing: UInt(bitPattern: block)))
            }
        }
    }

    /// Blocks held in the caches of recently freed blocks, all size classes together. Statistics count
    /// them as available, not in use; they still occupy their pools until `flushCaches()`.
    /// - Complexity: O(size classes).
    public var cachedBlockCount: Int {
        (0..<geometry.classCount).reduce(0) { $0 + blockCaches[$1].count }
    }

    /// Blocks held in the cache of size class `sizeClass` (0 for a class that does not exist).
    /// - Complexity: O(1).
    public func cachedBlockCount(ofClass sizeClass: Int) -> Int {
        (0..<geometry.classCount).contains(sizeClass) ? blockCaches[sizeClass].count : 0
    }

    /// Checks one size class's cache: within its bound, acyclic, its count right, and every block the start
    /// of a carved block in a pool in use of that class.
    /// - Complexity: O(cache capacity).
    @usableFromInline
    func checkCache(_ sizeClass: Int) throws(ArenaError) {
        _ = try checkedCachedBlocks(ofClass: sizeClass)
    }

    /// The blocks of `sizeClass`'s cache after checking it as `checkCache` does.
    func checkedCachedBlocks(ofClass sizeClass: Int) throws(ArenaError) -> [UnsafeMutableRawPointer] {
        func fail(_ message: String) -> ArenaError { .invariantViolation("block cache of size class \(sizeClass): \(message)") }
        let capacity = geometry.blockCacheCapacity
        let count = blockCaches[sizeClass].count
        guard (0...capacity).contains(count) else { throw fail("counts \(count) blocks, outside its bound 0…\(capacity)") }
        let (blocks, complete) = cachedBlocks(ofClass: sizeClass, limit: capacity)
        for block in blocks {
            let address = UInt(bitPattern: block)
            guard let info = blockInfo(block) else {
                throw fail("holds \(Self.describe(address)), which is not in a pool in use of this allocator")
            }
            guard info.sizeClass == sizeClass, info.isBlockStart else {
                throw fail("holds \(Self.describe(address)), which is not the start of a block of this class")
            }
            let pool = pool(containing: address)
            guard offset(of: address, in: pool) < Int(pool.pointee.nextOffset) else {
                throw fail("holds \(Self.describe(address)), a block never carved")
            }
        }
        guard complete else {
            throw fail(blocks.count == capacity
                ? "its list is longer than its bound \(capacity): it has a cycle"
                : "its list leaves the arenas after \(blocks.count) blocks")
        }
        guard blocks.count == count else { throw fail("its list holds \(blocks.count) blocks but its count says \(count)") }
        return blocks
    }

    /// Whether `block` is in `sizeClass`'s cache (checked frees: a double free finds its own block).
    /// - Complexity: O(cache capacity).
    func cacheContains(_ block: UnsafeMutableRawPointer, sizeClass: Int) -> Bool {
        cachedBlocks(ofClass: sizeClass, limit: geometry.blockCacheCapacity).blocks.contains(block)
    }
}
