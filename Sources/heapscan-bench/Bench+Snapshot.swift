// Bench+Snapshot — `snapshot()` of a live heap of 1M objects and 4M references, against one full
// collection of the same heap (both visit every object and every reference once), plus the snapshot's
// memory per object and per reference.
import Foundation
import HeapGraph
import ManagedHeap

func benchSnapshot() throws {
    let count = 1_000_000
    let quads = try QuadHeap(objects: count)
    let heap = quads.heap
    var snapshot = HeapSnapshot.empty
    let ours = bestOf(3) { snapshot = heap.snapshot() }
    guard snapshot.objectCount == count, snapshot.edgeCount == heap.referenceCount else {
        throw BenchError("snapshot has \(snapshot.objectCount) objects / \(snapshot.edgeCount) edges, heap \(count) / \(heap.referenceCount)")
    }
    var collected = -1
    var failure: (any Error)?
    let peer = bestOf(3) {
        do { collected = try heap.collect(generation: 2, report: .counts).collected } catch { failure = error }
    }
    if let failure { throw failure }
    guard collected == 0 else { throw BenchError("the full collection freed \(collected) objects of a heap that is all alive") }
    let memory = snapshotMemory(snapshot)
    report(
        "snapshot-1m", ours: ours, peer: peer, unit: "s",
        extra: String(
            format: "objects=%d edges=%d bytes/object=%.1f bytes/edge=%.1f peer=collect(generation:2)",
            snapshot.objectCount, snapshot.edgeCount, memory.perObject, memory.perEdge))
}

/// Bytes the snapshot's columns take per object and per reference (element sizes × counts; the string
/// tables are a few hundred bytes here and counted with the objects).
func snapshotMemory(_ s: HeapSnapshot) -> (perObject: Double, perEdge: Double) {
    let n = s.objectCount
    let objectBytes =
        s.ids.count * 8 + s.typeIndices.count * 4 + s.sizes.count * 8 + s.refcounts.count * 4 + s.generations.count
        + s.siteIndices.count * 4 + s.labelIndices.count * 4 + s.edgeStarts.count * 4 + s.roots.count * 24
        + (s.typeNames + s.sites + s.fieldNames + s.labels).reduce(0) { $0 + 16 + $1.utf8.count }
    let edgeBytes = s.edgeTargets.count * 4 + s.edgeNames.count * 4
    return (Double(objectBytes) / Double(max(n, 1)), Double(edgeBytes) / Double(max(s.edgeCount, 1)))
}
