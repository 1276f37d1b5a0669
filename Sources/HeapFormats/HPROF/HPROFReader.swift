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
    /// - Complexity: O(file size + objects log objects); memory is the snapshot's columns plus
    ///   about 30 bytes per object while reading.
    public static func read(
        bytes: UnsafeRawBufferPointer, warnings: inout [DumpWarning], release: ((Range<Int>) -> Void)? = nil
    ) throws(DumpError) -> (snapshot: HeapSnapshot, info: HPROFDumpInfo) {
        var scanner = try HPROFRecordScanner(bytes: bytes)
        scanner.pages = release.map(HPROFPageReleaser.init)
        var index = HPROFIndexer(idSize: scanner.idSize)
        try scanner.scan(&index)
        index.resolvePending()
        var fieldNames = HPROFStringInterner()
        nameClasses(&index.classes, bytes: bytes)
        try index.classes.resolve(idSize: scanner.idSize, bytes: bytes, fieldNames: &fieldNames)
        var columns = try HPROFObjectColumns(index: &index)
        let model = index.inference.infer(idSize: scanner.idSize, sortedIDs: columns.ids)
        columns.computeSizes(classes: index.classes, model: model, bytes: bytes)
        let lookup = HPROFObjectLookup(sortedIDs: columns.ids)
        columns.releaseFileOrder()

        var labels = HPROFLabelCollector(
            classes: index.classes, objectCount: columns.ids.count, idSize: scanner.idSize, bytes: bytes)
        var walker = HPROFEdgeWalker(
            mode: .count, bytes: bytes, idSize: scanner.idSize, lookup: lookup, classes: index.classes,
            fieldNames: fieldNames, labels: labels)
        try scanner.scan(&walker)
        walker.labels.sortStrings()
        walker.beginFill()
        try scanner.scan(&walker)
        labels = walker.labels
        labels.finish(lookup: lookup, classes: index.classes)

        var dropped = walker.dropped
        let roots = snapshotRoots(
            index.roots, threadObjects: index.threadObjects, lookup: lookup, labels: labels, dropped: &dropped)
        if dropped > 0 {
            var warning = walker.droppedExamples.first ?? DumpWarning(jsonPath: "a GC root", missingID: 0, alsoDropped: 0)
            warning.alsoDropped = dropped - 1
            warnings.append(warning)
        }
        let info = HPROFDumpInfo(
            version: scanner.version, idSize: scanner.idSize, memoryModel: model.description,
            weakReferences: walker.weak.count, runtime: runtimeName(index.classes, lookup: lookup, labels: labels, bytes: bytes))
        do {
            let snapshot = try HeapSnapshot(
                ids: columns.ids, typeIndices: columns.typeIndices, sizes: columns.sizes,
                refcounts: [UInt32](repeating: HeapSnapshot.none, count: columns.ids.count),
                generations: [UInt8](repeating: 255, count: columns.ids.count),
                siteIndices: [UInt32](repeating: HeapSnapshot.none, count: columns.ids.count),
                labelIndices: labels.labelIndices, edgeStarts: walker.starts, edgeTargets: walker.targets,
                edgeNames: walker.names, typeNames: columns.typeNames.strings, sites: [],
                fieldNames: walker.fieldNames.strings, labels: labels.labels.strings, roots: roots, allocator: nil)
            return (snapshot, info)
        } catch {
            throw DumpError(.malformed, "the dump does not make a consistent snapshot: \(error)")
        }
    }

    /// Gives every class its Java name from LOAD_CLASS and UTF8 records.
    static func nameClasses(_ classes: inout HPROFClassTable, bytes: UnsafeRawBufferPointer) {
        for i in classes.classes.indices {
            let id = classes.classes[i].dump.classID
            let name = classes.classNameIDs[id].flatMap { classes.string($0, in: bytes) }
            classes.classes[i].name = name.map(HPROFClassTable.javaName) ?? "class@0x\(String(id, radix: 16))"
        }
    }

    /// "OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1", from `java.lang.VersionProps`' statics.
    static func runtimeName(
        _ classes: HPROFClassTable, lookup: HPROFObjectLookup, labels: HPROFLabelCollector, bytes: UnsafeRawBufferPointer
    ) -> String? {
        guard let c = classes.index(named: "java.lang.VersionProps") else { return nil }
        let idSize = Int(labels.idSize)
        func value(_ field: String) -> String? {
            guard let s = classes.classes[c].dump.statics.first(where: { classes.string($0.name, in: bytes) == field }),
                s.type == .object, let p = lookup.position(of: HPROFCursor.loadID(bytes, s.valueOffset, idSize)),
                labels.labelIndices[p] != HeapSnapshot.none
            else { return nil }
            return labels.labels.strings[Int(labels.labelIndices[p])]
        }
        let parts = [value("VM_NAME") ?? value("java_vm_name") ?? "Java", value("java_runtime_version") ?? value("VERSION_NUMBER")]
        return parts.compactMap { $0 }.joined(separator: " ")
    }
}
