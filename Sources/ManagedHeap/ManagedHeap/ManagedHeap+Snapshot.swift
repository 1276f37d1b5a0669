// ManagedHeap+Snapshot — `snapshot()`: the live heap as a HeapSnapshot, columns written in place in
// two passes over the directory (already in id order, references in field order) and handed to the
// snapshot builder whole (`adopt`), which checks them once like every producer's.
import HeapGraph

extension ManagedHeap {
    /// The root name given to objects with external counts and no name of their own.
    public static let defaultRootName = "handle"

    /// A picture of the heap now: every live object (id, type, size, refcount, generation, site, label),
    /// every reference with its field name (slots are unnamed), every live weak field as a `.weak`
    /// reference named by the field (kept apart from the retaining ones), and one root (kind `handle`) per object
    /// with external counts, named by ``setRootName(_:for:)`` or "handle". Carries the allocator
    /// statistics; liveness rule `refcount`, runtime "heapscan ManagedHeap".
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
        let edgeCount = liveReferenceCount
        // Pass 1: object columns; each object's snapshot index goes into gcRefs (or a table while a
        // collection owns gcRefs), so pass 2 maps targets to indices in O(1).
        let borrowScratch = !gc.collecting && n < Int(Int32.max)
        var indexByID: [UInt64: UInt32] = [:]
        var builder = HeapSnapshot.Builder()
        builder.runtime = "heapscan ManagedHeap"
        builder.allocator = allocator.statistics
        // The heap's tables are distinct strings, so interning them in order keeps their indices.
        for t in types { _ = builder.internType(t.descriptor.name) }
        for site in sites.strings { _ = builder.internSite(site) }
        for name in fieldNames.strings { _ = builder.internFieldName(name) }
        var roots: [(position: Int, name: String)] = []
        let dying = ObjectFlags.deallocating.rawValue
        let hasLabel = ObjectFlags.hasLabel.rawValue, hasRootName = ObjectFlags.hasRootName.rawValue
        // The seven columns are written in place in one pass (nested uninitialized-capacity closures, one
        // per column), `filled` objects each.
        var filled = 0
        var typeIndices: [UInt32] = [], sizes: [UInt64] = [], refcounts: [UInt32] = []
        var generations: [UInt8] = [], siteIndices: [UInt32] = [], labelIndices: [UInt32] = []
        let ids = [UInt64](unsafeUninitializedCapacity: n) { idColumn, idCount in
            typeIndices = [UInt32](unsafeUninitializedCapacity: n) { typeColumn, typeCount in
                sizes = [UInt64](unsafeUninitializedCapacity: n) { sizeColumn, sizeCount in
                    refcounts = [UInt32](unsafeUninitializedCapacity: n) { refcountColumn, refcountCount in
                        generations = [UInt8](unsafeUninitializedCapacity: n) { generationColumn, generationCount in
                            siteIndices = [UInt32](unsafeUninitializedCapacity: n) { siteColumn, siteCount in
                                labelIndices = [UInt32](unsafeUninitializedCapacity: n) { labelColumn, labelCount in
                                    var i = 0
                                    directory.forEach { o in
                                        let h = o.pointee
                                        guard h.flags & dying == 0, i < n else { return }
                                        if borrowScratch {
                                            o.pointee.gcRefs = Int32(truncatingIfNeeded: i)
                                        } else {
                                            indexByID[h.id] = UInt32(i)
                                        }
                                        idColumn[i] = h.id
                                        typeColumn[i] = h.typeIndex
                                        let layout = layouts + Int(h.typeIndex)
                                        sizeColumn[i] = UInt64(layout.pointee.blockBytes(slots: Int(h.slotCount)))
                                        refcountColumn[i] = h.refcount
                                        generationColumn[i] = h.generation
                                        siteColumn[i] = h.siteIndex
                                        if h.flags & hasLabel != 0, let label = labels[h.id] {
                                            labelColumn[i] = builder.internLabel(label)
                                        } else {
                                            labelColumn[i] = HeapSnapshot.none
                                        }
                                        if h.externalCount > 0 {
                                            let name = h.flags & hasRootName != 0 ? rootNames[h.id] : nil
                                            roots.append((i, name ?? Self.defaultRootName))
                                        }
                                        i += 1
                                    }
                                    filled = i
                                    labelCount = filled
                                }
                                siteCount = filled
                            }
                            generationCount = filled
                        }
                        refcountCount = filled
                    }
                    sizeCount = filled
                }
                typeCount = filled
            }
            idCount = filled
        }
        // Pass 2: edges, in field order then slot order per object.
        var edgeStarts: [UInt32] = []
        var edgeNames: [UInt32] = []
        var edgesFilled = 0
        let edgeTargets = [UInt32](unsafeUninitializedCapacity: edgeCount) { targetColumn, targetCount in
            edgeNames = [UInt32](unsafeUninitializedCapacity: edgeCount) { nameColumn, nameCount in
                edgeStarts = [UInt32](unsafeUninitializedCapacity: filled + 1) { startColumn, startCount in
                    var e = 0, i = 0
                    startColumn[0] = 0
                    directory.forEach { o in
                        guard o.pointee.flags & dying == 0, i < filled else { return }
                        let t = Int(o.pointee.typeIndex)
                        let fieldCount = layouts[t].fieldCount
                        let count = fieldCount &+ Int(o.pointee.slotCount)
                        if count > 0 {
                            let cells = o.references(count: count)
                            types[t].fieldNameIndices.withUnsafeBufferPointer { names in
                                for c in 0..<count {
                                    guard let target = cells[c], e < edgeCount else { continue }
                                    targetColumn[e] = borrowScratch
                                        ? UInt32(truncatingIfNeeded: target.pointee.gcRefs)
                                        : indexByID[target.pointee.id] ?? .max
                                    nameColumn[e] = c < fieldCount ? names[c] : HeapSnapshot.none
                                    e += 1
                                }
                            }
                        }
                        i += 1
                        startColumn[i] = UInt32(truncatingIfNeeded: e)
                    }
                    edgesFilled = e
                    startCount = i + 1
                }
                nameCount = edgesFilled
            }
            targetCount = edgesFilled
        }
        builder.adopt(
            .init(
                ids: ids, typeIndices: typeIndices, sizes: sizes, refcounts: refcounts, generations: generations,
                siteIndices: siteIndices, labelIndices: labelIndices),
            .init(starts: edgeStarts, targets: edgeTargets, names: edgeNames))
        for root in roots { builder.addRoot(root.position, kind: .handle, name: root.name) }
        addWeakFields(to: &builder, objectCount: filled, borrowScratch: borrowScratch, indexByID: indexByID)
        do {
            return try builder.build(unknownReferences: .reject)
        } catch {
            // The columns come from the heap's own invariants; a failure here is a heap bug.
            preconditionFailure("snapshot() built inconsistent columns: \(error)")
        }
    }

    /// Pass 3, only for heaps with weak fields: each live weak field as a `.weak` reference, after
    /// the retaining ones (the builder keeps them in their own rows). Positions come from pass 1.
    private func addWeakFields(
        to builder: inout HeapSnapshot.Builder, objectCount filled: Int, borrowScratch: Bool, indexByID: [UInt64: UInt32]
    ) {
        guard types.indices.contains(where: { layouts[$0].weakFieldCount > 0 }) else { return }
        let dying = ObjectFlags.deallocating.rawValue
        var i = 0
        directory.forEach { o in
            guard o.pointee.flags & dying == 0, i < filled else { return }
            let t = Int(o.pointee.typeIndex)
            let weakCount = layouts[t].weakFieldCount
            if weakCount > 0 {
                let cells = o.weakCells(after: layouts[t].fieldCount &+ Int(o.pointee.slotCount))
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
    }
}
