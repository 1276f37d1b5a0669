// HPROFEdgeWalker — the second and third passes: every reference of every object (instance fields
// through the superclass chain, object-array elements, static fields of classes), first counted per
// object, then written into the snapshot's compressed rows. Ids that name no object are dropped and
// counted; `Reference.referent` goes to the weak list, never the retaining rows.
import HeapGraph

/// Reference walk over the heap-dump records.
struct HPROFEdgeWalker: HPROFVisitor {
    enum Mode { case count, fill }
    var mode: Mode
    let bytes: UnsafeRawBufferPointer
    let idSize: Int
    let lookup: HPROFObjectLookup
    let classes: HPROFClassTable
    /// `objectCount + 1` entries: counts at `pos + 1` in `.count` mode, then the row starts.
    var starts: [UInt32]
    var targets: [UInt32] = []
    var names: [UInt32] = []
    /// Weak references (referents): source position, target position.
    var weak: [(source: UInt32, target: UInt32)] = []
    /// Names for `[i]` of object arrays, interned on demand.
    var fieldNames: HPROFStringInterner
    var arrayIndexNames: [UInt32] = []
    var dropped = 0
    var droppedExamples: [DumpWarning] = []
    var labels: HPROFLabelCollector
    /// Write cursor of the object being filled.
    private var cursor = 0

    init(mode: Mode, bytes: UnsafeRawBufferPointer, idSize: Int, lookup: HPROFObjectLookup, classes: HPROFClassTable,
         fieldNames: HPROFStringInterner, labels: HPROFLabelCollector) {
        self.mode = mode
        self.bytes = bytes
        self.idSize = idSize
        self.lookup = lookup
        self.classes = classes
        self.fieldNames = fieldNames
        self.labels = labels
        starts = [UInt32](repeating: 0, count: lookup.ids.count + 1)
    }

    /// Switches from counting to filling: counts become row starts and the rows are allocated.
    mutating func beginFill() {
        for i in 0..<lookup.ids.count { starts[i + 1] += starts[i] }
        let total = Int(starts[lookup.ids.count])
        targets = [UInt32](repeating: 0, count: total)
        names = [UInt32](repeating: HeapSnapshot.none, count: total)
        mode = .fill
    }

    func string(id: UInt64, offset: Int, length: Int) throws(DumpError) {}
    func loadClass(classID: UInt64, nameID: UInt64) throws(DumpError) {}
    func root(tag: UInt8, id: UInt64, thread: UInt32?, frame: UInt32?, offset: Int) throws(DumpError) {}
    func heapInfo(heapID: UInt32, nameID: UInt64) throws(DumpError) {}

    mutating func classDump(_ dump: HPROFClassDump) throws(DumpError) {
        guard let source = begin(dump.classID) else { return }
        for s in dump.statics where s.type == .object {
            let name = fieldNames.intern(classes.string(s.name, in: bytes) ?? "static@\(s.name)")
            reference(from: source, to: HPROFCursor.loadID(bytes, s.valueOffset, idSize), name: name, at: s.valueOffset)
        }
    }

    mutating func instance(id: UInt64, classID: UInt64, fieldsOffset: Int, length: Int, offset: Int) throws(DumpError) {
        guard let source = begin(id), let c = classes.indexByID[classID] else { return }
        let cls = classes.classes[c]
        guard length >= cls.dataLength else {
            throw DumpError(.malformed, offset: offset, "expected \(cls.dataLength) bytes of fields for an instance of \(cls.name), found \(length)")
        }
        for field in cls.referenceFields {
            let at = fieldsOffset + field.offset
            let target = HPROFCursor.loadID(bytes, at, idSize)
            if field.isReferent {
                if mode == .fill, target != 0, let t = lookup.position(of: target) { weak.append((UInt32(source), UInt32(t))) }
                continue
            }
            reference(from: source, to: target, name: field.nameIndex, at: at)
        }
        if mode == .count { labels.noteInstance(position: source, classIndex: c, fieldsOffset: fieldsOffset) }
    }

    mutating func objectArray(id: UInt64, classID: UInt64, count: Int, elementsOffset: Int, offset: Int) throws(DumpError) {
        guard let source = begin(id) else { return }
        for i in 0..<count {
            let at = elementsOffset + i * idSize
            reference(from: source, to: HPROFCursor.loadID(bytes, at, idSize), name: indexName(i), at: at)
        }
    }

    mutating func primitiveArray(id: UInt64, type: HPROFBasicType, count: Int, elementsOffset: Int?, offset: Int) throws(DumpError) {
        if mode == .fill, let elementsOffset, type == .byte || type == .char {
            labels.noteArray(id: id, type: type, count: count, elementsOffset: elementsOffset, bytes: bytes)
        }
    }

    /// The position of the object a record describes, and in `.fill` mode its write cursor.
    private mutating func begin(_ id: UInt64) -> Int? {
        guard let p = lookup.position(of: id) else { return nil }
        if mode == .fill { cursor = Int(starts[p]) }
        return p
    }

    @inline(__always)
    private mutating func reference(from source: Int, to id: UInt64, name: UInt32, at offset: Int) {
        guard id != 0 else { return }
        guard let t = lookup.position(of: id) else {
            if mode == .count { noteDropped(id, at: offset) }
            return
        }
        switch mode {
        case .count:
            starts[source + 1] += 1
        case .fill:
            targets[cursor] = UInt32(t)
            names[cursor] = name
            cursor += 1
        }
    }

    private mutating func indexName(_ i: Int) -> UInt32 {
        while arrayIndexNames.count <= i { arrayIndexNames.append(fieldNames.intern("[\(arrayIndexNames.count)]")) }
        return arrayIndexNames[i]
    }

    private mutating func noteDropped(_ id: UInt64, at offset: Int) {
        dropped += 1
        if droppedExamples.isEmpty {
            droppedExamples.append(DumpWarning(jsonPath: "the reference at byte \(offset)", missingID: id, alsoDropped: 0))
        }
    }
}
