// ManagedHeap+CollectorReport — the garbage of a collection as a HeapSnapshot of the garbage subgraph
// only (same ids, types, sizes, sites, labels and field names as `snapshot()`, weak fields between
// garbage objects as `.weak` references, no roots, no refcounts),
// analysed by HeapAnalysis.LeakAnalysis, so the live collector and an offline dump name the same
// cycles with the same roots.
import HeapAnalysis
import HeapGraph

extension ManagedHeap {
    /// `LeakAnalysis` of the final garbage on `unreachable` (flag `collectorB` set on each, `count` of
    /// them), taken before its references are broken. Uses `gcScratch` for each object's snapshot index.
    /// - Complexity: O(g log g + references of the garbage) for g garbage objects.
    func analyseGarbage(_ unreachable: ObjectList, count: Int) -> LeakAnalysis {
        var garbage: [ObjectPointer] = []
        garbage.reserveCapacity(count)
        unreachable.forEach { garbage.append($0) }
        let untracked = markUntrackedGarbage(garbage)
        garbage.append(contentsOf: untracked)
        garbage.sort { $0.pointee.id < $1.pointee.id }
        for (i, o) in garbage.enumerated() { o.pointee.gcScratch = UInt32(truncatingIfNeeded: i) }

        var builder = HeapSnapshot.Builder(objectCapacity: garbage.count)
        builder.runtime = "heapscan ManagedHeap"
        for t in types { _ = builder.internType(t.descriptor.name) }
        for site in sites.strings { _ = builder.internSite(site) }
        for name in fieldNames.strings { _ = builder.internFieldName(name) }
        for (i, o) in garbage.enumerated() {
            let h = o.pointee
            var label = HeapSnapshot.none
            if h.flags & ObjectFlags.hasLabel.rawValue != 0, let text = labels[h.id] { label = builder.internLabel(text) }
            builder.addObject(
                id: h.id, typeIndex: h.typeIndex, size: UInt64(byteCount(of: o)), generation: h.generation,
                siteIndex: h.siteIndex, labelIndex: label)
            // References in field then slot order, as `snapshot()` lists them, keeping only garbage targets.
            let t = Int(h.typeIndex)
            let fieldCount = types[t].fieldCount
            for (c, cell) in referenceCells(of: o).enumerated() {
                guard let target = cell, target.pointee.flags & CollectorFlags.unreachable != 0 else { continue }
                builder.addReference(
                    from: i, to: Int(target.pointee.gcScratch),
                    nameIndex: c < fieldCount ? types[t].fieldNameIndices[c] : HeapSnapshot.none)
            }
            // Weak fields naming garbage, as `snapshot()` taken just before the collection showed them:
            // this collection cleared the weak references to its tracked garbage (one epoch step), so a
            // cell made before carries the previous epoch; one made since (by a finalizer) the current.
            for (c, cell) in weakCells(of: o).enumerated() where cell != 0 {
                guard let target = directory.lookup(cell >> 16), target.pointee.flags & CollectorFlags.unreachable != 0
                else { continue }
                let epoch = UInt16(truncatingIfNeeded: cell), current = target.pointee.weakEpoch
                guard epoch == current || epoch == current &- 1 else { continue }
                builder.addReference(
                    from: i, to: Int(target.pointee.gcScratch), nameIndex: types[t].weakFieldNameIndices[c], kind: .weak)
            }
        }
        let snapshot: HeapSnapshot
        do {
            snapshot = try builder.build(unknownReferences: .reject)
        } catch {
            // The columns come from the heap's own invariants; a failure here is a collector bug.
            preconditionFailure("collector: the garbage snapshot is inconsistent: \(error)")
        }
        for o in garbage { o.pointee.gcScratch = 0 }
        // The untracked ones are freed by reference counting when the garbage lets go of them, not by
        // the collector: they must not look like collector garbage to `deleteGarbage`.
        for o in untracked { o.pointee.flags &= ~CollectorFlags.unreachable }
        return LeakAnalysis(snapshot)
    }

    /// The untracked objects (types that cannot hold references, on no generation list, like CPython's
    /// atomic objects) that only `garbage` refers to: they die with it, and an offline analysis counts
    /// them as its hangers. Each is returned once, with flag `collectorB` set (the caller clears it).
    /// - Complexity: O(references of the garbage).
    func markUntrackedGarbage(_ garbage: [ObjectPointer]) -> [ObjectPointer] {
        let seen = ObjectFlags.collectorC.rawValue, tracked = ObjectFlags.tracked.rawValue
        var candidates: [ObjectPointer] = []
        for o in garbage {
            forEachReferent(of: o) { t in
                guard t.pointee.flags & tracked == 0 else { return }
                if t.pointee.flags & seen == 0 {
                    t.pointee.flags |= seen
                    t.pointee.gcRefs = Int32(bitPattern: t.pointee.refcount)
                    candidates.append(t)
                }
                t.pointee.gcRefs &-= 1
            }
        }
        var dying: [ObjectPointer] = []
        for t in candidates {
            t.pointee.flags &= ~seen
            if t.pointee.gcRefs == 0 {
                t.pointee.flags |= CollectorFlags.unreachable
                dying.append(t)
            }
            t.pointee.gcRefs = 0
        }
        return dying
    }
}
