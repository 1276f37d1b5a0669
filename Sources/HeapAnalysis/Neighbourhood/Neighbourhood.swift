// Neighbourhood — a part of the graph chosen to be drawn: objects with their depth from the starting
// objects, the references between them, "N more" cut-offs, and optionally the strongly connected
// components collapsed into one node each (objgraph's show_refs / show_backrefs / show_chain).
import HeapGraph

/// A drawable part of a snapshot around some starting objects.
public struct Neighbourhood: Sendable, Hashable {
    /// Which way the neighbourhood was explored.
    public enum Direction: Sendable, Hashable {
        /// What the starting objects refer to (objgraph's show_refs).
        case references
        /// What refers to the starting objects (objgraph's show_backrefs).
        case referrers
    }

    /// One object to draw.
    public struct Node: Sendable, Hashable {
        /// The object.
        public var object: HeapSnapshot.ObjectIndex
        /// Steps from the nearest starting object (0 for a starting object).
        public var depth: Int
        /// Neighbours left out because the object had more than `tooMany` of them ("N more").
        public var omitted: Int
        /// The collapsed component the object belongs to, an index into `components`; nil when not
        /// collapsed (or alone in its component).
        public var component: Int?

        public init(object: HeapSnapshot.ObjectIndex, depth: Int, omitted: Int, component: Int?) {
            self.object = object
            self.depth = depth
            self.omitted = omitted
            self.component = component
        }
    }

    /// One reference to draw, always in the heap's direction: `from` refers to `to`.
    public struct Edge: Sendable, Hashable {
        public var from: HeapSnapshot.ObjectIndex
        public var to: HeapSnapshot.ObjectIndex
        /// Position in the snapshot's edge columns.
        public var edge: Int
        /// Field name, if named.
        public var field: String?

        public init(from: HeapSnapshot.ObjectIndex, to: HeapSnapshot.ObjectIndex, edge: Int, field: String?) {
            self.from = from
            self.to = to
            self.edge = edge
            self.field = field
        }
    }

    /// The direction explored.
    public var direction: Direction
    /// The starting objects (highlighted in a drawing).
    public var starts: [HeapSnapshot.ObjectIndex]
    /// Objects to draw, in breadth-first order from the starts.
    public var nodes: [Node]
    /// References between drawn objects, in edge position order.
    public var edges: [Edge]
    /// Collapsed strongly connected components (component id = position), each with two or more
    /// members in increasing index order; empty unless collapsing was asked for.
    public var components: [[HeapSnapshot.ObjectIndex]]

    public init(
        direction: Direction, starts: [HeapSnapshot.ObjectIndex], nodes: [Node], edges: [Edge],
        components: [[HeapSnapshot.ObjectIndex]]
    ) {
        self.direction = direction
        self.starts = starts
        self.nodes = nodes
        self.edges = edges
        self.components = components
    }
}
