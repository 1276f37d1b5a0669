// FixtureGoldenTests — the analyzer's report on every fixture in fixtures/ (JSON and binary twins
// give the same text), compared with the text written here after checking it by hand.
import Foundation
import HeapAnalysis
import HeapGraph
import Testing

@Suite struct FixtureGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures")

    static func load(_ name: String, _ ext: String) throws -> HeapSnapshot {
        try HeapSnapshot.read(from: fixtures.appendingPathComponent("\(name).\(ext)"))
    }

    /// Everything the analyzer says about a heap, as one deterministic text.
    static func report(_ s: HeapSnapshot) -> String {
        var out = LeakAnalysis(s).report()
        let tree = DominatorTree(s)
        out += "\nlive: \(tree.liveCount) objects, \(tree.liveBytes) bytes\n"
        for v in tree.topRetainers(5) {
            let idom = tree.immediateDominator(of: v).map { s.objectDescription($0) } ?? "(outside)"
            out += "retains \(tree.retainedSize(of: v)): \(s.objectDescription(v)) under \(idom)\n"
        }
        for t in tree.topRetainersByType(3) {
            out += "type \(t.type): \(t.count) objects, \(t.shallowBytes) shallow, \(t.retainedBytes) retained\n"
        }
        for suspect in tree.leakSuspects() {
            out += "suspect \(s.objectDescription(suspect.object)) \(suspect.retainedBytes) bytes "
                + "(\(Int((suspect.share * 100).rounded()))%), accumulates at \(s.objectDescription(suspect.accumulationPoint))\n"
        }
        for entry in s.typeHistogram().prefix(5) { out += "histogram \(entry.key) \(entry.count) \(entry.bytes)\n" }
        return out
    }

    @Test(arguments: ["two-object-cycle", "self-loop", "leak-from-cycle", "diamond", "long-chain", "growth-before", "growth-after"])
    func fixtureReport(_ name: String) throws {
        let json = try Self.load(name, "json")
        let binary = try Self.load(name, "heap")
        let text = Self.report(json)
        #expect(text == Self.golden[name])
        #expect(Self.report(binary) == text)
    }

    @Test func growthBetweenFixtures() throws {
        let before = try Self.load("growth-before", "json")
        let after = try Self.load("growth-after", "json")
        let diff = SnapshotDiff(before: before, after: after)
        #expect(diff.freedObjects.isEmpty)
        #expect(diff.newObjects.count == 120)
        #expect(diff.newObjects.allSatisfy { before.index(ofID: after.ids[$0]) == nil })
        let lines = diff.byType.map { "\($0.key) \($0.count) \($0.countDelta) \($0.bytes) \($0.bytesDelta)" }
        #expect(lines == [
            "Bytes 60 40 29760 19840", "Headers 60 40 8160 5440", "Response 60 40 5280 3520",
            "Dict 2 0 688 0", "Server 1 0 112 0", "App 1 0 88 0", "ResponseCache 1 0 80 0",
        ])
        var tracker = GrowthTracker()
        tracker.record(before)
        let grown = tracker.record(after)
        #expect(grown.map { "\($0.type) \($0.count) +\($0.increase)" } == ["Bytes 60 +40", "Headers 60 +40", "Response 60 +40"])
        #expect(tracker.grewInEveryRound().map(\.type) == ["Bytes", "Headers", "Response"])
        // What retains the growth: the cache, through its table.
        let tree = DominatorTree(after)
        let cache = try #require(tree.leakSuspects().first)
        #expect(after.typeName(of: cache.accumulationPoint) == "Dict")
        let path = try #require(after.shortestPathFromOutside(to: cache.accumulationPoint))
        #expect(path.description(in: after) == """
            root "main.app" → <App #1 "main app">
              .cache → <ResponseCache #3 "responses">
              .table → <Dict #4>
            """)
    }

    static let golden: [String: String] = [
        "two-object-cycle": """
            2 garbage objects, 1 cycles

            CYCLE 543f201c088f8891: 2 members, 0 hangers, 176 bytes
            2 (176 bytes) ROOT CYCLE: <TreeNode #3 "parent"> [88]
               1 (88 bytes) children --> <TreeNode #4 "child"> [88]
                  parent --> CYCLE BACK TO <TreeNode #3 "parent"> [88]

            live: 2 objects, 184 bytes
            retains 184: <App #1 "main app"> under (outside)
            retains 104: <Dict #2> under <App #1 "main app">
            type App: 1 objects, 80 shallow, 184 retained
            type Dict: 1 objects, 104 shallow, 104 retained
            suspect <App #1 "main app"> 184 bytes (100%), accumulates at <Dict #2>
            histogram TreeNode 2 176
            histogram Dict 1 104
            histogram App 1 80

            """,
        "self-loop": """
            1 garbage objects, 1 cycles

            CYCLE d519c2c1e530bc88: 1 members, 0 hangers, 80 bytes
            1 (80 bytes) ROOT CYCLE: <Observer #3 "leaked"> [80]
               delegate --> CYCLE BACK TO <Observer #3 "leaked"> [80]

            live: 3 objects, 272 bytes
            retains 272: <App #1 "main app"> under (outside)
            retains 104: <Dict #2> under <App #1 "main app">
            retains 80: <Observer #4 "live"> under <App #1 "main app">
            type App: 1 objects, 88 shallow, 272 retained
            type Dict: 1 objects, 104 shallow, 104 retained
            type Observer: 1 objects, 80 shallow, 80 retained
            suspect <App #1 "main app"> 272 bytes (100%), accumulates at <App #1 "main app">
            suspect <Dict #2> 104 bytes (38%), accumulates at <Dict #2>
            suspect <Observer #4 "live"> 80 bytes (29%), accumulates at <Observer #4 "live">
            histogram Observer 2 160
            histogram Dict 1 104
            histogram App 1 88

            """,
        "leak-from-cycle": """
            7 garbage objects, 1 cycles

            CYCLE 1383359cd121984b: 2 members, 5 hangers, 1792 bytes
            7 (1792 bytes) ROOT CYCLE: <Session #3> [88]
               1 (104 bytes) connection --> <Connection #4> [104]
                  owner --> CYCLE BACK TO <Session #3> [88]
               5 (1600 bytes) pending --> <Buffer #5 "chunk 0"> [272]
                  4 (1328 bytes) next --> <Buffer #6 "chunk 1"> [272]
                     3 (1056 bytes) next --> <Buffer #7 "chunk 2"> [272]
                        2 (784 bytes) next --> <Buffer #8 "chunk 3"> [272]
                           1 (512 bytes) storage --> <Bytes #9> [512]

            live: 2 objects, 184 bytes
            retains 184: <App #1 "main app"> under (outside)
            retains 104: <Dict #2> under <App #1 "main app">
            type App: 1 objects, 80 shallow, 184 retained
            type Dict: 1 objects, 104 shallow, 104 retained
            suspect <App #1 "main app"> 184 bytes (100%), accumulates at <Dict #2>
            histogram Buffer 4 1088
            histogram Bytes 1 512
            histogram Connection 1 104
            histogram Dict 1 104
            histogram Session 1 88

            """,
        "diamond": """
            0 garbage objects, 0 cycles

            live: 6 objects, 576 bytes
            retains 576: <App #1 "main app"> under (outside)
            retains 384: <Node #3 "top"> under <App #1 "main app">
            retains 104: <Dict #2> under <App #1 "main app">
            retains 96: <Node #4 "left"> under <Node #3 "top">
            retains 96: <Node #5 "right"> under <Node #3 "top">
            type App: 1 objects, 88 shallow, 576 retained
            type Node: 4 objects, 384 shallow, 384 retained
            type Dict: 1 objects, 104 shallow, 104 retained
            suspect <App #1 "main app"> 576 bytes (100%), accumulates at <App #1 "main app">
            suspect <Node #3 "top"> 384 bytes (67%), accumulates at <Node #3 "top">
            suspect <Dict #2> 104 bytes (18%), accumulates at <Dict #2>
            suspect <Node #4 "left"> 96 bytes (17%), accumulates at <Node #4 "left">
            suspect <Node #5 "right"> 96 bytes (17%), accumulates at <Node #5 "right">
            suspect <Node #6 "bottom"> 96 bytes (17%), accumulates at <Node #6 "bottom">
            histogram Node 4 384
            histogram Dict 1 104
            histogram App 1 88

            """,
        "long-chain": """
            0 garbage objects, 0 cycles

            live: 5002 objects, 400192 bytes
            retains 400192: <App #1 "main app"> under (outside)
            retains 400000: <ListNode #3 "head"> under <App #1 "main app">
            retains 399920: <ListNode #4> under <ListNode #3 "head">
            retains 399840: <ListNode #5> under <ListNode #4>
            retains 399760: <ListNode #6> under <ListNode #5>
            type App: 1 objects, 88 shallow, 400192 retained
            type ListNode: 4999 objects, 399920 shallow, 400000 retained
            type Dict: 1 objects, 104 shallow, 104 retained
            suspect <App #1 "main app"> 400192 bytes (100%), accumulates at <ListNode #4502>
            histogram ListNode 4999 399920
            histogram Dict 1 104
            histogram App 1 88
            histogram ListTail 1 80

            """,
        "growth-before": """
            0 garbage objects, 0 cycles

            live: 65 objects, 15368 bytes
            retains 15064: <ResponseCache #3 "responses"> under (outside)
            retains 14984: <Dict #4> under <ResponseCache #3 "responses">
            retains 720: <Response #6 "GET /item/0"> under <Dict #4>
            retains 720: <Response #9 "GET /item/1"> under <Dict #4>
            retains 720: <Response #12 "GET /item/2"> under <Dict #4>
            type Dict: 2 objects, 688 shallow, 15088 retained
            type ResponseCache: 1 objects, 80 shallow, 15064 retained
            type Response: 20 objects, 1760 shallow, 14400 retained
            suspect <ResponseCache #3 "responses"> 15064 bytes (98%), accumulates at <Dict #4>
            histogram Bytes 20 9920
            histogram Headers 20 2720
            histogram Response 20 1760
            histogram Dict 2 688
            histogram Server 1 112

            """,
        "growth-after": """
            0 garbage objects, 0 cycles

            live: 185 objects, 44168 bytes
            retains 43864: <ResponseCache #3 "responses"> under (outside)
            retains 43784: <Dict #4> under <ResponseCache #3 "responses">
            retains 720: <Response #6 "GET /item/0"> under <Dict #4>
            retains 720: <Response #9 "GET /item/1"> under <Dict #4>
            retains 720: <Response #12 "GET /item/2"> under <Dict #4>
            type Dict: 2 objects, 688 shallow, 43888 retained
            type ResponseCache: 1 objects, 80 shallow, 43864 retained
            type Response: 60 objects, 5280 shallow, 43200 retained
            suspect <ResponseCache #3 "responses"> 43864 bytes (99%), accumulates at <Dict #4>
            histogram Bytes 60 29760
            histogram Headers 60 8160
            histogram Response 60 5280
            histogram Dict 2 688
            histogram Server 1 112

            """,
    ]
}
