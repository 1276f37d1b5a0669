// RepeatedTypeNameTests — a binary dump whose many type entries all name one long pool string (issue
// 19.1: 20,000 entries × 1 MB took `summary` 22 s). The work is counted, not timed: the snapshot keeps
// one type name, so every histogram, diff and report hashes it once, and the text bytes the analyses
// see are bounded by the file's size.
import Foundation
import HeapAnalysis
import HeapGraph
import Testing

/// Writes heapscan binary dumps (version 1, docs/dump-format.md) field by field, so a test can make
/// inputs the writer never would: valid checksums around absurd but legal tables.
struct CraftedDump {
    private(set) var bytes: [UInt8] = [0x89, 0x48, 0x45, 0x41, 0x50, 0x0D, 0x0A, 0x1A]

    init() {
        u32(1, into: &bytes)  // version
        u32(7, into: &bytes)  // section count
    }

    func u32(_ v: UInt32, into out: inout [UInt8]) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
    func u64(_ v: UInt64, into out: inout [UInt8]) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }

    /// Appends a framed section: tag, length, payload, CRC32.
    mutating func section(_ tag: String, _ payload: [UInt8]) {
        bytes += Array(tag.utf8)
        u64(UInt64(payload.count), into: &bytes)
        bytes += payload
        u32(Self.crc32(payload), into: &bytes)
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// `objects` objects, object k of type entry k, every type entry naming pool string 0 (`name`).
    static func repeatedTypeName(_ name: String, entries objects: Int) -> [UInt8] {
        var dump = CraftedDump()
        var strs: [UInt8] = []
        dump.u64(1, into: &strs)
        dump.u64(UInt64(name.utf8.count), into: &strs)
        strs += Array(name.utf8)
        dump.section("STRS", strs)
        var types: [UInt8] = []
        dump.u64(UInt64(objects), into: &types)
        for _ in 0..<objects { dump.u32(0, into: &types) }
        dump.section("TYPE", types)
        var sites: [UInt8] = []
        dump.u64(0, into: &sites)
        dump.section("SITE", sites)
        var objs: [UInt8] = []
        dump.u64(UInt64(objects), into: &objs)
        for k in 0..<objects { dump.u64(UInt64(k + 1), into: &objs) }  // ids
        for k in 0..<objects { dump.u32(UInt32(k), into: &objs) }  // type indices
        for _ in 0..<objects { dump.u64(16, into: &objs) }  // sizes
        for _ in 0..<objects { dump.u32(1, into: &objs) }  // refcounts: held from outside
        objs += [UInt8](repeating: 255, count: objects)  // generations
        for _ in 0..<objects { dump.u32(UInt32.max, into: &objs) }  // no site
        for _ in 0..<objects { dump.u32(UInt32.max, into: &objs) }  // no label
        dump.u64(0, into: &objs)  // label table
        dump.section("OBJS", objs)
        var edges: [UInt8] = []
        dump.u64(0, into: &edges)  // field names
        dump.u64(0, into: &edges)  // edge count
        for _ in 0...objects { dump.u32(0, into: &edges) }  // edgeStarts
        dump.section("EDGE", edges)
        var roots: [UInt8] = []
        dump.u64(0, into: &roots)
        dump.section("ROOT", roots)
        dump.section("ALOC", [0])
        return dump.bytes
    }
}

@Suite struct RepeatedTypeNameTests {
    static let name = String(repeating: "T", count: 100_000)
    static let entries = 20_000

    @Test func oneNameReadOnceWhateverTheEntries() throws {
        let bytes = CraftedDump.repeatedTypeName(Self.name, entries: Self.entries)
        let snapshot = try HeapSnapshot(dumpData: Data(bytes))
        #expect(snapshot.objectCount == Self.entries)
        // The work counted: the type names the analyses hash, in bytes, stay within the file's size
        // (20,000 copies of the name would be 2 GB of hashing for a 0.8 MB file).
        let typeNameBytes = snapshot.typeNames.reduce(0) { $0 + $1.utf8.count }
        #expect(typeNameBytes <= bytes.count, "type names total \(typeNameBytes) bytes for a \(bytes.count)-byte file")
        #expect(snapshot.typeNames.count == 1)
        #expect(Set(snapshot.typeIndices).count == 1, "every object has the one type index")
        let histogram = snapshot.typeHistogram()
        #expect(histogram.count == 1 && histogram.first?.count == Self.entries && histogram.first?.bytes == UInt64(16 * Self.entries))
    }

    @Test func commandsAnswerOnTheCraftedDump() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-types-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("repeated.heap")
        try Data(CraftedDump.repeatedTypeName(Self.name, entries: Self.entries)).write(to: file)
        let types = try Heapscan.run(["types", "--json", file.path])
        #expect(types.status == 0, "\(types.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(types.stdout.utf8)) as? [String: Any])
        #expect(json["distinct"] as? Int == 1)
        for command in [["summary"], ["diff", file.path], ["stats"], ["cycles"], ["retainers"]] {
            let result = try Heapscan.run(command + [file.path])
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
    }
}
