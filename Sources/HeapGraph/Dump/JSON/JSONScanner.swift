// JSONScanner — the byte scanner under heapscan's JSON reader: whitespace, strings (UTF-8 and escapes
// validated), integers, literals, skipping any value without recursion (an explicit stack), and the
// error of each with its byte offset and JSON path. It knows nothing of the graph's shape.

/// One step of a JSON path.
enum JSONPathStep: Hashable, Sendable {
    case key(String)
    case index(Int)
}

/// Renders `$`, `.name` and `[3]` steps; keys that are not plain identifiers are quoted.
func jsonPathText(_ steps: [JSONPathStep]) -> String {
    var text = "$"
    for step in steps {
        switch step {
        case .index(let i): text += "[\(i)]"
        case .key(let k):
            let plain = !k.isEmpty && k.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
                && !(k.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? false)
            if plain {
                text += ".\(k)"
            } else {
                let out = DumpOutput()
                out.appendJSONString(k)
                text += "[\(String(decoding: out.takeBytes(), as: UTF8.self))]"
            }
        }
    }
    return text
}

/// Where the schema is in the document, for error paths: top key, object or root index, key, ref
/// index, ref key (`$.objects[3].refs[0].to`).
struct JSONLocation {
    var top: String?
    var item: Int?
    var key: String?
    var ref: Int?
    var refKey: String?

    var steps: [JSONPathStep] {
        var steps: [JSONPathStep] = []
        if let top { steps.append(.key(top)) } else { return steps }
        if let item { steps.append(.index(item)) } else { return steps }
        if let key { steps.append(.key(key)) } else { return steps }
        if let ref { steps.append(.index(ref)) } else { return steps }
        if let refKey { steps.append(.key(refKey)) }
        return steps
    }
}

