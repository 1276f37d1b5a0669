// HeapSnapshot+Collected — the snapshot a full cycle collection would leave: only the objects an
// external reference reaches, with the counts that freed garbage held on them taken off. The
// assertions judge "still alive" with it, so their verdict is the collector's (CPython's rule)
// whether or not a collection has run.
import HeapAnalysis
import HeapGraph

extension HeapSnapshot {
    /// This snapshot without its garbage: the objects reachable from an object held from outside.
    ///
    /// Kept objects keep their ids, types, sizes, sites, labels, references and roots. A live object's
    /// refcount loses the references that came from garbage (a collection would clear them), so the
    /// result's own liveness rule sees the same held objects as this one.
    /// - Complexity: O(objects + edges).
    func collected() -> HeapSnapshot {
        let alive = reachableFromOutside()
        if !alive.contains(false) { return self }
        var newIndex = [UInt32](repeating: HeapSnapshot.none, count: objectCount)
        var count: UInt32 = 0
        for v in objectIndices where alive[v] {
            newIndex[v] = count
            count += 1
        }
        var countsFromGarbage = [UInt32](repeating: 0, count: objectCount)
        for v in objectIndices where !alive[v] {
            for e in edgeRange(of: v) { countsFromGarbage[Int(edgeTargets[e])] &+= 1 }
        }
        var ids: [UInt64] = [], typeIndices: [UInt32] = [], sizes: [UInt64] = [], refcounts: [UInt32] = []
        var generations: [UInt8] = [], siteIndices: [UInt32] = [], labelIndices: [UInt32] = []
        var edgeStarts: [UInt32] = [0], edgeTargets: [UInt32] = [], edgeNames: [UInt32] = []
        for v in objectIndices where alive[v] {
            ids.append(self.ids[v])
            typeIndices.append(self.typeIndices[v])
            sizes.append(self.sizes[v])
            let r = self.refcounts[v]
            refcounts.append(r == HeapSnapshot.none ? r : r &- Swift.min(r, countsFromGarbage[v]))
            generations.append(self.generations[v])
            siteIndices.append(self.siteIndices[v])
            labelIndices.append(self.labelIndices[v])
            // A live object reaches only live objects (liveness is closed under references).
            for e in edgeRange(of: v) {
                edgeTargets.append(newIndex[Int(self.edgeTargets[e])])
                edgeNames.append(self.edgeNames[e])
            }
            edgeStarts.append(UInt32(edgeTargets.count))
        }
        let roots = self.roots.compactMap { root -> Root? in
            let i = newIndex[Int(root.object)]
            return i == HeapSnapshot.none ? nil : Root(object: i, name: root.name)
        }
        do {
            return try HeapSnapshot(
                ids: ids, typeIndices: typeIndices, sizes: sizes, refcounts: refcounts, generations: generations,
                siteIndices: siteIndices, labelIndices: labelIndices, edgeStarts: edgeStarts,
                edgeTargets: edgeTargets, edgeNames: edgeNames, typeNames: typeNames, sites: sites,
                fieldNames: fieldNames, labels: labels, roots: roots, allocator: allocator)
        } catch {
            // Every column is a subset of a checked snapshot's, so this is a bug here, not bad input.
            preconditionFailure("collected(): inconsistent subset of a valid snapshot: \(error)")
        }
    }
}
