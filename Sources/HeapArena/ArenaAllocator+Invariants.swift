// ArenaAllocator+Invariants — the invariant checker. `checkInvariants()` checks everything on demand;
// `checkPool`/`checkArena` check only what one mutation touched, and checked builds (`HEAPSCAN_CHECKS`)
// run them after every allocate/free so tests stay fast while every step is verified.

extension ArenaAllocator {
    /// Checks every structure of the allocator: each carved block is either on its pool's free list, in its
    /// class's cache of recently freed blocks, or in use (counts agree; caches acyclic and within their
    /// bound), free lists are acyclic and stay inside their pool on block boundaries, every
    /// partly used pool is in exactly its class's list and full ones in none, arenas' free-pool counts are
    /// right, `usableArenas` holds exactly the arenas with a free pool in increasing free-pool order, the
    /// run shortcuts point at the last arena of each run, and the directory maps exactly the live arenas.
    /// - Throws: `.invariantViolation(message)` describing the first inconsistency found.
    /// - Complexity: O(arenas × pools per arena × blocks per pool).
    public func checkInvariants() throws(ArenaError) {
        func fail(_ message: String) -> ArenaError { .invariantViolation(message) }
        // Cached blocks: each cache well formed, and no block in two caches (a block has one class, so
        // distinct caches hold distinct blocks once each is checked to hold only its own class).
        var cached = Set<UInt>()
        for sizeClass in 0..<geometry.classCount {
            for block in try checkedCachedBlocks(ofClass: sizeClass) { cached.insert(UInt(bitPattern: block)) }
        }
        var liveArenas = 0
        var partlyUsedPerClass = Array(repeating: 0, count: geometry.classCount)
        var totalPoolsInUse = 0
        for index in arenas.indices {
            guard let base = arenas[index].base else { continue }
            liveArenas += 1
            try checkArena(index)
            let freeListed = Set(try freePoolIndices(ofArena: index))
            for poolIndex in 0..<arenas[index].uncarvedPoolIndex where !freeListed.contains(poolIndex) {
                let pool = pool(at: poolIndex, inArenaAt: base)
                guard pool.pointee.blocksInUse > 0 else {
                    throw fail("pool #\(poolIndex) of arena #\(index) is empty but not on the arena's free-pool list")
                }
                try checkPool(pool)
                // A block is free-listed, cached, or live: never both of the first two.
                if !cached.isEmpty, let offsets = freeListOffsets(of: pool, limit: geometry.blocksPerPool(ofClass: Int(pool.pointee.sizeClass))) {
                    for offset in offsets where cached.contains(UInt(bitPattern: pool) + UInt(offset)) {
                        throw fail(
                            "block \(Self.describe(UInt(bitPattern: pool) + UInt(offset))) is both on its pool's free list and in its class's cache")
                    }
                }
                totalPoolsInUse += 1
                if pool.pointee.freeBlock != nil { partlyUsedPerClass[Int(pool.pointee.sizeClass)] += 1 }
            }
        }
        guard liveArenas == arenasCurrent else {
            throw fail("\(liveArenas) arenas are mapped but the count says \(arenasCurrent)")
        }
        guard arenasCurrent <= arenasHighWater, arenasAllocatedTotal - arenasReclaimed == arenasCurrent else {
            throw fail(
                "arena counters disagree: total \(arenasAllocatedTotal) − reclaimed \(arenasReclaimed) ≠ current \(arenasCurrent) (high water \(arenasHighWater))")
        }
        // Class lists: distinct pools (acyclic, bounded), all partly used, of that class, linked both ways.
        for sizeClass in 0..<geometry.classCount {
            var count = 0
            var previous: Pool? = nil
            var cursor = usedPools[sizeClass]
            while let pool = cursor {
                count += 1
                guard count <= totalPoolsInUse else { throw fail("the pool list of size class \(sizeClass) has a cycle") }
                guard owns(pool) else {
                    throw fail("the pool list of size class \(sizeClass) holds \(Self.describe(UInt(bitPattern: pool))), outside every arena")
                }
                guard pool.pointee.blocksInUse > 0, pool.pointee.freeBlock != nil, Int(pool.pointee.sizeClass) == sizeClass
                else { throw fail("the pool list of size class \(sizeClass) holds a pool that is empty, full or of another class") }
                guard pool.pointee.previousPool == previous else {
                    throw fail("pool \(Self.describe(UInt(bitPattern: pool))) has a wrong back link in class \(sizeClass)'s list")
                }
                previous = pool
                cursor = pool.pointee.nextPool
            }
            guard count == partlyUsedPerClass[sizeClass] else {
                throw fail("size class \(sizeClass) has \(partlyUsedPerClass[sizeClass]) partly used pools but its list holds \(count)")
            }
        }
        try checkUsableArenaOrder()
        let entries = directory.entries
        guard entries.count == arenasCurrent, directory.count == entries.count else {
            throw fail("the arena directory holds \(entries.count) arenas, \(arenasCurrent) are mapped")
        }
        for (base, index) in entries {
            guard arenas.indices.contains(index), arenas[index].base.map({ UInt(bitPattern: $0) }) == base else {
                throw fail("the arena directory maps \(Self.describe(base)) to arena #\(index), which does not start there")
            }
        }
        guard largeObjectSizes.values.reduce(0, +) == largeObjectBytes else {
            throw fail("large-object bytes \(largeObjectBytes) ≠ the sum over the \(largeObjectSizes.count) live large objects")
        }
    }

