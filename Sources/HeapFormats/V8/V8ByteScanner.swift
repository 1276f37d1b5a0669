// V8ByteScanner — a forward-only JSON tokenizer over a file read in fixed-size chunks: the one place
// the V8 reader touches bytes. It reads integers and strings straight from its buffer and skips any
// value iteratively, so no JSON tree is built and memory stays at one buffer whatever the file size.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HeapGraph

/// Reads JSON tokens from a file (or bytes in memory) through a bounded buffer.
struct V8ByteScanner: ~Copyable {
    private let fd: Int32
    let path: String?
    /// Total bytes of the input.
    let size: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// `buffer[position..<end]` holds the input's bytes from `consumedBefore + position`.
    private var position = 0
    private var end = 0
    private var consumedBefore = 0
    /// Reused for the bytes of one string.
    private var stringBytes: [UInt8] = []

    /// Opens `path` for reading.
    init(path: String, chunkSize: Int = 1 << 20) throws(DumpError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DumpError(.io, file: path, "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw DumpError(.io, file: path, "expected a regular file")
        }
        fd = descriptor
        self.path = path
        size = Int(info.st_size)
        capacity = chunkSize
        buffer = .allocate(capacity: chunkSize)
    }

    /// Scans bytes already in memory (tests, fuzzing).
    init(bytes: [UInt8]) {
        fd = -1
        path = nil
        size = bytes.count
        capacity = max(bytes.count, 1)
        buffer = .allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.initialize(from: base, count: bytes.count) }
        }
        end = bytes.count
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    /// Byte offset of the next unread byte.
    var offset: Int { consumedBefore + position }

    /// An error at the current offset.
    func error(_ kind: DumpError.Kind, _ message: String) -> DumpError {
        DumpError(kind, file: path, offset: offset, message)
    }

    /// Refills the buffer; false at the end of the input.
    private mutating func refill() throws(DumpError) -> Bool {
        guard fd >= 0 else { return false }
        consumedBefore += end
        position = 0
        end = 0
        while true {
            let n = read(fd, buffer, capacity)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw error(.io, "cannot read: \(String(cString: strerror(errno)))") }
            end = n
            return n > 0
        }
    }

    /// The next byte without consuming it, or nil at the end.
    @inline(__always) mutating func peek() throws(DumpError) -> UInt8? {
        if position == end, !(try refill()) { return nil }
        return buffer[position]
    }

    /// Consumes and returns the next byte; throws at the end.
    @inline(__always) mutating func next() throws(DumpError) -> UInt8 {
        if position == end, !(try refill()) { throw error(.truncated, "the input ends in the middle of the JSON text") }
        let b = buffer[position]
        position += 1
        return b
    }

    /// The next byte that is not JSON whitespace, not consumed; nil at the end.
    @inline(__always) mutating func peekToken() throws(DumpError) -> UInt8? {
        while true {
            if position == end, !(try refill()) { return nil }
            let b = buffer[position]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return b }
            position += 1
        }
    }

    /// Consumes `byte` after optional whitespace, or throws saying what was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws(DumpError) {
        guard let b = try peekToken() else { throw error(.truncated, "the input ends where \(what) was expected") }
        guard b == byte else { throw error(.jsonSyntax, "expected \(what), found \(Self.describe(b))") }
        position += 1
    }

    /// After an array or object element: true when another follows (a comma), false at `close`.
    mutating func continues(closing close: UInt8) throws(DumpError) -> Bool {
        guard let b = try peekToken() else { throw error(.truncated, "the input ends inside an array or object") }
        position += 1
        if b == UInt8(ascii: ",") { return true }
        if b == close { return false }
        position -= 1
        throw error(.jsonSyntax, "expected ',' or '\(Character(Unicode.Scalar(close)))', found \(Self.describe(b))")
    }

    /// Consumes `[` and tells whether the array is empty (then its `]` is consumed too).
    mutating func openArray(_ what: String) throws(DumpError) -> Bool {
        try expect(UInt8(ascii: "["), "'[' opening \(what)")
        if try peekToken() == UInt8(ascii: "]") { position += 1; return false }
        return true
    }

    /// Consumes `{` and tells whether the object has members (an empty one's `}` is consumed too).
    mutating func openObject(_ what: String) throws(DumpError) -> Bool {
        try expect(UInt8(ascii: "{"), "'{' opening \(what)")
        if try peekToken() == UInt8(ascii: "}") { position += 1; return false }
        return true
    }

    /// A member's key and the colon after it.
    mutating func key() throws(DumpError) -> String {
        let k = try string()
        try expect(UInt8(ascii: ":"), "':' after the key \"\(k)\"")
        return k
    }

    /// A non-negative integer without sign, fraction or exponent (all that V8 writes in its arrays).
    /// - Complexity: O(digits), no allocation.
    @inline(__always) mutating func unsignedInteger() throws(DumpError) -> UInt64 {
        guard let first = try peekToken() else { throw error(.truncated, "the input ends where a number was expected") }
        guard first &- 0x30 < 10 else { throw error(.jsonShape, "expected a non-negative integer, found \(Self.describe(first))") }
        var value: UInt64 = 0
        var digits = 0
        while true {
            if position == end, !(try refill()) { break }
            let d = buffer[position] &- 0x30
            guard d < 10 else { break }
            digits += 1
            guard digits <= 19 else { throw error(.jsonShape, "integer too large") }
            value = value &* 10 &+ UInt64(d)
            position += 1
        }
        if let b = try peek(), b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            throw error(.jsonShape, "expected an integer, found a fraction or exponent")
        }
        return value
    }

    /// The common case of a flat array's next element, `,` then an integer (whitespace allowed), read
    /// straight from the buffer; nil, with nothing consumed, whenever anything else is there or the
    /// buffer may end inside it — the caller then takes the general path, which also reports errors.
    @inline(__always) mutating func fastCommaInteger() -> UInt64? {
        guard end - position >= 48 else { return nil }
        var p = position
        let limit = end - 24
        while p < limit, buffer[p] == 0x0A || buffer[p] == 0x20 || buffer[p] == 0x0D || buffer[p] == 0x09 { p += 1 }
        guard p < limit, buffer[p] == UInt8(ascii: ",") else { return nil }
        p += 1
        while p < limit, buffer[p] == 0x0A || buffer[p] == 0x20 || buffer[p] == 0x0D || buffer[p] == 0x09 { p += 1 }
        guard p < limit else { return nil }
        var value: UInt64 = 0
        let first = p
        while p - first < 19 {
            let d = buffer[p] &- 0x30
            guard d < 10 else { break }
            value = value &* 10 &+ UInt64(d)
            p += 1
        }
        let next = buffer[p]
        guard p > first, p - first < 19, next &- 0x30 >= 10, next != UInt8(ascii: "."), next | 0x20 != UInt8(ascii: "e") else { return nil }
        position = p
        return value
    }

    /// A JSON string, escapes decoded (`\uXXXX` pairs joined; a lone surrogate becomes U+FFFD).
    mutating func string() throws(DumpError) -> String {
        try expect(UInt8(ascii: "\""), "'\"' opening a string")
        stringBytes.removeAll(keepingCapacity: true)
        while true {
            // Copy runs of plain bytes in one go.
            if position == end, !(try refill()) { throw error(.truncated, "the input ends inside a string") }
            var run = position
            while run < end, buffer[run] != UInt8(ascii: "\""), buffer[run] != UInt8(ascii: "\\"), buffer[run] >= 0x20 { run += 1 }
            if run > position {
                stringBytes.append(contentsOf: UnsafeBufferPointer(start: buffer + position, count: run - position))
                position = run
                continue
            }
            let b = try next()
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: stringBytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape()
            default:
                position -= 1
                throw error(.jsonSyntax, "unescaped control character \(Self.describe(b)) in a string")
            }
        }
    }

    /// Decodes one escape after its backslash into `stringBytes`.
    private mutating func escape() throws(DumpError) {
        let e = try next()
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): stringBytes.append(e)
        case UInt8(ascii: "b"): stringBytes.append(0x08)
        case UInt8(ascii: "f"): stringBytes.append(0x0C)
        case UInt8(ascii: "n"): stringBytes.append(0x0A)
        case UInt8(ascii: "r"): stringBytes.append(0x0D)
        case UInt8(ascii: "t"): stringBytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hex4())
            if (0xD800..<0xDC00).contains(scalar), try peek() == UInt8(ascii: "\\") {
                position += 1
                guard try next() == UInt8(ascii: "u") else { throw error(.jsonSyntax, "expected \\u after a high surrogate") }
                let low = UInt32(try hex4())
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    appendScalar(0xFFFD)
                    scalar = low
                }
            }
            appendScalar(scalar)
        default:
            throw error(.jsonSyntax, "unknown escape \\\(Self.describe(e)) in a string")
        }
    }

    private mutating func hex4() throws(DumpError) -> UInt16 {
        var v: UInt16 = 0
        for _ in 0..<4 {
            let h = try next()
            let d: UInt8
            switch h {
            case 0x30...0x39: d = h - 0x30
            case 0x41...0x46: d = h - 0x41 + 10
            case 0x61...0x66: d = h - 0x61 + 10
            default: throw error(.jsonSyntax, "expected a hexadecimal digit in \\u, found \(Self.describe(h))")
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    private mutating func appendScalar(_ value: UInt32) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        if let bytes = UTF8.encode(scalar) { stringBytes.append(contentsOf: bytes) }
    }

    /// Skips one JSON value of any shape, iteratively (a stack of open containers, not recursion).
    mutating func skipValue() throws(DumpError) {
        var open: [UInt8] = []
        while true {
            guard let b = try peekToken() else { throw error(.truncated, "the input ends where a value was expected") }
            switch b {
            case UInt8(ascii: "{"):
                position += 1
                if try peekToken() == UInt8(ascii: "}") { position += 1 } else { open.append(b); _ = try key(); continue }
            case UInt8(ascii: "["):
                position += 1
                if try peekToken() == UInt8(ascii: "]") { position += 1 } else { open.append(b); continue }
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "-"), 0x30...0x39:
                position += 1
                while let c = try peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                    || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "E") { position += 1 }
            default:
                throw error(.jsonSyntax, "expected a JSON value, found \(Self.describe(b))")
            }
            // A value ended: close finished containers, or go on to the next element.
            while let top = open.last {
                guard let c = try peekToken() else { throw error(.truncated, "the input ends inside an array or object") }
                position += 1
                if c == UInt8(ascii: ",") {
                    if top == UInt8(ascii: "{") { _ = try key() }
                    break
                }
                guard c == (top == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    position -= 1
                    throw error(.jsonSyntax, "expected ',' or a closing bracket, found \(Self.describe(c))")
                }
                open.removeLast()
            }
            if open.isEmpty { return }
        }
    }

    /// A byte described for an error message.
    static func describe(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16, uppercase: true))"
    }
}
