// ArenaAllocator+RawMemory — the one file that does pointer arithmetic on arena memory: the pool header
// layout, mapping arenas aligned to their size, the arena directory (address → arena in O(1)), the
// allocate/free fast paths and free-list walking. Everything else works with indices and these helpers.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The header at the start of every pool (CPython's `struct pool_header`). A pool is *in use* exactly
/// when `blocksInUse > 0`; then it belongs to size class `sizeClass`. Unused pools have all fields zero
/// except `nextPool` (the arena's free-pool list) and `arenaIndex`.
@usableFromInline
struct PoolHeader {
    /// Head of the free list: freed blocks plus the one block carved ahead. nil ⟺ the pool is full.
    @usableFromInline var freeBlock: UnsafeMutableRawPointer?
    /// Next pool in the size class's partly-used list, or in the arena's free-pool list.
    @usableFromInline var nextPool: Pool?
    /// Previous pool in the size class's partly-used list (nil for the head or when in no list).
    @usableFromInline var previousPool: Pool?
    /// Blocks handed out and not freed.
    @usableFromInline var blocksInUse: UInt32
    @usableFromInline var sizeClass: UInt32
    /// Index of the owning arena record.
    @usableFromInline var arenaIndex: UInt32
    /// Offset of the first never-carved block; blocks below it are carved (free or in use).
    @usableFromInline var nextOffset: UInt32
    /// Largest offset at which a whole block still fits (`poolSize - blockSize`).
    @usableFromInline var maxNextOffset: UInt32
}

@usableFromInline typealias Pool = UnsafeMutablePointer<PoolHeader>

/// One size class's cache of recently freed blocks: a LIFO list linked through each block's first 8 bytes.
/// Invariant: the list is acyclic, ends in nil after exactly `count` blocks, `count ≤ blockCacheCapacity`.
@usableFromInline
struct BlockCache {
    @usableFromInline var head: UnsafeMutableRawPointer?
    @usableFromInline var count: Int

    @inlinable init() {
        head = nil
        count = 0
    }
}

/// Open-addressing hash table from arena base address to arena index. Arenas are aligned to their size,
/// so `address & ~(arenaSize - 1)` is the only key to probe: "ours or not" costs one hash and usually one
/// probe, and never reads memory outside our own tables (unlike CPython's pre-3.10 `address_in_range`).
/// Invariants: capacity is a power of two ≥ 2 × count; key 0 marks an empty slot.
@usableFromInline
struct ArenaDirectory {
    @usableFromInline var keys: UnsafeMutablePointer<UInt>
    @usableFromInline var values: UnsafeMutablePointer<Int>
    @usableFromInline var mask: Int
    /// `64 - log2(capacity)`: the multiplicative hash keeps the top bits.
    @usableFromInline var shift: Int
    var count = 0

    init(minimumCapacity: Int) {
        var capacity = 16
        while capacity < minimumCapacity { capacity *= 2 }
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        values = .allocate(capacity: capacity)
        values.initialize(repeating: -1, count: capacity)
        mask = capacity - 1
        shift = UInt.bitWidth - capacity.trailingZeroBitCount
    }

    var capacity: Int { mask + 1 }

    func release() {
        keys.deallocate()
        values.deallocate()
    }

    @inlinable @inline(__always)
    func slot(for base: UInt, arenaShift: Int) -> Int {
        Int(truncatingIfNeeded: ((base &>> UInt(truncatingIfNeeded: arenaShift)) &* 0x9E37_79B9_7F4A_7C15)
            &>> UInt(truncatingIfNeeded: shift))
    }

    /// The index of the arena starting at `base`, or -1.
    /// - Complexity: O(1) expected.
    @inlinable @inline(__always)
    func index(ofArenaAt base: UInt, arenaShift: Int) -> Int {
        var slot = slot(for: base, arenaShift: arenaShift)
        while true {
            let key = keys[slot]
            if key == base { return values[slot] }
            if key == 0 { return -1 }
            slot = (slot &+ 1) & mask
        }
    }

    /// Whether an arena starts at `base` (the free fast path: keys only).
    /// - Complexity: O(1) expected.
    @inlinable @inline(__always)
    func contains(arenaAt base: UInt, arenaShift: Int) -> Bool {
        var slot = slot(for: base, arenaShift: arenaShift)
        while true {
            let key = keys[slot]
            if key == base { return true }
            if key == 0 { return false }
            slot = (slot &+ 1) & mask
        }
    }

