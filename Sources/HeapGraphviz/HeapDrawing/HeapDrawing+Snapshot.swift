// HeapDrawing+Snapshot — the pieces every adapter shares: an object's node (type, short id, the
// extra lines asked for), byte formatting, and a drawing of any chosen set of objects.
import HeapAnalysis
import HeapGraph

extension HeapDrawing {
    /// The DOT key of an object: its id, so keys are stable across drawings of one heap.
    static func objectKey(_ object: HeapSnapshot.ObjectIndex, in snapshot: HeapSnapshot) -> String {
        "o\(snapshot.ids[object])"
    }

    /// An object's node: the type name as title, then "#id · size" and the extra lines asked for.
    static func objectNode(
        _ object: HeapSnapshot.ObjectIndex, in snapshot: HeapSnapshot, options: DOTOptions,
        retained: DominatorTree?, roles: DrawingRoles, depth: Int
    ) -> Node {
        let extra = options.extraLines
        var first = shortID(snapshot.ids[object])
        if extra.contains(.shallowSize) { first += " · " + HeapText.bytes(snapshot.sizes[object]) }
        var lines = [first]
        // Garbage is outside the dominator tree (nothing held from outside reaches it): no line.
        if extra.contains(.retainedSize), let retained, retained.isReachable(object) {
            lines.append("retains " + HeapText.bytes(retained.retainedSize(of: object)))
        }
        if extra.contains(.refcount), let count = snapshot.refcount(of: object) { lines.append("refcount \(count)") }
        if extra.contains(.label), let label = snapshot.label(of: object) { lines.append(label) }
        if extra.contains(.site), let site = snapshot.site(of: object) { lines.append("at " + site) }
        return Node(
            key: objectKey(object, in: snapshot), kind: .object(id: snapshot.ids[object]),
            title: snapshot.typeName(of: object), lines: lines, roles: roles, depth: depth)
    }

    /// "#42" for small ids, "0x7f3a1c20" for address-like ones.
    static func shortID(_ id: UInt64) -> String {
        id < 1 << 20 ? "#\(id)" : "0x" + String(id, radix: 16)
    }

    /// A drawing of `objects` and every reference among them, with the starting objects and the
    /// objects held from outside marked.
    ///
    /// The objects appear in the order given (duplicates dropped), references in edge order.
    /// - Complexity: O(objects + their references), plus O(snapshot) for `heldFromOutside`.
    public init(
        objects: [HeapSnapshot.ObjectIndex], in snapshot: HeapSnapshot, starts: [HeapSnapshot.ObjectIndex] = [],
        options: DOTOptions = .default, dominators: DominatorTree? = nil, caption: String? = nil
    ) {
        let held = snapshot.heldFromOutside()
        let startSet = Set(starts)
        var drawn = Set<HeapSnapshot.ObjectIndex>()
        var order: [HeapSnapshot.ObjectIndex] = []
        for object in objects where snapshot.objectIndices.contains(object) && drawn.insert(object).inserted {
            order.append(object)
        }
        let retained = Self.retainedSource(options: options, given: dominators, snapshot: snapshot)
        var nodes: [Node] = []
        for object in order {
            var roles: DrawingRoles = []
            if startSet.contains(object) { roles.insert(.start) }
            if held[object] { roles.insert(.heldFromOutside) }
            nodes.append(Self.objectNode(object, in: snapshot, options: options, retained: retained, roles: roles, depth: 0))
        }
        var edges: [Edge] = []
        for object in order.sorted() {
            for e in snapshot.edgeRange(of: object) where drawn.contains(Int(snapshot.edgeTargets[e])) {
                edges.append(
                    Edge(
                        from: Self.objectKey(object, in: snapshot),
                        to: Self.objectKey(Int(snapshot.edgeTargets[e]), in: snapshot), label: snapshot.fieldName(ofEdge: e)))
            }
        }
        let keys = Dictionary(uniqueKeysWithValues: order.map { ($0, Self.objectKey($0, in: snapshot)) })
        self.init(nodes: nodes, edges: edges + Self.nonRetainingEdges(among: keys, in: snapshot), caption: caption)
    }

    /// The weak and shortcut references between drawn objects (`keys`: object → node key), dashed
    /// and labelled "field (weak)"; drawings show them although no analysis follows them.
    /// - Complexity: O(non-retaining references of the drawn objects).
    static func nonRetainingEdges(among keys: [HeapSnapshot.ObjectIndex: String], in snapshot: HeapSnapshot) -> [Edge] {
        guard snapshot.hasNonRetainingReferences else { return [] }
        var edges: [Edge] = []
        for object in keys.keys.sorted() {
            guard let from = keys[object] else { continue }
            for e in snapshot.weakEdgeRange(of: object) {
                guard let to = keys[Int(snapshot.weakEdgeTargets[e])] else { continue }
                let kind = snapshot.weakKind(ofEdge: e).name
                let label = snapshot.weakFieldName(ofEdge: e).map { "\($0) (\(kind))" } ?? "(\(kind))"
                edges.append(Edge(from: from, to: to, label: label, kind: .nonRetaining))
            }
        }
        return edges
    }

    /// The dominator tree to read retained sizes from, computed only when they are asked for and
    /// none was given.
    static func retainedSource(options: DOTOptions, given: DominatorTree?, snapshot: HeapSnapshot) -> DominatorTree? {
        guard options.extraLines.contains(.retainedSize) else { return nil }
        return given ?? DominatorTree(snapshot)
    }
}
