// V8ReaderTests — the V8 reader on small hand-written snapshots: detection by the first key, a layout
// taken from the meta (fields in any order), DevTools naming, reference handling by edge type, roots,
// and one clear error for each kind of bad input.
import Foundation
import HeapAnalysis
import HeapFormats
import HeapGraph
import Testing

@Suite("V8 heap snapshot reader")
struct V8ReaderTests {
    /// A snapshot in V8's layout: root → (GC roots) → (Global handles) → Thing ⇄ closure, a weak edge,
    /// a string, and a shortcut from the root to the global object.
    static func sample(nodeFields: [String] = ["type", "name", "id", "self_size", "edge_count", "trace_node_id", "detachedness"]) -> String {
        // Nodes in the standard field order, reordered below for `nodeFields`.
        let standard = ["type", "name", "id", "self_size", "edge_count", "trace_node_id", "detachedness"]
        let rows: [[Int]] = [
            [9, 0, 1, 0, 3, 0, 0],  // 0 synthetic root: (GC roots), shortcut to global, weak to string
            [9, 1, 3, 0, 1, 0, 0],  // 1 (GC roots) → (Global handles)
            [9, 2, 5, 0, 1, 0, 0],  // 2 (Global handles) → Thing
            [3, 3, 7, 40, 3, 0, 0],  // 3 Thing: .fn → closure, [0] → string, weak → global
            [5, 4, 9, 32, 1, 0, 0],  // 4 closure "make": context → Thing
            [2, 5, 11, 20, 0, 0, 0],  // 5 string
            [3, 6, 13, 60, 0, 0, 0],  // 6 global object
            [8, 7, 15, 24, 0, 0, 2],  // 7 native HTMLDivElement, detached, unreachable
        ]
        let nodes = rows.map { row in nodeFields.map { row[standard.firstIndex(of: $0)!] } }.flatMap { $0 }
        let w = nodeFields.count
        let edges: [Int] = [
            1, 1, 1 * w, 5, 8, 6 * w, 6, 9, 5 * w,  // root: element (GC roots), shortcut global, weak
            1, 1, 2 * w,  // (GC roots)[1] → (Global handles)
            1, 0, 3 * w,  // (Global handles)[0] → Thing
            2, 10, 4 * w, 1, 0, 5 * w, 6, 9, 6 * w,  // Thing.fn, Thing[0], weak
            0, 11, 3 * w,  // closure context "self" → Thing
        ]
        // node_types describes node_fields position by position: the enum for `type`, a word for the rest.
        let nodeTypes = nodeFields.map {
            $0 == "type" ? "[\"hidden\",\"array\",\"string\",\"object\",\"code\",\"closure\",\"regexp\",\"number\",\"native\",\"synthetic\"]"
                : $0 == "name" ? "\"string\"" : "\"number\""
        }.joined(separator: ",")
        let strings = ["", "(GC roots)", "(Global handles)", "Thing", "make", "hello \\\"world\\\" \\u00e9\\ud83d\\ude00", "Window", "HTMLDivElement", "global", "weak", "fn", "self"]
        return """
            {"snapshot":{"meta":{"node_fields":[\(nodeFields.map { "\"\($0)\"" }.joined(separator: ","))],\
            "node_types":[\(nodeTypes)],\
            "edge_fields":["type","name_or_index","to_node"],\
            "edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"],\
            "location_fields":["object_index","script_id","line","column"]},\
            "node_count":\(rows.count),"edge_count":\(edges.count / 3),"trace_function_count":0},
            "nodes":[\(nodes.map(String.init).joined(separator: ","))],
            "edges":[\(edges.map(String.init).joined(separator: ","))],
            "trace_function_infos":[],"trace_tree":[],"samples":[],
            "locations":[\(4 * w),3,9,4],
            "strings":[\(strings.map { "\"\($0)\"" }.joined(separator: ","))]}
            """
    }

    static func read(_ text: String) throws(DumpError) -> HeapSnapshot {
        try V8HeapSnapshot.read(bytes: Array(text.utf8))
    }

    @Test func detectedByTheFirstKey() {
        #expect(HeapDump.detect(prefix: Array(" {\n \"snapshot\": {".utf8)) == .v8HeapSnapshot)
        #expect(HeapDump.detect(prefix: Array("{\"heapscan\":1,\"snapshot\":{}}".utf8)) == .heapscanJSON)
        #expect(HeapDump.detect(prefix: Array("{\"objects\":[]}".utf8)) == .heapscanJSON)
    }

