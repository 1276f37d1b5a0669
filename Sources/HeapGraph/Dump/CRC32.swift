// CRC32 — the IEEE 802.3 checksum (zlib's `crc32`, reflected polynomial 0xEDB88320) that guards each
// section of a binary dump. Table-driven, slicing by 8 bytes, so checking a dump costs little next to
// reading it.

/// A running CRC32 over bytes fed in any number of pieces.
///
/// ```swift
/// var crc = CRC32()
/// crc.update(bytes)
/// crc.checksum   // 0xCBF43926 for "123456789"
/// ```
struct CRC32: Sendable {
    /// The register, inverted as the algorithm keeps it; `checksum` undoes the inversion.
    private var state: UInt32 = 0xFFFF_FFFF

    init() {}

    /// The checksum of every byte fed so far.
    var checksum: UInt32 { ~state }

    /// Feeds `bytes`.
    /// - Complexity: O(bytes.count).
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress, !bytes.isEmpty else { return }
        var remaining = bytes.count
        var crc = state
        CRC32.tables.withUnsafeBufferPointer { t in
            while remaining >= 8 {
                let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
                let low = UInt32(truncatingIfNeeded: word) ^ crc
                let high = UInt32(truncatingIfNeeded: word &>> 32)
                crc = t[7 &* 256 &+ Int(low & 0xFF)] ^ t[6 &* 256 &+ Int((low &>> 8) & 0xFF)]
                    ^ t[5 &* 256 &+ Int((low &>> 16) & 0xFF)] ^ t[4 &* 256 &+ Int(low &>> 24)]
                    ^ t[3 &* 256 &+ Int(high & 0xFF)] ^ t[2 &* 256 &+ Int((high &>> 8) & 0xFF)]
                    ^ t[256 &+ Int((high &>> 16) & 0xFF)] ^ t[Int(high &>> 24)]
                p += 8
                remaining &-= 8
            }
            while remaining > 0 {
                crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc &>> 8)
                p += 1
                remaining &-= 1
            }
        }
        state = crc
    }

    /// The checksum of `bytes` alone.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32()
        bytes.withUnsafeBytes { crc.update($0) }
        return crc.checksum
    }

    /// Eight 256-entry tables, one after the other: table 0 is the classic byte-at-a-time table and
    /// table k advances a byte's contribution by k further zero bytes.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()
}
