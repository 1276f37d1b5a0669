// HeapSnapshot+Liveness — which objects are held from outside, which are alive, which are garbage,
// by the rule of the JSON format (CPython's): a root, or a recorded refcount larger than the number
// of references to the object from objects in the snapshot.
import HeapGraph

extension HeapSnapshot {
    /// For each object, whether something outside the snapshot holds it: it is named by a root, or —
    /// under the `refcount` rule only — its recorded refcount exceeds the number of retaining references
    /// to it from objects in the snapshot (each counted once per edge, self-references included).
    /// - Complexity: O(objects + edges + roots).
    public func heldFromOutside() -> [Bool] {
        let n = objectCount
        var held = [Bool](repeating: false, count: n)
        for root in roots { held[root.object] = true }
        guard liveness == .refcount else { return held }
        var incoming = [UInt32](repeating: 0, count: n)
        for t in edgeTargets { incoming[Int(t)] &+= 1 }
        for v in 0..<n where refcounts[v] != Self.none && refcounts[v] > incoming[v] { held[v] = true }
        return held
    }

    /// The objects held from outside, in increasing index order.
    /// - Complexity: O(objects + edges + roots).
    public func objectsHeldFromOutside() -> [ObjectIndex] {
        let held = heldFromOutside()
        return objectIndices.filter { held[$0] }
    }

    /// For each object, whether it can be reached by references from an object held from outside
    /// (the held objects themselves included): the live objects.
    /// - Complexity: O(objects + edges).
    public func reachableFromOutside() -> [Bool] {
        reachable(from: heldFromOutside())
    }

    /// For each object, whether it is reachable from an object marked in `seeds`.
    /// - Complexity: O(objects + edges); iterative.
    public func reachable(from seeds: [Bool]) -> [Bool] {
        precondition(seeds.count == objectCount, "one seed flag per object")
        var seen = seeds
        let n = objectCount
        // Every object is pushed at most once, so n slots suffice.
        let stack = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: Swift.max(n, 1))
        defer { stack.deallocate() }
        var top = 0
        for v in 0..<n where seeds[v] { stack[top] = UInt32(v); top += 1 }
        edgeStarts.withUnsafeBufferPointer { starts in
            edgeTargets.withUnsafeBufferPointer { targets in
                seen.withUnsafeMutableBufferPointer { seen in
                    while top > 0 {
                        top -= 1
                        let v = Int(stack[top])
                        for e in Int(starts[v])..<Int(starts[v + 1]) {
                            let w = Int(targets[e])
                            if !seen[w] { seen[w] = true; stack[top] = UInt32(w); top += 1 }
                        }
                    }
                }
            }
        }
        return seen
    }

    /// This snapshot without its garbage: what a full collection would leave (the objects reachable
    /// from an object held from outside, refcounts lowered by the references garbage held on them), so
    /// its own liveness rule sees the same held objects. "Still alive" in the test assertions.
    /// - Complexity: O(objects + edges).
    public func collected() -> HeapSnapshot { subgraph(keeping: reachableFromOutside()) }

    /// The objects no reference from outside can reach, in increasing index order: what a tracing
    /// collector frees (under the `roots` rule: unreachable, awaiting collection — not a leak).
    /// - Complexity: O(objects + edges).
    public func garbage() -> [ObjectIndex] {
        let alive = reachableFromOutside()
        return objectIndices.filter { !alive[$0] }
    }
}
