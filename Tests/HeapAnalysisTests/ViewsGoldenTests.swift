// ViewsGoldenTests — neighbourhoods, suspects, histograms, diffs and growth on small inline heaps,
// with every expected value written out.
import HeapAnalysis
import HeapGraph
import Testing

@Suite struct ViewsGoldenTests {
    /// root → app → cache → table → 12 entries (100 bytes each); app → log (small); table ⇄ index.
    static func cacheHeap() -> (HeapSnapshot, [String: Int]) {
        var b = HeapSnapshotBuilder()
        let app = b.add("App", size: 10, site: "main.swift:1")
        let cache = b.add("Cache", size: 10, site: "cache.swift:5")
        let table = b.add("Table", size: 10, site: "cache.swift:6")
        let index = b.add("Index", size: 10, site: "cache.swift:7")
        let log = b.add("Log", size: 20)
        b.root(app, name: "main.app")
        b.reference(from: app, to: cache, name: "cache")
        b.reference(from: app, to: log, name: "log")
        b.reference(from: cache, to: table, name: "table")
        b.reference(from: table, to: index, name: "index")
        b.reference(from: index, to: table, name: "owner")
        for k in 0..<12 {
            let entry = b.add("Entry", size: 100, site: "cache.swift:20")
            b.reference(from: table, to: entry, name: "slot\(k)")
        }
        let s = b.build()
        return (s, ["app": 0, "cache": 1, "table": 2, "index": 3, "log": 4])
    }

    @Test func suspectAccumulatesAtTheTable() throws {
        let (s, at) = Self.cacheHeap()
        let tree = DominatorTree(s)
        #expect(tree.liveBytes == 1260)
        let suspects = tree.leakSuspects()
        #expect(suspects.count == 1)
        let suspect = try #require(suspects.first)
        #expect(suspect.object == at["app"] && suspect.accumulationPoint == at["table"])
        #expect(suspect.chain == [at["app"]!, at["cache"]!, at["table"]!])
        #expect(suspect.accumulationBytes == 1220)
        // With a 5% threshold every 100-byte entry stands out: the table becomes a branch point.
        let low = tree.leakSuspects(threshold: 0.05)
        #expect(low.first?.accumulationPoint == at["table"])
        #expect(low.count == 13)
        let byType = tree.topRetainersByType(3)
        #expect(byType.map { "\($0.type) \($0.count) \($0.shallowBytes) \($0.retainedBytes)" } == [
            "App 1 10 1260", "Cache 1 10 1230", "Table 1 10 1220",
        ])
        #expect(tree.dominates(at["cache"]!, at["index"]!) && !tree.dominates(at["index"]!, at["table"]!))
    }

    @Test func backrefsWithCutOffAndCollapsedComponents() {
        let (s, at) = Self.cacheHeap()
        let back = s.neighbourhood(of: [at["index"]!], direction: .referrers, maxDepth: 3, collapseComponents: true)
        #expect(back.starts == [at["index"]!])
        #expect(back.nodes.map { "\($0.object)@\($0.depth)" } == ["3@0", "2@1", "1@2", "0@3"])
        #expect(back.edges.map { "\($0.from)→\($0.to) \($0.field ?? "-")" } == ["0→1 cache", "1→2 table", "2→3 index", "3→2 owner"])
        #expect(back.components == [[at["table"]!, at["index"]!]])
        #expect(back.nodes.map(\.component) == [0, 0, nil, nil])

        let refs = s.neighbourhood(of: [at["cache"]!], direction: .references, maxDepth: 2, tooMany: 4)
        // cache → table (depth 1); table's 13 references: index and 3 entries drawn, 9 more.
        #expect(refs.nodes.map(\.depth) == [0, 1, 2, 2, 2, 2])
        #expect(refs.nodes[1].omitted == 9)
        #expect(refs.components.isEmpty)

        let filtered = s.neighbourhood(
            of: [at["cache"]!], direction: .references, maxDepth: 2, filter: { s.typeName(of: $0) != "Entry" },
            ignore: [at["index"]!])
        #expect(filtered.nodes.map(\.object) == [at["cache"]!, at["table"]!])

        let chain = s.chainNeighbourhood(s.shortestPathFromOutside(to: 10)!)
        #expect(chain.nodes.map(\.object) == [0, 1, 2, 10])
        #expect(chain.edges.map { $0.field ?? "-" } == ["cache", "table", "slot5"])
    }

    @Test func histogramsAndSites() {
        let (s, _) = Self.cacheHeap()
        #expect(s.typeHistogram().prefix(3).map { "\($0.key) \($0.count) \($0.bytes)" } == [
            "Entry 12 1200", "Log 1 20", "App 1 10",
        ])
        #expect(s.typeHistogram(orderedBy: .bytes).first?.key == "Entry")
        #expect(s.siteHistogram().map { "\($0.key) \($0.count) \($0.bytes)" } == [
            "cache.swift:20 12 1200", "<unknown> 1 20", "cache.swift:5 1 10", "cache.swift:6 1 10",
            "cache.swift:7 1 10", "main.swift:1 1 10",
        ])
    }

    @Test func diffOrderedLikeCompareTo() {
        var b = HeapSnapshotBuilder()
        b.add(id: 1, type: "A", size: 10, site: "a:1")
        b.add(id: 2, type: "B", size: 500, site: "b:1")
        b.add(id: 3, type: "C", size: 7, site: "c:1")
        let before = b.build()
        var a = HeapSnapshotBuilder()
        a.add(id: 1, type: "A", size: 10, site: "a:1")
        a.add(id: 3, type: "C", size: 7, site: "c:1")
        for k in 0..<5 { a.add(id: UInt64(10 + k), type: "C", size: 7, site: "c:2") }
        a.add(id: 20, type: "D", size: 1, site: "c:2")
        let after = a.build()
        let diff = SnapshotDiff(before: before, after: after)
        #expect(diff.freedObjects == [1])
        #expect(diff.newObjects.map { after.ids[$0] } == [10, 11, 12, 13, 14, 20])
        #expect(diff.byType.map { "\($0.key) \($0.count) \($0.countDelta) \($0.bytes) \($0.bytesDelta)" } == [
            "B 0 -1 0 -500", "C 6 5 42 35", "D 1 1 1 1", "A 1 0 10 0",
        ])
        #expect(diff.bySite.map { "\($0.key) \($0.countDelta) \($0.bytesDelta)" } == [
            "b:1 -1 -500", "c:2 6 36", "a:1 0 0", "c:1 0 0",
        ])
    }

    @Test func growthPeaksAndEveryRound() {
        func heap(_ counts: [String: Int]) -> HeapSnapshot {
            var b = HeapSnapshotBuilder()
            for (type, n) in counts.sorted(by: { $0.key < $1.key }) { for _ in 0..<n { b.add(type, size: 8) } }
            return b.build()
        }
        var tracker = GrowthTracker()
        #expect(tracker.record(heap(["A": 2, "B": 5])).map { "\($0.type) \($0.count) +\($0.increase)" } == ["B 5 +5", "A 2 +2"])
        #expect(tracker.record(heap(["A": 3, "B": 4])).map { "\($0.type) +\($0.increase)" } == ["A +1"])
        // B climbs back to its old peak: no growth past the peak yet.
        #expect(tracker.record(heap(["A": 4, "B": 5, "C": 1])).map { "\($0.type) +\($0.increase)" } == ["A +1", "C +1"])
        #expect(tracker.grewInEveryRound().map { "\($0.type) \($0.count) +\($0.increase)" } == ["A 4 +2"])
        #expect(tracker.peaks == ["A": 4, "B": 5, "C": 1])
    }
}
