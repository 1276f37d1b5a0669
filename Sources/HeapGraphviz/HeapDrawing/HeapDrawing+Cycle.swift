// HeapDrawing+Cycle — the picture of one leak for a bug report: the cycle's members in red with the
// root double-bordered, red arrows along the references that close the cycle, and the garbage it
// keeps alive hanging off it in orange; a caption with size and signature.
import HeapAnalysis
import HeapGraph

extension HeapDrawing {
    /// A drawing of `cycle` and the garbage only it keeps alive.
    ///
    /// At most `maxObjects` objects are drawn: members first (root first, in the cycle's order), then
    /// hangers; the rest are counted in "N more" nodes hanging off the root.
    /// - Complexity: O(drawn objects + their references).
    public init(
        _ cycle: GarbageCycle, in analysis: LeakAnalysis, options: DOTOptions = .default,
        dominators: DominatorTree? = nil, maxObjects: Int = 150
    ) {
        let snapshot = analysis.snapshot
        let budget = max(maxObjects, 1)
        let members = Array(cycle.members.prefix(budget))
        let hangers = Array(cycle.hangers.prefix(max(budget - members.count, 0)))
        let memberSet = Set(members)
        let retained = Self.retainedSource(options: options, given: dominators, snapshot: snapshot)
        var nodes: [Node] = []
        for m in members {
            let roles: DrawingRoles = m == cycle.root ? [.cycleMember, .cycleRoot] : .cycleMember
            nodes.append(Self.objectNode(m, in: snapshot, options: options, retained: retained, roles: roles, depth: 0))
        }
        for h in hangers {
            nodes.append(Self.objectNode(h, in: snapshot, options: options, retained: retained, roles: .hanger, depth: 1))
        }
        let drawn = memberSet.union(hangers)
        var edges: [Edge] = []
        for object in drawn.sorted() {
            for e in snapshot.edgeRange(of: object) {
                let target = Int(snapshot.edgeTargets[e])
                guard drawn.contains(target) else { continue }
                let kind: DrawingEdgeKind = memberSet.contains(object) && memberSet.contains(target) ? .cycle : .reference
                edges.append(
                    Edge(
                        from: Self.objectKey(object, in: snapshot), to: Self.objectKey(target, in: snapshot),
                        label: snapshot.fieldName(ofEdge: e), kind: kind))
            }
        }
        let rootKey = Self.objectKey(cycle.root, in: snapshot)
        let missingMembers = cycle.members.count - members.count
        if missingMembers > 0 {
            nodes.append(Node(key: "m_members", kind: .more(count: missingMembers), title: "\(missingMembers) more cycle members", depth: 1))
            edges.append(Edge(from: rootKey, to: "m_members", kind: .cutOff))
        }
        let missingHangers = cycle.hangers.count - hangers.count
        if missingHangers > 0 {
            nodes.append(Node(key: "m_hangers", kind: .more(count: missingHangers), title: "\(missingHangers) more objects kept alive", depth: 2))
            edges.append(Edge(from: rootKey, to: "m_hangers", kind: .cutOff))
        }
        let objects = cycle.members.count == 1 ? "1 object" : "\(cycle.members.count) objects"
        let caption = "Garbage cycle of \(objects) retaining \(HeapText.bytes(cycle.retainedBytes)); root \(snapshot.typeName(of: cycle.root)) \(Self.shortID(snapshot.ids[cycle.root])); signature \(cycle.signature)"
        let keys = Dictionary(uniqueKeysWithValues: drawn.map { ($0, Self.objectKey($0, in: snapshot)) })
        self.init(nodes: nodes, edges: edges + Self.nonRetainingEdges(among: keys, in: snapshot), caption: caption)
    }
}
