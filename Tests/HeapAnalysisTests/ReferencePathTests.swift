// ReferencePathTests — the one-search chains of shortestPathsFromOutside(to:) equal the per-object
// shortestPathFromOutside(to:) on random graphs (the oracle), and long chains print shortened.
import HeapAnalysis
import HeapGraph
import Testing

@Suite struct ReferencePathTests {
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

    @Test func longChainsPrintTheirEndsAndCountTheMiddle() {
        var b = HeapSnapshotBuilder()
        let n = 30
        for i in 1...n { b.add(id: UInt64(i), type: "Link", size: 16) }
        for i in 1..<n { b.reference(from: UInt64(i), to: UInt64(i + 1), name: "next") }
        b.root(1, name: "head")
        let snapshot = b.build()
        let path = snapshot.shortestPathFromOutside(to: n - 1)
        #expect(path?.steps.count == n - 1)
        guard let path else { return }
        let short = path.description(in: snapshot, firstSteps: 2, lastSteps: 3)
        #expect(
            short == """
                root "head" → <Link #1>
                  .next → <Link #2>
                  .next → <Link #3>
                  ... 24 more references ...
                  .next → <Link #28>
                  .next → <Link #29>
                  .next → <Link #30>
                """)
        // Nothing is hidden when at most one step would be, or when the ends cover the chain.
        let full = path.description(in: snapshot)
        #expect(full.split(separator: "\n").count == n)
        #expect(path.description(in: snapshot, firstSteps: 13, lastSteps: 15) == full)
        #expect(path.description(in: snapshot, firstSteps: .max, lastSteps: .max) == full)
        #expect(path.description(in: snapshot, firstSteps: 12, lastSteps: 15).contains("... 2 more references ..."))
    }
}
