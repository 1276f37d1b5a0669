// ChainTests — a leak at the end of a very long chain prints and draws in bounded size (the chains
// themselves are HeapAnalysis's, tested in HeapAnalysisTests/ReferencePathTests).
import Foundation
import HeapAnalysis
import HeapGraph
@testable import HeapTesting
import ManagedHeap
import Testing

@Suite struct ChainTests {
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

            1. 1 × Link (80 bytes), allocated at HeapTestingTests/ChainTests.swift:25
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

            Picture: <pictures>/HeapTestingTests-ChainTests.swift-L24-leaks.svg
            """
        #expect(pictures.normalized(report.message) == expected)
        let svg = try String(contentsOfFile: try #require(report.picturePaths.first), encoding: .utf8)
        #expect(svg.contains("#20002") && svg.contains("#1 ·"))
    }
}
