// GraphKernels — the flat-array graph algorithms every analysis shares: Tarjan's strongly connected
// components and reversed edges, over CSR arrays of UInt32, iterative (no recursion over graph depth)
// and allocation-free per node.
import HeapGraph

/// The value of a UInt32 column meaning "no node / no component".
@usableFromInline let noNode: UInt32 = .max

/// Strongly connected components of the graph `starts`/`targets` (CSR), optionally restricted to the
/// nodes with `include[v] == true` (edges to excluded nodes are ignored).
///
/// Returns each node's component number (`noNode` for excluded nodes) and the number of components.
/// Components are numbered in Tarjan's completion order, which is a reverse topological order of the
/// condensation: every edge between two components goes from a higher number to a lower one.
/// Roots of the depth-first search are taken in increasing node order, edges in CSR order, so the
/// numbering is deterministic.
/// - Complexity: O(nodes + edges) time; 24 bytes per node of scratch.
func stronglyConnectedComponents(
    nodeCount n: Int, starts: UnsafeBufferPointer<UInt32>, targets: UnsafeBufferPointer<UInt32>,
    include: UnsafeBufferPointer<Bool>?
) -> (component: [UInt32], count: Int) {
    var component = [UInt32](repeating: noNode, count: n)
    if n == 0 { return (component, 0) }
    // discovery[v]: preorder number, noNode while unvisited. low[v]: Tarjan's lowlink.
    let discovery = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
    discovery.initialize(repeating: noNode)
    let low = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
    // The component stack and the explicit call stack (node, next edge position), each at most n deep.
    let pending = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
    let callNode = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
    let callEdge = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
    defer {
        discovery.deallocate(); low.deallocate(); pending.deallocate(); callNode.deallocate(); callEdge.deallocate()
    }
    // Discovery number of a node whose component is complete; above every real number (n < 2³² − 1).
    let finished = noNode - 1
    var counter: UInt32 = 0
    var componentCount: UInt32 = 0
    component.withUnsafeMutableBufferPointer { comp in
        var pendingTop = 0
        var callTop = 0
        for root in 0..<n {
            if discovery[root] != noNode { continue }
            if let include, !include[root] { continue }
            discovery[root] = counter; low[root] = counter; counter += 1
            pending[pendingTop] = UInt32(root); pendingTop += 1
            callNode[0] = UInt32(root); callEdge[0] = starts[root]; callTop = 1
            while callTop > 0 {
                let v = Int(callNode[callTop - 1])
                var e = Int(callEdge[callTop - 1])
                let end = Int(starts[v + 1])
                // Scan the edges until one leads to an unvisited node, updating low on the way.
                var next = -1
                var lowV = low[v]
                while e < end {
                    let w = Int(targets[e])
                    e += 1
                    if let include, !include[w] { continue }
                    let d = discovery[w]
                    if d == noNode { next = w; break }
                    // Visited: on the component stack it lowers low[v]; finished nodes carry
                    // `finished`, larger than any discovery number, so they never do.
                    if d < lowV { lowV = d }
                }
                low[v] = lowV
                callEdge[callTop - 1] = UInt32(e)
                if next >= 0 {
                    let w = next
                    discovery[w] = counter; low[w] = counter; counter += 1
                    pending[pendingTop] = UInt32(w); pendingTop += 1
                    callNode[callTop] = UInt32(w); callEdge[callTop] = starts[w]; callTop += 1
                } else {
                    callTop -= 1
                    if lowV == discovery[v] {
                        while true {
                            pendingTop -= 1
                            let x = Int(pending[pendingTop])
                            comp[x] = componentCount
                            discovery[x] = finished
                            if x == v { break }
                        }
                        componentCount += 1
                    }
                    if callTop > 0 {
                        let u = Int(callNode[callTop - 1])
                        if lowV < low[u] { low[u] = lowV }
                    }
                }
            }
        }
    }
    return (component, Int(componentCount))
}

/// Reversed edges in CSR form: for each node, the positions of the edges that point to it.
///
/// `starts` has `nodeCount + 1` offsets; `edges[starts[v]..<starts[v+1]]` are edge positions in the
/// forward columns whose target is `v`, in increasing position order (so in source order, then field
/// order), which keeps every referrer listing deterministic.
struct ReverseEdges: Sendable {
    /// `nodeCount + 1` offsets into `edges`.
    let starts: [UInt32]
    /// Forward edge positions, grouped by target.
    let edges: [UInt32]

    /// - Complexity: O(nodes + edges).
    init(_ snapshot: HeapSnapshot) {
        let n = snapshot.objectCount
        var starts = [UInt32](repeating: 0, count: n + 1)
        for t in snapshot.edgeTargets { starts[Int(t) + 1] += 1 }
        for i in 0..<n { starts[i + 1] += starts[i] }
        var fill = starts
        var edges = [UInt32](repeating: 0, count: snapshot.edgeCount)
        for e in 0..<snapshot.edgeCount {
            let t = Int(snapshot.edgeTargets[e])
            edges[Int(fill[t])] = UInt32(e)
            fill[t] += 1
        }
        self.starts = starts
        self.edges = edges
    }

    /// Edge positions pointing at `node`.
    func range(of node: Int) -> Range<Int> { Int(starts[node])..<Int(starts[node + 1]) }
}

/// The source object of each edge position: the inverse of `edgeStarts`.
/// - Complexity: O(nodes + edges).
func edgeSources(_ snapshot: HeapSnapshot) -> [UInt32] {
    var sources = [UInt32](repeating: 0, count: snapshot.edgeCount)
    for v in snapshot.objectIndices {
        for e in snapshot.edgeRange(of: v) { sources[e] = UInt32(v) }
    }
    return sources
}
