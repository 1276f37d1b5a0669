// ManagedHeap+Snapshot — `snapshot()`: the live heap as a HeapSnapshot, columns built directly in two
// passes over the directory (already in id order), edges in compressed sparse rows.
import HeapGraph

extension ManagedHeap {
    /// The root name given to objects with external counts and no name of their own.
    public static let defaultRootName = "handle"

    /// A picture of the heap now: every live object (id, type, size, refcount, generation, site, label),
    /// every reference with its field name (slots are unnamed), and one root per object with external
    /// counts, named by ``setRootName(_:for:)`` or "handle". Carries the allocator statistics.
    ///
    /// Objects queued for freeing (refcount zero, inside a finalizer's cascade) are left out.
    /// - Complexity: O(objects + references), two passes; no sort (the directory is in id order).
    public func snapshot() -> HeapSnapshot {
        var n = 0
        directory.forEach { o in if !o.has(.deallocating) { n += 1 } }
        let edgeCapacity = liveReferenceCount
        // Pass 1: object columns; each object's snapshot index goes into gcRefs (or a table while a
        // collection owns gcRefs), so pass 2 maps targets to indices in O(1).
        let borrowScratch = !gc.collecting && n < Int(Int32.max)
        var indexByID: [UInt64: UInt32] = [:]
        var ids: [UInt64] = []
        var typeIndices: [UInt32] = []
        var sizes: [UInt64] = []
        var refcounts: [UInt32] = []
        var generations: [UInt8] = []
        var siteIndices: [UInt32] = []
        var labelIndices: [UInt32] = []
        var edgeStarts: [UInt32] = []
        ids.reserveCapacity(n)
        typeIndices.reserveCapacity(n)
        sizes.reserveCapacity(n)
        refcounts.reserveCapacity(n)
        generations.reserveCapacity(n)
        siteIndices.reserveCapacity(n)
        labelIndices.reserveCapacity(n)
        edgeStarts.reserveCapacity(n + 1)
        var labelTable = InternTable()
        var roots: [HeapSnapshot.Root] = []
        directory.forEach { o in
            guard !o.has(.deallocating) else { return }
            let index = UInt32(truncatingIfNeeded: ids.count)
            let h = o.pointee
            if borrowScratch { o.pointee.gcRefs = Int32(bitPattern: index) } else { indexByID[h.id] = index }
            ids.append(h.id)
            typeIndices.append(h.typeIndex)
            sizes.append(UInt64(byteCount(of: o)))
            refcounts.append(h.refcount)
            generations.append(h.generation)
            siteIndices.append(h.siteIndex)
            if h.flags & ObjectFlags.hasLabel.rawValue != 0, let label = labels[h.id] {
                labelIndices.append(labelTable.intern(label))
            } else {
                labelIndices.append(HeapSnapshot.none)
            }
            if h.externalCount > 0 {
                let name = h.flags & ObjectFlags.hasRootName.rawValue != 0 ? rootNames[h.id] : nil
                roots.append(HeapSnapshot.Root(object: index, name: name ?? Self.defaultRootName))
            }
        }
        // Pass 2: edges, in field order then slot order per object.
        var edgeTargets: [UInt32] = []
        var edgeNames: [UInt32] = []
        edgeTargets.reserveCapacity(edgeCapacity)
        edgeNames.reserveCapacity(edgeCapacity)
        edgeStarts.append(0)
        directory.forEach { o in
            guard !o.has(.deallocating) else { return }
            let t = Int(o.pointee.typeIndex)
            let fieldCount = layouts[t].fieldCount
            let count = fieldCount + Int(o.pointee.slotCount)
            if count > 0 {
                let cells = o.references(count: count)
                types[t].fieldNameIndices.withUnsafeBufferPointer { names in
                    for i in 0..<count {
                        guard let target = cells[i] else { continue }
                        let targetIndex = borrowScratch
                            ? UInt32(bitPattern: target.pointee.gcRefs) : indexByID[target.pointee.id] ?? .max
                        edgeTargets.append(targetIndex)
                        edgeNames.append(i < fieldCount ? names[i] : HeapSnapshot.none)
                    }
                }
            }
            edgeStarts.append(UInt32(truncatingIfNeeded: edgeTargets.count))
        }
        if borrowScratch { directory.forEach { $0.pointee.gcRefs = 0 } }
        do {
            return try HeapSnapshot(
                ids: ids, typeIndices: typeIndices, sizes: sizes, refcounts: refcounts, generations: generations,
                siteIndices: siteIndices, labelIndices: labelIndices, edgeStarts: edgeStarts,
                edgeTargets: edgeTargets, edgeNames: edgeNames, typeNames: types.map(\.descriptor.name),
                sites: sites.strings, fieldNames: fieldNames.strings, labels: labelTable.strings, roots: roots,
                allocator: allocator.statistics)
        } catch {
            // The columns come from the heap's own invariants; a failure here is a heap bug.
            preconditionFailure("snapshot() built inconsistent columns: \(error)")
        }
    }
}