    @Test func objectsAreNamedAsDevToolsNamesThem() throws {
        let s = try Self.read(Self.sample())
        #expect(s.objectCount == 8)
        let byID = Dictionary(uniqueKeysWithValues: s.objectIndices.map { (s.ids[$0], $0) })
        func type(_ id: UInt64) -> String { s.typeName(of: byID[id]!) }
        #expect(type(1) == "(synthetic)")
        #expect(type(7) == "Thing")
        #expect(type(9) == "(closure)")
        #expect(type(11) == "(string)")
        #expect(type(15) == "Detached HTMLDivElement")
        #expect(s.sizes[byID[7]!] == 40)
        #expect(s.label(of: byID[11]!) == "hello \"world\" é😀")
        #expect(s.label(of: byID[9]!) == "make script 3:10:5")
        #expect(s.site(of: byID[9]!) == "script 3:10:5")
    }

    @Test func fieldsMayComeInAnyOrder() throws {
        let standard = try Self.read(Self.sample())
        let shuffled = try Self.read(Self.sample(nodeFields: ["id", "edge_count", "name", "detachedness", "self_size", "type"]))
        #expect(standard.ids == shuffled.ids)
        #expect(standard.typeNames == shuffled.typeNames)
        #expect(standard.edgeTargets == shuffled.edgeTargets)
    }

    @Test func referencesAndRoots() throws {
        let s = try Self.read(Self.sample())
        let thing = try #require(s.index(ofID: 7))
        let names = s.edgeRange(of: thing).map { s.fieldName(ofEdge: $0) }
        // The weak reference does not retain: analyses never follow it.
        #expect(names == ["fn", "[0]"])
        let closure = try #require(s.index(ofID: 9))
        #expect(s.edgeRange(of: closure).map { s.fieldName(ofEdge: $0) } == ["self"])
        let rootNames = Set(s.roots.map(\.name))
        #expect(rootNames.isSuperset(of: ["(root)", "(GC roots)", "(Global handles)", "global: Window"]))
        // Thing is held through (Global handles); the detached div is reachable from nothing.
        let path = try #require(s.shortestPathFromOutside(to: thing))
        #expect(path.steps.count == 1)
        #expect(s.shortestPathFromOutside(to: try #require(s.index(ofID: 15))) == nil)
    }

    @Test func aMissingMetaFieldIsOneClearError() {
        let text = Self.sample().replacingOccurrences(of: "\"self_size\",", with: "")
        #expect {
            try Self.read(text)
        } throws: { error in
            "\(error)".contains("node_fields") && "\(error)".contains("self_size")
        }
    }

    @Test func badInputGivesAnErrorWithAnOffset() {
        let sample = Self.sample()
        let cases: [(String, String)] = [
            (String(sample.prefix(sample.count / 2)), "ends"),
            (sample.replacingOccurrences(of: "\"node_count\":8", with: "\"node_count\":9"), "node_count"),
            (sample.replacingOccurrences(of: "\"edges\":[1,1,7", with: "\"edges\":[1,1,8"), "node field"),
            (sample.replacingOccurrences(of: "\"edges\":[1,1,7", with: "\"edges\":[1,1,700"), "node field"),
            (sample.replacingOccurrences(of: "\"nodes\":[9,0,1", with: "\"nodes\":[99,0,1"), "type"),
            (sample.replacingOccurrences(of: "\"nodes\":[9,0,1", with: "\"nodes\":[9,-1,1"), "integer"),
            (sample.replacingOccurrences(of: "\"nodes\":[9,0,1", with: "\"nodes\":[9,90,1"), "strings"),
            (sample + "x", "after"),
        ]
        for (text, expected) in cases {
            #expect {
                try Self.read(text)
            } throws: { error in
                guard let error = error as? DumpError else { return false }
                return error.description.contains(expected) && !error.description.contains("\n")
            }
        }
    }

    @Test func truncationAtEveryByteNeverCrashes() {
        let bytes = Array(Self.sample().utf8)
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: DumpError.self) { try V8HeapSnapshot.read(bytes: Array(bytes[..<cut])) }
        }
    }

    @Test func readsThroughTheEntryPoint() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-v8-\(UUID().uuidString).heapsnapshot")
        try Self.sample().write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let s = try HeapDump.read(from: url)
        #expect(s.objectCount == 8)
    }
}
