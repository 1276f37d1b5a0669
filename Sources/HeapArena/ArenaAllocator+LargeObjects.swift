// ArenaAllocator+LargeObjects — requests above the small-request threshold: served by the system allocator
// and tracked (count and bytes) so statistics and leak reports include them, and so that `deallocate` can
// tell a large object from a pointer that is not ours.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ArenaAllocator {
    /// Serves a request the pools do not: rejects 0 and negative sizes, sends the rest to `malloc`
    /// (`posix_memalign` when the alignment exceeds malloc's 16 bytes).
    @usableFromInline
    func allocateLarge(byteCount: Int) throws(ArenaError) -> UnsafeMutableRawPointer {
        guard byteCount != 0 else { throw .zeroSizedRequest }
        guard byteCount > 0 else { throw .negativeByteCount(byteCount) }
        var pointer: UnsafeMutableRawPointer?
        if geometry.alignment <= 16 {
            pointer = malloc(byteCount)
        } else if posix_memalign(&pointer, geometry.alignment, byteCount) != 0 {
            pointer = nil
        }
        guard let pointer else { throw .outOfMemory(requested: byteCount) }
        largeObjectSizes[pointer] = byteCount
        largeObjectBytes += byteCount
        return pointer
    }

    /// Frees a tracked large object; anything else is misuse and stops the program (every build).
    @usableFromInline
    func deallocateLarge(_ pointer: UnsafeMutableRawPointer) {
        guard let size = largeObjectSizes.removeValue(forKey: pointer) else {
            reportMisuse(.invalidFree("\(Self.describe(UInt(bitPattern: pointer))) is not in any arena of this allocator and is not a live large object"))
        }
        largeObjectBytes -= size
        free(pointer)
    }
}