    /// Checks one pool in use: header fields, free list (acyclic, inside the pool, on carved block
    /// boundaries), `blocksInUse + free = carved`, and its place in (or absence from) its class's list.
    /// - Complexity: O(blocks per pool).
    @usableFromInline
    func checkPool(_ pool: Pool) throws(ArenaError) {
        let name = Self.describe(UInt(bitPattern: pool))
        func fail(_ message: String) -> ArenaError { .invariantViolation("pool \(name): \(message)") }
        let sizeClass = Int(pool.pointee.sizeClass)
        let inUse = Int(pool.pointee.blocksInUse)
        guard inUse > 0 else { throw fail("is checked as in use but holds no block") }
        guard sizeClass < geometry.classCount else { throw fail("size class \(sizeClass) out of range") }
        let arenaIndex = Int(pool.pointee.arenaIndex)
        guard arenas.indices.contains(arenaIndex), let base = arenas[arenaIndex].base,
            UInt(bitPattern: pool) & ~geometry.arenaOffsetMask == UInt(bitPattern: base)
        else { throw fail("names arena #\(arenaIndex), which does not contain it") }
        let size = geometry.blockSize(ofClass: sizeClass)
        let overhead = geometry.poolOverhead
        let capacity = geometry.blocksPerPool(ofClass: sizeClass)
        let nextOffset = Int(pool.pointee.nextOffset)
        let carved = (nextOffset - overhead) / size
        guard nextOffset >= overhead + size, (nextOffset - overhead) % size == 0, carved <= capacity else {
            throw fail("next offset \(nextOffset) is not a block boundary within the pool")
        }
        guard Int(pool.pointee.maxNextOffset) == geometry.poolSize - size else { throw fail("max next offset is wrong") }
        guard let offsets = freeListOffsets(of: pool, limit: carved) else {
            throw fail("free list is longer than the \(carved) carved blocks: it has a cycle")
        }
        for offset in offsets {
            guard offset >= overhead, offset < nextOffset, (offset - overhead) % size == 0 else {
                throw fail("free list holds offset \(offset), not a carved \(size)-byte block")
            }
        }
        guard inUse + offsets.count == carved else {
            throw fail("\(inUse) blocks in use + \(offsets.count) free ≠ \(carved) carved")
        }
        let isFull = pool.pointee.freeBlock == nil
        guard !isFull || pool.pointee.nextOffset > pool.pointee.maxNextOffset else {
            throw fail("free list is empty while blocks remain to carve")
        }
        let previous = pool.pointee.previousPool
        let next = pool.pointee.nextPool
        if isFull {
            guard previous == nil, next == nil, usedPools[sizeClass] != pool else {
                throw fail("is full but still linked in class \(sizeClass)'s list")
            }
        } else {
            if let previous {
                guard previous.pointee.nextPool == pool else { throw fail("its previous pool does not link to it") }
            } else {
                guard usedPools[sizeClass] == pool else { throw fail("is partly used but not in class \(sizeClass)'s list") }
            }
            if let next {
                guard next.pointee.previousPool == pool else { throw fail("its next pool does not link back to it") }
            }
        }
    }

