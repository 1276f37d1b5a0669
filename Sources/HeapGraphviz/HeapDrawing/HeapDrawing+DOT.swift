// HeapDrawing+DOT — writes a drawing as DOT text: deterministic bytes (nodes and edges in drawing
// order, fixed attribute order, no floating-point formatting), every heap string escaped by DOTText.
// Never writes `concentrate` or clusters: Graphviz 2.42 can crash on them.

extension HeapDrawing {
    /// The drawing as a DOT `digraph`.
    /// - Complexity: O(nodes + edges + text length).
    public func dot(options: DOTOptions = .default) -> String {
        #if HEAPSCAN_CHECKS
        checkInvariants()
        #endif
        let limit = options.maxTextLength
        let depth = maxDepth
        var out = "// heapscan: \(nodes.count) nodes, \(edges.count) edges\n"
        out += "digraph heapscan {\n"
        var graph: [(String, String)] = [
            ("rankdir", options.direction.rawValue), ("fontname", options.fontName), ("fontsize", "10"),
            ("nodesep", "0.3"), ("ranksep", "0.45"), ("bgcolor", "#ffffff"),
        ]
        if let limit = options.sfdpAboveNodes, nodes.count > limit || edges.count > LayoutLimits.default.dotEdgeLimit {
            graph += LayoutTuning.sfdpAttributes
        } else if options.tuneLargeGraphs {
            graph += LayoutTuning.dotAttributes(nodes: nodes.count, edges: edges.count)
        }
        if let legend = legendLabel(options: options) {
            graph += [("labelloc", "b"), ("labeljust", "l")]
            out += "  graph [\(attributeList(graph)), label=<\(legend)>];\n"
        } else {
            out += "  graph [\(attributeList(graph))];\n"
        }
        out += "  node [\(attributeList([("shape", "box"), ("style", "filled"), ("fillcolor", "#ffffff"), ("fontname", options.fontName), ("fontsize", "11"), ("margin", "0.12,0.06")]))];\n"
        out += "  edge [\(attributeList([("fontname", options.fontName), ("fontsize", "9"), ("color", DrawingPalette.edgeInk), ("fontcolor", "#303030"), ("arrowsize", "0.7")]))];\n"
        for node in nodes {
            out += "  \(identifier(node.key)) [label=<\(nodeLabel(node, limit: limit))>"
            let attributes = DrawingPalette.nodeAttributes(node, maxDepth: depth)
            if !attributes.isEmpty { out += ", " + attributeList(attributes) }
            out += "];\n"
        }
        for edge in edges {
            out += "  \(identifier(edge.from)) -> \(identifier(edge.to))"
            var parts: [String] = []
            if let label = edge.label { parts.append("label=<\(textOrPlaceholder(label, limit: limit))>") }
            let attributes = DrawingPalette.edgeAttributes(edge.kind)
            if !attributes.isEmpty { parts.append(attributeList(attributes)) }
            out += parts.isEmpty ? ";\n" : " [\(parts.joined(separator: ", "))];\n"
        }
        out += "}\n"
        return out
    }

    private func nodeLabel(_ node: HeapDrawing.Node, limit: Int) -> String {
        var label = "<B>\(textOrPlaceholder(node.title, limit: limit))</B>"
        for line in node.lines {
            label += "<BR/><FONT POINT-SIZE=\"9\">\(textOrPlaceholder(line, limit: limit))</FONT>"
        }
        return label
    }

    /// The caption and the legend of the colours used, as an HTML-like table; nil when there is neither.
    private func legendLabel(options: DOTOptions) -> String? {
        let rows = options.legend ? DrawingPalette.legendRows(for: self) : []
        guard caption != nil || !rows.isEmpty else { return nil }
        // One column: the caption, then each legend entry written inside a cell of its own colours,
        // like a small node (two-column tables let Graphviz stretch the swatches to the caption's width).
        var table = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"3\" CELLPADDING=\"2\">"
        if let caption {
            table += "<TR><TD ALIGN=\"LEFT\"><B>\(textOrPlaceholder(caption, limit: options.maxTextLength * 2))</B></TD></TR>"
        }
        for row in rows {
            table += "<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"\(row.fill)\" COLOR=\"\(row.border)\" BORDER=\"1\">"
            table += "<FONT POINT-SIZE=\"9\">\(DOTText.html(row.text))</FONT></TD></TR>"
        }
        return table + "</TABLE>"
    }

    /// Escaped heap text; empty text is shown as `""` so the label is never blank.
    private func textOrPlaceholder(_ text: String, limit: Int) -> String {
        text.isEmpty ? "&quot;&quot;" : DOTText.html(text, limit: limit)
    }

    private func identifier(_ key: String) -> String {
        DOTText.isPlainIdentifier(key) ? key : DOTText.quoted(key)
    }

    private func attributeList(_ attributes: [(String, String)]) -> String {
        attributes.map { "\($0.0)=\(DOTText.quoted($0.1))" }.joined(separator: ", ")
    }

    #if HEAPSCAN_CHECKS
    /// Unique plain keys, and edges between drawn nodes.
    private func checkInvariants() {
        var keys = Set<String>()
        for node in nodes {
            precondition(DOTText.isPlainIdentifier(node.key), "drawing node key \(node.key) is not a plain identifier")
            precondition(keys.insert(node.key).inserted, "drawing node key \(node.key) is used twice")
        }
        for edge in edges {
            precondition(keys.contains(edge.from) && keys.contains(edge.to), "drawing edge \(edge.from) -> \(edge.to) names a missing node")
        }
    }
    #endif
}
