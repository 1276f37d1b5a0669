// CollectedSnapshotTests — the "after collection" view the checks judge by: garbage left out, counts
// from garbage taken off live objects, ids and references kept.
import HeapAnalysis
import HeapGraph
@testable import HeapTesting
import Testing

@Suite struct CollectedSnapshotTests {
    @Test func garbageIsLeftOutAndItsCountsTakenOff() throws {
        var b = HeapSnapshotBuilder()
        let held = b.add("Holder", size: 16, refcount: 2)   // one handle + one reference from garbage
        let live = b.add("Leaf", size: 8, refcount: 1)
        let g1 = b.add("Garbage", size: 32, refcount: 1)
        let g2 = b.add("Garbage", size: 32, refcount: 1)
        b.reference(from: held, to: live, name: "leaf")
        b.reference(from: g1, to: g2, name: "next")
        b.reference(from: g2, to: g1, name: "next")
        b.reference(from: g1, to: held, name: "owner")
        b.root(held, name: "handle")
        let snapshot = b.build()
        let collected = snapshot.collected()
        #expect(collected.ids == [held, live])
        #expect(collected.refcounts == [1, 1])
        #expect(collected.edgeCount == 1)
        #expect(collected.fieldName(ofEdge: 0) == "leaf")
        #expect(collected.garbage().isEmpty)
        #expect(collected.roots.map(\.name) == ["handle"])
    }

    @Test func snapshotWithoutGarbageIsUnchanged() throws {
        var b = HeapSnapshotBuilder()
        let a = b.add("A", size: 8, refcount: 1)
        b.root(a, name: "r")
        let snapshot = b.build()
        #expect(snapshot.collected() == snapshot)
        #expect(HeapSnapshot.empty.collected() == HeapSnapshot.empty)
    }
}
