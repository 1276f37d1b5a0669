// ArenaAllocator+Arenas — arenas: mapping and giving back, handing out empty pools, and keeping the list
// of usable arenas ordered fullest first (CPython's `usable_arenas` with its `nfp2lasta` shortcut).

/// One arena's bookkeeping (CPython's `struct arena_object`).
/// Invariants for a live record (`base != nil`): `freePoolCount` = pools on `freePools` + never-carved pools
/// (`poolsPerArena - uncarvedPoolIndex`); the arena is in `usableArenas` ⟺ `freePoolCount > 0`.
struct ArenaRecord {
    /// Start of the mapping (aligned to the arena size), or nil for an unused record.
    var base: UnsafeMutableRawPointer?
    /// Pools `0..<uncarvedPoolIndex` have been handed out at least once; the rest were never touched.
    var uncarvedPoolIndex = 0
    /// Empty pools available here (on `freePools` or never carved).
    var freePoolCount = 0
    /// Singly linked list (through `PoolHeader.nextPool`) of pools that were used and emptied.
    var freePools: Pool?
    /// Links in `usableArenas`; for unused records `nextArena` links the unused-record list.
    var nextArena = -1
    var previousArena = -1
}

extension ArenaAllocator {
    /// Takes an empty pool from the fullest usable arena, mapping a new arena when none has one.
    /// The returned pool's `arenaIndex` is set; its other fields are for the caller to fill.
    /// - Complexity: O(1) (plus an `mmap` when a new arena is needed).
    func takeEmptyPool() throws(ArenaError) -> Pool {
        if usableArenasHead < 0 { try mapNewArena() }
        let index = usableArenasHead
        let freeCount = arenas[index].freePoolCount
        // The head is the first of its run; if it was also the last, the run of `freeCount` is now empty.
        if lastUsableArena[freeCount] == index { lastUsableArena[freeCount] = -1 }
        let pool: Pool
        if let reused = arenas[index].freePools {
            arenas[index].freePools = reused.pointee.nextPool
            pool = reused
        } else {
            // `freePoolCount > 0` with no free-listed pool means a never-carved pool remains.
            guard let base = arenas[index].base else { preconditionFailure("usable arena \(index) is not mapped") }
            pool = self.pool(at: arenas[index].uncarvedPoolIndex, inArenaAt: base)
            arenas[index].uncarvedPoolIndex += 1
        }
        arenas[index].freePoolCount = freeCount - 1
        if freeCount - 1 > 0 {
            // Still the head: nothing has fewer free pools, so it is alone in the run of `freeCount - 1`.
            lastUsableArena[freeCount - 1] = index
        } else {
            unlinkUsableArena(index)
        }
        pool.pointee.arenaIndex = UInt32(index)
        return pool
    }

    /// Gives an emptied pool back to its arena, moving the arena to its sorted place, and gives the arena
    /// back to the OS when this was its last pool in use.
    /// - Complexity: O(1) (plus an `munmap` and a directory rebuild when the arena is given back).
    func returnPoolToArena(_ pool: Pool) {
        let index = Int(pool.pointee.arenaIndex)
        pushFreePool(pool, onto: arenas[index].freePools)
        arenas[index].freePools = pool
        let oldCount = arenas[index].freePoolCount
        let newCount = oldCount + 1
        let lastOfOldRun = oldCount > 0 ? lastUsableArena[oldCount] : -1
        if oldCount > 0, lastOfOldRun == index {
            let previous = arenas[index].previousArena
            lastUsableArena[oldCount] =
                previous >= 0 && arenas[previous].freePoolCount == oldCount ? previous : -1
        }
        arenas[index].freePoolCount = newCount

        if newCount == geometry.poolsPerArena {
            if oldCount > 0 { unlinkUsableArena(index) }
            releaseArena(index)
            return
        }
        if oldCount == 0 {
            // It was full, so in no list; with one free pool it is among the fullest: the front.
            linkUsableArena(index, after: -1)
            if lastUsableArena[1] < 0 { lastUsableArena[1] = index }
            #if HEAPSCAN_CHECKS
            stopOnViolation { () throws(ArenaError) in try checkArena(index) }
            #endif
            return
        }
        if lastUsableArena[newCount] < 0 { lastUsableArena[newCount] = index }
        if lastOfOldRun != index {
            // Arenas after it still have `oldCount` free pools: move it right behind the last of them.
            unlinkUsableArena(index)
            linkUsableArena(index, after: lastOfOldRun)
        }
        #if HEAPSCAN_CHECKS
        stopOnViolation { () throws(ArenaError) in try checkArena(index) }
        #endif
    }

    /// Maps a new arena and makes it the (only) usable arena. Called only when no arena has a free pool.
    func mapNewArena() throws(ArenaError) {
        guard let base = Self.mapArena(size: geometry.arenaSize) else {
            throw .outOfMemory(requested: geometry.arenaSize)
        }
        let index: Int
        if unusedRecordsHead >= 0 {
            index = unusedRecordsHead
            unusedRecordsHead = arenas[index].nextArena
        } else {
            index = arenas.count
            arenas.append(ArenaRecord())
        }
        arenas[index] = ArenaRecord(base: base, uncarvedPoolIndex: 0, freePoolCount: geometry.poolsPerArena)
        directory.insert(base: UInt(bitPattern: base), index: index, arenaShift: geometry.arenaShift)
        arenasAllocatedTotal += 1
        arenasCurrent += 1
        arenasHighWater = max(arenasHighWater, arenasCurrent)
        linkUsableArena(index, after: -1)
        lastUsableArena[geometry.poolsPerArena] = index
    }

    /// Unmaps an arena whose pools are all empty (and which is in no list) and recycles its record.
    func releaseArena(_ index: Int) {
        guard let base = arenas[index].base else { return }
        directory.remove(base: UInt(bitPattern: base), arenaShift: geometry.arenaShift)
        Self.unmapArena(base, size: geometry.arenaSize)
        arenas[index] = ArenaRecord(base: nil, nextArena: unusedRecordsHead)
        unusedRecordsHead = index
        arenasCurrent -= 1
        arenasReclaimed += 1
    }

    /// Inserts arena `index` into `usableArenas` after `previous` (-1: at the front).
    func linkUsableArena(_ index: Int, after previous: Int) {
        let next = previous >= 0 ? arenas[previous].nextArena : usableArenasHead
        arenas[index].previousArena = previous
        arenas[index].nextArena = next
        if previous >= 0 { arenas[previous].nextArena = index } else { usableArenasHead = index }
        if next >= 0 { arenas[next].previousArena = index }
    }

    /// Removes arena `index` from `usableArenas`.
    func unlinkUsableArena(_ index: Int) {
        let previous = arenas[index].previousArena
        let next = arenas[index].nextArena
        if previous >= 0 { arenas[previous].nextArena = next } else { usableArenasHead = next }
        if next >= 0 { arenas[next].previousArena = previous }
        arenas[index].previousArena = -1
        arenas[index].nextArena = -1
    }
}
