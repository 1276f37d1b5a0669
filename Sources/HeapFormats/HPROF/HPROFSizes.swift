// HPROFSizes — shallow sizes as HotSpot computes them (what `jcmd GC.class_histogram` prints): header,
// reference size and alignment inferred from the dump; instances laid out as HotSpot 15+ does (largest
// first, holes filled first-fit, the superclass's layout kept), arrays a header plus their elements.
import HeapGraph

/// The JVM's object layout parameters, as inferred from a dump.
struct HPROFMemoryModel: Equatable, CustomStringConvertible {
    /// Mark word + class pointer: 12 with compressed class pointers, 16 without (8 on a 32-bit JVM).
    var header: Int
    /// 4 with compressed oops (or a 32-bit JVM), 8 without.
    var referenceSize: Int
    /// Object alignment (`-XX:ObjectAlignmentInBytes`, 8 by default).
    var alignment: Int

    /// Where an array's elements start: header plus the 4-byte length, rounded to 8.
    var arrayBase: Int { (header + 4 + 7) & ~7 }

    var description: String {
        "header \(header) B, references \(referenceSize) B\(referenceSize == 4 && header == 12 ? " (compressed oops)" : ""), alignment \(alignment) B"
    }

    /// The candidates tried for a dump with identifiers of `idSize` bytes.
    static func candidates(idSize: Int, alignment: Int) -> [HPROFMemoryModel] {
        idSize == 4
            ? [HPROFMemoryModel(header: 8, referenceSize: 4, alignment: alignment)]
            : [12, 16].flatMap { h in [4, 8].map { HPROFMemoryModel(header: h, referenceSize: $0, alignment: alignment) } }
                .filter { !($0.header == 16 && $0.referenceSize == 4) }
    }

    @inline(__always) func aligned(_ n: Int) -> UInt64 { UInt64((n + alignment - 1) / alignment * alignment) }

    /// Shallow size of an array of `count` elements of `elementSize` bytes.
    @inline(__always) func arraySize(count: Int, elementSize: Int) -> UInt64 { aligned(arrayBase + count * elementSize) }

    /// Bytes a field of `type` takes in the JVM's heap.
    func heapSize(_ type: HPROFBasicType) -> Int {
        type == .object ? referenceSize : type.dumpSize(idSize: 8)
    }
}

/// HotSpot's field layout, replayed: a byte map of used offsets, fields placed first-fit.
struct HPROFFieldLayout {
    private var used: [Bool]
    /// One past the last used byte.
    private(set) var end: Int
    /// Fields go after `end`, never into holes (a subclass of a class with `@Contended` fields).
    var appendOnly = false

    /// A layout whose first `start` bytes (the header, or the mirror's own fields) are taken.
    init(start: Int) {
        used = [Bool](repeating: true, count: start)
        end = start
    }

    /// Places fields of the given sizes: largest first, each in the first aligned hole that fits,
    /// else at the end; primitives before references, as HotSpot's regular layout does.
    mutating func place(primitives: [Int], references: [Int]) {
        for size in primitives.sorted(by: >) + references { place(size) }
    }

    private mutating func place(_ size: Int) {
        var offset = appendOnly ? end : 0
        while offset + size <= end {
            if (offset..<offset + size).allSatisfy({ !used[$0] }) { break }
            offset += size
        }
        if offset + size > end { offset = (end + size - 1) / size * size }
        if offset + size > used.count { used += [Bool](repeating: false, count: offset + size - used.count) }
        for i in offset..<offset + size { used[i] = true }
        end = Swift.max(end, offset + size)
    }

    /// Adds `count` bytes of padding at the end (HotSpot's `@Contended` padding).
    mutating func pad(_ count: Int) {
        used += [Bool](repeating: true, count: end + count - used.count)
        end += count
    }
}

/// `@Contended` in the JDK's own classes (a dump does not carry annotations): whole classes, and
/// groups of fields. HotSpot pads each with `ContendedPaddingWidth` (128) bytes before and after.
enum HPROFContended {
    static let paddingWidth = 128
    static let classes: Set<String> = [
        "java.util.concurrent.ConcurrentHashMap$CounterCell", "java.util.concurrent.atomic.Striped64$Cell",
        "java.util.concurrent.Exchanger$Node",
    ]
    static let fieldGroups: [String: Set<String>] = [
        "java.lang.Thread": ["threadLocalRandomSeed", "threadLocalRandomProbe", "threadLocalRandomSecondarySeed"],
    ]
}

