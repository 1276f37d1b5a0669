// Bench+Allocator — the arena allocator against glibc malloc/free in the same process: a working set of
// live blocks of random sizes 8–512 bytes, then free-one/allocate-one pairs at random slots. Both sides
// replay the same pseudo-random sequence, and each new block gets one byte written, as an object header
// would be.
import HeapArena
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `alloc-100k` and `alloc-1k` use the defaults (4 KiB pools, 256 KiB arenas, 16 cached blocks per size
/// class); the `-16k` lines repeat them with CPython 3.10+'s geometry (16 KiB pools, 1 MiB arenas), and the
/// `-nocache` lines with the block cache off (pure pymalloc), for comparison.
func benchAllocator() throws {
    let operations = 10_000_000
    let noCache = ArenaConfiguration(blockCacheCapacity: 0)
    let cases: [(name: String, live: Int, configuration: ArenaConfiguration, label: String)] = [
        ("alloc-100k", 100_000, ArenaConfiguration(), "pools=4KiB arenas=256KiB cache=16"),
        ("alloc-1k", 1_000, ArenaConfiguration(), "pools=4KiB arenas=256KiB cache=16"),
        ("alloc-100k-16k", 100_000, .cpython310, "pools=16KiB arenas=1MiB cache=16"),
        ("alloc-1k-16k", 1_000, .cpython310, "pools=16KiB arenas=1MiB cache=16"),
        ("alloc-100k-nocache", 100_000, noCache, "pools=4KiB arenas=256KiB cache=0"),
        ("alloc-1k-nocache", 1_000, noCache, "pools=4KiB arenas=256KiB cache=0"),
    ]
    for (name, live, configuration, label) in cases {
        var ours = Double.infinity
        var peer = Double.infinity
        // Interleave the runs so that machine noise hits both sides alike; keep the best of each.
        for _ in 0..<3 {
            ours = min(ours, try churnArena(live: live, operations: operations, configuration: configuration))
            peer = min(peer, churnMalloc(live: live, operations: operations))
        }
        report(
            name, ours: ours / Double(operations) * 1e9, peer: peer / Double(operations) * 1e9, unit: "ns/pair",
            extra: label)
    }
}

/// xorshift64*: the same stream for both allocators; slot and size come from one draw.
struct ChurnRandom {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    @inline(__always) mutating func next(live: Int) -> (slot: Int, size: Int) {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        let r = state &* 0x2545_F491_4F6C_DD1D
        let slot = Int(truncatingIfNeeded: ((r >> 32) &* UInt64(live)) >> 32)
        let size = 8 + Int(truncatingIfNeeded: ((r & 0xFFFF_FFFF) &* 505) >> 32)
        return (slot, size)
    }
}

/// Seconds for `operations` free/allocate pairs through `ArenaAllocator` (setup not timed).
@inline(never)
func churnArena(live: Int, operations: Int, configuration: ArenaConfiguration) throws -> Double {
    let allocator = try ArenaAllocator(configuration: configuration)
    let slots = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: live)
    defer { slots.deallocate() }
    var random = ChurnRandom()
    for i in 0..<live {
        slots[i] = try allocator.allocate(byteCount: random.next(live: live).size)
    }
    let elapsed = try seconds {
        for _ in 0..<operations {
            let (slot, size) = random.next(live: live)
            allocator.deallocate(slots[slot])
            let block = try allocator.allocate(byteCount: size)
            block.storeBytes(of: UInt8(truncatingIfNeeded: size), as: UInt8.self)
            slots[slot] = block
        }
    }
    for i in 0..<live { allocator.deallocate(slots[i]) }
    return elapsed
}

/// Seconds for the same pairs through glibc `malloc`/`free`.
@inline(never)
func churnMalloc(live: Int, operations: Int) -> Double {
    let slots = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: live)
    defer { slots.deallocate() }
    var random = ChurnRandom()
    for i in 0..<live { slots[i] = malloc(random.next(live: live).size) }
    let elapsed = seconds {
        for _ in 0..<operations {
            let (slot, size) = random.next(live: live)
            free(slots[slot])
            let block = malloc(size)
            block?.storeBytes(of: UInt8(truncatingIfNeeded: size), as: UInt8.self)
            slots[slot] = block
        }
    }
    for i in 0..<live { free(slots[i]) }
    return elapsed
}
