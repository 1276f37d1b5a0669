// V8SnapshotAssembly — turns the columns read from a .heapsnapshot into a HeapSnapshot through the one
// builder: every node an object (named by V8Naming), every edge a reference of its kind, and the
// synthetic root's references (the `(GC roots)` categories, the global objects) as roots.
import HeapGraph

/// Builds a HeapSnapshot from ``V8Contents``.
struct V8SnapshotAssembly {
    let layout: V8Layout
    let nodes: V8Nodes
    let edges: V8Edges
    let strings: [String]
    let locations: V8Locations
    /// `firstEdge[i]..<firstEdge[i + 1]` are node `i`'s edges.
    let firstEdge: [Int]
    /// Edge type numbers by role.
    let roles: [V8Naming.EdgeRole]
    let named: [Bool]

    init(_ contents: V8Contents) {
        layout = contents.layout
        nodes = contents.nodes ?? V8Nodes()
        edges = contents.edges ?? V8Edges()
        strings = contents.strings ?? []
        locations = contents.locations
        var first = [Int](repeating: 0, count: nodes.count + 1)
        for i in 0..<nodes.count { first[i + 1] = first[i] + Int(nodes.edgeCounts[i]) }
        firstEdge = first
        roles = layout.edgeTypes.map(V8Naming.role(ofEdgeType:))
        named = V8Naming.namedEdgeTypes(layout.edgeTypes)
    }

    func build() throws(DumpError) -> HeapSnapshot {
        var builder = HeapSnapshotBuilder()
        let places = functionPlaces()
        for i in 0..<nodes.count { addObject(i, places: places, to: &builder) }
        var elementNames: [String] = (0..<1024).map { "[\($0)]" }
        for i in 0..<nodes.count {
            for e in firstEdge[i]..<firstEdge[i + 1] {
                let role = roles[Int(edges.types[e])]
                // Until the builder carries reference kinds, references that do not retain are left
                // out, so that every analysis follows only what keeps objects alive.
                guard role == .strong || role == .internal else { continue }
                builder.reference(from: nodes.ids[i], to: nodes.ids[Int(edges.targets[e])], name: fieldName(e, &elementNames))
            }
        }
        addRoots(to: &builder)
        do {
            return try builder.build(unknownReferences: .reject)
        } catch {
            throw DumpError(.malformed, "\(error)")
        }
    }

    /// The name of edge `e`: a property, context variable or internal name, or `[i]` for an index.
    private func fieldName(_ e: Int, _ elementNames: inout [String]) -> String {
        let value = Int(edges.nameOrIndex[e])
        if named[Int(edges.types[e])] { return strings[value] }
        return value < elementNames.count ? elementNames[value] : "[\(value)]"
    }

    /// Adds node `i` as an object: its DevTools type name, self size, and a label (a string's text,
    /// a closure's name and place) and site (a closure's place).
    private func addObject(_ i: Int, places: [Int: String], to builder: inout HeapSnapshotBuilder) {
        let nodeType = layout.nodeTypes[Int(nodes.types[i])]
        let name = strings[Int(nodes.names[i])]
        let detached = nodes.detachedness.isEmpty ? false : nodes.detachedness[i] == 2
        let type = V8Naming.typeName(nodeType: nodeType, name: name, detached: detached)
        var label: String?
        var site: String?
        if nodeType == "closure" {
            site = places[i]
            let function = name.isEmpty ? "(anonymous)" : V8Naming.shortened(name)
            label = site.map { "\(function) \($0)" } ?? function
        } else if V8Naming.labelsWithName(nodeType) {
            label = V8Naming.shortened(name)
        }
        builder.add(id: nodes.ids[i], type: type, size: nodes.sizes[i], site: site, label: label)
    }

    /// "script:line:column" (1-based, as DevTools shows them) for each function node with a location.
    /// The script's name comes from the function's `shared` → `script_or_debug_info` (or `script`) node.
    private func functionPlaces() -> [Int: String] {
        var places: [Int: String] = [:]
        var scriptNames: [UInt32: String] = [:]
        for k in locations.nodes.indices {
            let node = Int(locations.nodes[k])
            let script = locations.scripts[k]
            if scriptNames[script] == nil, let found = scriptName(ofFunction: node) { scriptNames[script] = found }
            let file = scriptNames[script] ?? "script \(script)"
            places[node] = "\(file):\(Int(locations.lines[k]) + 1):\(Int(locations.columns[k]) + 1)"
        }
        return places
    }

    private func scriptName(ofFunction node: Int) -> String? {
        guard let shared = target(of: node, named: ["shared"]),
            let script = target(of: shared, named: ["script_or_debug_info", "script"])
        else { return nil }
        let name = strings[Int(nodes.names[script])]
        return name.isEmpty ? nil : name
    }

    /// The target of node `i`'s first named edge whose name is one of `names`.
    private func target(of i: Int, named names: [String]) -> Int? {
        for e in firstEdge[i]..<firstEdge[i + 1] where named[Int(edges.types[e])] {
            if names.contains(strings[Int(edges.nameOrIndex[e])]) { return Int(edges.targets[e]) }
        }
        return nil
    }

    /// The synthetic root, what it refers to (the `(GC roots)` node, the global objects through its
    /// shortcuts, embedder roots), and the categories under `(GC roots)`.
    private func addRoots(to builder: inout HeapSnapshotBuilder) {
        guard nodes.count > 0 else { return }
        let root = layout.rootNodeOffset
        builder.root(nodes.ids[root], name: "(root)")
        for e in firstEdge[root]..<firstEdge[root + 1] {
            let t = Int(edges.targets[e])
            let name = strings[Int(nodes.names[t])]
            if roles[Int(edges.types[e])] == .shortcut {
                let type = V8Naming.typeName(nodeType: layout.nodeTypes[Int(nodes.types[t])], name: name, detached: false)
                builder.root(nodes.ids[t], name: "global: \(type)")
                continue
            }
            builder.root(nodes.ids[t], name: name.isEmpty ? "(root \(nodes.ids[t]))" : name)
            guard name == "(GC roots)" else { continue }
            for c in firstEdge[t]..<firstEdge[t + 1] {
                let category = Int(edges.targets[c])
                builder.root(nodes.ids[category], name: strings[Int(nodes.names[category])])
            }
        }
    }
}
