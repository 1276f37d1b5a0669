// DrawingPalette — the colours and shapes of each node role and edge kind (documented, with the
// reasons, in docs/graphviz.md). objgraph-like: boxes filled white to grey by depth, highlights on top.

/// The fixed look of a drawing. Colours are hex strings so the DOT bytes never depend on number
/// formatting.
enum DrawingPalette {
    static let ink = "#000000"
    static let edgeInk = "#404040"
    static let startFill = "#fff2a8"
    static let startBorder = "#b08800"
    static let cycleFill = "#ffd5d5"
    static let cycleRootFill = "#ff9e9e"
    static let cycleInk = "#c00000"
    static let heldFill = "#cdeccd"
    static let heldBorder = "#2e7d32"
    static let hangerFill = "#ffe9d6"
    static let hangerBorder = "#c46a00"
    static let componentFill = "#e4dbf5"
    static let componentBorder = "#5e4596"
    static let moreInk = "#606060"

    /// objgraph's shading: white at depth 0 down to a light grey at the deepest level (objgraph goes
    /// to 30% brightness; 65% keeps black text readable).
    static func depthFill(depth: Int, maxDepth: Int) -> String {
        guard maxDepth > 0 else { return "#ffffff" }
        let d = min(max(depth, 0), maxDepth)
        let level = 255 - (255 - 166) * d / maxDepth
        let hex = String(level, radix: 16)
        let byte = hex.count == 1 ? "0" + hex : hex
        return "#" + byte + byte + byte
    }

    /// The attributes of a node, the strongest role deciding the fill.
    static func nodeAttributes(_ node: HeapDrawing.Node, maxDepth: Int) -> [(String, String)] {
        var shape = "box"
        var style = ["filled"]
        var fill = depthFill(depth: node.depth, maxDepth: maxDepth)
        var border = ink
        var penwidth = "1"
        var peripheries: String?
        var fontColor: String?
        switch node.kind {
        case .object:
            if node.roles.contains(.cycleRoot) {
                fill = cycleRootFill; border = cycleInk; penwidth = "2"; peripheries = "2"
            } else if node.roles.contains(.cycleMember) {
                fill = cycleFill; border = cycleInk; penwidth = "2"
            } else if node.roles.contains(.heldFromOutside) {
                fill = heldFill; border = heldBorder; penwidth = "2"; style.append("rounded")
            } else if node.roles.contains(.hanger) {
                fill = hangerFill; border = hangerBorder
            } else if node.roles.contains(.start) {
                fill = startFill; border = startBorder
            }
            if node.roles.contains(.start) && node.roles != .start {
                // A starting object that is also highlighted keeps its highlight, with a thick border.
                penwidth = "3"
            }
        case .more:
            style = ["filled", "dashed"]
            fill = "#ffffff"; border = moreInk; fontColor = moreInk; shape = "box"
        case .component:
            shape = "box3d"; fill = componentFill; border = componentBorder; penwidth = "2"
        }
        var attributes: [(String, String)] = shape == "box" ? [] : [("shape", shape)]
        if style != ["filled"] { attributes.append(("style", style.joined(separator: ","))) }
        if fill != "#ffffff" { attributes.append(("fillcolor", fill)) }
        if border != ink { attributes.append(("color", border)) }
        if penwidth != "1" { attributes.append(("penwidth", penwidth)) }
        if let peripheries { attributes.append(("peripheries", peripheries)) }
        if let fontColor { attributes.append(("fontcolor", fontColor)) }
        return attributes
    }

    static func edgeAttributes(_ kind: DrawingEdgeKind) -> [(String, String)] {
        switch kind {
        case .reference: []
        case .cycle: [("color", cycleInk), ("fontcolor", cycleInk), ("penwidth", "2")]
        case .cutOff: [("style", "dashed"), ("color", moreInk), ("arrowhead", "none")]
        case .nonRetaining: [("style", "dashed"), ("color", moreInk), ("fontcolor", moreInk), ("arrowhead", "empty")]
        }
    }

    /// Legend rows for the roles and kinds present: (fill, border, extra style, words).
    static func legendRows(for drawing: HeapDrawing) -> [(fill: String, border: String, text: String)] {
        var roles: DrawingRoles = []
        var hasMore = false
        var hasComponent = false
        for node in drawing.nodes {
            switch node.kind {
            case .object: roles.formUnion(node.roles)
            case .more: hasMore = true
            case .component: hasComponent = true
            }
        }
        var rows: [(String, String, String)] = []
        if roles.contains(.cycleRoot) { rows.append((cycleRootFill, cycleInk, "cycle root (double border): look here first")) }
        if roles.contains(.cycleMember) { rows.append((cycleFill, cycleInk, "cycle member; red arrows close the cycle")) }
        if roles.contains(.hanger) { rows.append((hangerFill, hangerBorder, "garbage kept alive only by the cycle")) }
        if roles.contains(.heldFromOutside) { rows.append((heldFill, heldBorder, "held from outside the heap")) }
        if roles.contains(.start) { rows.append((startFill, startBorder, "starting object (yellow; a thick border when also highlighted)")) }
        if hasComponent { rows.append((componentFill, componentBorder, "strongly connected component drawn as one node")) }
        if hasMore { rows.append(("#ffffff", moreInk, "references not drawn (too many)")) }
        return rows
    }
}
