// HPROFReaderTests — the HPROF reader on small hand-written dumps: both id sizes, names, references,
// roots; truncations, a bad id size, an unknown sub-record and a length past the end each give one
// DumpError with an offset; dangling ids dropped with a warning; gzip input of every format.
import Foundation
import HeapFormats
import HeapGraph
import Testing

/// A little heap: two Nodes in a cycle, one held by a static field of Main and by an Object[], a byte[].
func sampleDump(idSize: Int, dangling: Bool = false) -> HPROFWriter {
    var w = HPROFWriter(idSize: idSize)
    let objectClass: UInt64 = 0x100, nodeClass: UInt64 = 0x108, mainClass: UInt64 = 0x110, arrayClass: UInt64 = 0x118
    w.classDump(objectClass, name: "java/lang/Object", superID: 0, fields: [])
    w.classDump(nodeClass, name: "demo/Node", superID: objectClass, fields: [("next", 2), ("value", 10)])
    w.classDump(mainClass, name: "demo/Main", superID: objectClass, fields: [], statics: [("HEAD", 0x200)])
    w.classDump(arrayClass, name: "[Ljava/lang/Object;", superID: objectClass, fields: [])
    func node(_ next: UInt64, _ value: UInt32) -> Data {
        var d = Data()
        w.id(next, &d)
        w.u4(value, &d)
        return d
    }
    w.instance(0x200, classID: nodeClass, fields: node(0x210, 1))
    w.instance(0x210, classID: nodeClass, fields: node(dangling ? 0x999 : 0x200, 2))
    w.objectArray(0x220, classID: arrayClass, elements: [0, 0x210])
    w.byteArray(0x230, [1, 2, 3])
    w.root(0x05, mainClass)
    w.root(0x03, 0x220)
    return w
}

func readHPROF(_ data: Data, warnings: inout [DumpWarning]) throws(DumpError) -> HeapSnapshot {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-hprof-\(UUID().uuidString).hprof")
    do { try data.write(to: url) } catch { throw DumpError(.io, "\(error)") }
    defer { try? FileManager.default.removeItem(at: url) }
    return try HeapDump.read(from: url, warnings: &warnings)
}

func readHPROF(_ data: Data) throws(DumpError) -> HeapSnapshot {
    var warnings: [DumpWarning] = []
    return try readHPROF(data, warnings: &warnings)
}

@Suite struct HPROFReaderTests {
    @Test(arguments: [4, 8])
    func readsObjectsNamesReferencesAndRoots(idSize: Int) throws {
        let s = try readHPROF(sampleDump(idSize: idSize).data())
        #expect(s.objectCount == 8)  // 4 class objects, 2 nodes, 1 Object[], 1 byte[]
        let node = try #require(s.index(ofID: 0x200))
        #expect(s.typeName(of: node) == "demo.Node")
        #expect(s.references(of: node).map(\.name) == ["next"])
        let array = try #require(s.index(ofID: 0x220))
        #expect(s.typeName(of: array) == "java.lang.Object[]")
        #expect(s.references(of: array).map(\.name) == ["[1]"])
        #expect(s.typeName(of: try #require(s.index(ofID: 0x230))) == "byte[]")
        let main = try #require(s.index(ofID: 0x110))
        #expect(s.typeName(of: main) == "java.lang.Class")
        #expect(s.label(of: main) == "demo.Main")
        #expect(s.references(of: main).map(\.name) == ["HEAD"])
        #expect(s.roots.map(\.kind) == [.stickyClass, .stackLocal])
        #expect(s.liveness == .roots)
        // Compressed-oops model: 12-byte header + 4 (next) + 4 (value) = 20 → 24.
        #expect(s.sizes[node] == (idSize == 8 ? 24 : 16))
    }

