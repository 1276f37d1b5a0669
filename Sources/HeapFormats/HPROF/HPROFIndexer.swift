// HPROFIndexer — the first pass over an HPROF file: strings, class names, class dumps, GC roots, and
// for each heap object only its id and where its record starts (16 bytes an object). Types, sizes,
// labels and references are read in the second pass, from the records themselves.
import HeapGraph

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
    /// Per object, in file order: its id and the offset of its sub-record.
    var ids: [UInt64] = []
    var offsets: [Int] = []
    var roots: [HPROFRoot] = []
    /// ROOT_THREAD_OBJECT: thread serial → thread object id.
    var threadObjects: [UInt32: UInt64] = [:]
    var inference = HPROFModelInference()
    /// Instances per class id, and the elements of every object array: with the classes' reference
    /// fields, an upper bound of the references (the builder's capacity).
    var instancesPerClass: [UInt64: Int] = [:]
    var arrayElements = 0
    let idSize: Int

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
        classes.indexByID[dump.classID] = classes.classes.count
        classes.classes.append(HPROFClass(dump: dump, name: ""))
        append(dump.classID, at: dump.offset)
    }

    mutating func instance(id: UInt64, classID: UInt64, fieldsOffset: Int, length: Int, offset: Int) throws(DumpError) {
        append(id, at: offset)
        instancesPerClass[classID, default: 0] += 1
    }

    mutating func objectArray(id: UInt64, classID: UInt64, count: Int, elementsOffset: Int, offset: Int) throws(DumpError) {
        append(id, at: offset)
        arrayElements += count
        inference.noteArray(id: id, count: count, elementSize: 0)
    }

    mutating func primitiveArray(id: UInt64, type: HPROFBasicType, count: Int, elementsOffset: Int?, offset: Int) throws(DumpError) {
        append(id, at: offset)
        inference.noteArray(id: id, count: count, elementSize: type.dumpSize(idSize: idSize))
    }

    mutating func heapInfo(heapID: UInt32, nameID: UInt64) throws(DumpError) {}

    private mutating func append(_ id: UInt64, at offset: Int) {
        ids.append(id)
        offsets.append(offset)
        inference.noteObject(id: id)
    }

    /// At most this many references (null fields and unknown ids are left out later).
    func referenceBound() -> Int {
        var bound = arrayElements
        for c in classes.classes {
            bound += c.dump.statics.count + (instancesPerClass[c.dump.classID] ?? 0) * c.referenceFields.count
        }
        return bound
    }
}
