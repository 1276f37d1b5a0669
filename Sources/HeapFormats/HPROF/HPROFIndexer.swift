// HPROFIndexer — the first pass over an HPROF file: strings, class names, class dumps, GC roots and
// one row per heap object (id, kind, class, length), in file order. Nothing is decoded beyond what
// later passes need; field values wait for the edge passes.
import HeapGraph

/// What kind of heap object a row is.
enum HPROFObjectKind: UInt8 {
    case instance, objectArray, primitiveArray, classObject
}

/// A GC root as the dump gives it.
struct HPROFRoot {
    var tag: UInt8
    var id: UInt64
    var thread: UInt32?
    var frame: UInt32?
}

/// Pass 1: the object table and everything small.
struct HPROFIndexer: HPROFVisitor {
    var classes = HPROFClassTable()
    /// Per object, in file order.
    var ids: [UInt64] = []
    var kinds: [HPROFObjectKind] = []
    /// Instances: class index (or `unresolved`); object arrays: class index of the array class (or
    /// `unresolved`); primitive arrays: the basic type code; class objects: the class index.
    var classRefs: [UInt32] = []
    /// Array lengths (0 for others).
    var lengths: [UInt32] = []
    /// Where each object's sub-record starts in the file (the graph pass reads it again there).
    var offsets: [Int] = []
    /// Objects whose class came later than they did (or never): row → class id.
    var pendingClassIDs: [(row: Int, classID: UInt64)] = []
    var roots: [HPROFRoot] = []
    /// ROOT_THREAD_OBJECT: thread serial → thread object id.
    var threadObjects: [UInt32: UInt64] = [:]
    var inference = HPROFModelInference()
    let idSize: Int

    static let unresolved = UInt32.max

    init(idSize: Int) { self.idSize = idSize }

    mutating func string(id: UInt64, offset: Int, length: Int) throws(DumpError) {
        classes.stringLocations[id] = (offset, length)
    }

    mutating func loadClass(classID: UInt64, nameID: UInt64) throws(DumpError) {
        classes.classNameIDs[classID] = nameID
    }

    mutating func root(tag: UInt8, id: UInt64, thread: UInt32?, frame: UInt32?, offset: Int) throws(DumpError) {
        roots.append(HPROFRoot(tag: tag, id: id, thread: thread, frame: frame))
        if tag == 0x08, let thread { threadObjects[thread] = id }
    }

    mutating func classDump(_ dump: HPROFClassDump) throws(DumpError) {
        guard classes.indexByID[dump.classID] == nil else {
            throw DumpError(.duplicateID(dump.classID), offset: dump.offset, "expected each class dumped once, class 0x\(String(dump.classID, radix: 16)) comes again")
        }
        let index = classes.classes.count
        classes.indexByID[dump.classID] = index
        classes.classes.append(HPROFClass(dump: dump, name: ""))
        append(dump.classID, .classObject, UInt32(index), 0, at: dump.offset)
    }

    mutating func instance(id: UInt64, classID: UInt64, fieldsOffset: Int, length: Int, offset: Int) throws(DumpError) {
        append(id, .instance, classRef(classID), 0, at: offset)
    }

    mutating func objectArray(id: UInt64, classID: UInt64, count: Int, elementsOffset: Int, offset: Int) throws(DumpError) {
        append(id, .objectArray, classRef(classID), UInt32(count), at: offset)
        inference.noteArray(id: id, count: count, elementSize: 0)
    }

    mutating func primitiveArray(id: UInt64, type: HPROFBasicType, count: Int, elementsOffset: Int?, offset: Int) throws(DumpError) {
        append(id, .primitiveArray, UInt32(type.rawValue), UInt32(count), at: offset)
        inference.noteArray(id: id, count: count, elementSize: type.dumpSize(idSize: idSize))
    }

    mutating func heapInfo(heapID: UInt32, nameID: UInt64) throws(DumpError) {}

    private mutating func classRef(_ classID: UInt64) -> UInt32 {
        if let c = classes.indexByID[classID] { return UInt32(c) }
        pendingClassIDs.append((ids.count, classID))
        return Self.unresolved
    }

    private mutating func append(_ id: UInt64, _ kind: HPROFObjectKind, _ classRef: UInt32, _ length: UInt32, at offset: Int) {
        ids.append(id)
        offsets.append(offset)
        kinds.append(kind)
        classRefs.append(classRef)
        lengths.append(length)
        inference.noteObject(id: id)
    }

    /// Resolves the classes named before their CLASS_DUMP came; the rest stay `unresolved`.
    mutating func resolvePending() {
        for p in pendingClassIDs {
            if let c = classes.indexByID[p.classID] { classRefs[p.row] = UInt32(c) }
        }
        pendingClassIDs = []
    }
}
