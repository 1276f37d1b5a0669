// ArenaError — everything the allocator refuses or detects, each with a message naming what was wrong.

/// What the allocator refuses, with the reason.
public enum ArenaError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case zeroSizedRequest
    case outOfMemory(requested: Int)
    /// A negative byte count was requested.
    case negativeByteCount(Int)
    /// A pointer handed to `deallocate`/`validateFree` that is not a live block of this allocator;
    /// the message names the pointer, its pool and its arena.
    case invalidFree(String)
    /// The invariant checker found the allocator's structures inconsistent.
    case invariantViolation(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "invalid allocator configuration: \(why)"
        case .zeroSizedRequest: "a request of 0 bytes is not allowed"
        case .outOfMemory(let n): "out of memory allocating \(n) bytes"
        case .negativeByteCount(let n): "a request of \(n) bytes (negative) is not allowed"
        case .invalidFree(let why): "invalid free: \(why)"
        case .invariantViolation(let why): "allocator invariant violated: \(why)"
        }
    }
}
