// LeakAnalysisGoldenTests — small heaps built inline, with the exact report text expected.
import HeapAnalysis
import HeapGraph
import Testing

@Suite struct LeakAnalysisGoldenTests {
    /// parent ⇄ child cycle, entered from nothing; a list hanging off the parent; one live object.
    static func parentChildHeap() -> HeapSnapshot {
        var b = HeapSnapshotBuilder()
        let live = b.add("App", size: 16)
        b.root(live, name: "main.app")
        let parent = b.add("Parent", size: 64)
        let child = b.add("Child", size: 32)
        let list = b.add("List", size: 100)
        b.reference(from: parent, to: child, name: "child")
        b.reference(from: child, to: parent, name: "parent")
        b.reference(from: parent, to: list, name: "items")
        return b.build()
    }

    @Test func parentChildCycle() {
        let analysis = LeakAnalysis(Self.parentChildHeap())
        #expect(analysis.garbage == [1, 2, 3])
        #expect(analysis.cycles.count == 1)
        let cycle = analysis.cycles[0]
        #expect(cycle.root == 1)
        #expect(cycle.members == [1, 2])
        #expect(cycle.hangers == [3])
        #expect(cycle.retainedBytes == 196)
        #expect(
            analysis.tree(of: cycle) == """
                3 (196 bytes) ROOT CYCLE: <Parent #2> [64]
                   1 (32 bytes) child --> <Child #3> [32]
                      parent --> CYCLE BACK TO <Parent #2> [64]
                   1 (100 bytes) items --> <List #4> [100]

                """)
    }

    /// Type names of different lengths: the canonical start is decided on the encoded walk, so the
    /// signature is pinned here (a change to the encoding must be deliberate: signatures group leaks
    /// across runs and dumps).
    @Test func signatureIsPinned() {
        func window(ids: [UInt64]) -> String {
            var b = HeapSnapshotBuilder()
            b.add(id: ids[0], type: "Window", size: 512)
            b.add(id: ids[1], type: "WindowController", size: 96)
            b.add(id: ids[2], type: "ViewModel", size: 80)
            b.reference(from: ids[0], to: ids[1], name: "controller")
            b.reference(from: ids[1], to: ids[0], name: "window")
            b.reference(from: ids[1], to: ids[2], name: "delegate")
            b.reference(from: ids[2], to: ids[1], name: "owner")
            return LeakAnalysis(b.build()).cycles[0].signature
        }
        #expect(window(ids: [10, 11, 12]) == "09c00482e899354b")
        #expect(window(ids: [30, 20, 10]) == window(ids: [10, 11, 12]))
        #expect(window(ids: [5, 90, 40]) == window(ids: [10, 11, 12]))
    }
}
