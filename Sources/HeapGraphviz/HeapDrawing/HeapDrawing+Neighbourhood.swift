// HeapDrawing+Neighbourhood — objgraph's show_refs / show_backrefs / show_chain picture: the objects
// of a Neighbourhood shaded by depth, "N more" nodes for the cut-offs, components collapsed to one
// node when the neighbourhood collapsed them, starting objects, objects held from outside and
// garbage cycles marked.
import HeapAnalysis
import HeapGraph

extension HeapDrawing {
    /// A drawing of `neighbourhood`.
    ///
    /// - Parameters:
    ///   - leaks: when given, members and roots of its garbage cycles are highlighted.
    ///   - dominators: retained sizes for ``DOTOptions/ExtraLines/retainedSize`` (computed when needed
    ///     and not given).
    /// - Complexity: O(drawn objects + drawn edges + cycle members), plus O(snapshot) for the
    ///   objects held from outside.
    public init(
        _ neighbourhood: Neighbourhood, in snapshot: HeapSnapshot, options: DOTOptions = .default,
        leaks: LeakAnalysis? = nil, dominators: DominatorTree? = nil, caption: String? = nil
    ) {
        let held = snapshot.heldFromOutside()
        let starts = Set(neighbourhood.starts)
        let retained = Self.retainedSource(options: options, given: dominators, snapshot: snapshot)
        let drawn = Set(neighbourhood.nodes.map(\.object))
        var cycleRoles: [HeapSnapshot.ObjectIndex: DrawingRoles] = [:]
        var cycleOf: [HeapSnapshot.ObjectIndex: Int] = [:]
        for (number, cycle) in (leaks?.cycles ?? []).enumerated() {
            for member in cycle.members where drawn.contains(member) {
                cycleRoles[member, default: []].insert(.cycleMember)
                cycleOf[member] = number
            }
            if drawn.contains(cycle.root) { cycleRoles[cycle.root, default: []].insert(.cycleRoot) }
        }
        func roles(of object: HeapSnapshot.ObjectIndex) -> DrawingRoles {
            var r = cycleRoles[object] ?? []
            if starts.contains(object) { r.insert(.start) }
            if held[object] { r.insert(.heldFromOutside) }
            return r
        }

        var nodes: [Node] = []
        var keyOf: [HeapSnapshot.ObjectIndex: String] = [:]
        var componentDrawn = Set<Int>()
        let referrers = neighbourhood.direction == .referrers
        var cutOffEdges: [Edge] = []
        var componentDepth: [Int: Int] = [:]
        for entry in neighbourhood.nodes {
            if let c = entry.component { componentDepth[c] = min(componentDepth[c] ?? entry.depth, entry.depth) }
        }
        for entry in neighbourhood.nodes {
            if let c = entry.component, neighbourhood.components.indices.contains(c) {
                let key = "c\(c)"
                keyOf[entry.object] = key
                if componentDrawn.insert(c).inserted {
                    nodes.append(
                        Self.componentNode(
                            neighbourhood, component: c, key: key, depth: componentDepth[c] ?? entry.depth, in: snapshot,
                            roles: roles))
                }
            } else {
                let node = Self.objectNode(
                    entry.object, in: snapshot, options: options, retained: retained, roles: roles(of: entry.object),
                    depth: entry.depth)
                keyOf[entry.object] = node.key
                nodes.append(node)
            }
            if entry.omitted > 0 {
                let key = "m\(snapshot.ids[entry.object])"
                let what = referrers ? (entry.omitted == 1 ? "referrer" : "referrers") : (entry.omitted == 1 ? "reference" : "references")
                nodes.append(Node(key: key, kind: .more(count: entry.omitted), title: "\(entry.omitted) more \(what)", depth: entry.depth + 1))
                let objectKey = keyOf[entry.object] ?? key
                cutOffEdges.append(referrers ? Edge(from: key, to: objectKey, kind: .cutOff) : Edge(from: objectKey, to: key, kind: .cutOff))
            }
        }
        var edges: [Edge] = []
        var seenBetweenComponents = Set<Edge>()
        for edge in neighbourhood.edges {
            guard let from = keyOf[edge.from], let to = keyOf[edge.to] else { continue }
            let collapsed = from.hasPrefix("c") || to.hasPrefix("c")
            if collapsed && from == to { continue }  // inside one component
            let isCycle = !collapsed && cycleOf[edge.from] != nil && cycleOf[edge.from] == cycleOf[edge.to]
            let drawnEdge = Edge(from: from, to: to, label: edge.field, kind: isCycle ? .cycle : .reference)
            if collapsed && !seenBetweenComponents.insert(drawnEdge).inserted { continue }
            edges.append(drawnEdge)
        }
        let objectKeys = keyOf.filter { !$0.value.hasPrefix("c") }
        self.init(nodes: nodes, edges: edges + Self.nonRetainingEdges(among: objectKeys, in: snapshot) + cutOffEdges, caption: caption)
    }

    /// One node for a collapsed component: member count, bytes, the most common types.
    private static func componentNode(
        _ neighbourhood: Neighbourhood, component: Int, key: String, depth: Int, in snapshot: HeapSnapshot,
        roles: (HeapSnapshot.ObjectIndex) -> DrawingRoles
    ) -> Node {
        let members = neighbourhood.components[component]
        var bytes: UInt64 = 0
        var typeCounts: [String: Int] = [:]
        var memberRoles: DrawingRoles = []
        for m in members {
            bytes &+= snapshot.sizes[m]
            typeCounts[snapshot.typeName(of: m), default: 0] += 1
            memberRoles.formUnion(roles(m))
        }
        let common = typeCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var lines = ["\(members.count) objects · " + HeapText.bytes(bytes)]
        for (type, count) in common.prefix(3) { lines.append("\(type) ×\(count)") }
        if common.count > 3 { lines.append("and \(common.count - 3) more types") }
        return Node(
            key: key, kind: .component(objects: members.count, bytes: bytes), title: "strongly connected component",
            lines: lines, roles: memberRoles, depth: depth)
    }
}
