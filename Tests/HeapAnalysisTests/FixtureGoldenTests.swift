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
            "Bytes 60 40 29760 19840", "Headers 60 40 8640 5760", "Response 60 40 4800 3200",
            "Dict 2 0 1296 0", "Server 1 0 96 0", "App 1 0 64 0", "ResponseCache 1 0 64 0",
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
            root "main.app" → <App #4096 "main app">
              .cache → <ResponseCache #4272 "responses">
              .table → <Dict #4336>
            """)
    }

    static let golden: [String: String] = [
        "two-object-cycle": """
            2 garbage objects, 1 cycles

            CYCLE 08b3ece9818e1a29: 2 members, 0 hangers, 96 bytes
            2 (96 bytes) ROOT CYCLE: <TreeNode #4272 "parent"> [48]
               1 (48 bytes) children[0] --> <TreeNode #4320 "child"> [48]
                  parent --> CYCLE BACK TO <TreeNode #4272 "parent"> [48]

            live: 2 objects, 176 bytes
            retains 176: <App #4096 "main app"> under (outside)
            retains 112: <Dict #4160> under <App #4096 "main app">
            type App: 1 objects, 64 shallow, 176 retained
            type Dict: 1 objects, 112 shallow, 112 retained
            suspect <App #4096 "main app"> 176 bytes (100%), accumulates at <Dict #4160>
            histogram TreeNode 2 96
            histogram Dict 1 112
            histogram App 1 64

            """,
        "self-loop": """
            1 garbage objects, 1 cycles

            CYCLE d519c2c1e530bc88: 1 members, 0 hangers, 32 bytes
            1 (32 bytes) ROOT CYCLE: <Observer #4272 "leaked"> [32]
               delegate --> CYCLE BACK TO <Observer #4272 "leaked"> [32]

            live: 3 objects, 208 bytes
            retains 208: <App #4096 "main app"> under (outside)
            retains 112: <Dict #4160> under <App #4096 "main app">
            retains 32: <Observer #4304 "live"> under <App #4096 "main app">
            type App: 1 objects, 64 shallow, 208 retained
            type Dict: 1 objects, 112 shallow, 112 retained
            type Observer: 1 objects, 32 shallow, 32 retained
            suspect <App #4096 "main app"> 208 bytes (100%), accumulates at <App #4096 "main app">
            suspect <Dict #4160> 112 bytes (54%), accumulates at <Dict #4160>
            suspect <Observer #4304 "live"> 32 bytes (15%), accumulates at <Observer #4304 "live">
            histogram Observer 2 64
            histogram Dict 1 112
            histogram App 1 64

            """,
        "diamond": """
            0 garbage objects, 0 cycles

            live: 6 objects, 368 bytes
            retains 368: <App #4096 "main app"> under (outside)
            retains 192: <Node #4272 "top"> under <App #4096 "main app">
            retains 112: <Dict #4160> under <App #4096 "main app">
            retains 48: <Node #4320 "left"> under <Node #4272 "top">
            retains 48: <Node #4368 "right"> under <Node #4272 "top">
            type App: 1 objects, 64 shallow, 368 retained
            type Node: 4 objects, 192 shallow, 192 retained
            type Dict: 1 objects, 112 shallow, 112 retained
            suspect <App #4096 "main app"> 368 bytes (100%), accumulates at <App #4096 "main app">
            suspect <Node #4272 "top"> 192 bytes (52%), accumulates at <Node #4272 "top">
            suspect <Dict #4160> 112 bytes (30%), accumulates at <Dict #4160>
            suspect <Node #4320 "left"> 48 bytes (13%), accumulates at <Node #4320 "left">
            suspect <Node #4368 "right"> 48 bytes (13%), accumulates at <Node #4368 "right">
            suspect <Node #4416 "bottom"> 48 bytes (13%), accumulates at <Node #4416 "bottom">
            histogram Node 4 192
            histogram Dict 1 112
            histogram App 1 64

            """,
        "leak-from-cycle": """
            7 garbage objects, 1 cycles

            CYCLE 1383359cd121984b: 2 members, 5 hangers, 1712 bytes
            7 (1712 bytes) ROOT CYCLE: <Session #4272> [80]
               1 (96 bytes) connection --> <Connection #4352> [96]
                  owner --> CYCLE BACK TO <Session #4272> [80]
               5 (1536 bytes) pending --> <Buffer #4448 "chunk 0"> [256]
                  4 (1280 bytes) next --> <Buffer #4704 "chunk 1"> [256]
                     3 (1024 bytes) next --> <Buffer #4960 "chunk 2"> [256]
                        2 (768 bytes) next --> <Buffer #5216 "chunk 3"> [256]
                           1 (512 bytes) storage --> <Bytes #5472> [512]

            live: 2 objects, 176 bytes
            retains 176: <App #4096 "main app"> under (outside)
            retains 112: <Dict #4160> under <App #4096 "main app">
            type App: 1 objects, 64 shallow, 176 retained
            type Dict: 1 objects, 112 shallow, 112 retained
            suspect <App #4096 "main app"> 176 bytes (100%), accumulates at <Dict #4160>
            histogram Buffer 4 1024
            histogram Bytes 1 512
            histogram Dict 1 112
            histogram Connection 1 96
            histogram Session 1 80

            """,
        "growth-before": """
            0 garbage objects, 0 cycles

            live: 65 objects, 15920 bytes
            retains 15824: <App #4096 "main app"> under (outside)
            retains 15648: <ResponseCache #4272 "responses"> under <App #4096 "main app">
            retains 15584: <Dict #4336> under <ResponseCache #4272 "responses">
            retains 720: <Response #5616 "GET /item/0"> under <Dict #4336>
            retains 720: <Response #6336 "GET /item/1"> under <Dict #4336>
            type App: 1 objects, 64 shallow, 15824 retained
            type Dict: 2 objects, 1296 shallow, 15696 retained
            type ResponseCache: 1 objects, 64 shallow, 15648 retained
            suspect <App #4096 "main app"> 15824 bytes (99%), accumulates at <Dict #4336>
            histogram Bytes 20 9920
            histogram Headers 20 2880
            histogram Response 20 1600
            histogram Dict 2 1296
            histogram Server 1 96

            """,
        "growth-after": """
            0 garbage objects, 0 cycles

            live: 185 objects, 44720 bytes
            retains 44624: <App #4096 "main app"> under (outside)
            retains 44448: <ResponseCache #4272 "responses"> under <App #4096 "main app">
            retains 44384: <Dict #4336> under <ResponseCache #4272 "responses">
            retains 720: <Response #5616 "GET /item/0"> under <Dict #4336>
            retains 720: <Response #6336 "GET /item/1"> under <Dict #4336>
            type App: 1 objects, 64 shallow, 44624 retained
            type Dict: 2 objects, 1296 shallow, 44496 retained
            type ResponseCache: 1 objects, 64 shallow, 44448 retained
            suspect <App #4096 "main app"> 44624 bytes (100%), accumulates at <Dict #4336>
            histogram Bytes 60 29760
            histogram Headers 60 8640
            histogram Response 60 4800
            histogram Dict 2 1296
            histogram Server 1 96

            """,
        "long-chain": """
            0 garbage objects, 0 cycles

            live: 5002 objects, 160176 bytes
            retains 160176: <App #4096 "main app"> under (outside)
            retains 160000: <ListNode #4272 "head"> under <App #4096 "main app">
            retains 159968: <ListNode #4304> under <ListNode #4272 "head">
            retains 159936: <ListNode #4336> under <ListNode #4304>
            retains 159904: <ListNode #4368> under <ListNode #4336>
            type App: 1 objects, 64 shallow, 160176 retained
            type ListNode: 5000 objects, 160000 shallow, 160000 retained
            type Dict: 1 objects, 112 shallow, 112 retained
            suspect <App #4096 "main app"> 160176 bytes (100%), accumulates at <ListNode #148240>
            histogram ListNode 5000 160000
            histogram Dict 1 112
            histogram App 1 64

            """,
    ]
}
