// HPROFReader — reads a JVM heap dump (HPROF 1.0.1/1.0.2/1.0.3, identifiers of 4 or 8 bytes) from
// mapped bytes into a HeapSnapshot, in three passes that never copy the file: index the objects,
// count each object's references, write them. docs/hprof.md says how names, sizes and roots map.
import HeapGraph

/// What the reader learnt about a dump besides its snapshot.
public struct HPROFDumpInfo: Sendable {
    /// `JAVA PROFILE 1.0.2`.
    public var version: String
    public var idSize: Int
    /// The inferred layout: "header 12 B, references 4 B (compressed oops), alignment 8 B".
    public var memoryModel: String
    /// `java.lang.ref.Reference.referent` references, kept out of the retaining references.
    public var weakReferences: Int
    /// The JVM that wrote the dump, from `java.lang.VersionProps`, when the dump has it.
    public var runtime: String?
}

/// The HPROF reader.
public enum HPROFReader {
    /// Whether `prefix` starts like an HPROF file.
    public static func matches<Bytes: Collection<UInt8>>(prefix: Bytes) -> Bool {
        HPROFRecordScanner.matches(prefix: prefix)
    }

    /// Reads a dump held in `bytes` (a mapped file). References and roots naming no object are
    /// dropped; one warning counts them. `release`, when given, hands scanned pages back.
    /// - Throws: ``DumpError`` with the byte offset and what was expected.
    /// - Complexity: O(file size + objects log objects); memory is the builder's columns plus
    ///   the reader's object table (17 bytes per object) while reading; docs/hprof.md has measurements.
    public static func read(
        bytes: UnsafeRawBufferPointer, warnings: inout [DumpWarning], release: ((Range<Int>) -> Void)? = nil
    ) throws(DumpError) -> (snapshot: HeapSnapshot, info: HPROFDumpInfo) {
        // Everything but the builder is gone when `fill` returns, before `build` needs the memory.
        var (builder, info) = try fill(bytes: bytes, warnings: &warnings, release: release)
        do {
            return (try builder.build(unknownReferences: .drop), info)
        } catch {
            throw DumpError(.malformed, "the dump does not make a consistent snapshot: \(error)")
        }
    }

    /// Both passes, into a builder ready to build.
    private static func fill(
        bytes: UnsafeRawBufferPointer, warnings: inout [DumpWarning], release: ((Range<Int>) -> Void)?
    ) throws(DumpError) -> (HeapSnapshot.Builder, HPROFDumpInfo) {
        var scanner = try HPROFRecordScanner(bytes: bytes)
        scanner.pages = release.map(HPROFPageReleaser.init)
        var index = HPROFIndexer(idSize: scanner.idSize)
        try scanner.scan(&index)
        var fieldNames = StringTable()
        nameClasses(&index.classes, bytes: bytes)
        try index.classes.resolve(idSize: scanner.idSize, bytes: bytes, fieldNames: &fieldNames)
        let columns = try HPROFObjectColumns(index: &index)
        let model = index.inference.infer(idSize: scanner.idSize, sortedIDs: columns.ids)
        var walker = try walkGraph(scanner: scanner, index: index, columns: columns, model: model, fieldNames: fieldNames)
        let lookup = walker.lookup
        var dropped = walker.dropped
        let labeler = walker.labeler
        addRoots(
            index.roots, threadObjects: index.threadObjects, lookup: lookup,
            threadLabel: { labeler.label(instanceAt: $0, classes: index.classes) }, to: &walker.builder, dropped: &dropped)
        if dropped > 0 {
            var warning = walker.firstDropped ?? DumpWarning(jsonPath: "a GC root", missingID: 0, alsoDropped: 0)
            warning.alsoDropped = dropped - 1
            warnings.append(warning)
        }
        let runtime = runtimeName(index.classes, labeler: labeler, bytes: bytes)
        let info = HPROFDumpInfo(
            version: scanner.version, idSize: scanner.idSize, memoryModel: model.description,
            weakReferences: walker.weakReferences, runtime: runtime)
        walker.builder.liveness = .roots
        walker.builder.runtime = runtime ?? "JVM (\(scanner.version))"
        return (walker.takeBuilder(), info)
    }

    /// The second pass: every object with its label and references, into a new builder.
    private static func walkGraph(
        scanner: HPROFRecordScanner, index: HPROFIndexer, columns: HPROFObjectColumns, model: HPROFMemoryModel,
        fieldNames: StringTable
    ) throws(DumpError) -> HPROFGraphWalker {
        let bytes = scanner.bytes
        let lookup = HPROFObjectLookup(sortedIDs: columns.ids)
        // Capacity for an upper bound of the references: untouched capacity costs no memory.
        var builder = HeapSnapshot.Builder(objectCapacity: columns.ids.count, referenceCapacity: index.referenceBound())
        // The builder's field names take the reader's indices: same strings, same order.
        for name in fieldNames.strings { _ = builder.internFieldName(name) }
        let types = HPROFTypesAndSizes(classes: index.classes, model: model, bytes: bytes, builder: &builder)
        let labeler = HPROFLabeler(
            classes: index.classes, bytes: bytes, idSize: scanner.idSize, lookup: lookup, offsets: columns.offsets)
        var walker = HPROFGraphWalker(
            bytes: bytes, idSize: scanner.idSize, lookup: lookup, classes: index.classes, labeler: labeler,
            builder: builder, types: types)
        builder = HeapSnapshot.Builder()
        try walker.run(scanner: scanner, offsets: columns.offsets)
        return walker
    }

    /// Gives every class its Java name from LOAD_CLASS and UTF8 records.
    static func nameClasses(_ classes: inout HPROFClassTable, bytes: UnsafeRawBufferPointer) {
        for i in classes.classes.indices {
            let id = classes.classes[i].dump.classID
            let name = classes.classNameIDs[id].flatMap { classes.string($0, in: bytes) }
            classes.classes[i].name = name.map(HPROFClassTable.javaName) ?? "class@0x\(String(id, radix: 16))"
        }
    }

    /// "OpenJDK Runtime Environment 17.0.15+6-Debian-1deb12u1", from `java.lang.VersionProps`' statics.
    static func runtimeName(_ classes: HPROFClassTable, labeler: HPROFLabeler, bytes: UnsafeRawBufferPointer) -> String? {
        guard let c = classes.index(named: "java.lang.VersionProps") else { return nil }
        func value(_ field: String) -> String? {
            guard let s = classes.classes[c].dump.statics.first(where: { classes.string($0.name, in: bytes) == field }),
                s.type == .object,
                let p = labeler.lookup.position(of: HPROFCursor.loadID(bytes, s.valueOffset, labeler.idSize))
            else { return nil }
            return labeler.label(instanceAt: p, classes: classes)
        }
        guard let version = value("java_runtime_version") ?? value("VERSION_NUMBER") else { return nil }
        return [value("java_runtime_name") ?? "Java", version].joined(separator: " ")
    }
}
