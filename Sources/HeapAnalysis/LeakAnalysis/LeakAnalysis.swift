// LeakAnalysis — the garbage of a snapshot split into cycles (strongly connected components), each
// with its root member, its hangers, its retained bytes and its signature, ranked by bytes.
import HeapGraph

/// The leaks of a snapshot: its garbage and the cycles in it.
///
/// **Cycles.** The garbage (objects no reference from outside reaches) is split into strongly
/// connected components; a component with more than one member, or one object referring to itself,
/// is a cycle.
///
/// **Hangers.** In the condensation of the garbage graph (each component one node), a virtual root
/// points at every component that no other garbage refers to, and the dominator tree is computed.
/// An acyclic garbage object hangs on the nearest cycle above it in that tree: every chain of garbage
/// that keeps it alive goes through that cycle. Acyclic garbage with no cycle above it hangs on none.
///
/// **Root rule** (the member to blame, deterministic, from the garbage only):
/// 1. the candidates are the members referred to by garbage outside the cycle (the way in, as in
///    Apple's `leaks`); when nothing outside refers to the cycle, all members;
/// 2. among them, the one with the largest weight: its own size plus the bytes of the hanger subtrees
///    that it refers to directly (what it holds outside the cycle);
/// 3. ties go to the oldest object (lowest id).
///
/// **Rank.** By retained bytes, descending; then by member count, descending; then by root id.
public struct LeakAnalysis: Sendable {
    /// The snapshot analysed.
    public let snapshot: HeapSnapshot
    /// Objects that nothing held from outside reaches, in increasing index order.
    public let garbage: [HeapSnapshot.ObjectIndex]
    /// The cycles of the garbage, ranked (see above).
    public let cycles: [GarbageCycle]
    /// Garbage that no cycle keeps alive (acyclic garbage with no cycle above it), increasing order.
    public let acyclicGarbage: [HeapSnapshot.ObjectIndex]

