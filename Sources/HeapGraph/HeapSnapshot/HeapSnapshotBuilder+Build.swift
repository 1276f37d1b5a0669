// HeapSnapshotBuilder+Build — turns what was added into a snapshot, in named steps: order objects by
// id, resolve references and roots given by id, lay out the retaining and non-retaining rows, merge
// duplicate type names, then check once (HeapSnapshot.init).

extension HeapSnapshotBuilder {
    /// Sorts objects by id, resolves ids, lays out the columns and checks them.
    ///
    /// The builder hands its storage over (so a large snapshot is never held twice): afterwards it is
    /// empty, whether the build succeeded or threw; only `droppedReferences` is left to read.
    /// - Throws: ``SnapshotError`` for a duplicate id, an unknown id (unless `.drop`), or a position
    ///   outside the objects added.
    /// - Complexity: O(objects + references) when objects came in id order and references in source
    ///   order (no copy of the rows at all); O(objects log objects + references) otherwise.
    public mutating func build(unknownReferences: UnknownReferencePolicy) throws(SnapshotError) -> HeapSnapshot {
        droppedReferences = 0
        // Take the storage: the columns are then uniquely owned, and each step's old array is freed
        // as soon as its replacement is made.
        var c = columns
        columns = HeapSnapshot.Columns()
        defer {
            let dropped = droppedReferences
            self = HeapSnapshotBuilder()
            droppedReferences = dropped
        }
        let n = c.ids.count
        guard n < Int(UInt32.max) else { throw .inconsistent("\(n) objects exceed the limit of \(UInt32.max - 1)") }
        let newPosition = try orderByID(&c)
        var sources = rowsInOrder && newPosition == nil ? nil : explicitSources(of: c)
        edgeSources = []
        if let newPosition {
            try remapPositions(&c.edgeTargets, sources: &sources, through: newPosition)
        }
        let removed = try resolveIDs(&c, sources: &sources, policy: unknownReferences)
        try layOutRows(&c, sources: sources, removed: removed)
        c.roots = try resolveRoots(ids: c.ids, newPosition: newPosition, policy: unknownReferences)
        c.objectFlags = flags.isEmpty ? [] : permuted(flags + [UInt8](repeating: 0, count: n - flags.count), newPosition)
        c.typeNames = types.strings
        c.sites = siteTable.strings
        c.fieldNames = fieldTable.strings
        c.labels = labelTable.strings
        c.allocator = allocator
        c.liveness = liveness
        c.runtime = runtime
        return try HeapSnapshot(c)
    }

    /// Builds a snapshot that the caller knows to be well formed (tests, generators).
    /// Stops the program with the error otherwise: use `build(unknownReferences:)` for outside data.
    public func build() -> HeapSnapshot {
        var copy = self
        do { return try copy.build(unknownReferences: .reject) } catch { preconditionFailure("\(error)") }
    }

    // MARK: Steps

    /// Puts the object columns in increasing id order; returns old position → new position, or nil when
    /// they were in order already. Throws on a duplicate id.
    private func orderByID(_ c: inout HeapSnapshot.Columns) throws(SnapshotError) -> [UInt32]? {
        if HeapSnapshot.increasing(c.ids) { return nil }
        let order = c.ids.indices.sorted { c.ids[$0] < c.ids[$1] }
        for i in order.indices.dropFirst() where c.ids[order[i]] == c.ids[order[i - 1]] {
            throw .duplicateID(c.ids[order[i]])
        }
        var newPosition = [UInt32](repeating: 0, count: order.count)
        for (new, old) in order.enumerated() { newPosition[old] = UInt32(new) }
        c.ids = order.map { c.ids[$0] }
        c.typeIndices = order.map { c.typeIndices[$0] }
        c.sizes = order.map { c.sizes[$0] }
        c.refcounts = order.map { c.refcounts[$0] }
        c.generations = order.map { c.generations[$0] }
        c.siteIndices = order.map { c.siteIndices[$0] }
        c.labelIndices = order.map { c.labelIndices[$0] }
        return newPosition
    }

