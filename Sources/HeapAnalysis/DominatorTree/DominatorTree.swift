// DominatorTree — who keeps whom alive: the dominator tree of the live objects under a virtual root
// that refers to every object held from outside, and the retained size of every object.
// Semi-NCA (Georgiadis) over flat UInt32 arrays in depth-first numbering; iterative throughout.
import HeapGraph

/// The dominator tree of a snapshot's live objects.
///
/// A virtual root refers to every object held from outside (``HeapSnapshot/heldFromOutside()``).
/// Object `d` dominates `v` when every chain of references from the virtual root to `v` passes
/// through `d`; the immediate dominator is the closest such `d`. The retained size of `v` is the sum
/// of the shallow sizes of the objects it dominates (itself included): the bytes freed if `v` went.
public struct DominatorTree: Sendable {
    /// The snapshot the tree was computed from.
    public let snapshot: HeapSnapshot
    /// Immediate dominator of each object: an object index, `DominatorTree.virtualRoot`, or
    /// `DominatorTree.unreachable` for garbage.
    public let dominators: [UInt32]
    /// Retained size of each object (0 for unreachable objects).
    public let retainedSizes: [UInt64]
    /// Shallow bytes of all live objects: what the virtual root retains.
    public let liveBytes: UInt64
    /// Number of live objects.
    public let liveCount: Int
    /// Children of each object in the dominator tree (CSR, `objectCount + 2` offsets; the entry at
    /// `objectCount` lists the virtual root's children), each list in increasing index order.
    let childStarts: [UInt32]
    let children: [UInt32]

    /// The `dominators` value of an object whose immediate dominator is the virtual root.
    public static let virtualRoot: UInt32 = .max - 1
    /// The `dominators` value of an object no reference from outside reaches.
    public static let unreachable: UInt32 = .max

    /// Computes the tree and all retained sizes.
    /// - Complexity: O((objects + edges) · α) time; about 40 bytes per object and 4 per edge of
    ///   scratch beyond the result; no recursion.
    public init(_ snapshot: HeapSnapshot) {
        self.snapshot = snapshot
        let n = snapshot.objectCount
        let held = snapshot.heldFromOutside()
        var dominators = [UInt32](repeating: Self.unreachable, count: n)
        var retained = [UInt64](repeating: 0, count: n)
        var liveCount = 0
        snapshot.edgeStarts.withUnsafeBufferPointer { starts in
            snapshot.edgeTargets.withUnsafeBufferPointer { targets in
                dominators.withUnsafeMutableBufferPointer { dominators in
                    liveCount = Self.semiNCA(
                        n: n, starts: starts, targets: targets, held: held, sizes: snapshot.sizes,
                        dominators: dominators, retained: &retained)
                }
            }
        }
        self.dominators = dominators
        self.retainedSizes = retained
        self.liveCount = liveCount
        // Children lists by counting sort; the virtual root is slot n.
        var childStarts = [UInt32](repeating: 0, count: n + 2)
        var live: UInt64 = 0
        for v in 0..<n where dominators[v] != Self.unreachable {
            let p = dominators[v] == Self.virtualRoot ? n : Int(dominators[v])
            childStarts[p + 1] += 1
            live.addSaturated(snapshot.sizes[v])
        }
        for i in 0..<(n + 1) { childStarts[i + 1] += childStarts[i] }
        var fill = childStarts
        var children = [UInt32](repeating: 0, count: liveCount)
        for v in 0..<n where dominators[v] != Self.unreachable {
            let p = dominators[v] == Self.virtualRoot ? n : Int(dominators[v])
            children[Int(fill[p])] = UInt32(v)
            fill[p] += 1
        }
        self.childStarts = childStarts
        self.children = children
        self.liveBytes = live
        #if HEAPSCAN_CHECKS
        // A dominator is alive and retains at least what it dominates; the roots' children retain everything.
        var top: UInt64 = 0
        for v in 0..<n where dominators[v] != Self.unreachable {
            precondition(retained[v] >= snapshot.sizes[v], "retained size below shallow size at \(v)")
            if dominators[v] == Self.virtualRoot {
                top.addSaturated(retained[v])
            } else {
                let d = Int(dominators[v])
                precondition(dominators[d] != Self.unreachable && retained[d] >= retained[v], "bad dominator of \(v)")
            }
        }
        precondition(top == live, "retained sizes under the virtual root do not add up to the live bytes")
        #endif
    }