    mutating func insert(base: UInt, index: Int, arenaShift: Int) {
        if (count + 1) * 2 > capacity { rebuild(capacity: capacity * 2, arenaShift: arenaShift) }
        var slot = slot(for: base, arenaShift: arenaShift)
        while keys[slot] != 0 { slot = (slot + 1) & mask }
        keys[slot] = base
        values[slot] = index
        count += 1
    }

    /// Removes `base`. Arenas are given back rarely, so the table is rebuilt rather than shifted.
    mutating func remove(base: UInt, arenaShift: Int) {
        var slot = slot(for: base, arenaShift: arenaShift)
        while keys[slot] != base {
            if keys[slot] == 0 { return }
            slot = (slot + 1) & mask
        }
        keys[slot] = 0
        values[slot] = -1
        count -= 1
        rebuild(capacity: capacity, arenaShift: arenaShift)
    }

    /// Every (base, index) pair, for the invariant checker.
    var entries: [(base: UInt, index: Int)] {
        (0..<capacity).compactMap { keys[$0] == 0 ? nil : (keys[$0], values[$0]) }
    }

    private mutating func rebuild(capacity newCapacity: Int, arenaShift: Int) {
        let old = entries
        release()
        self = ArenaDirectory(minimumCapacity: newCapacity)
        for (base, index) in old { insert(base: base, index: index, arenaShift: arenaShift) }
    }
}

// MARK: - Fast paths

extension ArenaAllocator {
    /// Pops the block freed last in `sizeClass` from its cache, or else takes one from its pools.
    @inlinable @inline(__always)
    func allocateSmall(sizeClass: Int) throws(ArenaError) -> UnsafeMutableRawPointer {
        let cache = blockCaches + sizeClass
        if let block = cache.pointee.head {
            cache.pointee.head = block.load(as: UnsafeMutableRawPointer?.self)
            cache.pointee.count &-= 1
            #if HEAPSCAN_CHECKS
            stopOnViolation { () throws(ArenaError) in try checkCache(sizeClass) }
            #endif
            return block
        }
        return try allocateFromPool(sizeClass: sizeClass)
    }

    /// Pops a block of size class `sizeClass` from the head pool of its list (CPython's `pymalloc_alloc`).
    @inlinable @inline(__always)
    func allocateFromPool(sizeClass: Int) throws(ArenaError) -> UnsafeMutableRawPointer {
        guard let pool = usedPools[sizeClass] else { return try allocateFromFreshPool(sizeClass: sizeClass) }
        // A listed pool always has a free block (invariant of `usedPools`).
        let block = pool.pointee.freeBlock.unsafelyUnwrapped
        let next = block.load(as: UnsafeMutableRawPointer?.self)
        pool.pointee.freeBlock = next
        pool.pointee.blocksInUse &+= 1
        if next == nil { carveOrRetire(pool, sizeClass: sizeClass) }
        #if HEAPSCAN_CHECKS
        stopOnViolation { () throws(ArenaError) in try checkPool(pool) }
        #endif
        return block
    }

    /// The free list ran dry: carve the next never-used block, or, when the pool is full, take the pool out
    /// of its class's list (it is the head, since allocation always takes the head).
    @inlinable @inline(__always)
    func carveOrRetire(_ pool: Pool, sizeClass: Int) {
        let offset = pool.pointee.nextOffset
        if offset <= pool.pointee.maxNextOffset {
            let fresh = UnsafeMutableRawPointer(pool) + Int(offset)
            fresh.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
            pool.pointee.freeBlock = fresh
            pool.pointee.nextOffset = offset &+ UInt32(truncatingIfNeeded: geometry.blockSize(ofClass: sizeClass))
        } else {
            let next = pool.pointee.nextPool
            usedPools[sizeClass] = next
            next?.pointee.previousPool = nil
            pool.pointee.nextPool = nil
        }
    }

    /// Sets up an empty pool for `sizeClass` and returns its first block.
    @usableFromInline
    func allocateFromFreshPool(sizeClass: Int) throws(ArenaError) -> UnsafeMutableRawPointer {
        let pool = try takeEmptyPool()
        let size = geometry.blockSize(ofClass: sizeClass)
        let overhead = geometry.poolOverhead
        let first = UnsafeMutableRawPointer(pool) + overhead
        pool.pointee.blocksInUse = 1
        pool.pointee.sizeClass = UInt32(sizeClass)
        pool.pointee.maxNextOffset = UInt32(geometry.poolSize - size)
        pool.pointee.nextPool = nil
        pool.pointee.previousPool = nil
        if overhead + 2 * size <= geometry.poolSize {
            // Carve one block ahead; the pool becomes the (only) partly used pool of its class.
            let second = first + size
            second.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
            pool.pointee.freeBlock = second
            pool.pointee.nextOffset = UInt32(overhead + 2 * size)
            usedPools[sizeClass] = pool
        } else {
            // Room for one block only: the pool is full at once.
            pool.pointee.freeBlock = nil
            pool.pointee.nextOffset = UInt32(overhead + size)
        }
        #if HEAPSCAN_CHECKS
        stopOnViolation { () throws(ArenaError) in
            try checkPool(pool)
            try checkArena(Int(pool.pointee.arenaIndex))
        }
        #endif
        return first
    }

