// HeapSnapshot+Neighbourhood — choosing what to draw: breadth-first from the starting objects along
// references or referrers, to a depth, with per-object cut-offs, filters and ignores.
import HeapGraph

extension HeapSnapshot {
    /// The objects within `maxDepth` references of `starts` (forward or backward), to be drawn.
    ///
    /// Like objgraph: each object expands at most `tooMany` neighbours (in field order, or referrer
    /// order for backrefs) and records how many it left out; objects failing `filter` or in `ignore`
    /// are neither drawn nor expanded (starting objects always are drawn). Drawn edges are every
    /// reference between two drawn objects. With `collapseComponents`, the strongly connected
    /// components of the drawn subgraph with two or more members are reported so a renderer can
    /// draw each as one node.
    /// - Complexity: O(drawn objects × their degree) plus O(objects + edges) to index referrers.
    public func neighbourhood(
        of starts: [ObjectIndex], direction: Neighbourhood.Direction, maxDepth: Int = 3, tooMany: Int = 10,
        filter: ((ObjectIndex) -> Bool)? = nil, ignore: Set<ObjectIndex> = [], collapseComponents: Bool = false
    ) -> Neighbourhood {
        let reverse = direction == .referrers ? ReverseEdges(self) : nil
        let sources = direction == .referrers ? edgeSources(self) : []
        var depthOf: [ObjectIndex: Int] = [:]
        var nodes: [Neighbourhood.Node] = []
        var uniqueStarts: [ObjectIndex] = []
        for s in starts where depthOf[s] == nil {
            depthOf[s] = 0
            uniqueStarts.append(s)
            nodes.append(Neighbourhood.Node(object: s, depth: 0, omitted: 0, component: nil))
        }
        var head = 0
        while head < nodes.count {
            let v = nodes[head].object
            let depth = nodes[head].depth
            defer { head += 1 }
            if depth >= maxDepth { continue }
            var neighbours: [ObjectIndex] = []
            if let reverse {
                for p in reverse.range(of: v) { neighbours.append(Int(sources[Int(reverse.edges[p])])) }
            } else {
                for e in edgeRange(of: v) { neighbours.append(Int(edgeTargets[e])) }
            }
            var taken = 0
            var omitted = 0
            var seenHere = Set<ObjectIndex>()
            for w in neighbours where seenHere.insert(w).inserted {
                if ignore.contains(w) { continue }
                if let filter, depthOf[w] == nil, !filter(w) { continue }
                if taken >= tooMany { omitted += 1; continue }
                taken += 1
                if depthOf[w] == nil {
                    depthOf[w] = depth + 1
                    nodes.append(Neighbourhood.Node(object: w, depth: depth + 1, omitted: 0, component: nil))
                }
            }
            nodes[head].omitted = omitted
        }
        var edges: [Neighbourhood.Edge] = []
        let drawn = nodes.map(\.object).sorted()
        for v in drawn {
            for e in edgeRange(of: v) where depthOf[Int(edgeTargets[e])] != nil {
                edges.append(Neighbourhood.Edge(from: v, to: Int(edgeTargets[e]), edge: e, field: fieldName(ofEdge: e)))
            }
        }
        var result = Neighbourhood(direction: direction, starts: uniqueStarts, nodes: nodes, edges: edges, components: [])
        if collapseComponents { result.collapse(objectCount: objectCount) }
        return result
    }

    /// The objects and references of one chain (objgraph's show_chain), depth = position on it.
    public func chainNeighbourhood(_ path: ReferencePath) -> Neighbourhood {
        var nodes = [Neighbourhood.Node(object: path.start, depth: 0, omitted: 0, component: nil)]
        var edges: [Neighbourhood.Edge] = []
        var previous = path.start
        var seen: Set<ObjectIndex> = [path.start]
        for (i, step) in path.steps.enumerated() {
            if seen.insert(step.object).inserted {
                nodes.append(Neighbourhood.Node(object: step.object, depth: i + 1, omitted: 0, component: nil))
            }
            edges.append(Neighbourhood.Edge(from: previous, to: step.object, edge: step.edge, field: step.field))
            previous = step.object
        }
        return Neighbourhood(direction: .references, starts: [path.start], nodes: nodes, edges: edges, components: [])
    }
}

extension Neighbourhood {
    /// Finds the strongly connected components of the drawn subgraph and marks their members.
    mutating func collapse(objectCount: Int) {
        // Local numbering of the drawn objects, in increasing object order, with a local CSR.
        let drawn = nodes.map(\.object).sorted()
        var local: [HeapSnapshot.ObjectIndex: Int] = [:]
        for (i, v) in drawn.enumerated() { local[v] = i }
        var starts = [UInt32](repeating: 0, count: drawn.count + 1)
        for e in edges { starts[local[e.from]! + 1] += 1 }
        for i in 0..<drawn.count { starts[i + 1] += starts[i] }
        var fill = starts
        var targets = [UInt32](repeating: 0, count: edges.count)
        for e in edges {
            let s = local[e.from]!
            targets[Int(fill[s])] = UInt32(local[e.to]!)
            fill[s] += 1
        }
        let (component, count) = starts.withUnsafeBufferPointer { s in
            targets.withUnsafeBufferPointer { t in
                stronglyConnectedComponents(nodeCount: drawn.count, starts: s, targets: t, include: nil)
            }
        }
        var groups = [[HeapSnapshot.ObjectIndex]](repeating: [], count: count)
        for (i, v) in drawn.enumerated() { groups[Int(component[i])].append(v) }
        // Number the collapsed components by their smallest member, for a stable order.
        let big = groups.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
        var id: [HeapSnapshot.ObjectIndex: Int] = [:]
        for (k, group) in big.enumerated() { for v in group { id[v] = k } }
        for i in nodes.indices { nodes[i].component = id[nodes[i].object] }
        components = big
    }
}
