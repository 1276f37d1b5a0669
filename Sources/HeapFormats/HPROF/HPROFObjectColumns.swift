// HPROFObjectColumns — the snapshot's object columns (ids, types, sizes) in increasing id order,
// made from the indexer's file-order rows; sizes follow the inferred memory model.
import HeapGraph

/// Object columns sorted by id.
struct HPROFObjectColumns {
    var ids: [UInt64]
    var typeIndices: [UInt32]
    var sizes: [UInt64] = []
    /// Where each object's sub-record starts.
    var offsets: [Int]
    var typeNames = HPROFStringInterner()
    /// The indexer's rows in id order (dropped after sizing).
    private var kinds: [HPROFObjectKind]
    private var classRefs: [UInt32]
    private var lengths: [UInt32]

    /// Sorts the indexer's rows by id; a repeated id is an error.
    /// - Complexity: O(objects log objects), no sort when the file is in id order.
    init(index: inout HPROFIndexer) throws(DumpError) {
        let n = index.ids.count
        guard n < Int(UInt32.max) else { throw DumpError(.countTooLarge, "expected fewer than \(UInt32.max) objects, found \(n)") }
        let ids = index.ids
        let sorted = ids.indices.dropFirst().allSatisfy { ids[$0 - 1] < ids[$0] }
        var order = [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = UInt32(i) }
            count = n
        }
        if !sorted { order.sort { ids[Int($0)] < ids[Int($1)] } }
        for i in order.indices.dropFirst() where ids[Int(order[i])] == ids[Int(order[i - 1])] {
            throw DumpError(.duplicateID(ids[Int(order[i])]), "expected each object dumped once, object 0x\(String(ids[Int(order[i])], radix: 16)) comes twice")
        }
        self.ids = order.map { ids[Int($0)] }
        kinds = order.map { index.kinds[Int($0)] }
        classRefs = order.map { index.classRefs[Int($0)] }
        lengths = order.map { index.lengths[Int($0)] }
        offsets = order.map { index.offsets[Int($0)] }
        index.offsets = []
        index.ids = []
        index.kinds = []
        index.classRefs = []
        index.lengths = []
        typeIndices = []
        typeIndices = typeColumn(classes: index.classes)
    }

    /// The type of each object: its class, its array class, its primitive array type, or `java.lang.Class`.
    private mutating func typeColumn(classes: HPROFClassTable) -> [UInt32] {
        let classType = typeNames.intern("java.lang.Class")
        let classTypes = classes.classes.map { typeNames.intern($0.name) }
        let unknown = typeNames.intern("(unknown class)")
        return ids.indices.map { p in
            let ref = classRefs[p]
            switch kinds[p] {
            case .classObject: return classType
            case .primitiveArray: return typeNames.intern(HPROFBasicType(rawValue: UInt8(ref))?.arrayTypeName ?? "?[]")
            case .instance: return ref == HPROFIndexer.unresolved ? unknown : classTypes[Int(ref)]
            case .objectArray: return ref == HPROFIndexer.unresolved ? typeNames.intern("java.lang.Object[]") : classTypes[Int(ref)]
            }
        }
    }

    /// Shallow sizes under `model` (the JVM's, per GC.class_histogram).
    mutating func computeSizes(classes: HPROFClassTable, model: HPROFMemoryModel, bytes: UnsafeRawBufferPointer) {
        let instanceSizes = classes.instanceSizes(model: model, bytes: bytes)
        let mirrorBase = classes.index(named: "java.lang.Class").map { instanceSizes[$0] } ?? UInt64(model.header + 4).roundedUp(to: model.alignment)
        var mirrorSizes: [UInt64?] = [UInt64?](repeating: nil, count: classes.classes.count)
        sizes = ids.indices.map { p in
            let ref = Int(classRefs[p])
            switch kinds[p] {
            case .instance:
                return classRefs[p] == HPROFIndexer.unresolved ? UInt64(model.header).roundedUp(to: model.alignment) : instanceSizes[ref]
            case .objectArray: return model.arraySize(count: Int(lengths[p]), elementSize: model.referenceSize)
            case .primitiveArray:
                let type = HPROFBasicType(rawValue: UInt8(ref)) ?? .byte
                return model.arraySize(count: Int(lengths[p]), elementSize: type.dumpSize(idSize: 8))
            case .classObject:
                if let size = mirrorSizes[ref] { return size }
                let size = classes.mirrorSize(of: ref, classInstanceSize: mirrorBase, model: model, bytes: bytes)
                mirrorSizes[ref] = size
                return size
            }
        }
    }

    /// Drops the rows only sizing needed.
    mutating func releaseFileOrder() {
        kinds = []
        classRefs = []
        lengths = []
    }
}
