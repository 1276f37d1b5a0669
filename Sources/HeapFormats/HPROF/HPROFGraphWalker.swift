// HPROFGraphWalker — the second pass: objects in id order, each record read again at its offset and
// added to the builder with type, size, label and references (fields through the superclass chain,
// `[i]` elements, statics); `Reference.referent` weak, ids naming nothing dropped and counted.
import HeapGraph

/// Fills a snapshot builder from the dump, object by object.
struct HPROFGraphWalker: HPROFVisitor {
    let bytes: UnsafeRawBufferPointer
    let idSize: Int
    let lookup: HPROFObjectLookup
    let classes: HPROFClassTable
    let labeler: HPROFLabeler
    var builder: HeapSnapshot.Builder
    var types: HPROFTypesAndSizes
    var dropped = 0
    var firstDropped: DumpWarning?
    var weakReferences = 0
    private var arrayIndexNames: [UInt32] = []
    private var current = 0

    init(bytes: UnsafeRawBufferPointer, idSize: Int, lookup: HPROFObjectLookup, classes: HPROFClassTable,
         labeler: HPROFLabeler, builder: HeapSnapshot.Builder, types: HPROFTypesAndSizes) {
        self.bytes = bytes
        self.idSize = idSize
        self.lookup = lookup
        self.classes = classes
        self.labeler = labeler
        self.builder = builder
        self.types = types
    }

    /// Adds every object, in id order, with its references.
    /// - Complexity: O(objects + references), each object's record read once more.
    mutating func run(scanner: HPROFRecordScanner, offsets: [Int]) throws(DumpError) {
        for p in offsets.indices {
            current = p
            scanner.pages?.reached(offsets[p])
            var cursor = HPROFCursor(bytes: bytes, offset: offsets[p], idSize: idSize)
            try scanner.scanSubRecord(&cursor, &self)
        }
    }

    /// Hands the builder over, leaving an empty one (so the filled one has a single owner).
    mutating func takeBuilder() -> HeapSnapshot.Builder {
        let filled = builder
        builder = HeapSnapshot.Builder()
        return filled
    }

    func string(id: UInt64, offset: Int, length: Int) throws(DumpError) {}
    func loadClass(classID: UInt64, nameID: UInt64) throws(DumpError) {}
    func root(tag: UInt8, id: UInt64, thread: UInt32?, frame: UInt32?, offset: Int) throws(DumpError) {}
    func heapInfo(heapID: UInt32, nameID: UInt64) throws(DumpError) {}

    mutating func classDump(_ dump: HPROFClassDump) throws(DumpError) {
        let c = classes.indexByID[dump.classID]
        let size = c.map { types.mirrorSize(of: $0, classes: classes, bytes: bytes) } ?? types.bareInstanceSize
        add(dump.classID, type: types.classType, size: size, label: c.map { classes.classes[$0].name })
        for s in dump.statics where s.type == .object {
            let name = builder.internFieldName(classes.string(s.name, in: bytes) ?? "static@\(s.name)")
            reference(to: HPROFCursor.loadID(bytes, s.valueOffset, idSize), name: name, at: s.valueOffset)
        }
    }

    mutating func instance(id: UInt64, classID: UInt64, fieldsOffset: Int, length: Int, offset: Int) throws(DumpError) {
        guard let c = classes.indexByID[classID] else { return add(id, type: types.unknownType, size: types.bareInstanceSize, label: nil) }
        let cls = classes.classes[c]
        guard length >= cls.dataLength else {
            throw DumpError(.malformed, offset: offset, "expected \(cls.dataLength) bytes of fields for an instance of \(cls.name), found \(length)")
        }
        add(id, type: types.classTypes[c], size: types.instanceSizes[c], label: labeler.label(classIndex: c, fields: fieldsOffset))
        for field in cls.referenceFields {
            let at = fieldsOffset + field.offset
            reference(to: HPROFCursor.loadID(bytes, at, idSize), name: field.nameIndex, at: at, kind: field.isReferent ? .weak : .strong)
        }
    }

    mutating func objectArray(id: UInt64, classID: UInt64, count: Int, elementsOffset: Int, offset: Int) throws(DumpError) {
        let type = classes.indexByID[classID].map { types.classTypes[$0] } ?? types.objectArrayType
        add(id, type: type, size: types.model.arraySize(count: count, elementSize: types.model.referenceSize), label: nil)
        for i in 0..<count {
            let at = elementsOffset + i * idSize
            let target = HPROFCursor.loadID(bytes, at, idSize)
            if target != 0 { reference(to: target, name: indexName(i), at: at) }
        }
    }

    mutating func primitiveArray(id: UInt64, type: HPROFBasicType, count: Int, elementsOffset: Int?, offset: Int) throws(DumpError) {
        let size = types.model.arraySize(count: count, elementSize: type.dumpSize(idSize: 8))
        add(id, type: types.primitiveArrayTypes[Int(type.rawValue)], size: size, label: nil)
    }

    private mutating func add(_ id: UInt64, type: UInt32, size: UInt64, label: String?) {
        builder.addObject(
            id: id, typeIndex: type, size: size,
            labelIndex: label.map { builder.internLabel($0) } ?? HeapSnapshot.none)
    }

    @inline(__always)
    private mutating func reference(to id: UInt64, name: UInt32, at offset: Int, kind: ReferenceKind = .strong) {
        guard id != 0 else { return }
        guard let t = lookup.position(of: id) else {
            dropped += 1
            if firstDropped == nil { firstDropped = DumpWarning(jsonPath: "the reference at byte \(offset)", missingID: id, alsoDropped: 0) }
            return
        }
        if kind == .weak { weakReferences += 1 }
        builder.addReference(from: current, to: t, nameIndex: name, kind: kind)
    }

    /// `[i]`, interned once per index.
    private mutating func indexName(_ i: Int) -> UInt32 {
        while arrayIndexNames.count <= i { arrayIndexNames.append(builder.internFieldName("[\(arrayIndexNames.count)]")) }
        return arrayIndexNames[i]
    }
}