    /// `values` (one per builder position) in id order.
    private func permuted(_ values: [UInt8], _ newPosition: [UInt32]?) -> [UInt8] {
        guard let newPosition else { return values }
        var result = values
        for (old, new) in newPosition.enumerated() { result[Int(new)] = values[old] }
        return result
    }

    /// The source of every reference of `c` as a builder position (`UInt32.max` where given by id).
    private func explicitSources(of c: HeapSnapshot.Columns) -> [UInt32] {
        if !rowsInOrder { return edgeSources }
        var sources: [UInt32] = []
        sources.reserveCapacity(c.edgeTargets.count)
        let starts = c.edgeStarts
        for s in 0..<starts.count {
            let end = s + 1 < starts.count ? Int(starts[s + 1]) : c.edgeTargets.count
            for _ in Int(starts[s])..<end { sources.append(UInt32(s)) }
        }
        return sources
    }

    /// Maps builder positions of sources and targets to id-order positions (ids stay `UInt32.max`).
    private func remapPositions(
        _ targets: inout [UInt32], sources: inout [UInt32]?, through newPosition: [UInt32]
    ) throws(SnapshotError) {
        let n = newPosition.count
        for e in targets.indices where targets[e] != UInt32.max {
            guard Int(targets[e]) < n else { throw .inconsistent("reference \(e) points to position \(targets[e]) of \(n)") }
            targets[e] = newPosition[Int(targets[e])]
        }
        guard var s = sources else { return }
        for e in s.indices where s[e] != UInt32.max {
            guard Int(s[e]) < n else { throw .inconsistent("reference \(e) comes from position \(s[e]) of \(n)") }
            s[e] = newPosition[Int(s[e])]
        }
        sources = s
    }

    /// Fills in the endpoints given by id; returns the references to leave out (unknown ids, `.drop`).
    private mutating func resolveIDs(
        _ c: inout HeapSnapshot.Columns, sources: inout [UInt32]?, policy: UnknownReferencePolicy
    ) throws(SnapshotError) -> [Bool] {
        guard !byID.isEmpty else { return [] }
        let lookup = IDLookup(c.ids)
        var removed = [Bool](repeating: false, count: c.edgeTargets.count)
        for entry in byID {
            if let id = entry.source {
                guard let p = lookup.position(of: id) else {
                    if policy == .drop { removed[entry.reference] = true; droppedReferences += 1; continue }
                    throw .unknownID(id, referencedBy: "a reference")
                }
                sources?[entry.reference] = UInt32(p)
            }
            if let id = entry.target {
                guard let p = lookup.position(of: id) else {
                    if policy == .drop {
                        if !removed[entry.reference] { droppedReferences += 1 }
                        removed[entry.reference] = true
                        continue
                    }
                    let from = entry.source.map { "a reference from object \($0)" } ?? "a reference"
                    throw .unknownID(id, referencedBy: from)
                }
                c.edgeTargets[entry.reference] = UInt32(p)
            }
        }
        return removed
    }

