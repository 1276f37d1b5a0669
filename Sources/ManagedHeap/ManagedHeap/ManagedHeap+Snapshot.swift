// ManagedHeap+Snapshot — `snapshot()`: the live heap as a HeapSnapshot, through the snapshot builder in
// two passes over the directory (already in id order, references in source order: no sort, no copy).
import HeapGraph

extension ManagedHeap {
    /// The root name given to objects with external counts and no name of their own.
    public static let defaultRootName = "handle"

    /// A picture of the heap now: every live object (id, type, size, refcount, generation, site, label),
    /// every reference with its field name (slots are unnamed), every live weak field as a `.weak`
    /// reference named by the field (kept apart from the retaining ones), and one root (kind `handle`) per object
    /// with external counts, named by ``setRootName(_:for:)`` or "handle". Carries the allocator
    /// statistics; liveness rule `refcount`.
    ///
    /// Objects queued for freeing (refcount zero, inside a finalizer's cascade) are left out.
    /// Memory: 37 bytes per object and 8 per reference (see docs/managed-heap.md).
    /// - Complexity: O(objects + references), two passes; no sort (the directory is in id order).
    public func snapshot() -> HeapSnapshot {
        var n = directory.count
        if isFreeing || !pendingFrees.isEmpty {
            n = 0
            directory.forEach { o in if !o.has(.deallocating) { n += 1 } }
        }
        var builder = HeapSnapshot.Builder(objectCapacity: n, referenceCapacity: liveReferenceCount)
        builder.runtime = "heapscan ManagedHeap"
        builder.allocator = allocator.statistics
        // The heap's tables are distinct strings, so interning them in order keeps their indices.
        for t in types { _ = builder.internType(t.descriptor.name) }
        for site in sites.strings { _ = builder.internSite(site) }
        for name in fieldNames.strings { _ = builder.internFieldName(name) }
        // Pass 1: objects. Each object's builder position goes into gcRefs (or a table while a
        // collection owns gcRefs), so pass 2 maps targets to positions in O(1).
        let borrowScratch = !gc.collecting && n < Int(Int32.max)
        var indexByID: [UInt64: UInt32] = [:]
        let dying = ObjectFlags.deallocating.rawValue
        let hasLabel = ObjectFlags.hasLabel.rawValue, hasRootName = ObjectFlags.hasRootName.rawValue
        var i = 0
        directory.forEach { o in
            let h = o.pointee
            guard h.flags & dying == 0, i < n else { return }
            if borrowScratch { o.pointee.gcRefs = Int32(truncatingIfNeeded: i) } else { indexByID[h.id] = UInt32(i) }
            let layout = layouts + Int(h.typeIndex)
            let size = UInt64(layout.pointee.blockBytes(slots: Int(h.slotCount)))
            var label = HeapSnapshot.none
            if h.flags & hasLabel != 0, let text = labels[h.id] { label = builder.internLabel(text) }
            builder.addObject(
                id: h.id, typeIndex: h.typeIndex, size: size, refcount: h.refcount, generation: h.generation,
                siteIndex: h.siteIndex, labelIndex: label)
            if h.externalCount > 0 {
                let name = h.flags & hasRootName != 0 ? rootNames[h.id] : nil
                builder.addRoot(i, kind: .handle, name: name ?? Self.defaultRootName)
            }
            i += 1
        }
        // Pass 2: references, in field order then slot order per object, then its live weak fields.
        let filled = i
        i = 0
        directory.forEach { o in
            guard o.pointee.flags & dying == 0, i < filled else { return }
            let t = Int(o.pointee.typeIndex)
            let fieldCount = layouts[t].fieldCount
            let count = fieldCount &+ Int(o.pointee.slotCount)
            let weakCount = layouts[t].weakFieldCount
            if count > 0 {
                let cells = o.references(count: count)
                types[t].fieldNameIndices.withUnsafeBufferPointer { names in
                    for c in 0..<count {
                        guard let target = cells[c] else { continue }
                        let position = borrowScratch
                            ? Int(truncatingIfNeeded: target.pointee.gcRefs) : Int(indexByID[target.pointee.id] ?? .max)
                        builder.addReference(from: i, to: position, nameIndex: c < fieldCount ? names[c] : HeapSnapshot.none)
                    }
                }
            }
            if weakCount > 0 {
                let cells = o.weakCells(after: count)
                for c in 0..<weakCount {
                    // Dead, dying and cleared targets read nil, exactly as `loadWeak` reads them.
                    guard let target = resolveWeakCell(cells[c]) else { continue }
                    let position = borrowScratch
                        ? Int(truncatingIfNeeded: target.pointee.gcRefs) : Int(indexByID[target.pointee.id] ?? .max)
                    builder.addReference(from: i, to: position, nameIndex: types[t].weakFieldNameIndices[c], kind: .weak)
                }
            }
            i += 1
        }
        do {
            return try builder.build(unknownReferences: .reject)
        } catch {
            // The objects and references come from the heap's own invariants; a failure here is a heap bug.
            preconditionFailure("snapshot() built inconsistent columns: \(error)")
        }
    }
}
