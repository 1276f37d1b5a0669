// ConfigurationTests — good geometries are accepted; each broken rule is refused with a reason naming it.
import Testing
import HeapArena

@Suite struct ConfigurationTests {
    @Test func defaultsAndCPython310GeometryAreAccepted() throws {
        let standard = try ArenaAllocator()
        #expect(standard.configuration == ArenaConfiguration())
        #expect(standard.configuration.blockCacheCapacity == 16)
        _ = try ArenaAllocator(configuration: .init(blockCacheCapacity: 0))
        _ = try ArenaAllocator(configuration: .init(blockCacheCapacity: 4096))
        #expect(standard.statistics.sizeClassCount == 32)
        let large = try ArenaAllocator(configuration: .cpython310)
        #expect(large.configuration.poolSize == 16 * 1024)
        #expect(large.configuration.arenaSize == 1024 * 1024)
        let small = try ArenaAllocator(configuration: .init(alignment: 8, smallRequestThreshold: 256, poolSize: 4096, arenaSize: 4096))
        #expect(small.statistics.sizeClassCount == 32)
    }

    @Test(arguments: [
        (ArenaConfiguration(alignment: 24), "alignment 24 is not a power of two"),
        (ArenaConfiguration(alignment: 4, smallRequestThreshold: 512), "smaller than a pointer"),
        (ArenaConfiguration(alignment: 0), "alignment 0 is not a power of two"),
        (ArenaConfiguration(poolSize: 3000), "pool size 3000 is not a power of two"),
        (ArenaConfiguration(arenaSize: 100_000), "arena size 100000 is not a power of two"),
        (ArenaConfiguration(poolSize: 8192, arenaSize: 4096), "does not divide arena size"),
        (ArenaConfiguration(smallRequestThreshold: 520), "not a multiple of the alignment"),
        (ArenaConfiguration(smallRequestThreshold: 0), "must be positive"),
        (ArenaConfiguration(smallRequestThreshold: 4096), "does not fit a pool"),
        (ArenaConfiguration(poolSize: 1024, arenaSize: 2048), "not a multiple of the OS page size"),
        (ArenaConfiguration(blockCacheCapacity: -1), "block cache capacity -1 is outside 0…4096"),
        (ArenaConfiguration(blockCacheCapacity: 4097), "block cache capacity 4097 is outside 0…4096"),
    ])
    func badConfigurationIsRefusedWithItsReason(configuration: ArenaConfiguration, reason: String) {
        #expect {
            _ = try ArenaAllocator(configuration: configuration)
        } throws: { error in
            guard case .invalidConfiguration(let why) = error as? ArenaError else { return false }
            return why.contains(reason)
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(ArenaError.zeroSizedRequest.description.contains("0 bytes"))
        #expect(ArenaError.invalidConfiguration("x").description == "invalid allocator configuration: x")
    }
}
