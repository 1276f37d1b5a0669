// ReportDataTests — the page's embedded data read back as JSON and checked against the analyses it
// came from: paths from a root (heapscan path's shortest chains), the dominator tree's children in
// retained order, retained sizes, liveness; for a heap embedded whole and for a large one cut down.
import Foundation
import HeapAnalysis
import HeapGraph
import Testing

@testable import HeapReport

@Suite struct ReportDataTests {
    /// The `#heap-data` block of `html`, decoded.
    private func data(_ html: String) throws -> [String: Any] {
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"heap-data\">")).upperBound
        let end = try #require(html[start...].range(of: "</script>")).lowerBound
        return try #require(try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8)) as? [String: Any])
    }

    @Test(arguments: [0, 30_000])
    func embeddedObjectsAgreeWithTheAnalyses(extraObjects: Int) throws {
        let snapshot = ReportHeaps.app(hostile: false, extraObjects: extraObjects)
        let d = try data(HeapReport.html(for: snapshot, options: .init(title: "x", detailedObjects: 300)))
        let o = try #require(d["o"] as? [String: [Any]])
        let ids = try #require(o["id"] as? [UInt64]), pv = try #require(o["pv"] as? [Int]), g = try #require(o["g"] as? [Int])
        let retained = try #require(o["r"] as? [UInt64])
        let dk = try #require(d["dk"] as? [Any])
        let dominators = DominatorTree(snapshot)
        #expect((d["complete"] as? Bool) == (extraObjects == 0))
        if extraObjects == 0 {
            #expect(ids.count == snapshot.objectCount)
        } else {
            // 300 detailed retainers plus the suspects' and cycles' objects; the rest are what those
            // name and the chains to them (here most of the 30,000-long list: chains embed up to 50,000).
            #expect((d["detailed"] as? Int ?? .max) < 400)
            #expect(ids.count < snapshot.objectCount)
        }
        var checkedPaths = 0
        let positions = try ids.map { try #require(snapshot.index(ofID: $0)) }
        // Chains of up to 64 steps are compared (the 30,000-long list would make the paths huge).
        func chain(_ k: Int) -> [Int] {
            var chain = [k]
            while let last = chain.last, pv[last] >= 0, chain.count <= 64 { chain.append(pv[last]) }
            return chain
        }
        let short = ids.indices.filter { chain($0).count <= 64 }
        var shortestPaths = [Int: ReferencePath?]()
        for (k, path) in zip(short, snapshot.shortestPathsFromOutside(to: short.map { positions[$0] })) { shortestPaths[k] = path }
        for k in ids.indices {
            let v = positions[k]
            #expect(retained[k] == dominators.retainedSize(of: v))
            #expect((g[k] == 1) == !dominators.isReachable(v))
            // The chain the page follows is heapscan path's shortest chain, where it is embedded whole.
            let chain = chain(k)
            if g[k] == 1 {
                #expect(shortestPaths[k]! == nil)
            } else if let shortest = shortestPaths[k], pv[chain.last!] != -2 {
                #expect(chain.reversed().map { ids[$0] } == shortest?.objects.map { snapshot.ids[$0] })
                checkedPaths += 1
            }
            // Dominator children, largest retained first, as far as they are embedded.
            if let kids = dk[k] as? [Int] {
                let expected = dominators.childrenByRetainedSize(of: v).map { snapshot.ids[$0] }
                let shown = kids.map { ids[$0] }
                #expect(Array(expected.prefix(shown.count)) == shown || extraObjects > 0)
                #expect(shown.allSatisfy { expected.contains($0) })
            }
        }
        #expect(checkedPaths > 50)
    }
}
