// HeapSnapshot+BinaryReader — reads a binary `.heap` dump as untrusted input: every count is checked
// against the bytes left in its section (and every section length against the file) before anything
// is allocated; each section's CRC32 is verified before its contents are interpreted; every index is
// checked, with the byte offset of the offending value in the error. Columns are read straight into
// their arrays and handed to the snapshot builder, whose build() checks the whole once more.
// Versions 1 and 2 (reference kinds, non-retaining references, root kinds, liveness) are read.
import HeapArena

/// Reads one binary dump from `input`.
struct BinaryDumpReader<Input: DumpInput> {
    var input: Input
    let file: String?
    /// Running checksum of the current section's payload.
    private var crc = CRC32()
    /// Offset just past the current section's payload.
    private var sectionEnd = 0
    private var sectionTag = ""
    /// The sections of the file's version, in order.
    private var sectionTags = BinaryDump.sectionTags(version: BinaryDump.version)

    init(input: Input, file: String?) {
        self.input = input
        self.file = file
    }

    private func error(_ kind: DumpError.Kind, at offset: Int?, _ message: String) -> DumpError {
        DumpError(kind, file: file, offset: offset, message)
    }

    // MARK: Primitive reads

    /// Fills `destination` from the input, feeding the section checksum.
    private mutating func fill(_ destination: UnsafeMutableRawBufferPointer) throws(DumpError) {
        guard destination.count <= sectionEnd - input.offset else {
            throw error(
                .countTooLarge, at: input.offset,
                "section \(sectionTag) needs \(destination.count) more bytes but has \(sectionEnd - input.offset) left")
        }
        // Chunks keep the bytes in cache between the copy and the checksum.
        let chunk = 1 << 18
        var done = 0
        while done < destination.count {
            let piece = UnsafeMutableRawBufferPointer(rebasing: destination[done..<min(done + chunk, destination.count)])
            try input.read(into: piece)
            crc.update(UnsafeRawBufferPointer(piece))
            done += piece.count
        }
    }

