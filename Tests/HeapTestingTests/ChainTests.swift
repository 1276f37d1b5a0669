// ChainTests — the one-search chains equal HeapAnalysis's per-object shortest paths on random graphs
// (the oracle), and a leak at the end of a very long chain prints and draws in bounded size.
import Foundation
import HeapAnalysis
import HeapGraph
@testable import HeapTesting
import ManagedHeap
import Testing

@Suite struct ChainTests {
    @Test(arguments: 1...40)
    func oneSearchEqualsPerObjectSearch(seed: UInt64) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var b = HeapSnapshotBuilder()
        let n = 1 + random(40)
        for i in 1...n {
            // Refcount 1 or 2 with few references: some objects held by refcount, some by named roots.
            b.add(id: UInt64(i), type: "T\(random(3))", size: 16, refcount: UInt32(1 + random(2)))
        }
        for _ in 0..<random(3 * n) {
            b.reference(from: UInt64(1 + random(n)), to: UInt64(1 + random(n)), name: random(4) == 0 ? nil : "f\(random(3))")
        }
        for _ in 0..<random(3) { b.root(UInt64(1 + random(n)), name: "r\(random(2))") }
        let snapshot = b.build()
        let targets = Array(snapshot.objectIndices)
        let fast = snapshot.shortestPathsFromOutside(to: targets)
        for (t, path) in zip(targets, fast) {
            #expect(path == snapshot.shortestPathFromOutside(to: t), "seed \(seed), object \(t)")
        }
    }

    @Test func leakAtTheEndOfALongChainPrintsShortAndDraws() throws {
        let heap = ManagedHeap()
        let link = try heap.register(ObjectType(name: "Link", fields: ["next"]))
        let next = try heap.field("next", of: link)
        let head = try heap.make(link)
        var tail = head.ref
        for _ in 0..<20_000 {
            let n = try heap.make(link)
            try heap.store(n.ref, into: tail, next)
            tail = n.ref
        }
        let pictures = PictureDirectory()
        defer { pictures.remove() }
        let report = try heap.leakReport(options: HeapCheckOptions(pictures: pictures.options)) {
            let leaf = try heap.make(link)
            try heap.store(leaf.ref, into: tail, next)
        }
        let expected = """
            Leaked 1 object (80 bytes) in 1 group: created by the block and still reachable after collection.

            1. 1 × Link (80 bytes), allocated at HeapTestingTests/ChainTests.swift:50
               kept alive by (shortest chain from an external reference to <Link #20002>):
                 root "handle" → <Link #1>
                   .next → <Link #2>
                   .next → <Link #3>
                   .next → <Link #4>
                   .next → <Link #5>
                   ... 19991 more references ...
                   .next → <Link #19997>
                   .next → <Link #19998>
                   .next → <Link #19999>
                   .next → <Link #20000>
                   .next → <Link #20001>
                   .next → <Link #20002>

            Picture: <pictures>/HeapTestingTests-ChainTests.swift-L49-leaks.svg
            """
        #expect(pictures.normalized(report.message) == expected)
        let svg = try String(contentsOfFile: try #require(report.picturePaths.first), encoding: .utf8)
        #expect(svg.contains("#20002") && svg.contains("#1 ·"))
    }
}
