// HeapSnapshot+Subgraph — a snapshot of some of the objects: the graph transformation behind
// `collected()` (what a collection would leave), and any "only these objects" view of a dump.

extension HeapSnapshot {
    /// The objects marked in `keep`, with their ids, types, sizes, sites, labels, flags, the references
    /// among them (retaining and not, order kept) and their roots.
    ///
    /// A kept object's recorded refcount loses the retaining references that came from objects left
    /// out (they are gone with them), so under the `refcount` rule the kept objects are held from
    /// outside exactly when they were. Liveness rule, runtime and allocator statistics are kept.
    /// - Precondition: `keep.count == objectCount`.
    /// - Complexity: O(objects + references).
    public func subgraph(keeping keep: [Bool]) -> HeapSnapshot {
        precondition(keep.count == objectCount, "one flag per object")
        if !keep.contains(false) { return self }
        var newPosition = [Int](repeating: -1, count: objectCount)
        var kept = 0
        for v in objectIndices where keep[v] {
            newPosition[v] = kept
            kept += 1
        }
        var countsFromRemoved = [UInt32](repeating: 0, count: objectCount)
        for v in objectIndices where !keep[v] {
            for e in edgeRange(of: v) { countsFromRemoved[Int(edgeTargets[e])] &+= 1 }
        }
        var b = Builder(objectCapacity: kept)
        for name in typeNames { _ = b.internType(name) }
        for site in sites { _ = b.internSite(site) }
        for name in fieldNames { _ = b.internFieldName(name) }
        for label in labels { _ = b.internLabel(label) }
        for v in objectIndices where keep[v] {
            let r = refcounts[v]
            let p = b.addObject(
                id: ids[v], typeIndex: typeIndices[v], size: sizes[v],
                refcount: r == Self.none ? r : r &- Swift.min(r, countsFromRemoved[v]), generation: generations[v],
                siteIndex: siteIndices[v], labelIndex: labelIndices[v])
            if isDetached(v) { b.setDetached(p) }
        }
        for v in objectIndices where keep[v] {
            for e in edgeRange(of: v) where keep[Int(edgeTargets[e])] {
                b.addReference(from: newPosition[v], to: newPosition[Int(edgeTargets[e])], nameIndex: edgeNames[e], kind: kind(ofEdge: e))
            }
        }
        // Non-retaining references after the retaining ones (the builder keeps them apart anyway).
        for v in objectIndices where keep[v] {
            for e in weakEdgeRange(of: v) where keep[Int(weakEdgeTargets[e])] {
                b.addReference(
                    from: newPosition[v], to: newPosition[Int(weakEdgeTargets[e])], nameIndex: weakEdgeNames[e],
                    kind: weakEdgeKinds[e])
            }
        }
        for root in roots where keep[root.object] { b.addRoot(newPosition[root.object], kind: root.kind, name: root.name) }
        b.liveness = liveness
        b.runtime = runtime
        b.allocator = allocator
        do {
            return try b.build(unknownReferences: .reject)
        } catch {
            // Every column is a subset of a checked snapshot's, so this is a bug here, not bad input.
            preconditionFailure("subgraph(keeping:): inconsistent subset of a valid snapshot: \(error)")
        }
    }
}
