// HeapSnapshot+JSONReader — a handwritten, single-pass reader of the JSON interchange format
// (docs/json-format.md). It parses straight into columns (no tree of JSON values), never recurses
// (skipped values use an explicit stack), validates UTF-8 and escapes itself, and reports every error
// with its byte offset and JSON path, e.g. `$.objects[3].refs[0].to`.

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

/// The keys the reader knows; everything else is skipped.
private enum Key {
    case id, type, size, refcount, generation, site, label, refs, detached, to, name, kind, heapscan, objects, roots,
        liveness, runtime, other

    var text: String {
        switch self {
        case .id: "id"
        case .type: "type"
        case .size: "size"
        case .refcount: "refcount"
        case .generation: "generation"
        case .site: "site"
        case .label: "label"
        case .refs: "refs"
        case .to: "to"
        case .name: "name"
        case .heapscan: "heapscan"
        case .objects: "objects"
        case .roots: "roots"
        case .kind: "kind"
        case .detached: "detached"
        case .liveness: "liveness"
        case .runtime: "runtime"
        case .other: "?"
        }
    }
}

/// The objects, references and roots of a JSON graph in file order, before ids are resolved.
struct JSONGraphReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String?
    /// Position of the next unread byte.
    private var i = 0

    // Where the reader is, for error paths: top key, object/root index, key, ref index, ref key.
    private var pathTop: String?
    private var pathItem: Int?
    private var pathKey: String?
    private var pathRef: Int?
    private var pathRefKey: String?

    // Columns in file order.
    private var ids: [UInt64] = []
    private var typeIndices: [UInt32] = []
    private var sizes: [UInt64] = []
    private var refcounts: [UInt32] = []
    private var generations: [UInt8] = []
    private var siteIndices: [UInt32] = []
    private var labelIndices: [UInt32] = []
    /// `fileEdgeStarts[k]..<fileEdgeStarts[k + 1]` are object k's refs (in file order).
    private var fileEdgeStarts: [Int] = [0]
    private var refTargets: [UInt64] = []
    private var refNames: [UInt32] = []
    /// Kind of each ref, once `hasKinds` (a ref that is not strong was seen).
    private var refKinds: [ReferenceKind] = []
    private var hasKinds = false
    private var rootTargets: [UInt64] = []
    private var rootNames: [String] = []
    private var rootKinds: [RootKind] = []
    private var liveness = Liveness.refcount
    /// File positions of the objects marked `"detached": true`.
    private var detachedObjects: [Int] = []
    private var runtime: String?
    private var types = StringTable()
    private var siteTable = StringTable()
    private var labelTable = StringTable()
    private var fieldTable = StringTable()

    init(bytes: UnsafeBufferPointer<UInt8>, file: String?) {
        self.bytes = bytes
        self.file = file
        // Room for as many objects and refs as the text could hold (the smallest object is 28 bytes,
        // the smallest ref 8): address space only, untouched pages cost nothing, and the columns
        // never have to be copied while growing.
        let objects = bytes.count / 28
        ids.reserveCapacity(objects)
        sizes.reserveCapacity(objects)
        typeIndices.reserveCapacity(objects)
        refcounts.reserveCapacity(objects)
        siteIndices.reserveCapacity(objects)
        labelIndices.reserveCapacity(objects)
        generations.reserveCapacity(objects)
        fileEdgeStarts.reserveCapacity(objects + 1)
        refTargets.reserveCapacity(bytes.count / 8)
        refNames.reserveCapacity(bytes.count / 8)
    }

    // MARK: Errors

    private var currentPath: [JSONPathStep] {
        var steps: [JSONPathStep] = []
        if let pathTop { steps.append(.key(pathTop)) } else { return steps }
        if let pathItem { steps.append(.index(pathItem)) } else { return steps }
        if let pathKey { steps.append(.key(pathKey)) } else { return steps }
        if let pathRef { steps.append(.index(pathRef)) } else { return steps }
        if let pathRefKey { steps.append(.key(pathRefKey)) }
        return steps
    }

    fileprivate func fail(_ kind: DumpError.Kind, _ message: String, at offset: Int? = nil) -> DumpError {
        DumpError(kind, file: file, offset: offset ?? i, jsonPath: jsonPathText(currentPath), message)
    }

    /// The input ended where `what` was expected.
    private func ended(_ what: String) -> DumpError {
        fail(.truncated, "the input ends where \(what) was expected", at: bytes.count)
    }

    /// Words for the value starting at the current byte.
    private func found() -> String {
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
    private mutating func skipWhitespace() {
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    /// The next non-blank byte, not consumed.
    @inline(__always)
    private mutating func peek(_ what: @autoclosure () -> String) throws(DumpError) -> UInt8 {
        skipWhitespace()
        guard i < bytes.count else { throw ended(what()) }
        return bytes[i]
    }

    /// Consumes `byte` if it is next.
    @inline(__always)
    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if i < bytes.count && bytes[i] == byte {
            i += 1
            return true
        }
        return false
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(DumpError) {
        let b = try peek(what)
        guard b == byte else { throw fail(.jsonSyntax, "expected \(what), found \(found())") }
        i += 1
    }

    /// After a member or element: true for another one (`,`), false at the closing `close`.
    private mutating func next(_ close: UInt8) throws(DumpError) -> Bool {
        let what = close == UInt8(ascii: "}") ? "',' or '}'" : "',' or ']'"
        let b = try peek(what)
        if b == UInt8(ascii: ",") { i += 1; return true }
        if b == close { i += 1; return false }
        throw fail(.jsonSyntax, "expected \(what), found \(found())")
    }

    /// Scans a string whose opening quote is next. Returns the raw content range and, when it had
    /// escapes, the decoded bytes. Validates UTF-8 and escapes.
    private mutating func scanString() throws(DumpError) -> (range: Range<Int>, decoded: [UInt8]?) {
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
    private func utf8SequenceLength() throws(DumpError) -> Int {
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
    private mutating func scanEscape(into out: inout [UInt8]) throws(DumpError) {
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
    private mutating func hex4(at escapeStart: Int) throws(DumpError) -> UInt32 {
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
    private mutating func stringValue(_ what: String) throws(DumpError) -> String {
        let b = try peek("\(what) (a string)")
        guard b == UInt8(ascii: "\"") else { throw fail(.jsonShape, "expected \(what) as a string, found \(found())") }
        let (range, decoded) = try scanString()
        if let decoded { return String(decoding: decoded, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A string value or null (nil).
    private mutating func optionalString(_ what: String) throws(DumpError) -> String? {
        if try isNull() { return nil }
        return try stringValue(what)
    }

    /// Consumes `null` if it is next.
    /// `true`, `false`, or nil for `null`.
    private mutating func optionalBool(_ what: String) throws(DumpError) -> Bool? {
        switch try peek(what) {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        case UInt8(ascii: "n"): try literal("null"); return nil
        default: throw fail(.jsonShape, "expected \(what) as true or false, found \(found())")
        }
    }

    private mutating func isNull() throws(DumpError) -> Bool {
        let b = try peek("a value")
        guard b == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ word: StaticString) throws(DumpError) {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { throw ended("'\(word)'") }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] {
            throw fail(.jsonSyntax, "expected a value, found \(found())")
        }
        i += count
    }

    /// A non-negative integer no larger than `maximum`.
    private mutating func integer(_ what: String, maximum: UInt64 = .max) throws(DumpError) -> UInt64 {
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

    /// Reads a key and its colon.
    private mutating func key() throws(DumpError) -> (key: Key, text: Range<Int>, decoded: [UInt8]?) {
        let b = try peek("a key")
        guard b == UInt8(ascii: "\"") else { throw fail(.jsonSyntax, "expected a key (a string), found \(found())") }
        let (range, decoded) = try scanString()
        try expect(UInt8(ascii: ":"), "':'")
        if let decoded { return (decoded.withUnsafeBufferPointer { classify($0) }, range, decoded) }
        return (classify(UnsafeBufferPointer(rebasing: bytes[range])), range, nil)
    }

    private func keyText(_ k: (key: Key, text: Range<Int>, decoded: [UInt8]?)) -> String {
        if k.key != .other { return k.key.text }
        if let d = k.decoded { return String(decoding: d, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[k.text]), as: UTF8.self)
    }

    private func classify(_ k: UnsafeBufferPointer<UInt8>) -> Key {
        func equals(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == k.count else { return false }
            for j in 0..<k.count where k[j] != word.utf8Start[j] { return false }
            return true
        }
        switch k.count {
        case 2: return equals("id") ? .id : equals("to") ? .to : .other
        case 4: return equals("type") ? .type : equals("size") ? .size : equals("site") ? .site
            : equals("refs") ? .refs : equals("name") ? .name : equals("kind") ? .kind : .other
        case 5: return equals("label") ? .label : equals("roots") ? .roots : .other
        case 7: return equals("objects") ? .objects : equals("runtime") ? .runtime : .other
        case 8: return equals("refcount") ? .refcount : equals("heapscan") ? .heapscan : equals("liveness") ? .liveness : equals("detached") ? .detached : .other
        case 10: return equals("generation") ? .generation : .other
        default: return .other
        }
    }

    /// Skips one value of any kind, without recursion.
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
                _ = try key()
                continue
            default:
                throw fail(.jsonSyntax, "expected a value, found \(found())")
            }
            // A value ended: close containers or move to the next element.
            while let open = stack.last {
                let close = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
                if try next(close) {
                    if open == UInt8(ascii: "{") { _ = try key() }
                    break
                }
                stack.removeLast()
            }
            if stack.isEmpty { return }
        }
    }

    /// Skips a JSON number, checking its grammar.
    private mutating func skipNumber() throws(DumpError) {
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

    // MARK: The document

    /// Parses the whole document into file-order columns.
    mutating func parse() throws(DumpError) {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        let b = try peek("a JSON object")
        guard b == UInt8(ascii: "{") else {
            throw fail(.jsonShape, "expected a JSON object with the key \"heapscan\", found \(found())")
        }
        i += 1
        var version: UInt64?
        var sawObjects = false
        var sawRoots = false
        var sawLiveness = false
        var sawRuntime = false
        if !consume(UInt8(ascii: "}")) {
            repeat {
                let k = try key()
                pathTop = keyText(k)
                pathItem = nil
                switch k.key {
                case .heapscan:
                    guard version == nil else { throw fail(.jsonShape, "duplicate key \"heapscan\"") }
                    let at = i
                    let v = try integer("the format version")
                    guard v == 1 else {
                        throw fail(.unsupportedVersion(v), "unsupported heapscan JSON version \(v), this reader knows version 1", at: at)
                    }
                    version = v
                case .objects:
                    guard !sawObjects else { throw fail(.jsonShape, "duplicate key \"objects\"") }
                    sawObjects = true
                    try objects()
                case .roots:
                    guard !sawRoots else { throw fail(.jsonShape, "duplicate key \"roots\"") }
                    sawRoots = true
                    try rootList()
                case .liveness:
                    guard !sawLiveness else { throw fail(.jsonShape, "duplicate key \"liveness\"") }
                    sawLiveness = true
                    let at = i
                    let word = try optionalString("liveness") ?? Liveness.refcount.name
                    guard let rule = Liveness(name: word) else {
                        throw fail(.jsonShape, "expected liveness \"refcount\" or \"roots\", found \(quoted(word))", at: at)
                    }
                    liveness = rule
                case .runtime:
                    guard !sawRuntime else { throw fail(.jsonShape, "duplicate key \"runtime\"") }
                    sawRuntime = true
                    runtime = try optionalString("runtime")
                default:
                    try skipValue()
                }
                pathTop = nil
            } while try next(UInt8(ascii: "}"))
        }
        skipWhitespace()
        guard i == bytes.count else { throw fail(.jsonSyntax, "unexpected \(found()) after the JSON object") }
        guard version != nil else {
            throw fail(.jsonShape, "missing key \"heapscan\" (the format version, 1)", at: 0)
        }
        guard sawObjects else { throw fail(.jsonShape, "missing key \"objects\"", at: 0) }
    }

    private mutating func objects() throws(DumpError) {
        if try isNull() { return }
        guard try peek("an array of objects") == UInt8(ascii: "[") else {
            throw fail(.jsonShape, "expected an array of objects, found \(found())")
        }
        i += 1
        if consume(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            pathItem = index
            try object()
            pathItem = nil
            index += 1
        } while try next(UInt8(ascii: "]"))
    }

    private mutating func object() throws(DumpError) {
        guard try peek("an object") == UInt8(ascii: "{") else { throw fail(.jsonShape, "expected an object, found \(found())") }
        let start = i
        i += 1
        var id: UInt64?, type: UInt32?, size: UInt64?
        var refcount = HeapSnapshot.none, generation: UInt8 = 255, site = HeapSnapshot.none, label = HeapSnapshot.none
        var seen: UInt16 = 0
        var detached = false
        if !consume(UInt8(ascii: "}")) {
            repeat {
                let k = try key()
                let text = keyText(k)
                pathKey = text
                let bit: UInt16 = switch k.key {
                case .id: 1
                case .type: 2
                case .size: 4
                case .refcount: 8
                case .generation: 16
                case .site: 32
                case .label: 64
                case .refs: 128
                case .detached: 256
                default: 0
                }
                if seen & bit != 0 { throw fail(.jsonShape, "duplicate key \"\(text)\"") }
                seen |= bit
                switch k.key {
                case .id: id = try integer("id")
                case .type: type = types.intern(try stringValue("type"))
                case .size: size = try integer("size")
                case .refcount:
                    if !(try isNull()) { refcount = UInt32(try integer("refcount", maximum: UInt64(UInt32.max - 1))) }
                case .generation:
                    if !(try isNull()) { generation = UInt8(try integer("generation", maximum: 255)) }
                case .site: site = try optionalString("site").map { siteTable.intern($0) } ?? HeapSnapshot.none
                case .label: label = try optionalString("label").map { labelTable.intern($0) } ?? HeapSnapshot.none
                case .refs: try references()
                case .detached: detached = try optionalBool("detached") ?? false
                default: try skipValue()
                }
                pathKey = nil
            } while try next(UInt8(ascii: "}"))
        }
        guard let id, let type, let size else {
            let name = id == nil ? "id" : type == nil ? "type" : "size"
            throw fail(.jsonShape, "missing key \"\(name)\" (required in every object)", at: start)
        }
        ids.append(id)
        typeIndices.append(type)
        sizes.append(size)
        refcounts.append(refcount)
        generations.append(generation)
        siteIndices.append(site)
        labelIndices.append(label)
        if detached { detachedObjects.append(ids.count - 1) }
        fileEdgeStarts.append(refTargets.count)
    }

    private mutating func references() throws(DumpError) {
        if try isNull() { return }
        guard try peek("an array of references") == UInt8(ascii: "[") else {
            throw fail(.jsonShape, "expected an array of references, found \(found())")
        }
        i += 1
        if consume(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            pathRef = index
            let (to, name, kind) = try reference()
            let referenceKind = try kind.map { (word) throws(DumpError) in try Self.referenceKind(word, reader: self) } ?? .strong
            if referenceKind != .strong && !hasKinds {
                hasKinds = true
                refKinds = [ReferenceKind](repeating: .strong, count: refTargets.count)
            }
            if hasKinds { refKinds.append(referenceKind) }
            refTargets.append(to)
            refNames.append(name.map { fieldTable.intern($0) } ?? HeapSnapshot.none)
            pathRef = nil
            index += 1
        } while try next(UInt8(ascii: "]"))
    }

    /// The reference kind spelled `word`, or an error naming the allowed ones.
    private static func referenceKind(_ word: String, reader: JSONGraphReader) throws(DumpError) -> ReferenceKind {
        guard let kind = ReferenceKind(name: word) else {
            let allowed = ReferenceKind.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw reader.fail(.jsonShape, "unknown reference kind \(reader.quoted(word)), expected one of \(allowed)")
        }
        return kind
    }

    /// `word` in quotes, cut to 40 bytes: an error line never echoes unbounded input.
    private func quoted(_ word: String) -> String {
        word.utf8.count <= 40 ? "\"\(word)\"" : "\"\(String(decoding: word.utf8.prefix(40), as: UTF8.self))…\""
    }

    /// `{"to": id, "name": text, "kind": text}`, for refs and roots.
    private mutating func reference() throws(DumpError) -> (to: UInt64, name: String?, kind: String?) {
        guard try peek("an object") == UInt8(ascii: "{") else { throw fail(.jsonShape, "expected an object, found \(found())") }
        let start = i
        i += 1
        var to: UInt64?
        var name: String?
        var kind: String?
        var sawName = false
        var sawKind = false
        if !consume(UInt8(ascii: "}")) {
            repeat {
                let k = try key()
                setInnerKey(keyText(k))
                switch k.key {
                case .to:
                    guard to == nil else { throw fail(.jsonShape, "duplicate key \"to\"") }
                    to = try integer("to")
                case .name:
                    guard !sawName else { throw fail(.jsonShape, "duplicate key \"name\"") }
                    sawName = true
                    name = try optionalString("name")
                case .kind:
                    guard !sawKind else { throw fail(.jsonShape, "duplicate key \"kind\"") }
                    sawKind = true
                    kind = try optionalString("kind")
                default: try skipValue()
                }
                setInnerKey(nil)
            } while try next(UInt8(ascii: "}"))
        }
        guard let to else { throw fail(.jsonShape, "missing key \"to\" (the id referred to)", at: start) }
        return (to, name, kind)
    }

    /// The key inside a ref (objects[i].refs[k].KEY) or a root (roots[i].KEY).
    private mutating func setInnerKey(_ key: String?) {
        if pathRef != nil { pathRefKey = key } else { pathKey = key }
    }

    private mutating func rootList() throws(DumpError) {
        if try isNull() { return }
        guard try peek("an array of roots") == UInt8(ascii: "[") else {
            throw fail(.jsonShape, "expected an array of roots, found \(found())")
        }
        i += 1
        if consume(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            pathItem = index
            let (to, name, kind) = try reference()
            var rootKind = RootKind.unknown
            if let kind {
                guard let k = RootKind(name: kind) else {
                    let allowed = RootKind.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ")
                    throw fail(.jsonShape, "unknown root kind \(quoted(kind)), expected one of \(allowed)")
                }
                rootKind = k
            }
            rootTargets.append(to)
            rootNames.append(name ?? "root")
            rootKinds.append(rootKind)
            pathItem = nil
            index += 1
        } while try next(UInt8(ascii: "]"))
    }

    // MARK: Resolving ids

    /// Sorts the objects by id, resolves references and roots, and builds the snapshot.
    /// - Complexity: O(objects log objects + refs) (no sort when ids are increasing; ids resolve
    ///   through `IDLookup` in O(1) each).
    mutating func snapshot(
        unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy, warnings: inout [DumpWarning]
    ) throws(DumpError) -> HeapSnapshot {
        let n = ids.count
        guard n < Int(UInt32.max) else { throw fail(.countTooLarge, "\(n) objects exceed the limit of \(UInt32.max - 1)", at: nil) }
        guard refTargets.count < Int(UInt32.max) else {
            throw fail(.countTooLarge, "\(refTargets.count) references exceed the limit of \(UInt32.max - 1)", at: nil)
        }
        // Order by id; most producers already write increasing ids.
        var order: [Int]?
        if !ids.indices.dropFirst().allSatisfy({ ids[$0 - 1] < ids[$0] }) {
            order = ids.indices.sorted { ids[$0] < ids[$1] }
        }
        let sortedIDs = order.map { o in o.map { ids[$0] } } ?? ids
        for p in sortedIDs.indices.dropFirst() where sortedIDs[p] == sortedIDs[p - 1] {
            let later = order.map { max($0[p], $0[p - 1]) } ?? p
            let path: [JSONPathStep] = [.key("objects"), .index(later), .key("id")]
            throw DumpError(
                .duplicateID(sortedIDs[p]), file: file, offset: locate(path), jsonPath: jsonPathText(path),
                "duplicate object id \(sortedIDs[p])")
        }
        let lookup = IDLookup(sortedIDs)
        // File position of the object at id-order position p.
        func filePosition(_ p: Int) -> Int { order?[p] ?? p }

        // Resolve every ref in file order, so the first unknown one in the file is the one reported;
        // the builder gets file positions and puts them in id order.
        var builder = HeapSnapshot.Builder()
        builder.columns.ids = ids
        builder.columns.typeIndices = typeIndices
        builder.columns.sizes = sizes
        builder.columns.refcounts = refcounts
        builder.columns.generations = generations
        builder.columns.siteIndices = siteIndices
        builder.columns.labelIndices = labelIndices
        builder.columns.edgeTargets.reserveCapacity(refTargets.count)
        builder.columns.edgeNames.reserveCapacity(refTargets.count)
        builder.types = types
        builder.siteTable = siteTable
        builder.labelTable = labelTable
        builder.fieldTable = fieldTable
        builder.liveness = liveness
        builder.runtime = runtime
        for p in detachedObjects { builder.setDetached(p) }
        var dropped = 0
        for f in 0..<n {
            for e in fileEdgeStarts[f]..<fileEdgeStarts[f + 1] {
                if let t = lookup.position(of: refTargets[e]) {
                    builder.addReference(
                        from: f, to: filePosition(t), nameIndex: refNames[e], kind: hasKinds ? refKinds[e] : .strong)
                    continue
                }
                let path: [JSONPathStep] = [.key("objects"), .index(f), .key("refs"), .index(e - fileEdgeStarts[f]), .key("to")]
                guard unknownReferences == .drop else {
                    throw DumpError(
                        .unknownReference(refTargets[e]), file: file, offset: locate(path), jsonPath: jsonPathText(path),
                        "reference to id \(refTargets[e]), which is not an object in the file")
                }
                dropped += 1
                warn(&warnings, path: Array(path.dropLast()), id: refTargets[e], dropped: dropped)
            }
        }
        for (r, target) in rootTargets.enumerated() {
            if let t = lookup.position(of: target) {
                builder.addRoot(filePosition(t), kind: rootKinds[r], name: rootNames[r])
                continue
            }
            let path: [JSONPathStep] = [.key("roots"), .index(r), .key("to")]
            guard unknownReferences == .drop else {
                throw DumpError(
                    .unknownReference(target), file: file, offset: locate(path), jsonPath: jsonPathText(path),
                    "root \"\(rootNames[r])\" refers to id \(target), which is not an object in the file")
            }
            dropped += 1
            warn(&warnings, path: Array(path.dropLast()), id: target, dropped: dropped)
        }
        do {
            return try builder.build(unknownReferences: .reject)
        } catch {
            throw DumpError(.malformed, file: file, error.description)
        }
    }

    /// Records a dropped reference; after 100 warnings, only counts.
    private func warn(_ warnings: inout [DumpWarning], path: [JSONPathStep], id: UInt64, dropped: Int) {
        let limit = 100
        if dropped <= limit {
            warnings.append(DumpWarning(jsonPath: jsonPathText(path), missingID: id, alsoDropped: 0))
        } else if !warnings.isEmpty {
            warnings[warnings.count - 1].alsoDropped += 1
        }
    }

    /// Byte offset of the value at `path` (error path only: re-scans from the start).
    private func locate(_ path: [JSONPathStep]) -> Int? {
        var scanner = JSONGraphReader(bytes: bytes, file: file)
        return try? scanner.offset(of: path)
    }

    private mutating func offset(of path: [JSONPathStep]) throws(DumpError) -> Int? {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        for step in path {
            switch step {
            case .key(let wanted):
                guard try peek("an object") == UInt8(ascii: "{") else { return nil }
                i += 1
                while true {
                    let k = try key()
                    if keyText(k) == wanted { break }
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
