// ReferencePath — a chain of references: where it starts (a named root, an object held by its
// refcount, or a given object) and each step (the reference followed and the object reached).
import HeapGraph

/// A chain of references through a snapshot.
public struct ReferencePath: Sendable, Hashable {
    /// Where the chain starts.
    public enum Origin: Sendable, Hashable {
        /// A named root (a handle, a global) holding `object`.
        case root(name: String, object: HeapSnapshot.ObjectIndex)
        /// An object held from outside by its refcount (more references than the snapshot shows).
        case heldByRefcount(HeapSnapshot.ObjectIndex)
        /// A chain that starts at a chosen object (a forward search).
        case object(HeapSnapshot.ObjectIndex)

        /// The object the chain starts at.
        public var object: HeapSnapshot.ObjectIndex {
            switch self {
            case .root(_, let object), .heldByRefcount(let object), .object(let object): object
            }
        }
    }

    /// One reference followed.
    public struct Step: Sendable, Hashable {
        /// Position of the reference in the snapshot's edge columns (the `weakEdge` columns when
        /// `kind` does not retain).
        public var edge: Int
        /// Its field name, if named.
        public var field: String?
        /// The object it reaches.
        public var object: HeapSnapshot.ObjectIndex
        /// The reference's kind; only chains asked to go through weak references have other than
        /// `strong` or `internal`.
        public var kind: ReferenceKind

        public init(edge: Int, field: String?, object: HeapSnapshot.ObjectIndex, kind: ReferenceKind = .strong) {
            self.edge = edge
            self.field = field
            self.object = object
            self.kind = kind
        }
    }

    /// Where the chain starts.
    public var origin: Origin
    /// The references followed, in order.
    public var steps: [Step]

    public init(origin: Origin, steps: [Step]) {
        self.origin = origin
        self.steps = steps
    }

    /// The first object of the chain.
    public var start: HeapSnapshot.ObjectIndex { origin.object }
    /// The last object of the chain.
    public var end: HeapSnapshot.ObjectIndex { steps.last?.object ?? origin.object }
    /// Every object on the chain, first to last.
    public var objects: [HeapSnapshot.ObjectIndex] { [origin.object] + steps.map(\.object) }

    /// One line per object, as objgraph and MAT print a path to a root:
    /// `root "main.tree" → <Node #1>`, then `  .child → <Node #2>`. Heap text is escaped.
    /// - Complexity: O(steps · log objects).
    public func description(in snapshot: HeapSnapshot) -> String {
        description(in: snapshot, firstSteps: steps.count, lastSteps: 0)
    }

    /// ``description(in:)`` with the middle of a chain of more than `firstSteps + lastSteps + 1`
    /// steps written as one line, `  ... N more references ...`, so that a million-long chain
    /// prints in a few lines.
    /// - Complexity: O((firstSteps + lastSteps) · log objects).
    public func description(in snapshot: HeapSnapshot, firstSteps: Int, lastSteps: Int) -> String {
        var lines: [String] = []
        switch origin {
        case .root(let name, let object):
            lines.append("root \"\(HeapText.terminalEscaped(name))\" → \(snapshot.objectDescription(object))")
        case .heldByRefcount(let object):
            lines.append("held from outside (refcount) → \(snapshot.objectDescription(object))")
        case .object(let object):
            lines.append(snapshot.objectDescription(object))
        }
        func line(_ step: Step) -> String {
            let retains = step.kind.retains
            let rowStart = retains
                ? Int(snapshot.edgeStarts[snapshot.edgeSource(step.edge)])
                : Int(snapshot.weakEdgeStarts[snapshot.weakEdgeSource(step.edge)])
            // A name that is already written as an access (`['key']`, `[3]`, `(closure)`) takes no dot.
            let field = step.field.map { name in
                (name.first.map { "[{(".contains($0) } ?? false ? "" : ".") + HeapText.terminalEscaped(name)
            } ?? "[\(step.edge - rowStart)]"
            let kind = retains ? "" : " (\(step.kind.name))"
            return "  \(field)\(kind) → \(snapshot.objectDescription(step.object))"
        }
        let first = max(firstSteps, 0), last = max(lastSteps, 0)
        // Both below steps.count before subtracting, so no overflow for any requested count.
        let hidden = first < steps.count && last < steps.count ? steps.count - first - last : 0
        if hidden <= 1 {
            lines += steps.map(line)
        } else {
            lines += steps.prefix(first).map(line)
            lines.append("  ... \(hidden) more references ...")
            lines += steps.suffix(last).map(line)
        }
        return lines.joined(separator: "\n")
    }
}

extension HeapSnapshot {
    /// `<Type #id>` or `<Type #id "label">`, escaped for a terminal (`(empty type name)` for "").
    public func objectDescription(_ object: ObjectIndex) -> String {
        let type = HeapText.typeName(typeName(of: object))
        if let label = label(of: object) { return "<\(type) #\(ids[object]) \"\(HeapText.terminalEscaped(label))\">" }
        return "<\(type) #\(ids[object])>"
    }

    /// The object whose references include edge position `edge`.
    /// - Complexity: O(log objects).
    public func edgeSource(_ edge: Int) -> ObjectIndex {
        // The last object whose first edge is at or before `edge` and whose range contains it.
        var low = 0, high = objectCount
        while low < high {
            let mid = (low + high) / 2
            if Int(edgeStarts[mid + 1]) <= edge { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The object whose non-retaining references include position `edge` of the `weakEdge` columns.
    /// - Complexity: O(log objects).
    public func weakEdgeSource(_ edge: Int) -> ObjectIndex {
        var low = 0, high = objectCount
        while low < high {
            let mid = (low + high) / 2
            if Int(weakEdgeStarts[mid + 1]) <= edge { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// How the chain to a held object starts: its first root by name, else its refcount.
    /// `firstRoots` (from ``firstRootByObject()``) saves the scan of the roots when there are many chains.
    func origin(ofHeld object: ObjectIndex, firstRoots: [ObjectIndex: Int]? = nil) -> ReferencePath.Origin {
        let root = if let firstRoots { firstRoots[object] } else { roots.firstIndex { Int($0.object) == object } }
        if let root { return .root(name: roots[root].name, object: object) }
        return .heldByRefcount(object)
    }

    /// For each object held by a named root, the position of its first root in `roots`.
    /// - Complexity: O(roots).
    func firstRootByObject() -> [ObjectIndex: Int] {
        var first: [ObjectIndex: Int] = [:]
        for (i, root) in roots.enumerated() where first[Int(root.object)] == nil { first[Int(root.object)] = i }
        return first
    }
}
