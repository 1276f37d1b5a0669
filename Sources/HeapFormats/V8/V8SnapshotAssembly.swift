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
        let places = Places(self, builder: &builder)
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

    /// Adds node `i` as an object: its DevTools type name, self size, a label (a string's text, a
    /// closure's name and place) and a site (the place of a function, or of an object's constructor, from
    /// `locations`); marks it detached when V8 says so.
    private func addObject(_ i: Int, places: Places, tables: inout Tables, to builder: inout HeapSnapshotBuilder) {
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
        let site = places.siteOfNode.isEmpty ? HeapSnapshot.none : places.siteOfNode[i]
        if nodeType == "closure" {
            let name = strings[nameIndex]
            let function = name.isEmpty ? "(anonymous)" : V8Naming.shortened(name)
            label = builder.internLabel(site == HeapSnapshot.none ? function : "\(function) \(places.text[Int(site)])")
        } else if V8Naming.labelsWithName(nodeType) {
            if tables.labels[nameIndex] == HeapSnapshot.none {
                tables.labels[nameIndex] = builder.internLabel(V8Naming.shortened(strings[nameIndex]))
            }
            label = tables.labels[nameIndex]
        }
        let position = builder.addObject(id: nodes.ids[i], typeIndex: typeIndex, size: nodes.sizes[i], siteIndex: site, labelIndex: label)
        if detached { builder.setDetached(position) }
    }

    /// The site of every node with a location: "script:line:column", 1-based as DevTools shows them.
    /// Script names come from functions (`shared` → `script_or_debug_info` or `script`), so a script's
    /// objects are named even when its functions are listed after them.
    struct Places {
        /// Site index by node position (`none` without a location); empty when the file has none.
        var siteOfNode: [UInt32] = []
        /// Site text by site index.
        var text: [String] = []

        /// - Complexity: O(locations + the edges of the located functions), one string per distinct place.
        init(_ a: V8SnapshotAssembly, builder: inout HeapSnapshotBuilder) {
            let locations = a.locations
            guard !locations.nodes.isEmpty else { return }
            var scriptNames: [UInt32: String] = [:]
            let closure = a.layout.nodeTypes.firstIndex(of: "closure").map(UInt8.init)
            for k in locations.nodes.indices where scriptNames[locations.scripts[k]] == nil {
                let node = Int(locations.nodes[k])
                if a.nodes.types[node] == closure, let found = a.scriptName(ofFunction: node) { scriptNames[locations.scripts[k]] = found }
            }
            siteOfNode = [UInt32](repeating: HeapSnapshot.none, count: a.nodes.count)
            struct Place: Hashable { var script, line, column: UInt32 }
            var siteOfPlace: [Place: UInt32] = [:]
            for k in locations.nodes.indices {
                let place = Place(script: locations.scripts[k], line: locations.lines[k], column: locations.columns[k])
                let site: UInt32
                if let known = siteOfPlace[place] {
                    site = known
                } else {
                    let name = scriptNames[place.script] ?? "script \(place.script)"
                    let words = "\(name):\(Int(place.line) + 1):\(Int(place.column) + 1)"
                    site = builder.internSite(words)
                    while text.count <= Int(site) { text.append("") }
                    text[Int(site)] = words
                    siteOfPlace[place] = site
                }
                siteOfNode[Int(locations.nodes[k])] = site
            }
        }
    }

    func scriptName(ofFunction node: Int) -> String? {
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
