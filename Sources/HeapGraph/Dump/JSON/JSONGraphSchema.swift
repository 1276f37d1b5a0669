// JSONGraphSchema — the shape of heapscan's JSON interchange format (docs/json-format.md) over the
// byte scanner: the top-level keys, objects, refs and roots, parsed straight into file-order columns
// (no tree of JSON values). Ids are resolved afterwards (JSONIDResolution).

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

/// A JSON graph as the file lists it: objects, refs and roots in file order, ids not yet resolved.
struct JSONGraphDocument {
    // Columns in file order.
    var ids: [UInt64] = []
    var typeIndices: [UInt32] = []
    var sizes: [UInt64] = []
    var refcounts: [UInt32] = []
    var generations: [UInt8] = []
    var siteIndices: [UInt32] = []
    var labelIndices: [UInt32] = []
    /// `fileEdgeStarts[k]..<fileEdgeStarts[k + 1]` are object k's refs (in file order).
    var fileEdgeStarts: [Int] = [0]
    var refTargets: [UInt64] = []
    var refNames: [UInt32] = []
    /// Kind of each ref, once `hasKinds` (a ref that is not strong was seen).
    var refKinds: [ReferenceKind] = []
    var hasKinds = false
    var rootTargets: [UInt64] = []
    var rootNames: [String] = []
    var rootKinds: [RootKind] = []
    var liveness = Liveness.refcount
    /// File positions of the objects marked `"detached": true`.
    var detachedObjects: [Int] = []
    var runtime: String?
    var types = StringTable()
    var siteTable = StringTable()
    var labelTable = StringTable()
    var fieldTable = StringTable()

    /// Room for as many objects and refs as `textSize` bytes could hold (the smallest object is 28
    /// bytes, the smallest ref 8): address space only, untouched pages cost nothing, and the columns
    /// never have to be copied while growing.
    init(textSize: Int) {
        let objects = textSize / 28
        ids.reserveCapacity(objects)
        sizes.reserveCapacity(objects)
        typeIndices.reserveCapacity(objects)
        refcounts.reserveCapacity(objects)
        siteIndices.reserveCapacity(objects)
        labelIndices.reserveCapacity(objects)
        generations.reserveCapacity(objects)
        fileEdgeStarts.reserveCapacity(objects + 1)
        refTargets.reserveCapacity(textSize / 8)
        refNames.reserveCapacity(textSize / 8)
    }
}

/// Parses the document's shape with a ``JSONScanner`` into a ``JSONGraphDocument``.
struct JSONGraphParser {
    var scan: JSONScanner
    var document: JSONGraphDocument
    /// Called now and then with the offset below which the text is no longer needed (a mapped file
    /// gives its pages back), so that a large file's text does not stay beside its columns.
    var releaseBefore: ((Int) -> Void)?
    private var released = 0

    init(bytes: UnsafeBufferPointer<UInt8>, file: String?) {
        scan = JSONScanner(bytes: bytes, file: file)
        document = JSONGraphDocument(textSize: bytes.count)
    }

    /// Reads a key and its colon.
    private mutating func key() throws(DumpError) -> (key: Key, text: Range<Int>, decoded: [UInt8]?) {
        let (range, decoded) = try scan.rawKey()
        if let decoded { return (decoded.withUnsafeBufferPointer { classify($0) }, range, decoded) }
        return (classify(UnsafeBufferPointer(rebasing: scan.bytes[range])), range, nil)
    }

