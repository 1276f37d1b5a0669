// TestSupport — the byte pattern written into live blocks to prove that no two live blocks overlap
// (the seeded generator is the shared SplitMix64 of HeapscanTestSupport).
import HeapArena
import HeapscanTestSupport

/// The byte at position `index` of the block tagged `tag`.
@inline(__always)
func patternByte(tag: UInt64, index: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: (tag &* 0x9E37_79B9) &+ UInt64(index) &* 7)
}

/// Fills `count` bytes at `pointer` with the pattern of `tag`.
func fillPattern(_ pointer: UnsafeMutableRawPointer, count: Int, tag: UInt64) {
    let bytes = pointer.assumingMemoryBound(to: UInt8.self)
    for i in 0..<count { bytes[i] = patternByte(tag: tag, index: i) }
}

/// The first position where the pattern of `tag` is broken, or nil when intact.
func brokenPattern(_ pointer: UnsafeMutableRawPointer, count: Int, tag: UInt64) -> Int? {
    let bytes = pointer.assumingMemoryBound(to: UInt8.self)
    for i in 0..<count where bytes[i] != patternByte(tag: tag, index: i) { return i }
    return nil
}

/// A live allocation the test keeps track of.
struct LiveBlock {
    var pointer: UnsafeMutableRawPointer
    var byteCount: Int
    var tag: UInt64
}