    /// Pushes `block` on its class's cache while that has room, else on its pool's free list; `address` is
    /// its bit pattern.
    @inlinable @inline(__always)
    func deallocateSmall(_ block: UnsafeMutableRawPointer, address: UInt) {
        let pool = Pool(bitPattern: address & ~geometry.poolOffsetMask).unsafelyUnwrapped
        #if HEAPSCAN_CHECKS
        do throws(ArenaError) { try validateFree(block) } catch { reportMisuse(error) }
        #else
        if pool.pointee.blocksInUse == 0 || address & geometry.poolOffsetMask < UInt(geometry.poolOverhead) {
            stopOnBadFree(block)
        }
        #endif
        let sizeClass = Int(truncatingIfNeeded: pool.pointee.sizeClass)
        let cache = blockCaches + sizeClass
        let cachedHead = cache.pointee.head
        // Freeing again the block freed last in its class is the commonest double free: one compare catches it.
        if block == cachedHead { stopOnBadFree(block) }
        if cache.pointee.count < geometry.blockCacheCapacity {
            block.storeBytes(of: cachedHead, as: UnsafeMutableRawPointer?.self)
            cache.pointee.head = block
            cache.pointee.count &+= 1
            #if HEAPSCAN_CHECKS
            stopOnViolation { () throws(ArenaError) in try checkCache(sizeClass) }
            #endif
            return
        }
        freeToPool(block, pool: pool)
    }

    /// Pushes `block` on its pool's free list (CPython's `pymalloc_free`), moving the pool between lists
    /// when it stops being full or becomes empty.
    @inlinable @inline(__always)
    func freeToPool(_ block: UnsafeMutableRawPointer, pool: Pool) {
        let previousHead = pool.pointee.freeBlock
        block.storeBytes(of: previousHead, as: UnsafeMutableRawPointer?.self)
        pool.pointee.freeBlock = block
        let inUse = pool.pointee.blocksInUse &- 1
        pool.pointee.blocksInUse = inUse
        if previousHead == nil || inUse == 0 {
            poolLeftSteadyState(pool, wasFull: previousHead == nil)
        }
        #if HEAPSCAN_CHECKS
        if inUse > 0 { stopOnViolation { () throws(ArenaError) in try checkPool(pool) } }
        #endif
    }

    /// Release builds' cheap free check failed: stop with the full diagnosis.
    @usableFromInline @inline(never)
    func stopOnBadFree(_ block: UnsafeMutableRawPointer) -> Never {
        reportMisuse(diagnoseFree(block) ?? .invalidFree("\(Self.describe(UInt(bitPattern: block))) is not a live block"))
    }

    /// A free made a full pool partly used (it goes to the front of its class's list) or made a pool empty
    /// (it leaves the list and goes back to its arena).
    @usableFromInline
    func poolLeftSteadyState(_ pool: Pool, wasFull: Bool) {
        let sizeClass = Int(pool.pointee.sizeClass)
        if pool.pointee.blocksInUse == 0 {
            if !wasFull {
                let previous = pool.pointee.previousPool
                let next = pool.pointee.nextPool
                if let previous { previous.pointee.nextPool = next } else { usedPools[sizeClass] = next }
                next?.pointee.previousPool = previous
            }
            returnPoolToArena(pool)
        } else {
            let head = usedPools[sizeClass]
            pool.pointee.nextPool = head
            pool.pointee.previousPool = nil
            head?.pointee.previousPool = pool
            usedPools[sizeClass] = pool
        }
    }

    /// Resets an emptied pool's header and pushes it on its arena's free-pool list.
    func pushFreePool(_ pool: Pool, onto head: Pool?) {
        pool.pointee.freeBlock = nil
        pool.pointee.previousPool = nil
        pool.pointee.nextPool = head
        pool.pointee.blocksInUse = 0
        pool.pointee.sizeClass = 0
        pool.pointee.nextOffset = 0
        pool.pointee.maxNextOffset = 0
    }

    /// The pool at `index` inside the arena starting at `base`.
    func pool(at index: Int, inArenaAt base: UnsafeMutableRawPointer) -> Pool {
        (base + index * geometry.poolSize).assumingMemoryBound(to: PoolHeader.self)
    }

