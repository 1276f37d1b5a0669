// HeapDrawing — the picture to draw, independent of where it came from: nodes with roles and
// depth, edges with field names. Adapters fill it from a neighbourhood or a garbage cycle; the DOT
// writer (HeapDrawing+DOT) turns it into text.

/// What a node stands for, and so how it is labelled and shaped.
public enum DrawingNodeKind: Sendable, Hashable {
    /// One heap object, with its id.
    case object(id: UInt64)
    /// The too-many cut-off: `count` further references (or referrers) not drawn.
    case more(count: Int)
    /// A strongly connected component drawn as one node; `objects` members, `bytes` their shallow total.
    case component(objects: Int, bytes: UInt64)
}

/// Why a node is highlighted; several may hold at once (the strongest decides the fill colour).
public struct DrawingRoles: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// An object the drawing started from (objgraph's `objs` argument).
    public static let start = DrawingRoles(rawValue: 1 << 0)
    /// A member of a garbage cycle.
    public static let cycleMember = DrawingRoles(rawValue: 1 << 1)
    /// The cycle's root: the member to look at first.
    public static let cycleRoot = DrawingRoles(rawValue: 1 << 2)
    /// Held from outside the heap (a root, or more references than the heap explains).
    public static let heldFromOutside = DrawingRoles(rawValue: 1 << 3)
    /// Garbage that only a cycle keeps alive (hangs off it).
    public static let hanger = DrawingRoles(rawValue: 1 << 4)
}

/// How an edge is drawn.
public enum DrawingEdgeKind: Sendable, Hashable {
    /// An ordinary reference.
    case reference
    /// A reference between two members of the highlighted cycle.
    case cycle
    /// The edge to a "N more" node.
    case cutOff
    /// A weak or shortcut reference: drawn dashed and labelled with its kind; it keeps nothing alive.
    case nonRetaining
}

/// A graph ready to be written as DOT: nodes in drawing order, then edges in drawing order.
///
/// Invariant: node keys are unique and every edge names two keys of `nodes` (checked by the writer
/// under `HEAPSCAN_CHECKS`). Keys are ASCII identifiers chosen by the adapter; heap text never goes
/// into a key.
public struct HeapDrawing: Sendable, Hashable {
    /// One box in the picture.
    public struct Node: Sendable, Hashable {
        /// DOT identifier: letters, digits and underscores only.
        public var key: String
        public var kind: DrawingNodeKind
        /// First line: the type name (or "component", "N more references").
        public var title: String
        /// Further lines, in order (sizes, refcount, label...).
        public var lines: [String]
        public var roles: DrawingRoles
        /// Distance from the starting objects, for the objgraph-style shading; 0 at the start.
        public var depth: Int

        public init(key: String, kind: DrawingNodeKind, title: String, lines: [String] = [], roles: DrawingRoles = [], depth: Int = 0) {
            self.key = key
            self.kind = kind
            self.title = title
            self.lines = lines
            self.roles = roles
            self.depth = depth
        }
    }

    /// One arrow: `from` refers to `to` through the field `label`.
    public struct Edge: Sendable, Hashable {
        public var from: String
        public var to: String
        /// The field name, or nil for an unnamed reference.
        public var label: String?
        public var kind: DrawingEdgeKind

        public init(from: String, to: String, label: String? = nil, kind: DrawingEdgeKind = .reference) {
            self.from = from
            self.to = to
            self.label = label
            self.kind = kind
        }
    }

    public var nodes: [Node]
    public var edges: [Edge]
    /// A caption under the picture (heap text allowed; escaped when written).
    public var caption: String?

    public init(nodes: [Node] = [], edges: [Edge] = [], caption: String? = nil) {
        self.nodes = nodes
        self.edges = edges
        self.caption = caption
    }

    /// Largest depth of an object or component node (the shading scale; "N more" nodes are always
    /// white, so they do not stretch it); 0 for an empty drawing.
    public var maxDepth: Int {
        nodes.reduce(0) { deepest, node in
            if case .more = node.kind { return deepest }
            return max(deepest, node.depth)
        }
    }
}
