// MergedPaths — Eclipse MAT's "merge shortest paths to GC roots" for a set of objects (all objects of a
// type): the tree of the shortest chains from outside that keep them alive, each branch counting the
// objects of the set at or below it ("why are 200 Responses alive?"), and their immediate dominators
// grouped by type.
import HeapGraph

/// The shortest chains from outside to a set of objects, merged into one tree.
public struct MergedPaths: Sendable {
    /// One object on some chain.
    public struct Node: Sendable, Hashable {
        public var object: HeapSnapshot.ObjectIndex
        /// The edge from the parent node, nil for a top node (held from outside).
        public var edge: Int?
        /// Objects of the set at this node or below it.
        public var count: Int
        /// Whether this object is itself in the set.
        public var isTarget: Bool
        /// Child nodes (indices into ``MergedPaths/nodes``), most objects of the set first.
        public var children: [Int]
    }

    /// Immediate dominators of the set, by type: where the set's objects are owned.
    public struct DominatorGroup: Sendable, Hashable {
        /// The dominators' type name; nil for objects only the roots dominate (held from outside).
        public var type: String?
        /// Objects of the set with a dominator of this type.
        public var count: Int
        /// Distinct dominators of this type.
        public var dominators: Int
    }

    /// Every node; a node's children come after it.
    public let nodes: [Node]
    /// The top nodes (objects held from outside on some chain), most objects of the set first.
    public let tops: [Int]
    /// Objects of the set no chain reaches (garbage), in index order.
    public let unreachable: [HeapSnapshot.ObjectIndex]
    /// The set's immediate dominators grouped by type, most objects first.
    public let dominatorGroups: [DominatorGroup]

    /// Merges the shortest chains (the breadth-first ones of ``HeapSnapshot/shortestPathFromOutside(to:)``:
    /// held objects in index order, references in field order) to every object of `targets`.
    /// - Complexity: O(objects + edges): one search, then each tree node is visited a constant number of times.
    public init(targets: [HeapSnapshot.ObjectIndex], dominators: DominatorTree) {
        let s = dominators.snapshot
        let n = s.objectCount
        let noNode = UInt32.max
        // One breadth-first search from everything held from outside; `parentEdge[v]` reached v.
        var parentEdge = [UInt32](repeating: noNode, count: n)
        var parent = [UInt32](repeating: noNode, count: n)
        var seen = [Bool](repeating: false, count: n)
        var order: [UInt32] = []
        for v in s.objectsHeldFromOutside() where !seen[v] {
            seen[v] = true
            order.append(UInt32(v))
        }
        var head = 0
        while head < order.count {
            let v = Int(order[head])
            head += 1
            for e in s.edgeRange(of: v) {
                let w = Int(s.edgeTargets[e])
                if seen[w] { continue }
                seen[w] = true
                parentEdge[w] = UInt32(e)
                parent[w] = UInt32(v)
                order.append(UInt32(w))
            }
        }
        // The tree: every object on a chain to a target, found by walking up until a known node.
        var isTarget = [Bool](repeating: false, count: n)
        var inTree = [Bool](repeating: false, count: n)
        var unreachable: [HeapSnapshot.ObjectIndex] = []
        for t in targets where !isTarget[t] {
            isTarget[t] = true
            guard seen[t] else {
                unreachable.append(t)
                continue
            }
            var v = t
            while !inTree[v] {
                inTree[v] = true
                guard parent[v] != noNode else { break }
                v = Int(parent[v])
            }
        }
        // Counts from the leaves up: reverse search order visits children before parents.
        var count = [Int](repeating: 0, count: n)
        for raw in order.reversed() {
            let v = Int(raw)
            guard inTree[v] else { continue }
            if isTarget[v] { count[v] += 1 }
            if parent[v] != noNode { count[Int(parent[v])] += count[v] }
        }
        // Nodes in search order (a parent before its children), children ranked by count then index.
        var nodeIndex = [Int32](repeating: -1, count: n)
        var nodes: [Node] = []
        var tops: [Int] = []
        for raw in order {
            let v = Int(raw)
            guard inTree[v] else { continue }
            nodeIndex[v] = Int32(nodes.count)
            nodes.append(Node(object: v, edge: parentEdge[v] == noNode ? nil : Int(parentEdge[v]), count: count[v], isTarget: isTarget[v], children: []))
            if parent[v] == noNode {
                tops.append(nodes.count - 1)
            } else {
                nodes[Int(nodeIndex[Int(parent[v])])].children.append(nodes.count - 1)
            }
        }
        func ranked(_ list: [Int]) -> [Int] {
            list.sorted { nodes[$0].count != nodes[$1].count ? nodes[$0].count > nodes[$1].count : nodes[$0].object < nodes[$1].object }
        }
        for i in nodes.indices where nodes[i].children.count > 1 { nodes[i].children = ranked(nodes[i].children) }
        self.nodes = nodes
        self.tops = ranked(tops)
        self.unreachable = unreachable
        // Immediate dominators by type.
        var byType: [UInt32: (count: Int, dominators: Set<Int>)] = [:]
        var heldOnly = 0
        var seenTarget = [Bool](repeating: false, count: n)
        for t in targets where seen[t] && !seenTarget[t] {
            seenTarget[t] = true
            guard let d = dominators.immediateDominator(of: t) else {
                heldOnly += 1
                continue
            }
            byType[s.typeIndices[d], default: (0, [])].count += 1
            byType[s.typeIndices[d]]?.dominators.insert(d)
        }
        var groups = byType.map { DominatorGroup(type: s.typeNames[Int($0.key)], count: $0.value.count, dominators: $0.value.dominators.count) }
        if heldOnly > 0 { groups.append(DominatorGroup(type: nil, count: heldOnly, dominators: 0)) }
        self.dominatorGroups = groups.sorted { a, b in
            a.count != b.count ? a.count > b.count : (a.type ?? "") < (b.type ?? "")
        }
    }
}
