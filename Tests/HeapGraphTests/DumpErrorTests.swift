// Bad input: every kind of DumpError, with the offset or JSON path and the message checked.
import Foundation
@testable import HeapGraph
import Testing

/// A binary dump as editable sections, to build precise corruptions (with or without a fixed CRC).
struct DumpBytes {
    var bytes: [UInt8]
    /// Offset of each section's payload and its length, by tag.
    var sections: [String: (payload: Int, length: Int)] = [:]

    init(_ data: Data) {
        bytes = Array(data)
        var at = BinaryDump.headerSize
        for tag in BinaryDump.sectionTags(version: BinaryDump.version) where at + 12 <= bytes.count {
            let length = Int(load(UInt64.self, at: at + 4))
            sections[tag] = (at + 12, length)
            at += 12 + length + 4
        }
    }

    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value = T.zero
        for k in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + k]) << (8 * k) }
        return value
    }

    mutating func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for k in 0..<MemoryLayout<T>.size { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    /// Recomputes a section's CRC after an edit, so the reader gets past the checksum.
    mutating func fixCRC(_ tag: String) {
        guard let s = sections[tag] else { return }
        store(CRC32.checksum(Array(bytes[s.payload..<s.payload + s.length])), at: s.payload + s.length)
    }

    var data: Data { Data(bytes) }
}

@Suite struct DumpErrorTests {
    let sample = DumpRoundTripTests.sample()

    func binaryError(_ d: DumpBytes) -> DumpError? {
        do { _ = try HeapSnapshot(data: d.data); return nil } catch { return error }
    }

    func jsonError(_ text: String, _ policy: HeapSnapshotBuilder.UnknownReferencePolicy = .reject) -> DumpError? {
        do { _ = try HeapSnapshot(data: Data(text.utf8), unknownReferences: policy); return nil } catch { return error }
    }

    // MARK: Binary

    @Test func truncatedHeaderAndSections() throws {
        let full = sample.dumpData()
        let e = try #require(binaryError(DumpBytes(full.prefix(12) + Data(repeating: 0, count: 0))) ?? nil)
        #expect(e.kind == .truncated && e.message.contains("a dump header needs 16"))
        var d = DumpBytes(full)
        d.bytes.removeLast(3)
        let cut = try #require(binaryError(d))
        #expect(cut.kind == .truncated && cut.message.contains("section ALOC"))
        #expect(try #require(binaryError(DumpBytes(full.prefix(16)))).message.contains("where section STRS should begin"))
    }

    @Test func wrongMagicAndVersion() throws {
        var d = DumpBytes(sample.dumpData())
        d.bytes[1] = UInt8(ascii: "X")
        let magic = try #require(binaryError(d))
        #expect(magic.kind == .wrongMagic && magic.offset == 0 && magic.message.contains("89 48 45 41 50 0d 0a 1a"))
        d = DumpBytes(sample.dumpData())
        d.store(UInt32(7), at: 8)
        let version = try #require(binaryError(d))
        #expect(version.kind == .unsupportedVersion(7) && version.offset == 8)
        #expect(version.description == "at byte 8: unsupported dump version 7, this reader knows versions 1 and 2")
    }

    @Test func checksumMismatchNamesTheSection() throws {
        var d = DumpBytes(sample.dumpData())
        let objs = try #require(d.sections["OBJS"])
        d.bytes[objs.payload + 8 + 3 * 12] ^= 0x40   // a byte of the sizes column
        let e = try #require(binaryError(d))
        #expect(e.kind == .checksumMismatch(section: "OBJS") && e.offset == objs.payload + objs.length)
        #expect(e.message.hasPrefix("section OBJS checksum mismatch: stored CRC32 0x"))
    }

