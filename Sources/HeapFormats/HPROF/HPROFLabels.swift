// HPROFLabels — the text shown beside objects: a `java.lang.String`'s characters (Latin-1 or UTF-16
// by its `coder`, or a JDK 8 `char[]`), cut short; a `java.lang.Thread`'s name; a class object's
// class name. Strings are found in the edge pass, their arrays' bytes decoded in the next one.
import HeapGraph

/// Collects labels across the edge passes.
struct HPROFLabelCollector {
    /// Characters kept of a string; longer ones end in "…".
    static let maximumLength = 40

    let idSize: Int
    /// The mapped file.
    let bytes: UnsafeRawBufferPointer
    var labelIndices: [UInt32]
    var labels = HPROFStringInterner()
    /// String class, where its `value` and `coder` fields lie.
    private let stringClass: Int?
    private let valueField: Int?
    private let coderField: Int?
    /// For each class: the offset of `Thread.name` when the class is a thread, else nil.
    private let threadNameFields: [Int?]
    /// (value array id, string position, coder), sorted by id after the counting pass.
    private var stringValues: [(array: UInt64, string: UInt32, coder: UInt8)] = []
    private var threadNames: [(thread: UInt32, name: UInt64)] = []

    init(classes: HPROFClassTable, objectCount: Int, idSize: Int, bytes: UnsafeRawBufferPointer) {
        self.idSize = idSize
        self.bytes = bytes
        labelIndices = [UInt32](repeating: HeapSnapshot.none, count: objectCount)
        let string = classes.index(named: "java.lang.String")
        stringClass = string
        valueField = string.flatMap { classes.fieldOffset(in: $0, owner: $0, name: "value", idSize: idSize, bytes: bytes) }
            .flatMap { $0.type == .object ? $0.offset : nil }
        coderField = string.flatMap { classes.fieldOffset(in: $0, owner: $0, name: "coder", idSize: idSize, bytes: bytes) }
            .flatMap { $0.type == .byte ? $0.offset : nil }
        let thread = classes.index(named: "java.lang.Thread")
        threadNameFields = classes.classes.indices.map { c in
            guard let thread, classes.inherits(c, from: thread),
                let field = classes.fieldOffset(in: c, owner: thread, name: "name", idSize: idSize, bytes: bytes),
                field.type == .object
            else { return nil }
            return field.offset
        }
    }

    /// An instance seen in the counting pass (its field bytes are in range: the walker checked).
    mutating func noteInstance(position: Int, classIndex: Int, fieldsOffset: Int) {
        if classIndex == stringClass, let valueField {
            let array = HPROFCursor.loadID(bytes, fieldsOffset + valueField, idSize)
            let coder = coderField.map { bytes[fieldsOffset + $0] } ?? 1
            if array != 0 { stringValues.append((array, UInt32(position), coder)) }
        } else if let nameField = threadNameFields[classIndex] {
            threadNames.append((UInt32(position), HPROFCursor.loadID(bytes, fieldsOffset + nameField, idSize)))
        }
    }

    /// Called between the counting and the filling pass.
    mutating func sortStrings() { stringValues.sort { $0.array < $1.array } }

    /// A `byte[]`/`char[]` seen in the fill pass: labels the strings whose value it is.
    mutating func noteArray(id: UInt64, type: HPROFBasicType, count: Int, elementsOffset: Int, bytes: UnsafeRawBufferPointer) {
        var lo = 0
        var hi = stringValues.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if stringValues[mid].array < id { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        while i < stringValues.count && stringValues[i].array == id {
            let text = Self.decode(type: type, coder: stringValues[i].coder, count: count, at: elementsOffset, bytes: bytes)
            labelIndices[Int(stringValues[i].string)] = labels.intern(text)
            i += 1
        }
    }

    /// Labels threads by their name strings and class objects by their class names.
    mutating func finish(lookup: HPROFObjectLookup, classes: HPROFClassTable) {
        for t in threadNames {
            if let p = lookup.position(of: t.name), labelIndices[p] != HeapSnapshot.none {
                labelIndices[Int(t.thread)] = labelIndices[p]
            }
        }
        for c in classes.classes {
            if let p = lookup.position(of: c.dump.classID) { labelIndices[p] = labels.intern(c.name) }
        }
        stringValues = []
        threadNames = []
    }

    /// The first `maximumLength` characters of a string's value array.
    static func decode(type: HPROFBasicType, coder: UInt8, count: Int, at offset: Int, bytes: UnsafeRawBufferPointer) -> String {
        var scalars = String.UnicodeScalarView()
        let limit = maximumLength
        if type == .byte && coder == 0 {
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
