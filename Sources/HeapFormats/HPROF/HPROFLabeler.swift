// HPROFLabeler — the text shown beside objects: a `java.lang.String`'s characters (Latin-1 or UTF-16
// by its `coder`, or a JDK 8 `char[]`), cut short; a `java.lang.Thread`'s name. Both are read where
// they lie in the mapped file, found through the object table's offsets.
import HeapGraph

/// Decodes labels straight from the dump.
struct HPROFLabeler {
    /// Characters kept of a string; longer ones end in "…".
    static let maximumLength = 40

    let bytes: UnsafeRawBufferPointer
    let idSize: Int
    let lookup: HPROFObjectLookup
    let offsets: [Int]
    /// The `java.lang.String` class and where its `value` and `coder` fields lie.
    let stringClass: Int?
    private let valueField: Int?
    private let coderField: Int?
    private let stringClassID: UInt64?
    private let stringDataLength: Int
    /// For each class: the offset of `Thread.name` when the class is a thread, else nil.
    private let threadNameFields: [Int?]

    init(classes: HPROFClassTable, bytes: UnsafeRawBufferPointer, idSize: Int, lookup: HPROFObjectLookup, offsets: [Int]) {
        self.bytes = bytes
        self.idSize = idSize
        self.lookup = lookup
        self.offsets = offsets
        let string = classes.index(named: "java.lang.String")
        stringClass = string
        stringClassID = string.map { classes.classes[$0].dump.classID }
        stringDataLength = string.map { classes.classes[$0].dataLength } ?? 0
        func field(_ owner: Int?, _ name: String, _ type: HPROFBasicType) -> Int? {
            owner.flatMap { classes.fieldOffset(in: $0, owner: $0, name: name, idSize: idSize, bytes: bytes) }
                .flatMap { $0.type == type ? $0.offset : nil }
        }
        valueField = field(string, "value", .object)
        coderField = field(string, "coder", .byte)
        let thread = classes.index(named: "java.lang.Thread")
        threadNameFields = classes.classes.indices.map { c in
            guard let thread, classes.inherits(c, from: thread),
                let field = classes.fieldOffset(in: c, owner: thread, name: "name", idSize: idSize, bytes: bytes),
                field.type == .object
            else { return nil }
            return field.offset
        }
    }

    /// The label of an instance of class `c` whose field bytes (checked long enough) start at `fields`.
    func label(classIndex c: Int, fields: Int) -> String? {
        if c == stringClass { return stringText(fields: fields) }
        if let nameField = threadNameFields[c] { return text(ofString: HPROFCursor.loadID(bytes, fields + nameField, idSize)) }
        return nil
    }

    /// The label of the instance at position `p` (a thread's name, for root names).
    func label(instanceAt p: Int, classes: HPROFClassTable) -> String? {
        var c = HPROFCursor(bytes: bytes, offset: offsets[p], idSize: idSize)
        guard (try? c.u1()) == 0x21, (try? c.id()) != nil, (try? c.skip(4, "")) != nil,
            let classID = try? c.id(), let k = classes.indexByID[classID], let length = try? c.u4(),
            classes.classes[k].dataLength <= Int(length), c.remaining >= Int(length)
        else { return nil }
        return label(classIndex: k, fields: c.offset)
    }

    /// A String's text from its field bytes.
    private func stringText(fields: Int) -> String? {
        guard let valueField else { return nil }
        let coder = coderField.map { bytes[fields + $0] } ?? 1
        return arrayText(HPROFCursor.loadID(bytes, fields + valueField, idSize), coder: coder)
    }

    /// The text of the String with id `id` (a thread's name), when it is one.
    private func text(ofString id: UInt64) -> String? {
        guard let p = lookup.position(of: id) else { return nil }
        var c = HPROFCursor(bytes: bytes, offset: offsets[p], idSize: idSize)
        guard (try? c.u1()) == 0x21, (try? c.id()) != nil, (try? c.skip(4, "")) != nil,
            let classID = try? c.id(), classID == stringClassID, let length = try? c.u4(),
            stringDataLength <= Int(length), c.remaining >= Int(length)
        else { return nil }
        return stringText(fields: c.offset)
    }

    /// The first characters of the `byte[]` / `char[]` with id `id`.
    private func arrayText(_ id: UInt64, coder: UInt8) -> String? {
        guard id != 0, let p = lookup.position(of: id) else { return nil }
        var c = HPROFCursor(bytes: bytes, offset: offsets[p], idSize: idSize)
        guard (try? c.u1()) == 0x23, (try? c.id()) != nil, (try? c.skip(4, "")) != nil,
            let count = try? c.u4(), let code = try? c.u1(), let type = HPROFBasicType(rawValue: code),
            type == .byte || type == .char
        else { return nil }
        return Self.decode(type: type, coder: coder, count: Int(count), at: c.offset, bytes: bytes)
    }

    /// The first `maximumLength` characters of a string's value array (its bytes are in range).
    static func decode(type: HPROFBasicType, coder: UInt8, count: Int, at offset: Int, bytes: UnsafeRawBufferPointer) -> String {
        let limit = maximumLength
        if type == .byte && coder == 0 {
            var scalars = String.UnicodeScalarView()
            for i in 0..<Swift.min(count, limit) { scalars.append(Unicode.Scalar(bytes[offset + i])) }
            return String(scalars) + (count > limit ? "…" : "")
        }
        // UTF-16: `char[]` elements are written big-endian; a compact string's `byte[]` holds the
        // JVM's native order, little-endian on every platform HotSpot dumps come from in practice.
        let units = type == .char ? count : count / 2
        var utf16: [UInt16] = []
        utf16.reserveCapacity(Swift.min(units, limit))
        for i in 0..<Swift.min(units, limit) {
            let at = offset + 2 * i
            utf16.append(type == .char ? HPROFCursor.load16(bytes, at) : UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8)
        }
        return String(decoding: utf16, as: UTF16.self) + (units > limit ? "…" : "")
    }
}