    /// Checks one live arena: its free-pool list and count, and its place in `usableArenas` (between
    /// neighbours with no more and no fewer free pools; the run shortcut for its count).
    /// - Complexity: O(pools per arena).
    @usableFromInline
    func checkArena(_ index: Int) throws(ArenaError) {
        func fail(_ message: String) -> ArenaError { .invariantViolation("arena #\(index): \(message)") }
        guard arenas.indices.contains(index), let base = arenas[index].base else { throw fail("is not mapped") }
        guard UInt(bitPattern: base) & geometry.arenaOffsetMask == 0 else { throw fail("is not aligned to its size") }
        guard directory.index(ofArenaAt: UInt(bitPattern: base), arenaShift: geometry.arenaShift) == index else {
            throw fail("is missing from the arena directory")
        }
        let record = arenas[index]
        guard (0...geometry.poolsPerArena).contains(record.uncarvedPoolIndex) else { throw fail("uncarved pool index out of range") }
        let freeListed = try freePoolIndices(ofArena: index)
        let expected = freeListed.count + geometry.poolsPerArena - record.uncarvedPoolIndex
        guard record.freePoolCount == expected else {
            throw fail("counts \(record.freePoolCount) free pools, has \(expected)")
        }
        guard record.freePoolCount < geometry.poolsPerArena else { throw fail("has no pool in use but is still mapped") }
        let previous = record.previousArena
        let next = record.nextArena
        if record.freePoolCount == 0 {
            guard previous < 0, next < 0, usableArenasHead != index else { throw fail("is full but in the usable list") }
            return
        }
        if previous >= 0 {
            guard arenas[previous].nextArena == index else { throw fail("its previous arena does not link to it") }
            guard arenas[previous].freePoolCount <= record.freePoolCount else {
                throw fail("follows arena #\(previous), which has more free pools: usable arenas out of order")
            }
        } else {
            guard usableArenasHead == index else { throw fail("has free pools but is not in the usable list") }
        }
        if next >= 0 {
            guard arenas[next].previousArena == index else { throw fail("its next arena does not link back to it") }
            guard arenas[next].freePoolCount >= record.freePoolCount else {
                throw fail("precedes arena #\(next), which has fewer free pools: usable arenas out of order")
            }
        }
        let last = lastUsableArena[record.freePoolCount]
        guard last >= 0, arenas[last].freePoolCount == record.freePoolCount,
            arenas[last].nextArena < 0 || arenas[arenas[last].nextArena].freePoolCount > record.freePoolCount
        else { throw fail("the shortcut to the last arena with \(record.freePoolCount) free pools is wrong") }
    }

    /// Pool indices on an arena's free-pool list, checking that it is acyclic, inside the arena, below the
    /// carved mark and made of empty pools.
    func freePoolIndices(ofArena index: Int) throws(ArenaError) -> [Int] {
        func fail(_ message: String) -> ArenaError { .invariantViolation("arena #\(index): \(message)") }
        guard let base = arenas[index].base else { return [] }
        var result: [Int] = []
        var cursor = arenas[index].freePools
        while let pool = cursor {
            guard result.count < arenas[index].uncarvedPoolIndex else { throw fail("free-pool list has a cycle") }
            guard UInt(bitPattern: pool) & ~geometry.arenaOffsetMask == UInt(bitPattern: base),
                UInt(bitPattern: pool) & geometry.poolOffsetMask == 0
            else { throw fail("free-pool list leaves the arena") }
            let poolIndex = poolIndex(of: pool, inArenaAt: base)
            guard poolIndex < arenas[index].uncarvedPoolIndex else { throw fail("free-pool list holds a never-carved pool") }
            guard pool.pointee.blocksInUse == 0 else { throw fail("free-pool list holds pool #\(poolIndex), which is in use") }
            result.append(poolIndex)
            cursor = pool.pointee.nextPool
        }
        return result
    }

    /// Checks the whole `usableArenas` list: acyclic, back links, non-decreasing free-pool counts, exactly
    /// the live arenas with a free pool, and each run shortcut naming the last arena of its run.
    func checkUsableArenaOrder() throws(ArenaError) {
        func fail(_ message: String) -> ArenaError { .invariantViolation("usable arenas: \(message)") }
        var expectedLast = Array(repeating: -1, count: geometry.poolsPerArena + 1)
        var seen = 0
        var previous = -1
        var cursor = usableArenasHead
        while cursor >= 0 {
            seen += 1
            guard seen <= arenas.count else { throw fail("the list has a cycle") }
            guard arenas[cursor].base != nil else { throw fail("holds unmapped arena #\(cursor)") }
            guard arenas[cursor].previousArena == previous else { throw fail("arena #\(cursor) has a wrong back link") }
            let count = arenas[cursor].freePoolCount
            guard count > 0 else { throw fail("holds arena #\(cursor), which has no free pool") }
            if previous >= 0, arenas[previous].freePoolCount > count { throw fail("arena #\(cursor) is out of order") }
            expectedLast[count] = cursor
            previous = cursor
            cursor = arenas[cursor].nextArena
        }
        let withFreePools = arenas.filter { $0.base != nil && $0.freePoolCount > 0 }.count
        guard seen == withFreePools else { throw fail("lists \(seen) arenas, \(withFreePools) have a free pool") }
        guard expectedLast == lastUsableArena else { throw fail("a run shortcut does not name the last arena of its run") }
    }

    /// Runs a check and stops the program if it fails (used after mutations in checked builds).
    @usableFromInline
    func stopOnViolation(_ check: () throws(ArenaError) -> Void) {
        do throws(ArenaError) { try check() } catch { fatalError("ArenaAllocator: \(error)") }
    }
}