extension HPROFClassTable {
    /// Fields HotSpot adds to some JDK classes and leaves out of heap dumps (javaClasses.hpp's
    /// injected fields, JDK 17), as heap sizes; `0` stands for a reference.
    static let injectedFields: [String: [Int]] = [
        "java.lang.Class": [8, 8, 4, 4, 0, 0, 0],
        "java.lang.ClassLoader": [8],
        "java.lang.invoke.ResolvedMethodName": [0, 8],
        "java.lang.invoke.MemberName": [8],
        "java.lang.invoke.MethodHandleNatives$CallSiteContext": [8, 8],
        "java.lang.StackFrameInfo": [2],
        "java.lang.Module": [8],
        "java.lang.InternalError": [1],
    ]

    /// Instance size of every class under `model`; a class's own fields laid out after its superclass's.
    /// - Complexity: O(classes × chain depth × fields²) in the worst case; fields per class are few.
    func instanceSizes(model: HPROFMemoryModel, bytes: UnsafeRawBufferPointer) -> [UInt64] {
        classes.indices.map { c in UInt64(layout(of: c, model: model, bytes: bytes).end).roundedUp(to: model.alignment) }
    }

    /// The layout of class `c`'s instances, superclasses first.
    func layout(of c: Int, model: HPROFMemoryModel, bytes: UnsafeRawBufferPointer) -> HPROFFieldLayout {
        var chain: [Int] = []
        var current: Int? = c
        while let k = current, chain.count <= classes.count { chain.append(k); current = classes[k].superIndex }
        var layout = HPROFFieldLayout(start: model.header)
        for k in chain.reversed() {
            let name = classes[k].name
            let group = HPROFContended.fieldGroups[name] ?? []
            var primitives: [Int] = []
            var references: [Int] = []
            var contended: (primitives: [Int], references: [Int]) = ([], [])
            for field in classes[k].dump.fields {
                let size = field.type == .object ? model.referenceSize : model.heapSize(field.type)
                let grouped = !group.isEmpty && group.contains(string(field.name, in: bytes) ?? "")
                switch (field.type == .object, grouped) {
                case (true, false): references.append(size)
                case (false, false): primitives.append(size)
                case (true, true): contended.references.append(size)
                case (false, true): contended.primitives.append(size)
                }
            }
            for size in Self.injectedFields[name] ?? [] {
                if size == 0 { references.append(model.referenceSize) } else { primitives.append(size) }
            }
            let wholeClass = HPROFContended.classes.contains(name)
            if wholeClass { layout.pad(HPROFContended.paddingWidth) }
            layout.place(primitives: primitives, references: references)
            if !contended.primitives.isEmpty || !contended.references.isEmpty {
                layout.pad(HPROFContended.paddingWidth)
                layout.place(primitives: contended.primitives, references: contended.references)
            }
            if wholeClass || !group.isEmpty {
                layout.pad(HPROFContended.paddingWidth)
                // Subclasses append after the padded class, from its word-aligned end.
                layout.pad((8 - layout.end % 8) % 8)
                layout.appendOnly = true
            }
        }
        return layout
    }

    /// Size of the `java.lang.Class` object (the mirror) of class `c`: the mirror's own instance
    /// size, then `c`'s static fields.
    func mirrorSize(of c: Int, classInstanceSize: UInt64, model: HPROFMemoryModel, bytes: UnsafeRawBufferPointer) -> UInt64 {
        var primitives: [Int] = []
        var references: [Int] = []
        // HotSpot adds `<resolved_references>` (the constant pool's array) as a static: not a field.
        for s in classes[c].dump.statics where !(string(s.name, in: bytes) ?? "").hasPrefix("<") {
            if s.type == .object { references.append(model.referenceSize) } else { primitives.append(model.heapSize(s.type)) }
        }
        // Static references first and contiguous (the collector scans them as one run), then the
        // primitives by size, appended (what HotSpot 17's mirrors measure; no holes are filled).
        var layout = HPROFFieldLayout(start: Int(classInstanceSize))
        layout.appendOnly = true
        layout.place(primitives: [], references: references)
        layout.place(primitives: primitives, references: [])
        return UInt64(layout.end).roundedUp(to: model.alignment)
    }
}

extension UInt64 {
    func roundedUp(to alignment: Int) -> UInt64 {
        let a = UInt64(alignment)
        return (self + a - 1) / a * a
    }
}