    /// One little-endian integer of the current section.
    private mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) throws(DumpError) -> T {
        var value = T.zero
        try withUnsafeMutableBytes(of: &value) { (raw) throws(DumpError) in try fill(raw) }
        return T(littleEndian: value)
    }

    /// One integer outside any section (header, section header, checksum): no section limit, no checksum.
    private mutating func headerInteger<T: FixedWidthInteger>(_: T.Type = T.self) throws(DumpError) -> T {
        var value = T.zero
        try withUnsafeMutableBytes(of: &value) { (raw) throws(DumpError) in try input.read(into: raw) }
        return T(littleEndian: value)
    }

    /// A count of elements of `elementSize` bytes, checked against the bytes left in the section.
    private mutating func count(of what: String, elementSize: Int, reserving extra: Int = 0) throws(DumpError) -> Int {
        let at = input.offset
        let raw: UInt64 = try integer()
        let left = sectionEnd - input.offset - extra
        guard left >= 0, raw <= UInt64(left / max(elementSize, 1)) else {
            throw error(
                .countTooLarge, at: at,
                "section \(sectionTag) announces \(raw) \(what) (\(elementSize) bytes each) but has \(max(left, 0)) bytes left")
        }
        return Int(raw)
    }

    /// `count` little-endian integers, read straight into a new array (the count was checked).
    private mutating func array<T: FixedWidthInteger>(_: T.Type = T.self, count: Int) throws(DumpError) -> [T] {
        var failure: DumpError?
        var values = [T](unsafeUninitializedCapacity: count) { storage, initialized in
            do throws(DumpError) {
                try fill(UnsafeMutableRawBufferPointer(storage))
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        #if _endian(big)
        for i in values.indices { values[i] = T(littleEndian: values[i]) }
        #endif
        return values
    }

    // MARK: Sections

    /// Reads a section header, checks its tag and length, and starts its checksum.
    private mutating func beginSection(_ tag: String) throws(DumpError) -> Int {
        let at = input.offset
        guard input.size - input.offset >= BinaryDump.sectionHeaderSize else {
            throw error(.truncated, at: input.size, "the file ends where section \(tag) should begin")
        }
        let found: UInt32 = try headerInteger()
        guard found == BinaryDump.tagValue(tag) else {
            throw error(.malformed, at: at, "expected section \(tag), found tag \(tagText(found))")
        }
        let length: UInt64 = try headerInteger()
        let left = input.size - input.offset
        guard length <= UInt64(max(left - BinaryDump.sectionTrailerSize, 0)) else {
            throw error(
                .truncated, at: at + 4,
                "section \(tag) announces \(length) bytes but the file has \(left) bytes left")
        }
        sectionTag = tag
        sectionEnd = input.offset + Int(length)
        crc = CRC32()
        return input.offset
    }

    /// Checks that the payload was consumed exactly and that its checksum matches.
    private mutating func endSection() throws(DumpError) {
        guard input.offset == sectionEnd else {
            throw error(
                .malformed, at: input.offset,
                "section \(sectionTag) has \(sectionEnd - input.offset) bytes after its content")
        }
        let computed = crc.checksum
        let at = input.offset
        let stored: UInt32 = try headerInteger()
        guard stored == computed else {
            throw error(
                .checksumMismatch(section: sectionTag), at: at,
                "section \(sectionTag) checksum mismatch: stored CRC32 \(hex(stored)), computed \(hex(computed))")
        }
    }

    private func tagText(_ value: UInt32) -> String {
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return "'\(String(decoding: bytes, as: UTF8.self))'" }
        return hex(value)
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Checks every entry of `values` (read at `offset`, `width` bytes each) with `valid`.
    private func checkEach(
        _ values: [UInt32], at offset: Int, width: Int, _ what: String, below limit: Int, absentAllowed: Bool
    ) throws(DumpError) {
        // A vectorized scan first; the slow search for the culprit only when something is wrong.
        if absentAllowed ? HeapSnapshot.allAbsentOrBelow(values, limit) : HeapSnapshot.allBelow(values, limit) { return }
        let bad = values.firstIndex { !((absentAllowed && $0 == HeapSnapshot.none) || Int($0) < limit) }
        if let bad {
            throw error(.outOfRange, at: offset + bad * width, "\(what) \(bad) is \(values[bad]), out of range")
        }
    }

    // MARK: Whole file

    /// Reads the whole dump, version 1 or 2, section by section into a builder.
    mutating func read() throws(DumpError) -> HeapSnapshot {
        let version = try readHeader()
        let pool = try readStrings()
        var builder = HeapSnapshot.Builder()
        _ = try beginSection("TYPE")
        let typeTable = try poolTableRaw("type names")
        try endSection()
        let types = try distinctTypes(typeTable, pool: pool)
        _ = try beginSection("SITE")
        let sites = try resolve(try poolTableRaw("sites"), pool: pool)
        try endSection()
        let n = try readObjects(into: &builder, pool: pool, typeNames: types.names, typeMap: types.map, siteCount: sites.count)
        builder.siteTable = StringTable(adopting: sites)
        try readReferences(into: &builder, objectCount: n, pool: pool, version: version)
        try readRoots(into: &builder, objectCount: n, pool: pool, version: version)
        if version >= 2 { try readMeta(into: &builder, objectCount: n, pool: pool) }
        builder.allocator = try readAllocator()
        guard input.offset == input.size else {
            throw error(.malformed, at: input.offset, "\(input.size - input.offset) bytes follow the last section, expected the end of the file")
        }
        do {
            return try builder.build(unknownReferences: .reject)
        } catch {
            throw self.error(.malformed, at: nil, error.description)
        }
    }

    /// The header: magic, a known version, and that version's section count. Returns the version.
    private mutating func readHeader() throws(DumpError) -> UInt32 {
        guard input.size >= BinaryDump.headerSize else {
            throw error(.truncated, at: input.size, "the file has \(input.size) bytes, a dump header needs \(BinaryDump.headerSize)")
        }
        let magic: UInt64 = try headerInteger()
        guard magic == BinaryDump.magicValue else {
            throw error(.wrongMagic, at: 0, "expected the binary heap dump magic 89 48 45 41 50 0d 0a 1a (JSON is read by init(data:) or init(jsonData:))")
        }
        let version: UInt32 = try headerInteger()
        guard BinaryDump.versions.contains(version) else {
            throw error(.unsupportedVersion(UInt64(version)), at: 8, "unsupported dump version \(version), this reader knows versions 1 and 2")
        }
        sectionTags = BinaryDump.sectionTags(version: version)
        let sectionCount: UInt32 = try headerInteger()
        guard sectionCount == UInt32(sectionTags.count) else {
            throw error(.malformed, at: 12, "expected \(sectionTags.count) sections in version \(version), the header says \(sectionCount)")
        }
        return version
    }

    /// STRS: count, end offsets, bytes — the string pool every table names into.
    private mutating func readStrings() throws(DumpError) -> [String] {
        _ = try beginSection("STRS")
        let stringCount = try count(of: "strings", elementSize: 8)
        let endsAt = input.offset
        let ends: [UInt64] = try array(count: stringCount)
        let blobAt = input.offset
        let blobSize = sectionEnd - input.offset
        let blob: [UInt8] = try array(count: blobSize)
        try endSection()
        var pool: [String] = []
        pool.reserveCapacity(stringCount)
        var start = 0
        let stringFailure: DumpError? = blob.withUnsafeBufferPointer { bytes in
            for (i, end) in ends.enumerated() {
                guard end >= UInt64(start), end <= UInt64(blobSize) else {
                    return error(.outOfRange, at: endsAt + 8 * i, "string \(i) ends at \(end), expected \(start)...\(blobSize)")
                }
                let stop = Int(end)
                guard let s = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self) else {
                    return error(.invalidUTF8, at: blobAt + start, "string \(i) is not valid UTF-8")
                }
                pool.append(s)
                start = stop
            }
            return nil
        }
        if let stringFailure { throw stringFailure }
        guard start == blobSize else {
            throw error(.malformed, at: blobAt + start, "the string bytes run \(blobSize - start) bytes past the last string")
        }
        return pool
    }

    /// The type table with one entry per pool string: entries naming the same string merge (by pool
    /// index, so no string is hashed), and `map` takes a file type index to the merged one.
    private func distinctTypes(
        _ table: (at: Int, indices: [UInt32], what: String), pool: [String]
    ) throws(DumpError) -> (names: [String], map: [UInt32]) {
        var mergedIndex: [UInt32: UInt32] = [:]
        var names: [String] = []
        var map: [UInt32] = []
        map.reserveCapacity(table.indices.count)
        for (i, index) in table.indices.enumerated() {
            guard Int(index) < pool.count else {
                throw error(.outOfRange, at: table.at + 4 * i, "\(table.what) entry \(i) names string \(index) of \(pool.count)")
            }
            if let merged = mergedIndex[index] {
                map.append(merged)
            } else {
                let merged = UInt32(names.count)
                mergedIndex[index] = merged
                names.append(pool[Int(index)])
                map.append(merged)
            }
        }
        return (names, map)
    }

    /// OBJS: the object columns, then the label table. Returns the object count.
    private mutating func readObjects(
        into builder: inout HeapSnapshot.Builder, pool: [String], typeNames: [String], typeMap: [UInt32], siteCount: Int
    ) throws(DumpError) -> Int {
        _ = try beginSection("OBJS")
        let n = try count(of: "objects", elementSize: BinaryDump.bytesPerObject, reserving: 8)
        guard n < Int(UInt32.max) else {
            throw error(.countTooLarge, at: input.offset - 8, "\(n) objects exceed the limit of \(UInt32.max - 1)")
        }
        let idsAt = input.offset
        let ids: [UInt64] = try array(count: n)
        let typesAt = input.offset
        var typeIndices: [UInt32] = try array(count: n)
        let sizes: [UInt64] = try array(count: n)
        let refcounts: [UInt32] = try array(count: n)
        let generations: [UInt8] = try array(count: n)
        let sitesAt = input.offset
        let siteIndices: [UInt32] = try array(count: n)
        let labelsAt = input.offset
        let labelIndices: [UInt32] = try array(count: n)
        let labelTable = try poolTableRaw("labels")
        try endSection()
        let labels = try resolve(labelTable, pool: pool)
        try checkIncreasing(ids, at: idsAt)
        try checkEach(typeIndices, at: typesAt, width: 4, "type index of object", below: typeMap.count, absentAllowed: false)
        try checkEach(siteIndices, at: sitesAt, width: 4, "site index of object", below: siteCount, absentAllowed: true)
        try checkEach(labelIndices, at: labelsAt, width: 4, "label index of object", below: labels.count, absentAllowed: true)
        if typeNames.count < typeMap.count {
            for i in typeIndices.indices { typeIndices[i] = typeMap[Int(typeIndices[i])] }
        }
        builder.adopt(
            .init(
                ids: ids, typeIndices: typeIndices, sizes: sizes, refcounts: refcounts, generations: generations,
                siteIndices: siteIndices, labelIndices: labelIndices))
        builder.types = StringTable(adopting: typeNames)
        builder.labelTable = StringTable(adopting: labels)
        return n
    }

    /// Object ids strictly increase; the error names the first that does not.
    private func checkIncreasing(_ ids: [UInt64], at idsAt: Int) throws(DumpError) {
        if HeapSnapshot.increasing(ids) { return }
        let failure: DumpError? = ids.withUnsafeBufferPointer { ids in
            for i in ids.indices.dropFirst() where ids[i] <= ids[i - 1] {
                if ids[i] == ids[i - 1] {
                    return error(.duplicateID(ids[i]), at: idsAt + 8 * i, "duplicate object id \(ids[i]) (objects \(i - 1) and \(i))")
                }
                return error(.malformed, at: idsAt + 8 * i, "object ids must increase: object \(i) has id \(ids[i]) after \(ids[i - 1])")
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// EDGE (field names, then the retaining rows; version 2: their kinds) and, in version 2, WEAK
    /// (the non-retaining rows with their kinds).
    private mutating func readReferences(
        into builder: inout HeapSnapshot.Builder, objectCount n: Int, pool: [String], version: UInt32
    ) throws(DumpError) {
        _ = try beginSection("EDGE")
        let fieldTable = try poolTableRaw("field names")
        let fieldNames = try resolve(fieldTable, pool: pool)
        let retaining = try readRows(objectCount: n, fieldCount: fieldNames.count, kinds: version >= 2 ? .retaining : nil)
        try endSection()
        builder.fieldTable = StringTable(adopting: fieldNames)
        builder.adopt(.init(starts: retaining.starts, targets: retaining.targets, names: retaining.names))
        if retaining.kinds.contains(.internal) {
            builder.kinds = retaining.kinds
            builder.hasKinds = true
        }
        guard version >= 2 else { return }
        _ = try beginSection("WEAK")
        let weak = try readRows(objectCount: n, fieldCount: fieldNames.count, kinds: .nonRetaining)
        try endSection()
        // Non-retaining rows join the builder as references in source order after the retaining ones.
        guard !weak.targets.isEmpty else { return }
        for s in 0..<n {
            for e in Int(weak.starts[s])..<Int(weak.starts[s + 1]) {
                builder.addReference(from: s, to: Int(weak.targets[e]), nameIndex: weak.names[e], kind: weak.kinds[e])
            }
        }
    }

    /// Which reference kinds a row set may hold.
    private enum RowKinds { case retaining, nonRetaining }

    /// A count, `n + 1` row offsets, targets and field names, and (when `kinds` is given) the kinds:
    /// for retaining rows a presence byte and, when 1, one kind byte per reference; non-retaining rows
    /// always carry their kinds, and are absent altogether (the count alone) when there are none.
    private mutating func readRows(
        objectCount n: Int, fieldCount: Int, kinds: RowKinds?
    ) throws(DumpError) -> (starts: [UInt32], targets: [UInt32], names: [UInt32], kinds: [ReferenceKind]) {
        let perReference = kinds == .nonRetaining ? 9 : 8
        let e = try count(of: "edges", elementSize: perReference, reserving: kinds == .nonRetaining ? 0 : 4 * (n + 1))
        if kinds == .nonRetaining && e == 0 { return ([UInt32](repeating: 0, count: n + 1), [], [], []) }
        let startsAt = input.offset
        guard sectionEnd - input.offset >= 4 * (n + 1) else {
            throw error(.countTooLarge, at: startsAt, "section \(sectionTag) needs \(4 * (n + 1)) bytes of edge offsets but has \(sectionEnd - input.offset) left")
        }
        let starts: [UInt32] = try array(count: n + 1)
        try checkRowStarts(starts, at: startsAt, objectCount: n, referenceCount: e)
        let targetsAt = input.offset
        let targets: [UInt32] = try array(count: e)
        let namesAt = input.offset
        let names: [UInt32] = try array(count: e)
        try checkEach(targets, at: targetsAt, width: 4, "target of edge", below: n, absentAllowed: false)
        try checkEach(names, at: namesAt, width: 4, "field name index of edge", below: fieldCount, absentAllowed: true)
        guard let kinds else { return (starts, targets, names, []) }
        if kinds == .retaining {
            let presentAt = input.offset
            let present: UInt8 = try integer()
            guard present <= 1 else {
                throw error(.malformed, at: presentAt, "expected 0 or 1 (reference kinds absent or present), found \(present)")
            }
            if present == 0 { return (starts, targets, names, []) }
        }
        let kindsAt = input.offset
        let raw: [UInt8] = try array(count: e)
        var decoded: [ReferenceKind] = []
        decoded.reserveCapacity(e)
        for (i, byte) in raw.enumerated() {
            guard let kind = ReferenceKind(rawValue: byte), kind.retains == (kinds == .retaining) else {
                let expected = kinds == .retaining ? "0 (strong) or 2 (internal)" : "1 (weak) or 3 (shortcut)"
                throw error(.outOfRange, at: kindsAt + i, "kind of edge \(i) is \(byte), expected \(expected)")
            }
            decoded.append(kind)
        }
        return (starts, targets, names, decoded)
    }

    /// Row offsets start at 0, never decrease and end at the reference count.
    private func checkRowStarts(_ starts: [UInt32], at startsAt: Int, objectCount n: Int, referenceCount e: Int) throws(DumpError) {
        if HeapSnapshot.nonDecreasing(starts) && starts.first == 0 && Int(starts[n]) == e { return }
        guard starts[0] == 0 else { throw error(.outOfRange, at: startsAt, "edge offsets must start at 0, found \(starts[0])") }
        for i in 1..<(n + 1) where starts[i] < starts[i - 1] || Int(starts[i]) > e {
            throw error(.outOfRange, at: startsAt + 4 * i, "edge offset \(i) is \(starts[i]), expected \(starts[i - 1])...\(e)")
        }
        throw error(.outOfRange, at: startsAt + 4 * n, "the last edge offset is \(starts[n]), expected the edge count \(e)")
    }

    /// ROOT: (object, name) pairs; version 2 adds a kind to each.
    private mutating func readRoots(
        into builder: inout HeapSnapshot.Builder, objectCount n: Int, pool: [String], version: UInt32
    ) throws(DumpError) {
        _ = try beginSection("ROOT")
        let width = version >= 2 ? 3 : 2
        let rootCount = try count(of: "roots", elementSize: 4 * width)
        let rootsAt = input.offset
        let fields: [UInt32] = try array(count: width * rootCount)
        try endSection()
        for r in 0..<rootCount {
            let at = rootsAt + 4 * width * r
            let object = fields[width * r], name = fields[width * r + 1]
            guard Int(object) < n else { throw error(.outOfRange, at: at, "root \(r) points to object index \(object) of \(n)") }
            guard Int(name) < pool.count else { throw error(.outOfRange, at: at + 4, "root \(r) has name string \(name) of \(pool.count)") }
            var kind = RootKind.unknown
            if width == 3 {
                guard let k = UInt8(exactly: fields[width * r + 2]).flatMap(RootKind.init(rawValue:)) else {
                    throw error(.outOfRange, at: at + 8, "root \(r) has kind \(fields[width * r + 2]), expected 0...\(RootKind.allCases.count - 1)")
                }
                kind = k
            }
            builder.addRoot(Int(object), kind: kind, name: pool[Int(name)])
        }
    }

    /// META (version 2): the liveness rule, the runtime's name, and the optional object flags.
    private mutating func readMeta(into builder: inout HeapSnapshot.Builder, objectCount n: Int, pool: [String]) throws(DumpError) {
        _ = try beginSection("META")
        let livenessAt = input.offset
        let rule: UInt8 = try integer()
        guard let liveness = Liveness(rawValue: rule) else {
            throw error(.outOfRange, at: livenessAt, "liveness rule \(rule), expected 0 (refcount) or 1 (roots)")
        }
        builder.liveness = liveness
        let runtimeAt = input.offset
        let runtime: UInt32 = try integer()
        if runtime != HeapSnapshot.none {
            guard Int(runtime) < pool.count else { throw error(.outOfRange, at: runtimeAt, "runtime names string \(runtime) of \(pool.count)") }
            builder.runtime = pool[Int(runtime)]
        }
        let flagsAt = input.offset
        let hasFlags: UInt8 = try integer()
        switch hasFlags {
        case 0: break
        case 1:
            guard sectionEnd - input.offset >= n else {
                throw error(.countTooLarge, at: input.offset, "section META needs \(n) flag bytes but has \(sectionEnd - input.offset) left")
            }
            builder.flags = try array(count: n)
        default:
            throw error(.malformed, at: flagsAt, "expected 0 or 1 (object flags absent or present), found \(hasFlags)")
        }
        try endSection()
    }

    /// ALOC: optional allocator statistics.
    private mutating func readAllocator() throws(DumpError) -> AllocatorStatistics? {
        _ = try beginSection("ALOC")
        let presentAt = input.offset
        let present: UInt8 = try integer()
        var allocator: AllocatorStatistics?
        switch present {
        case 0: break
        case 1:
            let scalars: [Int64] = try array(count: BinaryDump.allocatorScalarCount)
            let classCount = try count(of: "size classes", elementSize: 8 * BinaryDump.sizeClassFieldCount)
            let classFields: [Int64] = try array(count: classCount * BinaryDump.sizeClassFieldCount)
            let f = classFields.map { Int(truncatingIfNeeded: $0) }
            let classes = (0..<classCount).map { c in
                AllocatorStatistics.SizeClass(
                    index: f[5 * c], blockSize: f[5 * c + 1], pools: f[5 * c + 2], blocksInUse: f[5 * c + 3],
                    blocksAvailable: f[5 * c + 4])
            }
            allocator = AllocatorStatistics(storedScalars: scalars.map { Int(truncatingIfNeeded: $0) }, sizeClasses: classes)
        default:
            throw error(.malformed, at: presentAt, "expected 0 or 1 (allocator statistics absent or present), found \(present)")
        }
        try endSection()
        return allocator
    }

    /// A count and that many pool indices, with the offset of the first.
    private mutating func poolTableRaw(_ what: String) throws(DumpError) -> (at: Int, indices: [UInt32], what: String) {
        let n = try count(of: what, elementSize: 4)
        let at = input.offset
        return (at, try array(count: n), what)
    }

    /// The strings a table's pool indices name.
    private func resolve(_ table: (at: Int, indices: [UInt32], what: String), pool: [String]) throws(DumpError) -> [String] {
        var strings: [String] = []
        strings.reserveCapacity(table.indices.count)
        for (i, index) in table.indices.enumerated() {
            guard Int(index) < pool.count else {
                throw error(.outOfRange, at: table.at + 4 * i, "\(table.what) entry \(i) names string \(index) of \(pool.count)")
            }
            strings.append(pool[Int(index)])
        }
        return strings
    }
}
