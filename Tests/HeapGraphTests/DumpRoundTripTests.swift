// Round trips through the binary dump and the JSON format: exact for binary (`==`, allocator
// statistics included), equivalent graphs for JSON, on hand-made edge cases and random snapshots.
import Foundation
import HeapArena
@testable import HeapGraph
import PropertyBased
import Testing
import HeapscanTestSupport

@Suite struct DumpRoundTripTests {
    /// A two-object cycle with every optional field, a self-loop, unnamed refs, a root.
    static func sample() -> HeapSnapshot {
        var b = HeapSnapshotBuilder()
        b.add(id: 140_288, type: "Node", size: 48, refcount: 1, generation: 2, site: "app.py:12", label: "tail")
        b.add(id: 140_234, type: "Node", size: 48, refcount: 2, site: "app.py:12", label: "optional short text")
        b.add(id: 7, type: "Leaf", size: 16)
        b.reference(from: 140_234, to: 140_288, name: "next")
        b.reference(from: 140_288, to: 140_234, name: "prev")
        b.reference(from: 140_288, to: 7)
        b.reference(from: 7, to: 7, name: "self")
        b.root(140_234, name: "globals.cache")
        b.allocator = AllocatorStatistics(sizeClasses: [.init(index: 2, blockSize: 48, pools: 1, blocksInUse: 2, blocksAvailable: 83)], arenasCurrent: 1)
        return b.build()
    }

    @Test func binaryRoundTripIsExact() throws {
        let s = Self.sample()
        let back = try HeapSnapshot(dumpData: s.dumpData())
        #expect(back == s)
        #expect(back.allocator == s.allocator)
    }

    @Test func jsonRoundTripIsEquivalent() throws {
        let s = Self.sample()
        let back = try HeapSnapshot(jsonData: s.jsonData())
        #expect(back.firstDifference(from: s) == nil)
        #expect(back.allocator == nil)
        // Export of the import is byte-identical: the JSON form is canonical.
        #expect(back.jsonData() == s.jsonData())
    }

    @Test func issueExampleReads() throws {
        let text = """
            {"heapscan": 1,
             "objects": [{"id": 140234, "type": "Node", "size": 48, "refcount": 2, "site": "app.py:12",
                          "label": "optional short text", "refs": [{"to": 140288, "name": "next"}]},
                         {"id": 140288, "type": "Node", "size": 48}],
             "roots": [{"to": 140234, "name": "globals.cache"}]}
            """
        let s = try HeapSnapshot(data: Data(text.utf8))
        #expect(s.ids == [140_234, 140_288])
        #expect(s.refcount(of: 0) == 2 && s.refcount(of: 1) == nil && s.generations == [255, 255])
        #expect(s.site(of: 0) == "app.py:12" && s.label(of: 0) == "optional short text" && s.label(of: 1) == nil)
        #expect(s.edgeCount == 1 && s.edgeTargets == [1] && s.fieldName(ofEdge: 0) == "next")
        #expect(s.roots == [HeapSnapshot.Root(object: 0, name: "globals.cache")])
    }

    @Test func emptySnapshotBothWays() throws {
        let e = HeapSnapshot.empty
        #expect(try HeapSnapshot(dumpData: e.dumpData()) == e)
        #expect(try HeapSnapshot(jsonData: e.jsonData()) == e)
        #expect(String(decoding: e.jsonData(), as: UTF8.self) == "{\"heapscan\": 1,\n \"objects\": [],\n \"roots\": []}\n")
        #expect(try HeapSnapshot(data: Data("{\"heapscan\":1,\"objects\":[]}".utf8)) == e)
    }

    @Test func hostileStringsSurviveBothFormats() throws {
        var b = HeapSnapshotBuilder()
        for (k, s) in hostileStrings.enumerated() {
            b.add(id: UInt64(k), type: s, size: 1, site: s, label: s)
            b.reference(from: UInt64(k), to: UInt64(k), name: s)
            b.root(UInt64(k), name: s)
        }
        let snapshot = b.build()
        #expect(try HeapSnapshot(dumpData: snapshot.dumpData()) == snapshot)
        let json = snapshot.jsonData()
        let back = try HeapSnapshot(jsonData: json)
        #expect(back.firstDifference(from: snapshot) == nil)
        // Raw control characters never reach the JSON text, and Foundation's parser agrees with ours.
        #expect(!json.contains(where: { $0 < 0x20 && $0 != 0x0A }))
        let parsed = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        let objects = parsed?["objects"] as? [[String: Any]]
        #expect(objects?.compactMap { $0["type"] as? String } == hostileStrings)
    }

