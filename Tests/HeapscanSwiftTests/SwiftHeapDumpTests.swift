// SwiftHeapDumpTests — a Swift heap snapshot survives the binary dump (what HEAPSCAN_DUMP writes at
// exit): types, counts, property names and weak references read back equal.
import Foundation
import HeapGraph
import HeapscanSwift
import Testing

extension SwiftHeapTests {
    @Test func snapshotRoundTripsThroughTheBinaryDump() throws {
        try SwiftHeap.install()
        let mark = SwiftHeap.mark()
        let parent = Parent()
        let child = Child(parent: parent)
        parent.child = child
        let snapshot = SwiftHeap.snapshot(since: mark, allocatedOnThisThread: true)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-swift-\(getpid()).heap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try snapshot.write(to: URL(fileURLWithPath: path))  // what HEAPSCAN_DUMP writes, for this thread's objects
        let all = try HeapSnapshot.read(from: URL(fileURLWithPath: path))
        #expect(all.runtime == SwiftHeap.runtimeName)
        #expect(all.liveness == .refcount)
        for v in 0..<snapshot.objectCount where snapshot.typeName(of: v) == "Parent" || snapshot.typeName(of: v) == "Child" {
            guard let w = all.index(ofID: snapshot.ids[v]) else {
                Issue.record("\(snapshot.typeName(of: v)) missing from the dump")
                continue
            }
            #expect(all.typeName(of: w) == snapshot.typeName(of: v))
            #expect(all.refcounts[w] == snapshot.refcounts[v])
            #expect(all.edgeRange(of: w).map { all.fieldName(ofEdge: $0) } == snapshot.edgeRange(of: v).map { snapshot.fieldName(ofEdge: $0) })
            #expect(all.weakEdgeRange(of: w).count == snapshot.weakEdgeRange(of: v).count)
        }
        withExtendedLifetime((parent, child)) {}
    }
}
