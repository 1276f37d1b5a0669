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

    init(_ contents: consuming V8Contents) {
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

    /// Builds the snapshot: objects in node order (so references are added in source order and the
    /// builder writes their rows as they come), then the roots.
    /// - Complexity: O(nodes + edges + strings), plus the builder's sort by id.
    static func build(
        _ contents: consuming V8Contents, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy
    ) throws(DumpError) -> HeapSnapshot {
        // The file's columns are released before the builder sorts and lays out its own.
        var builder = V8SnapshotAssembly(contents).fill()
        do {
            return try builder.build(unknownReferences: unknownReferences)
        } catch {
            throw DumpError(.malformed, "\(error)")
        }
    }

    /// A builder holding every node, edge and root.
    private func fill() -> HeapSnapshotBuilder {
        var builder = HeapSnapshotBuilder(objectCapacity: nodes.count, referenceCapacity: edges.count)
        builder.liveness = .roots
        builder.runtime = "V8"
        var tables = Tables(stringCount: strings.count, nodeTypeCount: layout.nodeTypes.count, edgeCount: edges.count)
        let distinct = distinctNames()
        builder.reserveTableCapacity(fieldNames: distinct.fields, labels: distinct.labels)
        let places = functionPlaces()
        for i in 0..<nodes.count { addObject(i, places: places, tables: &tables, to: &builder) }
        let kinds: [ReferenceKind] = roles.map {
            switch $0 {
            case .strong: .strong
            case .internal: .internal
            case .weak: .weak
            case .shortcut: .shortcut
            }
        }
        for i in 0..<nodes.count {
            for e in firstEdge[i]..<firstEdge[i + 1] {
                let type = Int(edges.types[e])
                builder.addReference(
                    from: i, to: Int(edges.targets[e]), nameIndex: fieldName(e, tables: &tables, builder: &builder),
                    kind: kinds[type])
            }
        }
        addRoots(to: &builder)
        return builder
    }

    /// How many distinct field names and labels the snapshot will intern (an upper bound for labels:
    /// two long strings may shorten alike), so that the tables are sized once.
    /// - Complexity: O(nodes + edges), one bit per string.
    private func distinctNames() -> (fields: Int, labels: Int) {
        var labelSeen = [Bool](repeating: false, count: strings.count)
        var fieldSeen = [Bool](repeating: false, count: strings.count)
        var labels = 0, fields = 0, largestIndex = -1
        let labelled = layout.nodeTypes.map(V8Naming.labelsWithName)
        let closure = layout.nodeTypes.firstIndex(of: "closure").map(UInt8.init)
        for i in 0..<nodes.count {
            let t = nodes.types[i]
            if t == closure { labels += 1; continue }
            guard labelled[Int(t)] else { continue }
            let n = Int(nodes.names[i])
            if !labelSeen[n] { labelSeen[n] = true; labels += 1 }
        }
        for e in 0..<edges.count {
            let value = Int(edges.nameOrIndex[e])
            if named[Int(edges.types[e])] {
                if !fieldSeen[value] { fieldSeen[value] = true; fields += 1 }
            } else {
                largestIndex = max(largestIndex, min(value, edges.count))
            }
        }
        return (fields + largestIndex + 1, labels)
    }

    /// Table indices already interned, by V8 string index (so each distinct name is hashed once).
    struct Tables {
        var objectTypes: [UInt32]
        var nativeTypes: [UInt32]
        var otherTypes: [UInt32]
        var labels: [UInt32]
        var fields: [UInt32]
        /// `[i]` by index, grown on demand up to `elementLimit` (the edge count: memory the file justifies).
        var elements: [UInt32] = []
        var elementLimit = 0

        init(stringCount: Int, nodeTypeCount: Int, edgeCount: Int) {
            elementLimit = edgeCount
            objectTypes = Array(repeating: HeapSnapshot.none, count: stringCount)
            nativeTypes = objectTypes
            labels = objectTypes
            fields = objectTypes
            otherTypes = Array(repeating: HeapSnapshot.none, count: nodeTypeCount)
        }
    }

    /// The field name index of edge `e`: a property, context variable or internal name, or `[i]` for
    /// an element or hidden index.
    private func fieldName(_ e: Int, tables: inout Tables, builder: inout HeapSnapshotBuilder) -> UInt32 {
        let value = Int(edges.nameOrIndex[e])
        if named[Int(edges.types[e])] {
            if tables.fields[value] == HeapSnapshot.none { tables.fields[value] = builder.internFieldName(strings[value]) }
            return tables.fields[value]
        }
        guard value < tables.elementLimit else { return builder.internFieldName("[\(value)]") }
        if value >= tables.elements.count {
            let grown = min(tables.elementLimit, max(value + 1, 2 * tables.elements.count, 1024))
            tables.elements.append(contentsOf: repeatElement(HeapSnapshot.none, count: grown - tables.elements.count))
        }
        if tables.elements[value] == HeapSnapshot.none { tables.elements[value] = builder.internFieldName("[\(value)]") }
        return tables.elements[value]
    }

    /// Adds node `i` as an object: its DevTools type name, self size, and a label (a string's text,
    /// a closure's name and place) and site (a closure's place); marks it detached when V8 says so.
    private func addObject(_ i: Int, places: [Int: String], tables: inout Tables, to builder: inout HeapSnapshotBuilder) {
        let nodeTypeNumber = Int(nodes.types[i])
        let nodeType = layout.nodeTypes[nodeTypeNumber]
        let nameIndex = Int(nodes.names[i])
        let detached = nodes.detachedness.isEmpty ? false : nodes.detachedness[i] == 2
        var typeIndex: UInt32
        switch nodeType {
        case "object" where !detached:
            typeIndex = tables.objectTypes[nameIndex]
            if typeIndex == HeapSnapshot.none {
                typeIndex = builder.internType(V8Naming.typeName(nodeType: nodeType, name: strings[nameIndex], detached: false))
                tables.objectTypes[nameIndex] = typeIndex
            }
        case "native", "object":
            typeIndex = builder.internType(V8Naming.typeName(nodeType: nodeType, name: strings[nameIndex], detached: detached))
        default:
            typeIndex = tables.otherTypes[nodeTypeNumber]
            if typeIndex == HeapSnapshot.none {
                typeIndex = builder.internType(V8Naming.typeName(nodeType: nodeType, name: "", detached: false))
                tables.otherTypes[nodeTypeNumber] = typeIndex
            }
        }
        var label = HeapSnapshot.none
        var site = HeapSnapshot.none
        if nodeType == "closure" {
            let name = strings[nameIndex]
            let function = name.isEmpty ? "(anonymous)" : V8Naming.shortened(name)
            if let place = places[i] {
                site = builder.internSite(place)
                label = builder.internLabel("\(function) \(place)")
            } else {
                label = builder.internLabel(function)
            }
        } else if V8Naming.labelsWithName(nodeType) {
            if tables.labels[nameIndex] == HeapSnapshot.none {
                tables.labels[nameIndex] = builder.internLabel(V8Naming.shortened(strings[nameIndex]))
            }
            label = tables.labels[nameIndex]
        }
        let position = builder.addObject(id: nodes.ids[i], typeIndex: typeIndex, size: nodes.sizes[i], siteIndex: site, labelIndex: label)
        if detached { builder.setDetached(position) }
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
    /// shortcuts, embedder roots), and the categories under `(GC roots)`, with their kinds.
    private func addRoots(to builder: inout HeapSnapshotBuilder) {
        guard nodes.count > 0 else { return }
        let root = layout.rootNodeOffset
        builder.addRoot(root, kind: .vmInternal, name: "(root)")
        for e in firstEdge[root]..<firstEdge[root + 1] {
            let t = Int(edges.targets[e])
            let name = strings[Int(nodes.names[t])]
            if roles[Int(edges.types[e])] == .shortcut {
                let type = V8Naming.typeName(nodeType: layout.nodeTypes[Int(nodes.types[t])], name: name, detached: false)
                builder.addRoot(t, kind: .global, name: "global: \(type)")
                continue
            }
            builder.addRoot(t, kind: RootKind(name: V8Naming.rootKind(ofCategory: name)) ?? .vmInternal, name: name.isEmpty ? "(root \(nodes.ids[t]))" : name)
            guard name == "(GC roots)" else { continue }
            for c in firstEdge[t]..<firstEdge[t + 1] {
                let category = Int(edges.targets[c])
                let categoryName = strings[Int(nodes.names[category])]
                builder.addRoot(category, kind: RootKind(name: V8Naming.rootKind(ofCategory: categoryName)) ?? .vmInternal, name: categoryName)
            }
        }
    }
}
