// ManagedHeap+CollectorReport — the garbage of a collection as a HeapSnapshot of the garbage subgraph
// only (same ids, types, sizes, sites, labels and field names as `snapshot()`, no roots, no refcounts),
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

        var ids: [UInt64] = [], typeIndices: [UInt32] = [], sizes: [UInt64] = [], generations: [UInt8] = []
        var siteIndices: [UInt32] = [], labelIndices: [UInt32] = [], edgeStarts: [UInt32] = [0]
        var edgeTargets: [UInt32] = [], edgeNames: [UInt32] = []
        ids.reserveCapacity(garbage.count)
        typeIndices.reserveCapacity(garbage.count)
        sizes.reserveCapacity(garbage.count)
        generations.reserveCapacity(garbage.count)
        siteIndices.reserveCapacity(garbage.count)
        labelIndices.reserveCapacity(garbage.count)
        edgeStarts.reserveCapacity(garbage.count + 1)
        var labelTable = InternTable()
        for o in garbage {
            let h = o.pointee
            ids.append(h.id)
            typeIndices.append(h.typeIndex)
            sizes.append(UInt64(byteCount(of: o)))
            generations.append(h.generation)
            siteIndices.append(h.siteIndex)
            if h.flags & ObjectFlags.hasLabel.rawValue != 0, let label = labels[h.id] {
                labelIndices.append(labelTable.intern(label))
            } else {
                labelIndices.append(HeapSnapshot.none)
            }
            // References in field then slot order, as `snapshot()` lists them, keeping only garbage targets.
            let t = Int(h.typeIndex)
            let fieldCount = types[t].fieldCount
            for (i, cell) in referenceCells(of: o).enumerated() {
                guard let target = cell, target.pointee.flags & CollectorFlags.unreachable != 0 else { continue }
                edgeTargets.append(target.pointee.gcScratch)
                edgeNames.append(i < fieldCount ? types[t].fieldNameIndices[i] : HeapSnapshot.none)
            }
            edgeStarts.append(UInt32(truncatingIfNeeded: edgeTargets.count))
        }
        let snapshot: HeapSnapshot
        do {
            snapshot = try HeapSnapshot(
                ids: ids, typeIndices: typeIndices, sizes: sizes,
                refcounts: [UInt32](repeating: HeapSnapshot.none, count: ids.count), generations: generations,
                siteIndices: siteIndices, labelIndices: labelIndices, edgeStarts: edgeStarts, edgeTargets: edgeTargets,
                edgeNames: edgeNames, typeNames: types.map(\.descriptor.name), sites: sites.strings,
                fieldNames: fieldNames.strings, labels: labelTable.strings, roots: [], allocator: nil)
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