    /// Finds the garbage and its cycles.
    /// - Complexity: O(objects + edges) plus, per cycle, O(members × (members + edges)) for the
    ///   canonical walks of cycles up to 32 members (started only from members of the smallest type
    ///   name), O(edges) beyond.
    public init(_ snapshot: HeapSnapshot) {
        self.snapshot = snapshot
        let alive = snapshot.reachableFromOutside()
        var isGarbage = alive
        for v in isGarbage.indices { isGarbage[v].toggle() }
        let garbage = snapshot.objectIndices.filter { isGarbage[$0] }
        self.garbage = garbage
        guard !garbage.isEmpty else {
            cycles = []
            acyclicGarbage = []
            return
        }
        let labels = ComponentLabels(snapshot, include: isGarbage)
        let comp = labels.component
        let componentCount = labels.count

        // Members grouped by component (CSR), each group in increasing index order.
        var memberStarts = [Int](repeating: 0, count: componentCount + 1)
        for v in garbage { memberStarts[Int(comp[v]) + 1] += 1 }
        for c in 0..<componentCount { memberStarts[c + 1] += memberStarts[c] }
        var fill = memberStarts
        var memberList = [Int](repeating: 0, count: garbage.count)
        for v in garbage {
            memberList[fill[Int(comp[v])]] = v
            fill[Int(comp[v])] += 1
        }
        var isCycle = [Bool](repeating: false, count: componentCount)
        for c in 0..<componentCount {
            if memberStarts[c + 1] - memberStarts[c] > 1 {
                isCycle[c] = true
            } else {
                let v = memberList[memberStarts[c]]
                isCycle[c] = snapshot.edgeRange(of: v).contains { Int(snapshot.edgeTargets[$0]) == v }
            }
        }

        // The condensation as a CSR graph (one node per component, an edge per reference between
        // two components), its sources (components no other garbage refers to) under a virtual
        // root, and its dominator tree by the same Semi-NCA as DominatorTree — near-linear whatever
        // the shape, where intersecting dominators along a topological order can go quadratic.
        // entered[v]: v is referred to by garbage of another component.
        var entered = [Bool](repeating: false, count: snapshot.objectCount)
        var isSource = [Bool](repeating: true, count: componentCount)
        var condensedStarts = [UInt32](repeating: 0, count: componentCount + 1)
        var condensedTargets: [UInt32] = []
        for c in 0..<componentCount {
            for i in memberStarts[c]..<memberStarts[c + 1] {
                for e in snapshot.edgeRange(of: memberList[i]) {
                    let w = Int(snapshot.edgeTargets[e])
                    guard isGarbage[w] else { continue }
                    let d = Int(comp[w])
                    if d == c { continue }
                    entered[w] = true
                    isSource[d] = false
                    condensedTargets.append(UInt32(d))
                }
            }
            condensedStarts[c + 1] = UInt32(condensedTargets.count)
        }
        let virtualRoot = componentCount
        let unset = -1
        var idom = [Int](repeating: virtualRoot, count: componentCount)
        do {
            var dominators = [UInt32](repeating: DominatorTree.unreachable, count: componentCount)
            var unusedRetained = [UInt64](repeating: 0, count: componentCount)
            let noSizes = [UInt64](repeating: 0, count: componentCount)
            condensedStarts.withUnsafeBufferPointer { starts in
                condensedTargets.withUnsafeBufferPointer { targets in
                    dominators.withUnsafeMutableBufferPointer { dominators in
                        _ = DominatorTree.semiNCA(
                            n: componentCount, starts: starts, targets: targets, held: isSource, sizes: noSizes,
                            dominators: dominators, retained: &unusedRetained)
                    }
                }
            }
            // Every component is reached from a source (the condensation is acyclic).
            for c in 0..<componentCount where dominators[c] < DominatorTree.virtualRoot { idom[c] = Int(dominators[c]) }
        }
        // keeper[c]: the nearest cycle strictly above c in the dominator tree, or -1.
        var keeper = [Int](repeating: unset, count: componentCount)
        for c in stride(from: componentCount - 1, through: 0, by: -1) {
            let p = idom[c]
            if p != virtualRoot { keeper[c] = isCycle[p] ? p : keeper[p] }
        }
        // hangerBytes[c] for acyclic c: its size plus the acyclic components it dominates without a
        // cycle in between. Children have lower numbers than their dominator, so increasing order
        // finishes every child before its parent.
        var hangerBytes = [UInt64](repeating: 0, count: componentCount)
        for c in 0..<componentCount where !isCycle[c] {
            hangerBytes[c].addSaturated(snapshot.sizes[memberList[memberStarts[c]]])
            let p = idom[c]
            if p != virtualRoot && !isCycle[p] { hangerBytes[p].addSaturated(hangerBytes[c]) }
        }
        var hangersOf = [Int: [Int]]()
        var acyclic: [Int] = []
        for v in garbage where !isCycle[Int(comp[v])] {
            let k = keeper[Int(comp[v])]
            if k == unset { acyclic.append(v) } else { hangersOf[k, default: []].append(v) }
        }
        acyclicGarbage = acyclic

        // One GarbageCycle per cyclic component.
        var lastCreditor = [Int](repeating: -1, count: snapshot.objectCount)
        var visitMark = [Int](repeating: -1, count: snapshot.objectCount)
        var found: [GarbageCycle] = []
        for c in 0..<componentCount where isCycle[c] {
            let group = memberList[memberStarts[c]..<memberStarts[c + 1]]
            var candidates = group.filter { entered[$0] }
            if candidates.isEmpty { candidates = Array(group) }
            var root = candidates[0]
            var rootWeight: UInt64 = 0
            for (i, m) in candidates.enumerated() {
                var weight = snapshot.sizes[m]
                for e in snapshot.edgeRange(of: m) {
                    let w = Int(snapshot.edgeTargets[e])
                    guard isGarbage[w], lastCreditor[w] != m else { continue }
                    let d = Int(comp[w])
                    if d != c && !isCycle[d] && idom[d] == c {
                        lastCreditor[w] = m
                        weight.addSaturated(hangerBytes[d])
                    }
                }
                // Candidates are in increasing index (= id) order: only a strictly larger weight wins.
                if i == 0 || weight > rootWeight { root = m; rootWeight = weight }
            }
            let members = Self.depthFirstOrder(
                snapshot, from: root, within: { Int(comp[$0]) == c && isGarbage[$0] }, mark: &visitMark, stamp: c)
            let hangers = hangersOf[c] ?? []
            var bytes: UInt64 = 0
            for v in members { bytes.addSaturated(snapshot.sizes[v]) }
            for v in hangers { bytes.addSaturated(snapshot.sizes[v]) }
            let signature = Self.signature(snapshot, members: members, within: { Int(comp[$0]) == c && isGarbage[$0] })
            found.append(
                GarbageCycle(root: root, members: members, hangers: hangers, retainedBytes: bytes, signature: signature))
        }
        found.sort { a, b in
            if a.retainedBytes != b.retainedBytes { return a.retainedBytes > b.retainedBytes }
            if a.members.count != b.members.count { return a.members.count > b.members.count }
            return a.root < b.root
        }
        cycles = found
        #if HEAPSCAN_CHECKS
        // Cycles and their hangers are disjoint garbage.
        var owner = [Bool](repeating: false, count: snapshot.objectCount)
        for cycle in found {
            for v in cycle.members + cycle.hangers {
                precondition(isGarbage[v] && !owner[v], "object \(v) is live or in two cycles")
                owner[v] = true
            }
        }
        #endif
    }
}
