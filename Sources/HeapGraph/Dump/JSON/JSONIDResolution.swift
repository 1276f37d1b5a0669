// JSONIDResolution — the last step of the JSON reader: ids to positions (duplicates and unknown ids
// reported at their JSON path, or dropped with a warning), then the snapshot builder, which puts the
// objects in id order and checks them once.

extension JSONGraphDocument {

    /// Sorts the objects by id, resolves references and roots, and builds the snapshot.
    /// - Complexity: O(objects log objects + refs) (no sort when ids are increasing; ids resolve
    ///   through `IDLookup` in O(1) each).
    /// `scan` locates the JSON path of an error or warning in the text.
    func snapshot(
        unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy, warnings: inout [DumpWarning], scan: JSONScanner
    ) throws(DumpError) -> HeapSnapshot {
        let n = ids.count
        guard n < Int(UInt32.max) else { throw scan.fail(.countTooLarge, "\(n) objects exceed the limit of \(UInt32.max - 1)", at: nil) }
        guard refTargets.count < Int(UInt32.max) else {
            throw scan.fail(.countTooLarge, "\(refTargets.count) references exceed the limit of \(UInt32.max - 1)", at: nil)
        }
        // Order by id; most producers already write increasing ids.
        var order: [Int]?
        if !ids.indices.dropFirst().allSatisfy({ ids[$0 - 1] < ids[$0] }) {
            order = ids.indices.sorted { ids[$0] < ids[$1] }
        }
        let sortedIDs = order.map { o in o.map { ids[$0] } } ?? ids
        for p in sortedIDs.indices.dropFirst() where sortedIDs[p] == sortedIDs[p - 1] {
            let later = order.map { max($0[p], $0[p - 1]) } ?? p
            let path: [JSONPathStep] = [.key("objects"), .index(later), .key("id")]
            throw DumpError(
                .duplicateID(sortedIDs[p]), file: scan.file, offset: scan.offset(of: path), jsonPath: jsonPathText(path),
                "duplicate object id \(sortedIDs[p])")
        }
        let lookup = IDLookup(sortedIDs)
        // File position of the object at id-order position p.
        func filePosition(_ p: Int) -> Int { order?[p] ?? p }

        // Resolve every ref in file order, so the first unknown one in the file is the one reported;
        // the builder gets file positions and puts them in id order.
        var builder = HeapSnapshot.Builder()
        builder.adopt(
            .init(
                ids: ids, typeIndices: typeIndices, sizes: sizes, refcounts: refcounts, generations: generations,
                siteIndices: siteIndices, labelIndices: labelIndices))
        builder.columns.edgeTargets.reserveCapacity(refTargets.count)
        builder.columns.edgeNames.reserveCapacity(refTargets.count)
        builder.types = types
        builder.siteTable = siteTable
        builder.labelTable = labelTable
        builder.fieldTable = fieldTable
        builder.liveness = liveness
        builder.runtime = runtime
        for p in detachedObjects { builder.setDetached(p) }
        var dropped = 0
        for f in 0..<n {
            for e in fileEdgeStarts[f]..<fileEdgeStarts[f + 1] {
                if let t = lookup.position(of: refTargets[e]) {
                    builder.addReference(
                        from: f, to: filePosition(t), nameIndex: refNames[e], kind: hasKinds ? refKinds[e] : .strong)
                    continue
                }
                let path: [JSONPathStep] = [.key("objects"), .index(f), .key("refs"), .index(e - fileEdgeStarts[f]), .key("to")]
                guard unknownReferences == .drop else {
                    throw DumpError(
                        .unknownReference(refTargets[e]), file: scan.file, offset: scan.offset(of: path), jsonPath: jsonPathText(path),
                        "reference to id \(refTargets[e]), which is not an object in the file")
                }
                dropped += 1
                warn(&warnings, path: Array(path.dropLast()), id: refTargets[e], dropped: dropped)
            }
        }
        for (r, target) in rootTargets.enumerated() {
            if let t = lookup.position(of: target) {
                builder.addRoot(filePosition(t), kind: rootKinds[r], name: rootNames[r])
                continue
            }
            let path: [JSONPathStep] = [.key("roots"), .index(r), .key("to")]
            guard unknownReferences == .drop else {
                throw DumpError(
                    .unknownReference(target), file: scan.file, offset: scan.offset(of: path), jsonPath: jsonPathText(path),
                    "root \"\(rootNames[r])\" refers to id \(target), which is not an object in the file")
            }
            dropped += 1
            warn(&warnings, path: Array(path.dropLast()), id: target, dropped: dropped)
        }
        do {
            return try builder.build(unknownReferences: .reject)
        } catch {
            throw DumpError(.malformed, file: scan.file, error.description)
        }
    }

    /// Records a dropped reference; after 100 warnings, only counts.
    private func warn(_ warnings: inout [DumpWarning], path: [JSONPathStep], id: UInt64, dropped: Int) {
        let limit = 100
        if dropped <= limit {
            warnings.append(DumpWarning(jsonPath: jsonPathText(path), missingID: id, alsoDropped: 0))
        } else if !warnings.isEmpty {
            warnings[warnings.count - 1].alsoDropped += 1
        }
    }
}