/// Scans JSON text held in memory, one token at a time.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String?
    /// Position of the next unread byte.
    var i = 0
    /// Where the caller is, for error messages.
    var location = JSONLocation()

    init(bytes: UnsafeBufferPointer<UInt8>, file: String?) {
        self.bytes = bytes
        self.file = file
    }

    /// Skips a UTF-8 byte order mark at the start.
    mutating func skipByteOrderMark() {
        if i == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
    }

    // MARK: Errors

    func fail(_ kind: DumpError.Kind, _ message: String, at offset: Int? = nil) -> DumpError {
        DumpError(kind, file: file, offset: offset ?? i, jsonPath: jsonPathText(location.steps), message)
    }

    /// The input ended where `what` was expected.
    func ended(_ what: String) -> DumpError {
        fail(.truncated, "the input ends where \(what) was expected", at: bytes.count)
    }

    /// Words for the value starting at the current byte.
    func found() -> String {
        guard i < bytes.count else { return "the end of the input" }
        switch bytes[i] {
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case let b where b >= 0x20 && b < 0x7F: return "'\(Character(Unicode.Scalar(b)))'"
        case let b: return "byte 0x\(String(b, radix: 16))"
        }
    }

    // MARK: Lexing

    @inline(__always)
    mutating func skipWhitespace() {
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    /// The next non-blank byte, not consumed.
    @inline(__always)
    mutating func peek(_ what: @autoclosure () -> String) throws(DumpError) -> UInt8 {
        skipWhitespace()
        guard i < bytes.count else { throw ended(what()) }
        return bytes[i]
    }

    /// Consumes `byte` if it is next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if i < bytes.count && bytes[i] == byte {
            i += 1
            return true
        }
        return false
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(DumpError) {
        let b = try peek(what)
        guard b == byte else { throw fail(.jsonSyntax, "expected \(what), found \(found())") }
        i += 1
    }

    /// After a member or element: true for another one (`,`), false at the closing `close`.
    mutating func next(_ close: UInt8) throws(DumpError) -> Bool {
        let what = close == UInt8(ascii: "}") ? "',' or '}'" : "',' or ']'"
        let b = try peek(what)
        if b == UInt8(ascii: ",") { i += 1; return true }
        if b == close { i += 1; return false }
        throw fail(.jsonSyntax, "expected \(what), found \(found())")
    }

    /// Scans a string whose opening quote is next. Returns the raw content range and, when it had
    /// escapes, the decoded bytes. Validates UTF-8 and escapes.
    mutating func scanString() throws(DumpError) -> (range: Range<Int>, decoded: [UInt8]?) {
        i += 1
        let start = i
        var decoded: [UInt8]?
        while true {
            guard i < bytes.count else { throw ended("the closing quote of a string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let range = start..<i
                i += 1
                return (range, decoded)
            }
            if b == UInt8(ascii: "\\") {
                if decoded == nil { decoded = Array(bytes[start..<i]) }
                try scanEscape(into: &decoded!)
                continue
            }
            if b < 0x20 {
                throw fail(.jsonSyntax, "control character 0x\(String(b, radix: 16)) must be escaped inside a string")
            }
            if b < 0x80 {
                decoded?.append(b)
                i += 1
                continue
            }
            let length = try utf8SequenceLength()
            if decoded != nil { decoded!.append(contentsOf: bytes[i..<i + length]) }
            i += length
        }
    }

    /// Checks the multi-byte UTF-8 sequence at `i` and returns its length.
    func utf8SequenceLength() throws(DumpError) -> Int {
        let b0 = bytes[i]
        let length: Int
        var secondLow: UInt8 = 0x80, secondHigh: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: throw fail(.invalidUTF8, "byte 0x\(String(b0, radix: 16)) cannot start a UTF-8 character")
        }
        guard i + length <= bytes.count else { throw ended("the rest of a UTF-8 character") }
        let b1 = bytes[i + 1]
        guard b1 >= secondLow && b1 <= secondHigh else {
            throw fail(.invalidUTF8, "invalid UTF-8 sequence starting with byte 0x\(String(b0, radix: 16))")
        }
        for k in 2..<max(length, 2) where bytes[i + k] & 0xC0 != 0x80 {
            throw fail(.invalidUTF8, "invalid UTF-8 sequence starting with byte 0x\(String(b0, radix: 16))")
        }
        return length
    }

    /// Decodes the escape at `i` (a backslash) into `out`.
    mutating func scanEscape(into out: inout [UInt8]) throws(DumpError) {
        let at = i
        guard i + 1 < bytes.count else { throw ended("an escape sequence") }
        let c = bytes[i + 1]
        i += 2
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(at: at)
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                    throw fail(.jsonSyntax, "unpaired surrogate \\u\(String(scalar, radix: 16)) (expected a low surrogate next)", at: at)
                }
                i += 2
                let low = try hex4(at: at)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw fail(.jsonSyntax, "unpaired surrogate \\u\(String(scalar, radix: 16)) followed by \\u\(String(low, radix: 16))", at: at)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw fail(.jsonSyntax, "unpaired surrogate \\u\(String(scalar, radix: 16))", at: at)
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw fail(.jsonSyntax, "invalid escape \\u\(String(scalar, radix: 16))", at: at)
            }
            out.append(contentsOf: String(Character(unicode)).utf8)
        default:
            i = at
            throw fail(.jsonSyntax, "invalid escape sequence '\\\(Character(Unicode.Scalar(c)))'", at: at)
        }
    }

    /// Four hex digits at `i`.
    mutating func hex4(at escapeStart: Int) throws(DumpError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw ended("four hex digits of a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw fail(.jsonSyntax, "expected four hex digits after \\u", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    /// A string value, as a Swift string.
    mutating func stringValue(_ what: String) throws(DumpError) -> String {
        let b = try peek("\(what) (a string)")
        guard b == UInt8(ascii: "\"") else { throw fail(.jsonShape, "expected \(what) as a string, found \(found())") }
        let (range, decoded) = try scanString()
        if let decoded { return String(decoding: decoded, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A string value or null (nil).
    mutating func optionalString(_ what: String) throws(DumpError) -> String? {
        if try isNull() { return nil }
        return try stringValue(what)
    }

    /// Consumes `null` if it is next.
    /// `true`, `false`, or nil for `null`.
    mutating func optionalBool(_ what: String) throws(DumpError) -> Bool? {
        switch try peek(what) {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        case UInt8(ascii: "n"): try literal("null"); return nil
        default: throw fail(.jsonShape, "expected \(what) as true or false, found \(found())")
        }
    }

    mutating func isNull() throws(DumpError) -> Bool {
        let b = try peek("a value")
        guard b == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func literal(_ word: StaticString) throws(DumpError) {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { throw ended("'\(word)'") }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] {
            throw fail(.jsonSyntax, "expected a value, found \(found())")
        }
        i += count
    }

    /// A non-negative integer no larger than `maximum`.
    mutating func integer(_ what: String, maximum: UInt64 = .max) throws(DumpError) -> UInt64 {
        let b = try peek("\(what) (an integer)")
        let start = i
        if b == UInt8(ascii: "-") {
            throw fail(.jsonShape, "expected \(what) as a non-negative integer, found a negative number")
        }
        guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else {
            throw fail(.jsonShape, "expected \(what) as a non-negative integer, found \(found())")
        }
        var value: UInt64 = 0
        var overflow = false
        if b == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") {
                throw fail(.jsonSyntax, "numbers must not have leading zeros")
            }
        } else {
            while i < bytes.count {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
                overflow = overflow || o1 || o2
                value = sum
                i += 1
            }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            throw fail(.jsonShape, "expected \(what) as an integer, found a number with a fraction or exponent", at: start)
        }
        guard !overflow && value <= maximum else {
            throw fail(.jsonShape, "\(what) \(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) is larger than \(maximum)", at: start)
        }
        return value
    }

    /// Reads a key and its colon: the raw text range and, when it had escapes, the decoded bytes.
    mutating func rawKey() throws(DumpError) -> (text: Range<Int>, decoded: [UInt8]?) {
        let b = try peek("a key")
        guard b == UInt8(ascii: "\"") else { throw fail(.jsonSyntax, "expected a key (a string), found \(found())") }
        let (range, decoded) = try scanString()
        try expect(UInt8(ascii: ":"), "':'")
        return (range, decoded)
    }

    /// A key as a Swift string.
    func keyString(_ k: (text: Range<Int>, decoded: [UInt8]?)) -> String {
        if let d = k.decoded { return String(decoding: d, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[k.text]), as: UTF8.self)
    }

    mutating func skipValue() throws(DumpError) {
        var stack: [UInt8] = []
        while true {
            // A value is next.
            let b = try peek("a value")
            switch b {
            case UInt8(ascii: "\""): _ = try scanString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "["):
                i += 1
                if consume(UInt8(ascii: "]")) { break }
                guard stack.count < 100_000 else { throw fail(.jsonSyntax, "values nested deeper than 100000") }
                stack.append(UInt8(ascii: "["))
                continue
            case UInt8(ascii: "{"):
                i += 1
                if consume(UInt8(ascii: "}")) { break }
                guard stack.count < 100_000 else { throw fail(.jsonSyntax, "values nested deeper than 100000") }
                stack.append(UInt8(ascii: "{"))
                _ = try rawKey()
                continue
            default:
                throw fail(.jsonSyntax, "expected a value, found \(found())")
            }
            // A value ended: close containers or move to the next element.
            while let open = stack.last {
                let close = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
                if try next(close) {
                    if open == UInt8(ascii: "{") { _ = try rawKey() }
                    break
                }
                stack.removeLast()
            }
            if stack.isEmpty { return }
        }
    }

    /// Skips a JSON number, checking its grammar.
    mutating func skipNumber() throws(DumpError) {
        let start = i
        func digits() -> Int {
            let s = i
            while i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count else { throw ended("digits") }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else if digits() == 0 {
            throw fail(.jsonSyntax, "expected digits in a number", at: start)
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail(.jsonSyntax, "expected digits after the decimal point", at: start) }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { throw fail(.jsonSyntax, "expected digits in the exponent", at: start) }
        }
    }

    /// Byte offset of the value at `path` from the start of the text (error path only: re-scans).
    func offset(of path: [JSONPathStep]) -> Int? {
        var scanner = JSONScanner(bytes: bytes, file: file)
        return try? scanner.seek(path)
    }

    mutating func seek(_ path: [JSONPathStep]) throws(DumpError) -> Int? {
        skipByteOrderMark()
        for step in path {
            switch step {
            case .key(let wanted):
                guard try peek("an object") == UInt8(ascii: "{") else { return nil }
                i += 1
                while true {
                    let k = try rawKey()
                    if keyString(k) == wanted { break }
                    try skipValue()
                    guard try next(UInt8(ascii: "}")) else { return nil }
                }
            case .index(let wanted):
                guard try peek("an array") == UInt8(ascii: "[") else { return nil }
                i += 1
                for _ in 0..<wanted {
                    try skipValue()
                    guard try next(UInt8(ascii: "]")) else { return nil }
                }
            }
        }
        skipWhitespace()
        return i
    }
}