/// Chooses the memory model that explains the dump's object addresses best.
///
/// HotSpot's object ids are addresses and a live-object dump follows a compacting collection, so the
/// distance from one array to the next object is, for most arrays, exactly that array's size. For
/// each candidate model this counts the sampled arrays whose predicted size equals that distance;
/// the best-scoring model wins (compressed oops on ties, the JVM's default below 32 GB).
/// The alignment is the largest power of two (8...256) dividing every object id.
struct HPROFModelInference {
    /// Sampled arrays: id, element count, element size (0 for object arrays: the reference size).
    var samples: [(id: UInt64, count: UInt32, elementSize: UInt8)] = []
    var idBits: UInt64 = 0
    static let sampleLimit = 1 << 16

    mutating func noteObject(id: UInt64) { idBits |= id }

    mutating func noteArray(id: UInt64, count: Int, elementSize: Int) {
        if samples.count < Self.sampleLimit { samples.append((id, UInt32(truncatingIfNeeded: count), UInt8(elementSize))) }
    }

    /// The model, given every object id in increasing order.
    func infer(idSize: Int, sortedIDs: [UInt64]) -> HPROFMemoryModel {
        var alignment = 8
        while alignment < 256 && idBits & UInt64(2 * alignment - 1) == 0 && idBits != 0 { alignment *= 2 }
        let models = HPROFMemoryModel.candidates(idSize: idSize, alignment: alignment)
        var scores = [Int](repeating: 0, count: models.count)
        for sample in samples {
            guard let gap = HPROFModelInference.distanceToNext(sample.id, sortedIDs) else { continue }
            for (m, model) in models.enumerated() {
                let elementSize = sample.elementSize == 0 ? model.referenceSize : Int(sample.elementSize)
                if model.arraySize(count: Int(sample.count), elementSize: elementSize) == gap { scores[m] += 1 }
            }
        }
        var best = 0
        for m in models.indices where scores[m] > scores[best] { best = m }
        return models[best]
    }

    /// The distance from `id` to the next larger id, by binary search.
    static func distanceToNext(_ id: UInt64, _ sorted: [UInt64]) -> UInt64? {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= id { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count ? sorted[lo] - id : nil
    }
}

/// Sizes and types of the objects as the graph pass meets them: per class, its instance size and
/// type index (computed once), mirror sizes cached per class.
struct HPROFTypesAndSizes {
    let model: HPROFMemoryModel
    let instanceSizes: [UInt64]
    /// Snapshot type index of each class's instances (and of its object arrays).
    let classTypes: [UInt32]
    let classType: UInt32
    let objectArrayType: UInt32
    let unknownType: UInt32
    /// Type index of each primitive array type, by basic type code.
    let primitiveArrayTypes: [UInt32]
    private let mirrorBase: UInt64
    private var mirrorSizes: [UInt64]

    init(classes: HPROFClassTable, model: HPROFMemoryModel, bytes: UnsafeRawBufferPointer, builder: inout HeapSnapshot.Builder) {
        self.model = model
        let instanceSizes = classes.instanceSizes(model: model, bytes: bytes)
        self.instanceSizes = instanceSizes
        classTypes = classes.classes.map { builder.internType($0.name) }
        classType = builder.internType("java.lang.Class")
        objectArrayType = builder.internType("java.lang.Object[]")
        unknownType = builder.internType("(unknown class)")
        primitiveArrayTypes = (0...11).map { code in
            HPROFBasicType(rawValue: UInt8(code)).map { builder.internType($0.arrayTypeName) } ?? HeapSnapshot.none
        }
        mirrorBase = classes.index(named: "java.lang.Class").map { instanceSizes[$0] } ?? UInt64(model.header + 4).roundedUp(to: model.alignment)
        mirrorSizes = [UInt64](repeating: 0, count: classes.classes.count)
    }

    /// The size of class `c`'s `java.lang.Class` object.
    mutating func mirrorSize(of c: Int, classes: HPROFClassTable, bytes: UnsafeRawBufferPointer) -> UInt64 {
        if mirrorSizes[c] == 0 { mirrorSizes[c] = classes.mirrorSize(of: c, classInstanceSize: mirrorBase, model: model, bytes: bytes) }
        return mirrorSizes[c]
    }

    /// Size of an instance of an unknown class: a bare header.
    var bareInstanceSize: UInt64 { UInt64(model.header).roundedUp(to: model.alignment) }
}
