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
    ///
    /// Long inputs are split into four lanes checksummed in one interleaved loop (four independent
    /// dependency chains keep the table loads busy), then joined with ``combine(_:_:length:)``.
    /// - Complexity: O(bytes.count).
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let lanes = 4
        let laneLength = (bytes.count / lanes) & ~7
        guard laneLength >= 1024 else {
            state = CRC32.advance(state, base, bytes.count)
            return
        }
        var r0: UInt32 = 0xFFFF_FFFF, r1: UInt32 = 0xFFFF_FFFF, r2: UInt32 = 0xFFFF_FFFF, r3: UInt32 = 0xFFFF_FFFF
        CRC32.tables.withUnsafeBufferPointer { t in
            let p0 = base, p1 = base + laneLength, p2 = base + 2 &* laneLength, p3 = base + 3 &* laneLength
            var offset = 0
            while offset < laneLength {
                r0 = CRC32.step(r0, UInt64(littleEndian: (p0 + offset).loadUnaligned(as: UInt64.self)), t)
                r1 = CRC32.step(r1, UInt64(littleEndian: (p1 + offset).loadUnaligned(as: UInt64.self)), t)
                r2 = CRC32.step(r2, UInt64(littleEndian: (p2 + offset).loadUnaligned(as: UInt64.self)), t)
                r3 = CRC32.step(r3, UInt64(littleEndian: (p3 + offset).loadUnaligned(as: UInt64.self)), t)
                offset &+= 8
            }
        }
        let tailStart = 4 * laneLength
        r3 = CRC32.advance(r3, base + tailStart, bytes.count - tailStart)
        var crc = ~state
        crc = CRC32.combine(crc, ~r0, length: laneLength)
        crc = CRC32.combine(crc, ~r1, length: laneLength)
        crc = CRC32.combine(crc, ~r2, length: laneLength)
        crc = CRC32.combine(crc, ~r3, length: bytes.count - 3 * laneLength)
        state = ~crc
    }

    /// Eight bytes through the slicing-by-8 tables.
    @inline(__always)
    private static func step(_ crc: UInt32, _ word: UInt64, _ t: UnsafeBufferPointer<UInt32>) -> UInt32 {
        let low = UInt32(truncatingIfNeeded: word) ^ crc
        let high = UInt32(truncatingIfNeeded: word &>> 32)
        return t[7 &* 256 &+ Int(low & 0xFF)] ^ t[6 &* 256 &+ Int((low &>> 8) & 0xFF)]
            ^ t[5 &* 256 &+ Int((low &>> 16) & 0xFF)] ^ t[4 &* 256 &+ Int(low &>> 24)]
            ^ t[3 &* 256 &+ Int(high & 0xFF)] ^ t[2 &* 256 &+ Int((high &>> 8) & 0xFF)]
            ^ t[256 &+ Int((high &>> 16) & 0xFF)] ^ t[Int(high &>> 24)]
    }

    /// The register after `count` bytes at `start`, one lane.
    private static func advance(_ register: UInt32, _ start: UnsafeRawPointer, _ count: Int) -> UInt32 {
        var crc = register
        var p = start
        var remaining = count
        CRC32.tables.withUnsafeBufferPointer { t in
            while remaining >= 8 {
                crc = step(crc, UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)), t)
                p += 8
                remaining &-= 8
            }
            while remaining > 0 {
                crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc &>> 8)
                p += 1
                remaining &-= 1
            }
        }
        return crc
    }

    // MARK: Joining checksums

    /// The checksum of `a ++ b` from the checksums of `a` and `b` and the length of `b`: `first`
    /// multiplied by x^(8·length) modulo the polynomial, plus `second` (arithmetic in GF(2)).
    static func combine(_ first: UInt32, _ second: UInt32, length: Int) -> UInt32 {
        multiplyModP(powerOfXModP(bytes: length), first) ^ second
    }

    /// a·b modulo the CRC polynomial, bit-reflected as the checksum is.
    private static func multiplyModP(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var m: UInt32 = 1 << 31
        var product: UInt32 = 0
        var b = b
        while m != 0 {
            if a & m != 0 {
                product ^= b
                if a & (m &- 1) == 0 { break }
            }
            m >>= 1
            b = b & 1 != 0 ? (b >> 1) ^ 0xEDB8_8320 : b >> 1
        }
        return product
    }

    /// x^(8·bytes) modulo the polynomial, by squaring: `powersOfX[k]` is x^(2^k).
    private static func powerOfXModP(bytes: Int) -> UInt32 {
        var power: UInt32 = 1 << 31  // x^0
        var n = bytes
        var k = 3  // 8 = 2^3
        while n != 0 {
            if n & 1 != 0 { power = multiplyModP(powersOfX[k & 31], power) }
            n >>= 1
            k += 1
        }
        return power
    }

    private static let powersOfX: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 32)
        var p: UInt32 = 1 << 30  // x^1
        for k in 0..<32 {
            table[k] = p
            p = multiplyModP(p, p)
        }
        return table
    }()

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
