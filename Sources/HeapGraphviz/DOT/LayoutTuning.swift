// LayoutTuning — the `dot` attributes written for large drawings, chosen from measurements of
// heap-shaped graphs (docs/graphviz.md): network-simplex and crossing-minimisation limits that cut a
// cyclic layout from minutes to about a second at the cost of a few more crossings.

enum LayoutTuning {
    /// Node count from which the tuned attributes are written; smaller graphs get `dot`'s best layout.
    static let tuneFromNodes = 80

    /// Graph attributes for a drawing of this size.
    static func dotAttributes(nodes: Int, edges: Int) -> [(String, String)] {
        guard nodes >= tuneFromNodes else { return [] }
        return [("nslimit", "2"), ("nslimit1", "2"), ("mclimit", "0.3"), ("searchsize", "10")]
    }

    /// Graph attributes that hand a drawing past the `dot` cap to `sfdp`: straight edges, and nodes
    /// pushed apart so boxes do not overlap.
    static let sfdpAttributes: [(String, String)] = [("layout", "sfdp"), ("overlap", "prism"), ("splines", "false")]
}
