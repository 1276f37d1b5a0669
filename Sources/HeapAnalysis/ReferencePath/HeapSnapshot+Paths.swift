// HeapSnapshot+Paths — why an object is alive (the shortest chain from outside, objgraph's
// find_backref_chain, MAT's path to GC roots) and forward chains to a matching object
// (objgraph's find_ref_chain). Breadth-first, so every chain found is a shortest one.
import HeapGraph

extension HeapSnapshot {
    /// Breadth-first search from `sources` (in the given order), references in field order.
    /// Returns the edge that first reached each object (`noNode` for sources and unreached), whether
    /// it was reached, and the first object (sources first, then in discovery order) that satisfies
    /// `stop`, where the search ended; by default the search covers everything reachable.
    private func breadthFirst(
        from sources: [ObjectIndex], stoppingAt stop: (ObjectIndex) -> Bool = { _ in false }
    ) -> (via: [UInt32], seen: [Bool], found: ObjectIndex?) {
        var via = [UInt32](repeating: noNode, count: objectCount)
        var seen = [Bool](repeating: false, count: objectCount)
        var queue: [UInt32] = []
        queue.reserveCapacity(sources.count)
        for s in sources where !seen[s] { seen[s] = true; queue.append(UInt32(s)) }
        if let found = queue.first(where: { stop(Int($0)) }) { return (via, seen, Int(found)) }
        var head = 0
        while head < queue.count {
            let v = Int(queue[head]); head += 1
            for e in edgeRange(of: v) {
                let w = Int(edgeTargets[e])
                if seen[w] { continue }
                seen[w] = true
                via[w] = UInt32(e)
                if stop(w) { return (via, seen, w) }
                queue.append(UInt32(w))
            }
        }
        return (via, seen, nil)
    }

    /// Walks `via` back from `target` to a source and returns the steps, first to last.
    private func steps(to target: ObjectIndex, via: [UInt32]) -> (start: ObjectIndex, steps: [ReferencePath.Step]) {
        var steps: [ReferencePath.Step] = []
        var v = target
        while via[v] != noNode {
            let e = Int(via[v])
            steps.append(ReferencePath.Step(edge: e, field: fieldName(ofEdge: e), object: v))
            v = edgeSource(e)
        }
        return (v, steps.reversed())
    }

    /// The shortest chain of references from an object held from outside to `object`; nil when
    /// `object` is garbage. Held objects are tried in index order, references in field order, so
    /// the chain is deterministic.
    /// - Complexity: O(objects + edges).
    public func shortestPathFromOutside(to object: ObjectIndex) -> ReferencePath? {
        let (via, seen, _) = breadthFirst(from: objectsHeldFromOutside(), stoppingAt: { $0 == object })
        guard seen[object] else { return nil }
        let (start, steps) = steps(to: object, via: via)
        return ReferencePath(origin: origin(ofHeld: start), steps: steps)
    }

    /// For each of `targets`, the chain ``shortestPathFromOutside(to:)`` returns (nil for garbage),
    /// from one breadth-first search instead of one per target: for the many objects of a report.
    /// - Complexity: O(objects + edges + roots), plus the length of each chain.
    public func shortestPathsFromOutside(to targets: [ObjectIndex]) -> [ReferencePath?] {
        guard !targets.isEmpty else { return [] }
        let (via, seen, _) = breadthFirst(from: objectsHeldFromOutside())
        let firstRoots = firstRootByObject()
        return targets.map { target in
            guard seen[target] else { return nil }
            let (start, steps) = steps(to: target, via: via)
            return ReferencePath(origin: origin(ofHeld: start, firstRoots: firstRoots), steps: steps)
        }
    }

    /// Up to `limit` chains from outside to `object`, shortest first: the shortest chain, then, for
    /// each other referrer of `object`, the shortest chain to that referrer followed by its
    /// reference (one chain per distinct last reference, skipping chains that pass through
    /// `object` itself). Ties by referrer index, then field order.
    /// - Complexity: O(objects + edges + referrers · path length).
    public func pathsFromOutside(to object: ObjectIndex, limit: Int) -> [ReferencePath] {
        guard limit > 0 else { return [] }
        let held = heldFromOutside()
        let sources = objectIndices.filter { held[$0] }
        let (via, seen, _) = breadthFirst(from: sources)
        guard seen[object] else { return [] }
        var result: [ReferencePath] = []
        if held[object] { result.append(ReferencePath(origin: origin(ofHeld: object), steps: [])) }
        var candidates: [ReferencePath] = []
        for v in objectIndices where seen[v] && v != object {
            for e in edgeRange(of: v) where Int(edgeTargets[e]) == object {
                let (start, prefix) = steps(to: v, via: via)
                if start == object || prefix.contains(where: { $0.object == object }) { continue }
                candidates.append(
                    ReferencePath(
                        origin: origin(ofHeld: start),
                        steps: prefix + [ReferencePath.Step(edge: e, field: fieldName(ofEdge: e), object: object)]))
            }
        }
        // The breadth-first chain first (what shortestPathFromOutside gives), then by length; equal
        // lengths keep referrer index, then field order.
        let shortestEdge = via[object]
        let ordered = candidates.enumerated().sorted { a, b in
            let aFirst = a.element.steps.last?.edge == Int(shortestEdge)
            let bFirst = b.element.steps.last?.edge == Int(shortestEdge)
            if aFirst != bFirst { return aFirst }
            return a.element.steps.count != b.element.steps.count
                ? a.element.steps.count < b.element.steps.count : a.offset < b.offset
        }.map(\.element)
        result.append(contentsOf: ordered)
        return Array(result.prefix(limit))
    }

    /// The shortest forward chain from `start` to the first object (in breadth-first order,
    /// `start` included) that satisfies `predicate`; nil when none is reachable.
    /// - Complexity: O(objects + edges).
    public func referenceChain(from start: ObjectIndex, toFirst predicate: (ObjectIndex) -> Bool) -> ReferencePath? {
        let (via, _, found) = breadthFirst(from: [start], stoppingAt: predicate)
        guard let found else { return nil }
        return ReferencePath(origin: .object(start), steps: steps(to: found, via: via).steps)
    }
}
