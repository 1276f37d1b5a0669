// HPROFCursor — bounds-checked big-endian reads over a mapped HPROF file. Every read that would run
// past its limit throws one DumpError naming the byte offset and what was expected there.
import HeapGraph

/// A position inside the dump's bytes, reading big-endian values and identifiers of the dump's size.
struct HPROFCursor {
    let bytes: UnsafeRawBufferPointer
    /// The next byte to read.
    var offset: Int
    /// Reads stop here (the end of the current record, or of the file).
    var limit: Int
    /// Identifier size, 4 or 8.
    let idSize: Int

    init(bytes: UnsafeRawBufferPointer, offset: Int = 0, limit: Int? = nil, idSize: Int = 8) {
        self.bytes = bytes
        self.offset = offset
        self.limit = limit ?? bytes.count
        self.idSize = idSize
    }

    /// Bytes left before `limit`.
    var remaining: Int { limit - offset }

    /// Throws unless `count` more bytes are left.
    @inline(__always)
    func require(_ count: Int, _ what: @autoclosure () -> String) throws(DumpError) {
        guard count >= 0, count <= limit - offset else {
            throw DumpError(.truncated, offset: offset, "expected \(what()) (\(count) bytes), only \(Swift.max(limit - offset, 0)) left in the record")
        }
    }

    @inline(__always) mutating func u1(_ what: @autoclosure () -> String = "a byte") throws(DumpError) -> UInt8 {
        try require(1, what())
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always) mutating func u2(_ what: @autoclosure () -> String = "a 2-byte value") throws(DumpError) -> UInt16 {
        try require(2, what())
        defer { offset += 2 }
        return HPROFCursor.load16(bytes, offset)
    }

    @inline(__always) mutating func u4(_ what: @autoclosure () -> String = "a 4-byte value") throws(DumpError) -> UInt32 {
        try require(4, what())
        defer { offset += 4 }
        return HPROFCursor.load32(bytes, offset)
    }

    @inline(__always) mutating func id(_ what: @autoclosure () -> String = "an identifier") throws(DumpError) -> UInt64 {
        try require(idSize, what())
        defer { offset += idSize }
        return HPROFCursor.loadID(bytes, offset, idSize)
    }

    /// Skips `count` bytes.
    @inline(__always) mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws(DumpError) {
        try require(count, what())
        offset += count
    }

    @inline(__always) static func load16(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt16 {
        UInt16(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt16.self))
    }

    @inline(__always) static func load32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    @inline(__always) static func load64(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    /// An identifier at `at` of `size` bytes (the caller has checked the bounds).
    @inline(__always) static func loadID(_ b: UnsafeRawBufferPointer, _ at: Int, _ size: Int) -> UInt64 {
        size == 8 ? load64(b, at) : UInt64(load32(b, at))
    }
}

/// HPROF's basic types (the `u1` type codes of fields and primitive arrays).
enum HPROFBasicType: UInt8 {
    case object = 2, boolean = 4, char = 5, float = 6, double = 7, byte = 8, short = 9, int = 10, long = 11

    /// Bytes a value of this type takes in the dump (an object takes the identifier size).
    func dumpSize(idSize: Int) -> Int {
        switch self {
        case .object: idSize
        case .boolean, .byte: 1
        case .char, .short: 2
        case .float, .int: 4
        case .double, .long: 8
        }
    }

    /// The Java name of an array of this primitive type (`byte[]`).
    var arrayTypeName: String {
        switch self {
        case .object: "java.lang.Object[]"
        case .boolean: "boolean[]"
        case .char: "char[]"
        case .float: "float[]"
        case .double: "double[]"
        case .byte: "byte[]"
        case .short: "short[]"
        case .int: "int[]"
        case .long: "long[]"
        }
    }
}