    @Test func countsLargerThanTheFile() throws {
        var d = DumpBytes(sample.dumpData())
        let objs = try #require(d.sections["OBJS"])
        d.store(UInt64(1) << 40, at: objs.payload)
        let e = try #require(binaryError(d))
        #expect(e.kind == .countTooLarge && e.offset == objs.payload)
        #expect(e.message.contains("announces 1099511627776 objects"))
        // A section length past the end of the file.
        d = DumpBytes(sample.dumpData())
        let edge = try #require(d.sections["EDGE"])
        d.store(UInt64.max, at: edge.payload - 8)
        let big = try #require(binaryError(d))
        #expect(big.kind == .truncated && big.message.contains("section EDGE announces 18446744073709551615 bytes"))
        // A string count larger than the section.
        d = DumpBytes(sample.dumpData())
        d.store(UInt64(1) << 60, at: try #require(d.sections["STRS"]).payload)
        #expect(binaryError(d)?.kind == .countTooLarge)
    }

    @Test func duplicateAndDecreasingIDs() throws {
        var d = DumpBytes(sample.dumpData())
        let objs = try #require(d.sections["OBJS"])
        // ids are 7, 140234, 140288: make the third equal the second.
        d.store(UInt64(140_234), at: objs.payload + 8 + 16)
        d.fixCRC("OBJS")
        let e = try #require(binaryError(d))
        #expect(e.kind == .duplicateID(140_234) && e.offset == objs.payload + 8 + 16)
        d.store(UInt64(5), at: objs.payload + 8 + 16)
        d.fixCRC("OBJS")
        #expect(binaryError(d)?.kind == .malformed)
        #expect(binaryError(d)?.message.contains("object ids must increase") == true)
    }

    @Test func edgesAndIndicesOutOfRange() throws {
        var d = DumpBytes(sample.dumpData())
        let edge = try #require(d.sections["EDGE"])
        let fieldCount = Int(d.load(UInt64.self, at: edge.payload))
        let startsAt = edge.payload + 8 + 4 * fieldCount + 8
        let targetsAt = startsAt + 4 * (sample.objectCount + 1)
        d.store(UInt32(99), at: targetsAt + 4)
        d.fixCRC("EDGE")
        let e = try #require(binaryError(d))
        #expect(e.kind == .outOfRange && e.offset == targetsAt + 4 && e.message == "target of edge 1 is 99, out of range")
        // A decreasing edge offset.
        d = DumpBytes(sample.dumpData())
        d.store(UInt32(9), at: startsAt + 4)
        d.fixCRC("EDGE")
        #expect(binaryError(d)?.kind == .outOfRange)
        // A type index past the type table.
        d = DumpBytes(sample.dumpData())
        let objs = try #require(d.sections["OBJS"])
        d.store(UInt32(50), at: objs.payload + 8 + 8 * 3)
        d.fixCRC("OBJS")
        #expect(binaryError(d)?.message == "type index of object 0 is 50, out of range")
        // A root on a missing object.
        d = DumpBytes(sample.dumpData())
        let root = try #require(d.sections["ROOT"])
        d.store(UInt32(3), at: root.payload + 8)
        d.fixCRC("ROOT")
        #expect(binaryError(d)?.message == "root 0 points to object index 3 of 3")
    }

    @Test func invalidUTF8InTheStringPool() throws {
        var d = DumpBytes(sample.dumpData())
        let strs = try #require(d.sections["STRS"])
        let count = Int(d.load(UInt64.self, at: strs.payload))
        let blob = strs.payload + 8 + 8 * count
        d.bytes[blob] = 0xFF
        d.fixCRC("STRS")
        let e = try #require(binaryError(d))
        #expect(e.kind == .invalidUTF8 && e.offset == blob && e.message == "string 0 is not valid UTF-8")
    }

    @Test func structuralErrors() throws {
        var d = DumpBytes(sample.dumpData())
        d.bytes.append(0)
        let trailing = try #require(binaryError(d))
        #expect(trailing.kind == .malformed && trailing.message == "1 bytes follow the last section, expected the end of the file")
        d = DumpBytes(sample.dumpData())
        let type = try #require(d.sections["TYPE"])
        d.bytes[type.payload - 12] = UInt8(ascii: "X")
        #expect(binaryError(d)?.message == "expected section TYPE, found tag 'XYPE'")
        d = DumpBytes(sample.dumpData())
        d.store(UInt32(3), at: 12)
        #expect(binaryError(d)?.message == "expected 9 sections in version 2, the header says 3")
    }

    // MARK: JSON

    @Test func jsonSyntaxAndTruncation() throws {
        let t = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 1"#))
        #expect(t.kind == .truncated && t.jsonPath == "$.objects[0]" && t.offset == 36)
        #expect(t.description == "at byte 36 ($.objects[0]): the input ends where ',' or '}' was expected")
        let s = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 1 "type": "A"}]}"#))
        #expect(s.kind == .jsonSyntax && s.offset == 37 && s.message == "expected ',' or '}', found a string")
        let trailing = try #require(jsonError(#"{"heapscan": 1, "objects": []} x"#))
        #expect(trailing.kind == .jsonSyntax && trailing.message == "unexpected 'x' after the JSON object")
        #expect(jsonError(#"{"heapscan": 1, "objects": [], "x": [1,]}"#)?.kind == .jsonSyntax)
        #expect(jsonError(#"{"heapscan": 1, "objects": [], "x": 01}"#)?.kind == .jsonSyntax)
        #expect(jsonError("{\"heapscan\": 1, \"objects\": [], \"x\": \"a\nb\"}")?.message == "control character 0xa must be escaped inside a string")
        #expect(jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "type": "\ud800", "size": 1}]}"#)?.message.hasPrefix("unpaired surrogate") == true)
        #expect(jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "type": "\q", "size": 1}]}"#)?.message == #"invalid escape sequence '\q'"#)
        #expect(jsonError("")?.kind == .truncated)
        #expect(jsonError("[1]")?.kind == .wrongMagic)
    }

    @Test func jsonWrongShape() throws {
        let type = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "type": 5, "size": 1}]}"#))
        #expect(type.kind == .jsonShape && type.jsonPath == "$.objects[0].type" && type.offset == 46)
        #expect(type.message == "expected type as a string, found a number")
        let neg = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": -1, "type": "A", "size": 1}]}"#))
        #expect(neg.jsonPath == "$.objects[0].id" && neg.message == "expected id as a non-negative integer, found a negative number")
        let frac = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "type": "A", "size": 1.5}]}"#))
        #expect(frac.jsonPath == "$.objects[0].size" && frac.message == "expected size as an integer, found a number with a fraction or exponent")
        let big = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 18446744073709551616, "type": "A", "size": 1}]}"#))
        #expect(big.message == "id 18446744073709551616 is larger than 18446744073709551615")
        let rc = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "type": "A", "size": 1, "refcount": 4294967295}]}"#))
        #expect(rc.jsonPath == "$.objects[0].refcount" && rc.kind == .jsonShape)
        let missing = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "size": 1}]}"#))
        #expect(missing.jsonPath == "$.objects[0]" && missing.offset == 28 && missing.message == #"missing key "type" (required in every object)"#)
        let noVersion = try #require(jsonError(#"{"objects": []}"#))
        #expect(noVersion.jsonPath == "$" && noVersion.message == #"missing key "heapscan" (the format version, 1)"#)
        #expect(jsonError(#"{"heapscan": 1}"#)?.message == #"missing key "objects""#)
        let version = try #require(jsonError(#"{"heapscan": 2, "objects": []}"#))
        #expect(version.kind == .unsupportedVersion(2) && version.jsonPath == "$.heapscan")
        let refs = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "type": "A", "size": 1, "refs": [{"to": 1}, {"name": "x"}]}]}"#))
        #expect(refs.jsonPath == "$.objects[0].refs[1]" && refs.message == #"missing key "to" (the id referred to)"#)
        let dupKey = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "id": 2, "type": "A", "size": 1}]}"#))
        #expect(dupKey.jsonPath == "$.objects[0].id" && dupKey.message == #"duplicate key "id""#)
        let rootShape = try #require(jsonError(#"{"heapscan": 1, "objects": [], "roots": [{"to": "x"}]}"#))
        #expect(rootShape.jsonPath == "$.roots[0].to")
        #expect(jsonError(#"{"heapscan": 1, "objects": {}}"#)?.message == "expected an array of objects, found an object")
    }

    @Test func jsonUnknownReferencesAndDuplicates() throws {
        let text = #"{"heapscan": 1, "objects": [{"id": 1, "type": "A", "size": 1, "refs": [{"to": 1}, {"to": 99, "name": "next"}]}], "roots": [{"to": 77, "name": "g"}]}"#
        let e = try #require(jsonError(text))
        #expect(e.kind == .unknownReference(99) && e.jsonPath == "$.objects[0].refs[1].to")
        #expect(e.offset == 89 && e.message == "reference to id 99, which is not an object in the file")
        var warnings: [DumpWarning] = []
        let s = try HeapSnapshot(jsonData: Data(text.utf8), unknownReferences: .drop, warnings: &warnings)
        #expect(s.edgeCount == 1 && s.roots.isEmpty)
        #expect(warnings.map(\.description) == [
            "warning: dropped $.objects[0].refs[1]: object 99 is not in the file",
            "warning: dropped $.roots[0]: object 77 is not in the file",
        ])
        let root = try #require(jsonError(#"{"heapscan": 1, "objects": [], "roots": [{"to": 5, "name": "x"}]}"#))
        #expect(root.kind == .unknownReference(5) && root.jsonPath == "$.roots[0].to" && root.offset == 48)
        let dup = try #require(jsonError(#"{"heapscan": 1, "objects": [{"id": 4, "type": "A", "size": 1}, {"id": 2, "type": "A", "size": 1}, {"id": 4, "type": "B", "size": 1}]}"#))
        #expect(dup.kind == .duplicateID(4) && dup.jsonPath == "$.objects[2].id" && dup.offset == 105)
    }

    @Test func jsonInvalidUTF8() throws {
        var bytes = Array(#"{"heapscan": 1, "objects": [{"id": 1, "type": "AB", "size": 1}]}"#.utf8)
        bytes[48] = 0xC3
        bytes[49] = 0x28
        do {
            _ = try HeapSnapshot(jsonData: Data(bytes))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidUTF8 && error.offset == 48 && error.jsonPath == "$.objects[0].type")
            #expect(error.message == "invalid UTF-8 sequence starting with byte 0xc3")
        }
    }

    @Test func fileErrorsNameTheFileOnOneLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-err-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad\nname.json")
        try Data(#"{"heapscan": 1, "objects": [{"id": 1, "type": "A", "size": 1, "refs": [{"to": 2}]}]}"#.utf8).write(to: file)
        do {
            _ = try HeapSnapshot.read(from: file)
            Issue.record("expected an error")
        } catch {
            #expect(error.file == file.path)
            #expect(error.description == "\(directory.path)/bad\\nname.json: at byte 78 ($.objects[0].refs[0].to): reference to id 2, which is not an object in the file")
            #expect(!error.description.contains("\n"))
        }
        let missing = directory.appendingPathComponent("none.heap")
        #expect(throws: DumpError(.io, file: missing.path, "cannot open: No such file or directory")) {
            try HeapSnapshot.read(from: missing)
        }
        let garbage = directory.appendingPathComponent("g.heap")
        try Data("PK\u{3}\u{4}".utf8).write(to: garbage)
        #expect(throws: DumpError.self) { try HeapSnapshot.read(from: garbage) }
        do { _ = try HeapSnapshot.read(from: garbage) } catch {
            #expect(error.kind == .wrongMagic && error.message.hasPrefix("not a heap dump: starts with 50 4b 03 04"))
        }
    }
}
