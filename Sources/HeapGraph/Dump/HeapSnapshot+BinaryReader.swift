// HeapSnapshot+BinaryReader — reads a binary `.heap` dump as untrusted input: every count is checked
// against the bytes left in its section (and every section length against the file) before anything
// is allocated; each section's CRC32 is verified before its contents are interpreted; every index is
// checked, with the byte offset of the offending value in the error. Columns are read straight into
// their arrays and handed to `HeapSnapshot.init`, which checks the whole once more.
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

    /// Reads the whole dump.
    mutating func read() throws(DumpError) -> HeapSnapshot {
        // Header.
        guard input.size >= BinaryDump.headerSize else {
            throw error(.truncated, at: input.size, "the file has \(input.size) bytes, a dump header needs \(BinaryDump.headerSize)")
        }
        let magic: UInt64 = try headerInteger()
        guard magic == BinaryDump.magicValue else {
            throw error(.wrongMagic, at: 0, "expected the binary heap dump magic 89 48 45 41 50 0d 0a 1a (JSON is read by init(data:) or init(jsonData:))")
        }
        let version: UInt32 = try headerInteger()
        guard version == BinaryDump.version else {
            throw error(.unsupportedVersion(UInt64(version)), at: 8, "unsupported dump version \(version), this reader knows version 1")
        }
        let sectionCount: UInt32 = try headerInteger()
        guard sectionCount == UInt32(BinaryDump.sectionTags.count) else {
            throw error(.malformed, at: 12, "expected \(BinaryDump.sectionTags.count) sections in version 1, the header says \(sectionCount)")
        }

        // STRS: count, end offsets, bytes.
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
                    return error(
                        .outOfRange, at: endsAt + 8 * i,
                        "string \(i) ends at \(end), expected \(start)...\(blobSize)")
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

        // TYPE and SITE: pool indices.
        _ = try beginSection("TYPE")
        let typeTable = try poolTableRaw("type names")
        try endSection()
        let typeNames = try resolve(typeTable, pool: pool)
        _ = try beginSection("SITE")
        let siteTable = try poolTableRaw("sites")
        try endSection()
        let sites = try resolve(siteTable, pool: pool)

        // OBJS: the object columns, then the label table.
        _ = try beginSection("OBJS")
        let n = try count(of: "objects", elementSize: BinaryDump.bytesPerObject, reserving: 8)
        guard n < Int(UInt32.max) else {
            throw error(.countTooLarge, at: input.offset - 8, "\(n) objects exceed the limit of \(UInt32.max - 1)")
        }
        let idsAt = input.offset
        let ids: [UInt64] = try array(count: n)
        let typesAt = input.offset
        let typeIndices: [UInt32] = try array(count: n)
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
        let idFailure: DumpError? = HeapSnapshot.increasing(ids) ? nil : ids.withUnsafeBufferPointer { ids in
            for i in ids.indices.dropFirst() where ids[i] <= ids[i - 1] {
                if ids[i] == ids[i - 1] {
                    return error(.duplicateID(ids[i]), at: idsAt + 8 * i, "duplicate object id \(ids[i]) (objects \(i - 1) and \(i))")
                }
                return error(.malformed, at: idsAt + 8 * i, "object ids must increase: object \(i) has id \(ids[i]) after \(ids[i - 1])")
            }
            return nil
        }
        if let idFailure { throw idFailure }
        let typeCount = typeNames.count, siteCount = sites.count, labelCount = labels.count
        try checkEach(typeIndices, at: typesAt, width: 4, "type index of object", below: typeCount, absentAllowed: false)
        try checkEach(siteIndices, at: sitesAt, width: 4, "site index of object", below: siteCount, absentAllowed: true)
        try checkEach(labelIndices, at: labelsAt, width: 4, "label index of object", below: labelCount, absentAllowed: true)

        // EDGE: field names, then compressed sparse rows.
        _ = try beginSection("EDGE")
        let fieldTable = try poolTableRaw("field names")
        let e = try count(of: "edges", elementSize: 8, reserving: 4 * (n + 1))
        let startsAt = input.offset
        let edgeStarts: [UInt32] = try array(count: n + 1)
        let targetsAt = input.offset
        let edgeTargets: [UInt32] = try array(count: e)
        let namesAt = input.offset
        let edgeNames: [UInt32] = try array(count: e)
        try endSection()
        let fieldNames = try resolve(fieldTable, pool: pool)
        let startFailure: DumpError? = HeapSnapshot.nonDecreasing(edgeStarts) && edgeStarts.first == 0 && Int(edgeStarts[n]) == e
            ? nil : edgeStarts.withUnsafeBufferPointer { starts in
            guard starts[0] == 0 else { return error(.outOfRange, at: startsAt, "edge offsets must start at 0, found \(starts[0])") }
            for i in 1..<(n + 1) where starts[i] < starts[i - 1] || Int(starts[i]) > e {
                return error(.outOfRange, at: startsAt + 4 * i, "edge offset \(i) is \(starts[i]), expected \(starts[i - 1])...\(e)")
            }
            guard Int(starts[n]) == e else {
                return error(.outOfRange, at: startsAt + 4 * n, "the last edge offset is \(starts[n]), expected the edge count \(e)")
            }
            return nil
        }
        if let startFailure { throw startFailure }
        try checkEach(edgeTargets, at: targetsAt, width: 4, "target of edge", below: n, absentAllowed: false)
        let fieldCount = fieldNames.count
        try checkEach(edgeNames, at: namesAt, width: 4, "field name index of edge", below: fieldCount, absentAllowed: true)

        // ROOT: (object, name) pairs.
        _ = try beginSection("ROOT")
        let rootCount = try count(of: "roots", elementSize: 8)
        let rootsAt = input.offset
        let rootPairs: [UInt32] = try array(count: 2 * rootCount)
        try endSection()
        var roots: [HeapSnapshot.Root] = []
        roots.reserveCapacity(rootCount)
        for r in 0..<rootCount {
            let object = rootPairs[2 * r], name = rootPairs[2 * r + 1]
            guard Int(object) < n else {
                throw error(.outOfRange, at: rootsAt + 8 * r, "root \(r) points to object index \(object) of \(n)")
            }
            guard Int(name) < pool.count else {
                throw error(.outOfRange, at: rootsAt + 8 * r + 4, "root \(r) has name string \(name) of \(pool.count)")
            }
            roots.append(HeapSnapshot.Root(object: object, name: pool[Int(name)]))
        }

        // ALOC: optional allocator statistics.
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

        guard input.offset == input.size else {
            throw error(.malformed, at: input.offset, "\(input.size - input.offset) bytes follow the last section, expected the end of the file")
        }
        do {
            return try HeapSnapshot(
                ids: ids, typeIndices: typeIndices, sizes: sizes, refcounts: refcounts, generations: generations,
                siteIndices: siteIndices, labelIndices: labelIndices, edgeStarts: edgeStarts,
                edgeTargets: edgeTargets, edgeNames: edgeNames, typeNames: typeNames, sites: sites,
                fieldNames: fieldNames, labels: labels, roots: roots, allocator: allocator)
        } catch {
            throw self.error(.malformed, at: nil, error.description)
        }
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