    /// Lays out the retaining references in `edgeStarts/edgeTargets/edgeNames/edgeKinds` and the
    /// non-retaining ones in the `weakEdge` columns, each in source order, order of addition kept.
    private func layOutRows(_ c: inout HeapSnapshot.Columns, sources: [UInt32]?, removed: [Bool]) throws(SnapshotError) {
        let n = c.ids.count
        let allRetain = !hasKinds || kinds.allSatisfy(\.retains)
        if sources == nil && removed.isEmpty && allRetain {
            // The rows came in order: pad the starts for trailing objects without references.
            guard c.edgeStarts.count <= n + 1 else {
                throw .inconsistent("a reference comes from position \(c.edgeStarts.count - 1) of \(n)")
            }
            let total = UInt32(c.edgeTargets.count)
            while c.edgeStarts.count < n + 1 { c.edgeStarts.append(total) }
            c.edgeKinds = hasKinds && kinds.contains(.internal) ? kinds : []
            return
        }
        let from = sources ?? explicitSources(of: c)
        for (e, s) in from.enumerated() where !(removed.isEmpty ? false : removed[e]) {
            guard Int(s) < n else { throw .inconsistent("reference \(e) comes from position \(s) of \(n)") }
        }
        // Stable counting sort by source, into two row sets.
        var strongCount = [UInt32](repeating: 0, count: n + 1)
        var weakCount = [UInt32](repeating: 0, count: allRetain ? 0 : n + 1)
        for e in from.indices where removed.isEmpty || !removed[e] {
            if allRetain || kinds[e].retains { strongCount[Int(from[e]) + 1] += 1 } else { weakCount[Int(from[e]) + 1] += 1 }
        }
        for i in 0..<n { strongCount[i + 1] += strongCount[i] }
        if !allRetain { for i in 0..<n { weakCount[i + 1] += weakCount[i] } }
        let strongTotal = Int(strongCount[n]), weakTotal = allRetain ? 0 : Int(weakCount[n])
        var targets = [UInt32](repeating: 0, count: strongTotal), names = [UInt32](repeating: 0, count: strongTotal)
        var strongKinds = [ReferenceKind](repeating: .strong, count: hasKinds ? strongTotal : 0)
        var weakTargets = [UInt32](repeating: 0, count: weakTotal), weakNames = [UInt32](repeating: 0, count: weakTotal)
        var weakKinds = [ReferenceKind](repeating: .weak, count: weakTotal)
        var strongFill = strongCount, weakFill = weakCount
        for e in from.indices where removed.isEmpty || !removed[e] {
            let s = Int(from[e])
            if allRetain || kinds[e].retains {
                let slot = Int(strongFill[s])
                targets[slot] = c.edgeTargets[e]
                names[slot] = c.edgeNames[e]
                if hasKinds { strongKinds[slot] = kinds[e] }
                strongFill[s] += 1
            } else {
                let slot = Int(weakFill[s])
                weakTargets[slot] = c.edgeTargets[e]
                weakNames[slot] = c.edgeNames[e]
                weakKinds[slot] = kinds[e]
                weakFill[s] += 1
            }
        }
        c.edgeStarts = strongCount
        c.edgeTargets = targets
        c.edgeNames = names
        c.edgeKinds = strongKinds.contains(.internal) ? strongKinds : []
        if weakTotal > 0 {
            c.weakEdgeStarts = weakCount
            c.weakEdgeTargets = weakTargets
            c.weakEdgeNames = weakNames
            c.weakEdgeKinds = weakKinds
        }
    }

    /// The roots, as id-order positions.
    private mutating func resolveRoots(
        ids: [UInt64], newPosition: [UInt32]?, policy: UnknownReferencePolicy
    ) throws(SnapshotError) -> [HeapSnapshot.Root] {
        var roots: [HeapSnapshot.Root] = []
        roots.reserveCapacity(pendingRoots.count)
        let lookup = pendingRoots.contains { $0.id != nil } ? IDLookup(ids) : nil
        for r in pendingRoots {
            let position: Int
            if let id = r.id {
                guard let p = lookup?.position(of: id) else {
                    if policy == .drop { droppedReferences += 1; continue }
                    throw .unknownID(id, referencedBy: "root \(r.name)")
                }
                position = p
            } else {
                guard r.position >= 0, r.position < ids.count else {
                    throw .inconsistent("root \(r.name) points to position \(r.position) of \(ids.count)")
                }
                position = newPosition.map { Int($0[r.position]) } ?? r.position
            }
            roots.append(HeapSnapshot.Root(object: position, kind: r.kind, name: r.name))
        }
        return roots
    }
}
