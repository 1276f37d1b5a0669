// HeapSnapshot+ChainsFromOutside — the shortest chain from an external reference to each of many
// objects in one breadth-first search (HeapAnalysis's shortestPathFromOutside does one search per
// object), with the same rule, so the chains are identical; and their text, shortened when long.
import HeapAnalysis
import HeapGraph

extension HeapSnapshot {
    /// For each of `targets`, the chain `shortestPathFromOutside(to:)` would return: breadth-first from
    /// the objects held from outside in index order, references in field order; nil for garbage.
    /// - Complexity: O(objects + edges) once, plus the length of each chain.
    func shortestPathsFromOutside(to targets: [ObjectIndex]) -> [ReferencePath?] {
        guard !targets.isEmpty else { return [] }
        let noEdge = UInt32.max
        var via = [UInt32](repeating: noEdge, count: objectCount)
        var seen = [Bool](repeating: false, count: objectCount)
        var queue: [UInt32] = []
        for s in objectsHeldFromOutside() where !seen[s] {
            seen[s] = true
            queue.append(UInt32(s))
        }
        var head = 0
        while head < queue.count {
            let v = Int(queue[head])
            head += 1
            for e in edgeRange(of: v) {
                let w = Int(edgeTargets[e])
                if seen[w] { continue }
                seen[w] = true
                via[w] = UInt32(e)
                queue.append(UInt32(w))
            }
        }
        var sourceOf: [Int: Int] = [:]
        return targets.map { target -> ReferencePath? in
            guard seen[target] else { return nil }
            var steps: [ReferencePath.Step] = []
            var v = target
            while via[v] != noEdge {
                let e = Int(via[v])
                steps.append(ReferencePath.Step(edge: e, field: fieldName(ofEdge: e), object: v))
                v = edgeSource(e)
            }
            if sourceOf.isEmpty { for (i, root) in roots.enumerated().reversed() { sourceOf[Int(root.object)] = i } }
            let origin: ReferencePath.Origin =
                sourceOf[v].map { .root(name: roots[$0].name, object: v) } ?? .heldByRefcount(v)
            return ReferencePath(origin: origin, steps: steps.reversed())
        }
    }
}

extension ReferencePath {
    /// Steps shown at the start and at the end of a chain longer than their sum; the middle is
    /// summed up in one line.
    static let shownLeadingSteps = 4
    static let shownTrailingSteps = 6

    /// The chain as `description(in:)` prints it (one line per object, heap text escaped), with the
    /// middle of a long chain replaced by "... N more references ..." so a million-long list
    /// prints in a dozen lines.
    func shortenedText(in snapshot: HeapSnapshot) -> String {
        var lines: [String] = []
        switch origin {
        case .root(let name, let object):
            lines.append("root \"\(HeapText.terminalEscaped(name))\" → \(snapshot.objectDescription(object))")
        case .heldByRefcount(let object):
            lines.append("held from outside (refcount) → \(snapshot.objectDescription(object))")
        case .object(let object):
            lines.append(snapshot.objectDescription(object))
        }
        func line(_ step: Step) -> String {
            let field = step.field.map { "." + HeapText.terminalEscaped($0) }
                ?? "[\(step.edge - Int(snapshot.edgeStarts[snapshot.edgeSource(step.edge)]))]"
            return "  \(field) → \(snapshot.objectDescription(step.object))"
        }
        let lead = Self.shownLeadingSteps, trail = Self.shownTrailingSteps
        if steps.count <= lead + trail + 1 {
            lines += steps.map(line)
        } else {
            lines += steps.prefix(lead).map(line)
            lines.append("  ... \(steps.count - lead - trail) more references ...")
            lines += steps.suffix(trail).map(line)
        }
        return lines.joined(separator: "\n")
    }
}
