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
            steps.append(ReferencePath.Step(edge: e, field: fieldName(ofEdge: e), object: v, kind: kind(ofEdge: e)))
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

    /// The shortest chain from an object held from outside to `object` that may also go through weak
    /// and shortcut references (`heapscan path --through-weak`): why an object is still *reachable*,
    /// not why it is alive. Without such references it is ``shortestPathFromOutside(to:)``.
    /// - Complexity: O(objects + edges + non-retaining references).
    public func shortestPathFromOutside(to object: ObjectIndex, throughNonRetaining: Bool) -> ReferencePath? {
        guard throughNonRetaining && hasNonRetainingReferences else { return shortestPathFromOutside(to: object) }
        // via[w]: the reference that first reached w, as (is non-retaining, edge position).
        var via = [(weak: Bool, edge: UInt32)?](repeating: nil, count: objectCount)
        var seen = [Bool](repeating: false, count: objectCount)
        var queue: [UInt32] = []
        for s in objectsHeldFromOutside() where !seen[s] { seen[s] = true; queue.append(UInt32(s)) }
        var head = 0
        search: while head < queue.count && !seen[object] {
            let v = Int(queue[head]); head += 1
            for (weak, range) in [(false, edgeRange(of: v)), (true, weakEdgeRange(of: v))] {
                for e in range {
                    let w = Int(weak ? weakEdgeTargets[e] : edgeTargets[e])
                    if seen[w] { continue }
                    seen[w] = true
                    via[w] = (weak, UInt32(e))
                    if w == object { break search }
                    queue.append(UInt32(w))
                }
            }
        }
        guard seen[object] else { return nil }
        var steps: [ReferencePath.Step] = []
        var v = object
        while let step = via[v] {
            let e = Int(step.edge)
            steps.append(
                step.weak
                    ? ReferencePath.Step(edge: e, field: weakFieldName(ofEdge: e), object: v, kind: weakEdgeKinds[e])
                    : ReferencePath.Step(edge: e, field: fieldName(ofEdge: e), object: v, kind: kind(ofEdge: e)))
            v = step.weak ? weakEdgeSource(e) : edgeSource(e)
        }
        return ReferencePath(origin: origin(ofHeld: v), steps: steps.reversed())
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
