// HeapSnapshot+Paths — why an object is alive (the shortest chain from outside, objgraph's
// find_backref_chain, MAT's path to GC roots) and forward chains to a matching object
// (objgraph's find_ref_chain). Breadth-first, so every chain found is a shortest one.
import HeapGraph

extension HeapSnapshot {
    /// Breadth-first search from `sources` (in the given order), references in field order.
    /// Returns the edge that first reached each object (`noNode` for sources and unreached) and
    /// whether it was reached; stops early once `stop` is reached.
    private func breadthFirst(from sources: [ObjectIndex], stopAt stop: ObjectIndex?) -> (via: [UInt32], seen: [Bool]) {
        var via = [UInt32](repeating: noNode, count: objectCount)
        var seen = [Bool](repeating: false, count: objectCount)
        var queue: [UInt32] = []
        queue.reserveCapacity(sources.count)
        for s in sources where !seen[s] { seen[s] = true; queue.append(UInt32(s)) }
        if let stop, seen[stop] { return (via, seen) }
        var head = 0
        while head < queue.count {
            let v = Int(queue[head]); head += 1
            for e in edgeRange(of: v) {
                let w = Int(edgeTargets[e])
                if seen[w] { continue }
                seen[w] = true
                via[w] = UInt32(e)
                if w == stop { return (via, seen) }
                queue.append(UInt32(w))
            }
        }
        return (via, seen)
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
        let held = objectsHeldFromOutside()
        let (via, seen) = breadthFirst(from: held, stopAt: object)
        guard seen[object] else { return nil }
        let (start, steps) = steps(to: object, via: via)
        return ReferencePath(origin: origin(ofHeld: start), steps: steps)
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
        let (via, seen) = breadthFirst(from: sources, stopAt: nil)
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
        if predicate(start) { return ReferencePath(origin: .object(start), steps: []) }
        var via = [UInt32](repeating: noNode, count: objectCount)
        var seen = [Bool](repeating: false, count: objectCount)
        seen[start] = true
        var queue: [UInt32] = [UInt32(start)]
        var head = 0
        while head < queue.count {
            let v = Int(queue[head]); head += 1
            for e in edgeRange(of: v) {
                let w = Int(edgeTargets[e])
                if seen[w] { continue }
                seen[w] = true
                via[w] = UInt32(e)
                if predicate(w) {
                    return ReferencePath(origin: .object(start), steps: steps(to: w, via: via).steps)
                }
                queue.append(UInt32(w))
            }
        }
        return nil
    }
}