    @Test func everyTruncationIsOneErrorWithAnOffset() throws {
        let data = sampleDump(idSize: 8).data()
        for length in stride(from: 0, to: data.count, by: 1) {
            var warnings: [DumpWarning] = []
            let bytes = [UInt8](data.prefix(length))
            do throws(DumpError) {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
                defer { buffer.deallocate() }
                buffer.copyBytes(from: bytes)
                _ = try HPROFReader.read(bytes: UnsafeRawBufferPointer(buffer), warnings: &warnings)
                // A cut exactly between records is a complete (smaller) file: fine.
            } catch {
                #expect(!error.description.contains("\n"))
                #expect(error.offset != nil || error.kind == .wrongMagic || error.kind == .io || length == 0, "\(length): \(error)")
            }
        }
    }

    @Test func badIdentifierSizeUnknownTagAndLengthPastTheEnd() throws {
        #expect(throws: DumpError.self) { try readHPROF(sampleDump(idSize: 8).data(declaredIDSize: 5)) }
        do {
            _ = try readHPROF(sampleDump(idSize: 8).data(declaredIDSize: 5))
        } catch {
            #expect(error.description.contains("identifier size of 4 or 8, found 5"))
            #expect(error.offset == 19)
        }
        var w = sampleDump(idSize: 8)
        w.rawHeap([0x77, 0, 0])
        do {
            _ = try readHPROF(w.data())
            Issue.record("an unknown sub-record tag was accepted")
        } catch {
            #expect(error.description.contains("found 0x77"))
            #expect(error.offset != nil)
        }
        var long = sampleDump(idSize: 8).data()
        long.append(contentsOf: [0x01, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF])
        do {
            _ = try readHPROF(long)
            Issue.record("a record longer than the file was accepted")
        } catch {
            #expect(error.kind == .countTooLarge)
            #expect(error.offset == long.count - 9)
        }
    }

    @Test func idsNamingNothingAreDroppedWithACountedWarning() throws {
        var warnings: [DumpWarning] = []
        let s = try readHPROF(sampleDump(idSize: 8, dangling: true).data(), warnings: &warnings)
        #expect(s.references(of: try #require(s.index(ofID: 0x210))).isEmpty)
        #expect(warnings.count == 1)
        #expect(warnings.first?.missingID == 0x999)
    }

    @Test func wrongVersionIsRejected() throws {
        #expect(throws: DumpError.self) { try readHPROF(sampleDump(idSize: 8).data(version: "JAVA PROFILE 1.0.9")) }
    }

    @Test func gzipInputOfEveryFormat() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let hprof = folder.appendingPathComponent("sample.hprof")
        try sampleDump(idSize: 8).data().write(to: hprof)
        let json = folder.appendingPathComponent("diamond.json")
        try FileManager.default.copyItem(at: root.appendingPathComponent("fixtures/diamond.json"), to: json)
        let heap = folder.appendingPathComponent("diamond.heap")
        try FileManager.default.copyItem(at: root.appendingPathComponent("fixtures/diamond.heap"), to: heap)
        for file in [hprof, json, heap] {
            let plain = try HeapDump.read(from: file)
            try gzip(file)
            let compressed = file.appendingPathExtension("gz")
            #expect(HeapDump.detect(prefix: [UInt8](try Data(contentsOf: compressed).prefix(4))) == .gzip)
            #expect(try HeapDump.read(from: compressed) == plain, "\(file.lastPathComponent)")
            // A cut gzip stream: one error naming the compressed file.
            let cut = folder.appendingPathComponent("cut-\(file.lastPathComponent).gz")
            let bytes = try Data(contentsOf: compressed)
            try bytes.prefix(bytes.count - 6).write(to: cut)
            do {
                _ = try HeapDump.read(from: cut)
                Issue.record("a cut gzip file was read")
            } catch {
                #expect(error.file?.hasPrefix(cut.path) == true, "\(error)")
            }
        }
    }

    /// `gzip -k file` (keeps the original).
    func gzip(_ file: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c \"$0\" > \"$0.gz\"", file.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
