// ArenaConfiguration — the allocator's tunables and, next to them, every consistency check they must pass
// (`ArenaGeometry(validating:)`), so a bad combination is refused in one place with its reason.

/// The tunables of an allocator; validated by `ArenaAllocator.init`.
///
/// Defaults follow CPython's pymalloc on 64-bit: 16-byte alignment, 512-byte small-request threshold
/// (32 size classes), 4 KiB pools, 256 KiB arenas. CPython 3.10+ uses 16 KiB pools and 1 MiB arenas.
/// Beyond pymalloc, each size class caches up to 16 recently freed blocks (`blockCacheCapacity`).
public struct ArenaConfiguration: Sendable, Hashable {
    /// Block alignment and size-class step: a power of two, at least the size of a pointer.
    public var alignment: Int = 16
    /// Largest request served from pools; larger ones go to the system allocator. A multiple of `alignment`.
    public var smallRequestThreshold: Int = 512
    /// Bytes per pool: a power of two holding the pool header plus at least one largest block.
    public var poolSize: Int = 4096
    /// Bytes per arena: a power of two, a multiple of `poolSize` and of the OS page size.
    public var arenaSize: Int = 256 * 1024
    /// Recently freed blocks each size class keeps in its LIFO cache, in front of its pools (glibc's tcache
    /// idea): 0…4096, 0 turns the cache off. Cached blocks stay allocated from their pool's point of view,
    /// so a pool does not go full → partly used → full on every free/allocate; `flushCaches()` gives them
    /// back. At most `blockCacheCapacity × classCount` blocks are held this way.
    public var blockCacheCapacity: Int = 16
    public init(
        alignment: Int = 16, smallRequestThreshold: Int = 512, poolSize: Int = 4096, arenaSize: Int = 256 * 1024,
        blockCacheCapacity: Int = 16
    ) {
        self.alignment = alignment
        self.smallRequestThreshold = smallRequestThreshold
        self.poolSize = poolSize
        self.arenaSize = arenaSize
        self.blockCacheCapacity = blockCacheCapacity
    }

    /// CPython 3.10+'s geometry: 16 KiB pools in 1 MiB arenas (with the default block cache).
    public static let cpython310 = ArenaConfiguration(poolSize: 16 * 1024, arenaSize: 1024 * 1024)
}

/// The constants derived from a validated configuration, used on the hot path.
///
/// Invariants: `alignment`, `poolSize`, `arenaSize` are powers of two; `alignment ≥ 8`;
/// `poolOverhead` is the pool header rounded up to `alignment`; `poolOverhead + threshold ≤ poolSize`;
/// `poolSize ≤ arenaSize`; `classCount = threshold / alignment`; `0 ≤ blockCacheCapacity ≤ maximumBlockCacheCapacity`.
@usableFromInline
struct ArenaGeometry: Sendable {
    @usableFromInline let alignment: Int
    @usableFromInline let alignmentShift: Int
    @usableFromInline let threshold: Int
    @usableFromInline let classCount: Int
    @usableFromInline let poolSize: Int
    /// `poolSize - 1`: the offset of an address inside its pool.
    @usableFromInline let poolOffsetMask: UInt
    @usableFromInline let arenaSize: Int
    @usableFromInline let arenaShift: Int
    /// `arenaSize - 1`: the offset of an address inside its arena.
    @usableFromInline let arenaOffsetMask: UInt
    @usableFromInline let poolsPerArena: Int
    /// Bytes at the start of each pool taken by its header (rounded up to `alignment`).
    @usableFromInline let poolOverhead: Int
    /// Most blocks one size class's cache of recently freed blocks holds (0: no cache).
    @usableFromInline let blockCacheCapacity: Int

    /// The largest `blockCacheCapacity` accepted: the cache is for reuse, not for hoarding, and checked builds
    /// walk a whole cache after each free.
    static let maximumBlockCacheCapacity = 4096

    /// Checks `configuration` and derives the constants; throws `.invalidConfiguration` naming the rule broken.
    init(validating configuration: ArenaConfiguration, headerSize: Int, pageSize: Int) throws(ArenaError) {
        let c = configuration
        func fail(_ why: String) -> ArenaError { .invalidConfiguration(why) }
        func isPowerOfTwo(_ n: Int) -> Bool { n > 0 && n & (n - 1) == 0 }
        let pointerSize = MemoryLayout<UnsafeRawPointer>.size
        guard isPowerOfTwo(c.alignment) else { throw fail("alignment \(c.alignment) is not a power of two") }
        guard c.alignment >= pointerSize else {
            throw fail("alignment \(c.alignment) is smaller than a pointer (\(pointerSize) bytes), which a free block must hold")
        }
        guard c.alignment <= 4096 else { throw fail("alignment \(c.alignment) is above 4096") }
        guard isPowerOfTwo(c.poolSize) else { throw fail("pool size \(c.poolSize) is not a power of two") }
        guard isPowerOfTwo(c.arenaSize) else { throw fail("arena size \(c.arenaSize) is not a power of two") }
        guard c.poolSize <= 1 << 30 else { throw fail("pool size \(c.poolSize) is above 1 GiB") }
        guard c.arenaSize <= 1 << 40 else { throw fail("arena size \(c.arenaSize) is above 1 TiB") }
        guard c.arenaSize >= c.poolSize else {
            throw fail("pool size \(c.poolSize) does not divide arena size \(c.arenaSize) (the arena is smaller)")
        }
        guard c.arenaSize % pageSize == 0 else {
            throw fail("arena size \(c.arenaSize) is not a multiple of the OS page size \(pageSize)")
        }
        guard c.smallRequestThreshold > 0 else {
            throw fail("small-request threshold \(c.smallRequestThreshold) must be positive")
        }
        guard c.smallRequestThreshold % c.alignment == 0 else {
            throw fail("small-request threshold \(c.smallRequestThreshold) is not a multiple of the alignment \(c.alignment)")
        }
        let overhead = (headerSize + c.alignment - 1) / c.alignment * c.alignment
        guard overhead + c.smallRequestThreshold <= c.poolSize else {
            throw fail(
                "small-request threshold \(c.smallRequestThreshold) does not fit a pool of \(c.poolSize) bytes "
                    + "after its \(overhead)-byte header")
        }
        guard (0...Self.maximumBlockCacheCapacity).contains(c.blockCacheCapacity) else {
            throw fail("block cache capacity \(c.blockCacheCapacity) is outside 0…\(Self.maximumBlockCacheCapacity)")
        }
        alignment = c.alignment
        alignmentShift = c.alignment.trailingZeroBitCount
        threshold = c.smallRequestThreshold
        classCount = c.smallRequestThreshold / c.alignment
        poolSize = c.poolSize
        poolOffsetMask = UInt(c.poolSize - 1)
        arenaSize = c.arenaSize
        arenaShift = c.arenaSize.trailingZeroBitCount
        arenaOffsetMask = UInt(c.arenaSize - 1)
        poolsPerArena = c.arenaSize / c.poolSize
        poolOverhead = overhead
        blockCacheCapacity = c.blockCacheCapacity
    }

    /// Bytes per block of size class `sizeClass` (0-based).
    @inlinable @inline(__always)
    func blockSize(ofClass sizeClass: Int) -> Int { (sizeClass &+ 1) &<< alignmentShift }

    /// Blocks that fit one pool of size class `sizeClass`.
    func blocksPerPool(ofClass sizeClass: Int) -> Int { (poolSize - poolOverhead) / blockSize(ofClass: sizeClass) }
}