    @Test func foreignJSONVariantsRead() throws {
        // Keys in any order, unknown keys skipped, nulls for optional fields, escapes, objects out of id order.
        let text = #"""
            {"extra": {"nested": [1, -2.5e3, true, false, null, "\u00e9\ud83d\ude00"]},
             "roots": [{"to": 2}],
             "objects": [
               {"refs": [{"to": 1, "name": null}, {"name": "n\u0000x", "to": 2}], "size": 8, "type": "B", "id": 2, "site": null, "why": {}},
               {"id": 1, "type": "A\/\"", "size": 0, "refcount": null, "label": null, "refs": null}
             ],
             "heapscan": 1}
            """#
        let s = try HeapSnapshot(jsonData: Data(text.utf8))
        #expect(s.ids == [1, 2] && s.typeName(of: 0) == "A/\"" && s.typeName(of: 1) == "B")
        #expect(s.edgeRange(of: 1).map { s.edgeTargets[$0] } == [0, 1])
        #expect(s.edgeRange(of: 1).map { s.fieldName(ofEdge: $0) } == [nil, "n\u{0}x"])
        #expect(s.roots == [HeapSnapshot.Root(object: 1, name: "root")])
    }

    @Test func randomSnapshotsRoundTrip() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            let s = randomSnapshot(seed: seed)
            let binary = try HeapSnapshot(dumpData: s.dumpData())
            #expect(binary == s, "seed \(seed)")
            let json = try HeapSnapshot(jsonData: s.jsonData())
            #expect(json.firstDifference(from: s) == nil, "seed \(seed)")
            #expect(json.jsonData() == s.jsonData(), "seed \(seed)")
            // The binary dump of the JSON import round-trips exactly too.
            #expect(try HeapSnapshot(dumpData: json.dumpData()) == json, "seed \(seed)")
        }
    }

    @Test func filesWriteAtomicallyAndDetectTheirFormat() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-dump-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let s = Self.sample()
        let heap = directory.appendingPathComponent("a.heap")
        let json = directory.appendingPathComponent("a.json")
        let jsonNamedHeap = directory.appendingPathComponent("b.heap")
        try s.write(to: heap)
        try s.write(to: json)
        try s.write(to: jsonNamedHeap, format: .json)
        #expect(try HeapSnapshot.read(from: heap) == s)
        #expect(try HeapSnapshot.read(from: json).isEquivalent(to: s))
        #expect(try HeapSnapshot.read(from: jsonNamedHeap).isEquivalent(to: s))
        #expect(try Data(contentsOf: heap) == s.dumpData())
        #expect(try Data(contentsOf: json) == s.jsonData())
        // Overwriting replaces the file; no temporary file is left behind.
        try HeapSnapshot.empty.write(to: heap)
        #expect(try HeapSnapshot.read(from: heap) == .empty)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == ["a.heap", "a.json", "b.heap"])
        // A failed write (no such directory) throws and touches nothing.
        #expect(throws: DumpError.self) { try s.write(to: directory.appendingPathComponent("missing/x.heap")) }
    }

    @Test func crc32MatchesKnownValuesAndTheBitwiseDefinition() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        var rng = SplitMix64(seed: 42)
        for length in [1, 7, 8, 9, 63, 64, 65, 1000, 4095, 4096, 4097, 8200, 100_003] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var reference: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                reference ^= UInt32(byte)
                for _ in 0..<8 { reference = reference & 1 != 0 ? (reference >> 1) ^ 0xEDB8_8320 : reference >> 1 }
            }
            #expect(CRC32.checksum(bytes) == ~reference, "length \(length)")
            // Fed in two pieces, the same.
            var split = CRC32()
            let cut = length / 3
            bytes[..<cut].withUnsafeBytes { split.update($0) }
            bytes[cut...].withUnsafeBytes { split.update($0) }
            #expect(split.checksum == ~reference)
            #expect(CRC32.combine(CRC32.checksum(Array(bytes[..<cut])), CRC32.checksum(Array(bytes[cut...])), length: length - cut) == ~reference)
        }
    }

    @Test func longChainRoundTripsWithoutRecursion() throws {
        // A long chain through both formats: nothing recurses over depth.
        var b = HeapSnapshotBuilder()
        let n: UInt64 = 100_000
        for id in 1...n { b.add(id: id, type: "Link", size: 32) }
        for id in 1..<n { b.reference(from: id, to: id + 1, name: "next") }
        b.root(1, name: "head")
        let s = b.build()
        #expect(try HeapSnapshot(dumpData: s.dumpData()) == s)
        #expect(try HeapSnapshot(jsonData: s.jsonData()).isEquivalent(to: s))
    }
}
