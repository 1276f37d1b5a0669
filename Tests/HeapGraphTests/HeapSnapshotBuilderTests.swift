// Tests of the snapshot core: the builder's layout and the checks of HeapSnapshot.init.
import HeapGraph
import Testing

@Suite struct HeapSnapshotBuilderTests {
    @Test func buildsSortedColumnsAndKeepsFieldOrder() throws {
        var b = HeapSnapshotBuilder()
        b.add(id: 30, type: "Node", size: 48, refcount: 1, site: "a.swift:3")
        b.add(id: 10, type: "Leaf", size: 16)
        b.add(id: 20, type: "Node", size: 48, label: "x")
        b.reference(from: 30, to: 10, name: "left")
        b.reference(from: 30, to: 20, name: "right")
        b.reference(from: 30, to: 30)
        b.root(30, name: "global")
        let s = try b.build(unknownReferences: .reject)
        #expect(s.ids == [10, 20, 30])
        #expect(s.objectCount == 3 && s.edgeCount == 3)
        let node = try #require(s.index(ofID: 30))
        #expect(s.edgeRange(of: node).map { s.ids[Int(s.edgeTargets[$0])] } == [10, 20, 30])
        #expect(s.edgeRange(of: node).map { s.fieldName(ofEdge: $0) } == ["left", "right", nil])
        #expect(s.typeName(of: node) == "Node" && s.site(of: node) == "a.swift:3" && s.refcount(of: node) == 1)
        #expect(s.label(of: 1) == "x" && s.refcount(of: 0) == nil && s.site(of: 0) == nil)
        #expect(s.roots == [HeapSnapshot.Root(object: node, name: "global")])
        #expect(s.index(ofID: 15) == nil && s.totalBytes == 112)
    }

    @Test func rejectsDuplicateAndUnknownIDs() {
        var dup = HeapSnapshotBuilder()
        dup.add(id: 1, type: "A", size: 1)
        dup.add(id: 1, type: "A", size: 1)
        #expect(throws: SnapshotError.duplicateID(1)) { try dup.build(unknownReferences: .reject) }

        var dangling = HeapSnapshotBuilder()
        dangling.add(id: 1, type: "A", size: 1)
        dangling.reference(from: 1, to: 99, name: "next")
        dangling.root(77)
        let again = dangling
        #expect(throws: SnapshotError.unknownID(99, referencedBy: "a reference from object 1")) {
            try dangling.build(unknownReferences: .reject)
        }
        #expect(dangling.objectCount == 0, "build hands the storage over, even when it throws")
        dangling = again
        let kept = try? dangling.build(unknownReferences: .drop)
        #expect(kept?.edgeCount == 0 && kept?.roots.isEmpty == true && dangling.droppedReferences == 2)
    }

    @Test func emptySnapshot() {
        #expect(HeapSnapshot.empty.objectCount == 0 && HeapSnapshot.empty.edgeStarts == [0])
    }

    @Test func buildRejectsPositionsOutsideTheObjects() {
        var b = HeapSnapshot.Builder()
        let a = b.addObject(id: 1, typeIndex: b.internType("T"), size: 8)
        b.addReference(from: a, to: 5)
        #expect(throws: SnapshotError.self) { try b.build(unknownReferences: .reject) }
        var r = HeapSnapshot.Builder()
        r.addObject(id: 1, typeIndex: r.internType("T"), size: 8)
        r.addRoot(3, kind: .global, name: "g")
        #expect(throws: SnapshotError.self) { try r.build(unknownReferences: .reject) }
    }
}