    /// Semi-NCA: depth-first numbering from the virtual root (number 0), semidominators in reverse
    /// preorder with iterative path compression, then immediate dominators as nearest common
    /// ancestors in preorder. Writes `dominators` (object indices) and `retained`; returns the number
    /// of live objects. Also used by ``LeakAnalysis`` on the condensation of the garbage.
    static func semiNCA(
        n: Int, starts: UnsafeBufferPointer<UInt32>, targets: UnsafeBufferPointer<UInt32>, held: [Bool],
        sizes: [UInt64], dominators: UnsafeMutableBufferPointer<UInt32>, retained: inout [UInt64]
    ) -> Int {
        // number[v]: preorder number of object v (0 is the virtual root), noNode if unreached.
        // vertex[i]: the object numbered i (vertex[0] unused). parent[i]: DFS-tree parent number.
        let number = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(n, 1))
        number.initialize(repeating: noNode)
        defer { number.deallocate() }
        let vertex = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n + 1)
        let parent = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n + 1)
        defer { vertex.deallocate(); parent.deallocate() }
        var count = 1  // numbers handed out, the virtual root included
        do {
            let stackNode = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(n, 1))
            let stackEdge = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(n, 1))
            defer { stackNode.deallocate(); stackEdge.deallocate() }
            for r in 0..<n where held[r] && number[r] == noNode {
                number[r] = UInt32(count); vertex[count] = UInt32(r); parent[count] = 0; count += 1
                var top = 1
                stackNode[0] = UInt32(r); stackEdge[0] = starts[r]
                while top > 0 {
                    let v = Int(stackNode[top - 1])
                    var e = Int(stackEdge[top - 1])
                    let end = Int(starts[v + 1])
                    // Scan to the next unnumbered target without going back to the stack.
                    var next = -1
                    while e < end {
                        let w = Int(targets[e])
                        e += 1
                        if number[w] == noNode { next = w; break }
                    }
                    stackEdge[top - 1] = UInt32(e)
                    if next < 0 { top -= 1; continue }
                    number[next] = UInt32(count); vertex[count] = UInt32(next); parent[count] = number[v]; count += 1
                    stackNode[top] = UInt32(next); stackEdge[top] = starts[next]; top += 1
                }
            }
        }
        let m = count
        if m == 1 { return 0 }
        // Predecessors in number space (CSR); the virtual root (0) precedes every held object.
        // `mapped` keeps each live edge's target number from the counting pass, in the order the
        // filling pass reads them, so the second pass reads sequentially instead of at random.
        let predStarts = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: m + 1)
        predStarts.initialize(repeating: 0)
        defer { predStarts.deallocate() }
        var liveEdges = 0
        for i in 1..<m {
            let v = Int(vertex[i])
            liveEdges += Int(starts[v + 1] - starts[v])
        }
        let mapped = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(liveEdges, 1))
        do {
            var k = 0
            for i in 1..<m {
                let v = Int(vertex[i])
                if held[v] { predStarts[i + 1] += 1 }
                for e in Int(starts[v])..<Int(starts[v + 1]) {
                    let w = number[Int(targets[e])]
                    mapped[k] = w; k += 1
                    predStarts[Int(w) + 1] += 1
                }
            }
        }
        for i in 0..<m { predStarts[i + 1] += predStarts[i] }
        let predCount = Int(predStarts[m])
        let preds = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(predCount, 1))
        defer { preds.deallocate() }
        do {
            let fill = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: m)
            defer { fill.deallocate() }
            for i in 0..<m { fill[i] = predStarts[i] }
            var k = 0
            for i in 1..<m {
                let v = Int(vertex[i])
                if held[v] { preds[Int(fill[i])] = 0; fill[i] += 1 }
                for _ in Int(starts[v])..<Int(starts[v + 1]) {
                    let w = Int(mapped[k]); k += 1
                    preds[Int(fill[w])] = UInt32(i); fill[w] += 1
                }
            }
        }
        mapped.deallocate()
        // semi[i], label[i] (minimum semi on the compressed path), ancestor[i] (forest link; a node is
        // linked once processed, i.e. its number exceeds the current one), idom[i].
        let semi = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: m)
        let label = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: m)
        let ancestor = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: m)
        let path = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: m)
        defer { semi.deallocate(); label.deallocate(); ancestor.deallocate(); path.deallocate() }
        for i in 0..<m { semi[i] = UInt32(i); label[i] = UInt32(i); ancestor[i] = parent[i] }
        ancestor[0] = 0
        var w = m - 1
        while w >= 1 {
            var s = semi[w]
            for p in Int(predStarts[w])..<Int(predStarts[w + 1]) {
                let v = Int(preds[p])
                let candidate: UInt32
                if v <= w {
                    candidate = UInt32(v)
                } else {
                    // Compress the path v → … while the ancestor is linked (> w), iteratively.
                    var depth = 0
                    var x = v
                    while Int(ancestor[x]) > w { path[depth] = UInt32(x); depth += 1; x = Int(ancestor[x]) }
                    while depth > 0 {
                        depth -= 1
                        let y = Int(path[depth])
                        let a = Int(ancestor[y])
                        if label[a] < label[y] { label[y] = label[a] }
                        ancestor[y] = ancestor[a]
                    }
                    candidate = label[v]
                }
                if candidate < s { s = candidate }
            }
            semi[w] = s
            label[w] = s
            w -= 1
        }
        // Immediate dominators: climb from the parent until at or above the semidominator. `label` is
        // reused to hold idom numbers.
        let idom = label
        idom[0] = 0
        for i in 1..<m {
            var d = parent[i]
            while d > semi[i] { d = idom[Int(d)] }
            idom[i] = d
        }
        // Retained sizes: children have larger numbers than their dominator.
        let bytes = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: m)
        defer { bytes.deallocate() }
        bytes[0] = 0
        for i in 1..<m { bytes[i] = sizes[Int(vertex[i])] }
        var i = m - 1
        while i >= 1 { bytes[Int(idom[i])].addSaturated(bytes[i]); i -= 1 }
        for i in 1..<m {
            let v = Int(vertex[i])
            dominators[v] = idom[i] == 0 ? virtualRoot : vertex[Int(idom[i])]
            retained[v] = bytes[i]
        }
        return m - 1
    }

    /// The immediate dominator of `object`; nil when it is the virtual root (the object is held
    /// from outside and nothing else dominates it) or when the object is unreachable.
    public func immediateDominator(of object: HeapSnapshot.ObjectIndex) -> HeapSnapshot.ObjectIndex? {
        let d = dominators[object]
        return d >= Self.virtualRoot ? nil : Int(d)
    }

    /// Whether `object` is alive (reachable from outside).
    public func isReachable(_ object: HeapSnapshot.ObjectIndex) -> Bool { dominators[object] != Self.unreachable }

    /// The bytes freed if `object` were freed: its shallow size plus everything it dominates.
    public func retainedSize(of object: HeapSnapshot.ObjectIndex) -> UInt64 { retainedSizes[object] }

    /// The objects `object` immediately dominates, in increasing index order; nil means the virtual root.
    public func children(of object: HeapSnapshot.ObjectIndex?) -> [HeapSnapshot.ObjectIndex] {
        let slot = object ?? snapshot.objectCount
        return children[Int(childStarts[slot])..<Int(childStarts[slot + 1])].map { Int($0) }
    }

    /// Whether `dominator` dominates `object` (every object dominates itself).
    /// - Complexity: O(depth of `object` in the tree).
    public func dominates(_ dominator: HeapSnapshot.ObjectIndex, _ object: HeapSnapshot.ObjectIndex) -> Bool {
        guard isReachable(object), isReachable(dominator) else { return false }
        var v = object
        while true {
            if v == dominator { return true }
            guard let d = immediateDominator(of: v) else { return false }
            v = d
        }
    }
}
