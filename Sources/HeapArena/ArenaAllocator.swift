// ArenaAllocator — PLACEHOLDER backed by malloc so that dependants compile; the pymalloc-style
// implementation (size classes ▸ pools ▸ arenas) replaces the bodies, keeping these signatures.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tunables of an allocator; validated by `ArenaAllocator.init`.
public struct ArenaConfiguration: Sendable, Hashable {
    public var alignment: Int = 16
    public var smallRequestThreshold: Int = 512
    public var poolSize: Int = 4096
    public var arenaSize: Int = 256 * 1024
    public init(alignment: Int = 16, smallRequestThreshold: Int = 512, poolSize: Int = 4096, arenaSize: Int = 256 * 1024) {
        self.alignment = alignment
        self.smallRequestThreshold = smallRequestThreshold
        self.poolSize = poolSize
        self.arenaSize = arenaSize
    }
}

/// What the allocator refuses, with the reason.
public enum ArenaError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case zeroSizedRequest
    case outOfMemory(requested: Int)

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "invalid allocator configuration: \(why)"
        case .zeroSizedRequest: "a request of 0 bytes is not allowed"
        case .outOfMemory(let n): "out of memory allocating \(n) bytes"
        }
    }
}

/// A small-object allocator. Not thread-safe: one owner at a time.
public final class ArenaAllocator {
    public let configuration: ArenaConfiguration

    public init(configuration: ArenaConfiguration = ArenaConfiguration()) throws(ArenaError) {
        self.configuration = configuration
    }

    /// Returns a block of at least `byteCount` bytes, aligned to `configuration.alignment`.
    public func allocate(byteCount: Int) throws(ArenaError) -> UnsafeMutableRawPointer {
        guard byteCount > 0 else { throw .zeroSizedRequest }
        guard let p = malloc(byteCount) else { throw .outOfMemory(requested: byteCount) }
        return p
    }

    /// Gives back a block from `allocate(byteCount:)`.
    public func deallocate(_ pointer: UnsafeMutableRawPointer) {
        free(pointer)
    }

    public var statistics: AllocatorStatistics { AllocatorStatistics() }
}
