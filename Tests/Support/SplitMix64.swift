// HeapscanTestSupport — what several test targets share: the seeded generator every property-based
// test draws from, so a failing seed reproduces the same heap in any target.

/// Sebastiano Vigna's SplitMix64: a fast seeded generator with good statistical quality; the same
/// sequence on every run and platform for a given seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state; advanced by the golden-ratio increment on every draw.
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
