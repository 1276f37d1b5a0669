// SaturatingBytes — byte totals that stop at UInt64.max instead of wrapping: two objects of size
// 2^64 - 1 total "16 EiB or more", never a small number that would rank a part above its whole.

extension UInt64 {
    /// `self + other`, or `UInt64.max` when the sum does not fit (json-format.md: sums saturate).
    @inlinable public func addingSaturated(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    /// Adds `other`, stopping at `UInt64.max`.
    @inlinable public mutating func addSaturated(_ other: UInt64) {
        self = addingSaturated(other)
    }
}