    /// The pool containing `address` (meaningful only when the address is in one of our arenas).
    func pool(containing address: UInt) -> Pool {
        Pool(bitPattern: address & ~geometry.poolOffsetMask).unsafelyUnwrapped
    }

    /// Byte offset of `address` from the start of `pool`.
    func offset(of address: UInt, in pool: Pool) -> Int {
        Int(bitPattern: address &- UInt(bitPattern: pool))
    }

    /// Index of `pool` inside the arena starting at `base`.
    func poolIndex(of pool: Pool, inArenaAt base: UnsafeMutableRawPointer) -> Int {
        (UnsafeMutableRawPointer(pool) - base) / geometry.poolSize
    }

    /// Offsets of the pool's free-list blocks, in list order; stops after `limit` steps (a longer list has
    /// a cycle). Returns nil when the walk did not end within `limit`.
    func freeListOffsets(of pool: Pool, limit: Int) -> [Int]? {
        var offsets: [Int] = []
        var cursor = pool.pointee.freeBlock
        while let block = cursor {
            if offsets.count == limit { return nil }
            let blockOffset = offset(of: UInt(bitPattern: block), in: pool)
            offsets.append(blockOffset)
            // Only follow links that stay inside the pool and are aligned, so a corrupt list cannot fault.
            guard blockOffset >= 0, blockOffset < geometry.poolSize, blockOffset % geometry.alignment == 0 else { break }
            cursor = block.load(as: UnsafeMutableRawPointer?.self)
        }
        return offsets
    }

    /// Blocks of `sizeClass`'s cache in list order; stops after `limit` blocks or at the first link that is
    /// not inside one of our arenas (so a corrupt cache cannot fault). Returns the blocks and whether the
    /// walk ended at nil.
    func cachedBlocks(ofClass sizeClass: Int, limit: Int) -> (blocks: [UnsafeMutableRawPointer], complete: Bool) {
        var blocks: [UnsafeMutableRawPointer] = []
        var cursor = blockCaches[sizeClass].head
        while let block = cursor {
            if blocks.count == limit { return (blocks, false) }
            blocks.append(block)
            let address = UInt(bitPattern: block)
            guard owns(block), address % UInt(geometry.alignment) == 0 else { return (blocks, false) }
            cursor = block.load(as: UnsafeMutableRawPointer?.self)
        }
        return (blocks, true)
    }

    /// Pops the head of `sizeClass`'s cache (nil when empty).
    func popCachedBlock(ofClass sizeClass: Int) -> UnsafeMutableRawPointer? {
        guard let block = blockCaches[sizeClass].head else { return nil }
        blockCaches[sizeClass].head = block.load(as: UnsafeMutableRawPointer?.self)
        blockCaches[sizeClass].count -= 1
        return block
    }

    /// Whether `offset` is on the pool's free list (checked frees: a double free finds its own block).
    func freeListContains(_ pool: Pool, offset target: Int, limit: Int) -> Bool {
        var cursor = pool.pointee.freeBlock
        var steps = 0
        while let block = cursor, steps <= limit {
            let blockOffset = offset(of: UInt(bitPattern: block), in: pool)
            if blockOffset == target { return true }
            guard blockOffset >= 0, blockOffset < geometry.poolSize, blockOffset % geometry.alignment == 0 else { return false }
            cursor = block.load(as: UnsafeMutableRawPointer?.self)
            steps += 1
        }
        return false
    }

    // MARK: Mapping arenas

    static var systemPageSize: Int { Int(sysconf(Int32(_SC_PAGESIZE))) }

    /// Maps `size` bytes aligned to `size` (maps twice the size, then trims both ends), or nil.
    static func mapArena(size: Int) -> UnsafeMutableRawPointer? {
        #if canImport(Darwin)
        let anonymous = MAP_ANON
        #else
        let anonymous = MAP_ANONYMOUS
        #endif
        let span = 2 * size
        guard let raw = mmap(nil, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | anonymous, -1, 0),
            raw != UnsafeMutableRawPointer(bitPattern: -1)
        else { return nil }
        let start = UInt(bitPattern: raw)
        let aligned = (start + UInt(size) - 1) & ~UInt(size - 1)
        let head = Int(aligned - start)
        if head > 0 { munmap(raw, head) }
        let tail = span - head - size
        if tail > 0 { munmap(raw + head + size, tail) }
        return raw + head
    }

    static func unmapArena(_ base: UnsafeMutableRawPointer, size: Int) {
        munmap(base, size)
    }

    /// `0x…` text of an address, for messages.
    static func describe(_ address: UInt) -> String { "0x" + String(address, radix: 16) }
}
