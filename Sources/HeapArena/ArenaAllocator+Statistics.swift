// ArenaAllocator+Statistics — builds the `AllocatorStatistics` value (what CPython's
// `sys._debugmallocstats()` prints) by walking every pool of every live arena. Blocks in the caches of
// recently freed blocks count as available, not in use; reading statistics never flushes the caches.

extension ArenaAllocator {
    /// Walks the arenas and fills every field of `AllocatorStatistics`.
    /// - Complexity: O(arenas × pools per arena + size classes).
    func computeStatistics() -> AllocatorStatistics {
        var pools = Array(repeating: 0, count: geometry.classCount)
        var inUse = Array(repeating: 0, count: geometry.classCount)
        var unusedPools = 0
        for record in arenas {
            guard let base = record.base else { continue }
            unusedPools += record.freePoolCount
            for poolIndex in 0..<record.uncarvedPoolIndex {
                let pool = pool(at: poolIndex, inArenaAt: base)
                let count = Int(pool.pointee.blocksInUse)
                guard count > 0 else { continue }
                let sizeClass = Int(pool.pointee.sizeClass)
                pools[sizeClass] += 1
                inUse[sizeClass] += count
            }
        }
        // Cached blocks are in use from their pool's point of view but free for the program: count them as
        // available (the invariant checker proves each count matches its cache).
        for sizeClass in 0..<geometry.classCount { inUse[sizeClass] -= blockCaches[sizeClass].count }
        var classes: [AllocatorStatistics.SizeClass] = []
        var allocatedBytes = 0
        var availableBytes = 0
        var poolsInUse = 0
        var quantization = 0
        for sizeClass in 0..<geometry.classCount where pools[sizeClass] > 0 {
            let size = geometry.blockSize(ofClass: sizeClass)
            let available = pools[sizeClass] * geometry.blocksPerPool(ofClass: sizeClass) - inUse[sizeClass]
            classes.append(
                .init(index: sizeClass, blockSize: size, pools: pools[sizeClass], blocksInUse: inUse[sizeClass],
                      blocksAvailable: available))
            allocatedBytes += inUse[sizeClass] * size
            availableBytes += available * size
            poolsInUse += pools[sizeClass]
            quantization += pools[sizeClass] * ((geometry.poolSize - geometry.poolOverhead) % size)
        }
        return AllocatorStatistics(
            alignment: geometry.alignment, poolSize: geometry.poolSize, arenaSize: geometry.arenaSize,
            smallRequestThreshold: geometry.threshold, sizeClasses: classes,
            arenasAllocatedTotal: arenasAllocatedTotal, arenasReclaimed: arenasReclaimed,
            arenasHighWater: arenasHighWater, arenasCurrent: arenasCurrent,
            bytesInAllocatedBlocks: allocatedBytes, bytesInAvailableBlocks: availableBytes,
            unusedPools: unusedPools, bytesLostToPoolHeaders: poolsInUse * geometry.poolOverhead,
            bytesLostToQuantization: quantization,
            // Arenas are mapped aligned to their size, so no pool is lost to alignment (CPython loses one
            // per arena when `mmap` returns a non-pool-aligned address).
            bytesLostToArenaAlignment: 0,
            largeObjects: largeObjectSizes.count, largeObjectBytes: largeObjectBytes)
    }
}