    private func keyText(_ k: (key: Key, text: Range<Int>, decoded: [UInt8]?)) -> String {
        if k.key != .other { return k.key.text }
        return scan.keyString((k.text, k.decoded))
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

    // MARK: The document

    /// Parses the whole document into scan.file-order columns.
    mutating func parse() throws(DumpError) {
        scan.skipByteOrderMark()
        let b = try scan.peek("a JSON object")
        guard b == UInt8(ascii: "{") else {
            throw scan.fail(.jsonShape, "expected a JSON object with the key \"heapscan\", found \(scan.found())")
        }
        scan.i += 1
        var version: UInt64?
        var sawObjects = false
        var sawRoots = false
        var sawLiveness = false
        var sawRuntime = false
        if !scan.consume(UInt8(ascii: "}")) {
            repeat {
                let k = try key()
                scan.location.top = keyText(k)
                scan.location.item = nil
                switch k.key {
                case .heapscan:
                    guard version == nil else { throw scan.fail(.jsonShape, "duplicate key \"heapscan\"") }
                    let at = scan.i
                    let v = try scan.integer("the format version")
                    guard v == 1 else {
                        throw scan.fail(.unsupportedVersion(v), "unsupported heapscan JSON version \(v), this reader knows version 1", at: at)
                    }
                    version = v
                case .objects:
                    guard !sawObjects else { throw scan.fail(.jsonShape, "duplicate key \"objects\"") }
                    sawObjects = true
                    try objects()
                case .roots:
                    guard !sawRoots else { throw scan.fail(.jsonShape, "duplicate key \"roots\"") }
                    sawRoots = true
                    try rootList()
                case .liveness:
                    guard !sawLiveness else { throw scan.fail(.jsonShape, "duplicate key \"liveness\"") }
                    sawLiveness = true
                    let at = scan.i
                    let word = try scan.optionalString("liveness") ?? Liveness.refcount.name
                    guard let rule = Liveness(name: word) else {
                        throw scan.fail(.jsonShape, "expected liveness \"refcount\" or \"roots\", found \(quoted(word))", at: at)
                    }
                    document.liveness = rule
                case .runtime:
                    guard !sawRuntime else { throw scan.fail(.jsonShape, "duplicate key \"runtime\"") }
                    sawRuntime = true
                    document.runtime = try scan.optionalString("runtime")
                default:
                    try scan.skipValue()
                }
                scan.location.top = nil
            } while try scan.next(UInt8(ascii: "}"))
        }
        scan.skipWhitespace()
        guard scan.i == scan.bytes.count else { throw scan.fail(.jsonSyntax, "unexpected \(scan.found()) after the JSON object") }
        guard version != nil else {
            throw scan.fail(.jsonShape, "missing key \"heapscan\" (the format version, 1)", at: 0)
        }
        guard sawObjects else { throw scan.fail(.jsonShape, "missing key \"objects\"", at: 0) }
    }

    private mutating func objects() throws(DumpError) {
        if try scan.isNull() { return }
        guard try scan.peek("an array of objects") == UInt8(ascii: "[") else {
            throw scan.fail(.jsonShape, "expected an array of objects, found \(scan.found())")
        }
        scan.i += 1
        if scan.consume(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            scan.location.item = index
            try object()
            scan.location.item = nil
            index += 1
            if let releaseBefore, scan.i - released >= 1 << 24 {
                released = scan.i
                releaseBefore(released)
            }
        } while try scan.next(UInt8(ascii: "]"))
    }

    private mutating func object() throws(DumpError) {
        guard try scan.peek("an object") == UInt8(ascii: "{") else { throw scan.fail(.jsonShape, "expected an object, found \(scan.found())") }
        let start = scan.i
        scan.i += 1
        var id: UInt64?, type: UInt32?, size: UInt64?
        var refcount = HeapSnapshot.none, generation: UInt8 = 255, site = HeapSnapshot.none, label = HeapSnapshot.none
        var seen: UInt16 = 0
        var detached = false
        if !scan.consume(UInt8(ascii: "}")) {
            repeat {
                let k = try key()
                let text = keyText(k)
                scan.location.key = text
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
                if seen & bit != 0 { throw scan.fail(.jsonShape, "duplicate key \"\(text)\"") }
                seen |= bit
                switch k.key {
                case .id: id = try scan.integer("id")
                case .type: type = document.types.intern(try scan.stringValue("type"))
                case .size: size = try scan.integer("size")
                case .refcount:
                    if !(try scan.isNull()) { refcount = UInt32(try scan.integer("refcount", maximum: UInt64(UInt32.max - 1))) }
                case .generation:
                    if !(try scan.isNull()) { generation = UInt8(try scan.integer("generation", maximum: 255)) }
                case .site: site = try scan.optionalString("site").map { document.siteTable.intern($0) } ?? HeapSnapshot.none
                case .label: label = try scan.optionalString("label").map { document.labelTable.intern($0) } ?? HeapSnapshot.none
                case .refs: try references()
                case .detached: detached = try scan.optionalBool("detached") ?? false
                default: try scan.skipValue()
                }
                scan.location.key = nil
            } while try scan.next(UInt8(ascii: "}"))
        }
        guard let id, let type, let size else {
            let name = id == nil ? "id" : type == nil ? "type" : "size"
            throw scan.fail(.jsonShape, "missing key \"\(name)\" (required in every object)", at: start)
        }
        document.ids.append(id)
        document.typeIndices.append(type)
        document.sizes.append(size)
        document.refcounts.append(refcount)
        document.generations.append(generation)
        document.siteIndices.append(site)
        document.labelIndices.append(label)
        if detached { document.detachedObjects.append(document.ids.count - 1) }
        document.fileEdgeStarts.append(document.refTargets.count)
    }

    private mutating func references() throws(DumpError) {
        if try scan.isNull() { return }
        guard try scan.peek("an array of references") == UInt8(ascii: "[") else {
            throw scan.fail(.jsonShape, "expected an array of references, found \(scan.found())")
        }
        scan.i += 1
        if scan.consume(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            scan.location.ref = index
            let (to, name, kind) = try reference()
            let referenceKind: ReferenceKind = try kind.map { (word) throws(DumpError) in try self.referenceKind(word) } ?? .strong
            if referenceKind != .strong && !document.hasKinds {
                document.hasKinds = true
                document.refKinds = [ReferenceKind](repeating: .strong, count: document.refTargets.count)
            }
            if document.hasKinds { document.refKinds.append(referenceKind) }
            document.refTargets.append(to)
            document.refNames.append(name.map { document.fieldTable.intern($0) } ?? HeapSnapshot.none)
            scan.location.ref = nil
            index += 1
        } while try scan.next(UInt8(ascii: "]"))
    }

    /// The reference kind spelled `word`, or an error naming the allowed ones.
    private func referenceKind(_ word: String) throws(DumpError) -> ReferenceKind {
        guard let kind = ReferenceKind(name: word) else {
            let allowed = ReferenceKind.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw scan.fail(.jsonShape, "unknown reference kind \(quoted(word)), expected one of \(allowed)")
        }
        return kind
    }

    /// `word` in quotes, cut to 40 bytes: an error line never echoes unbounded input.
    private func quoted(_ word: String) -> String {
        word.utf8.count <= 40 ? "\"\(word)\"" : "\"\(String(decoding: word.utf8.prefix(40), as: UTF8.self))…\""
    }

    /// `{"to": id, "name": text, "kind": text}`, for refs and roots.
    private mutating func reference() throws(DumpError) -> (to: UInt64, name: String?, kind: String?) {
        guard try scan.peek("an object") == UInt8(ascii: "{") else { throw scan.fail(.jsonShape, "expected an object, found \(scan.found())") }
        let start = scan.i
        scan.i += 1
        var to: UInt64?
        var name: String?
        var kind: String?
        var sawName = false
        var sawKind = false
        if !scan.consume(UInt8(ascii: "}")) {
            repeat {
                let k = try key()
                setInnerKey(keyText(k))
                switch k.key {
                case .to:
                    guard to == nil else { throw scan.fail(.jsonShape, "duplicate key \"to\"") }
                    to = try scan.integer("to")
                case .name:
                    guard !sawName else { throw scan.fail(.jsonShape, "duplicate key \"name\"") }
                    sawName = true
                    name = try scan.optionalString("name")
                case .kind:
                    guard !sawKind else { throw scan.fail(.jsonShape, "duplicate key \"kind\"") }
                    sawKind = true
                    kind = try scan.optionalString("kind")
                default: try scan.skipValue()
                }
                setInnerKey(nil)
            } while try scan.next(UInt8(ascii: "}"))
        }
        guard let to else { throw scan.fail(.jsonShape, "missing key \"to\" (the id referred to)", at: start) }
        return (to, name, kind)
    }

    /// The key inside a ref (objects[scan.i].refs[k].KEY) or a root (roots[scan.i].KEY).
    private mutating func setInnerKey(_ key: String?) {
        if scan.location.ref != nil { scan.location.refKey = key } else { scan.location.key = key }
    }

    private mutating func rootList() throws(DumpError) {
        if try scan.isNull() { return }
        guard try scan.peek("an array of roots") == UInt8(ascii: "[") else {
            throw scan.fail(.jsonShape, "expected an array of roots, found \(scan.found())")
        }
        scan.i += 1
        if scan.consume(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            scan.location.item = index
            let (to, name, kind) = try reference()
            var rootKind = RootKind.unknown
            if let kind {
                guard let k = RootKind(name: kind) else {
                    let allowed = RootKind.allCases.map { "\"\($0.name)\"" }.joined(separator: ", ")
                    throw scan.fail(.jsonShape, "unknown root kind \(quoted(kind)), expected one of \(allowed)")
                }
                rootKind = k
            }
            document.rootTargets.append(to)
            document.rootNames.append(name ?? "root")
            document.rootKinds.append(rootKind)
            scan.location.item = nil
            index += 1
        } while try scan.next(UInt8(ascii: "]"))
    }

}
