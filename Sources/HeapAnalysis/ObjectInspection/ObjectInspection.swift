// ObjectInspection — one object the way MAT's inspector and objgraph's `at` + `get_referrers` show it:
// its references (fields and slots) with their targets, who refers to it, its refcount against the
// references it has from the heap, its retained size, immediate dominator and the chain from outside.
import HeapGraph

/// Everything a snapshot knows about one object.
public struct ObjectInspection: Sendable {
    /// A reference of the object, or to it.
    public struct Reference: Sendable, Hashable {
        /// The other end: the target of an outgoing reference, the source of an incoming one.
        public var object: HeapSnapshot.ObjectIndex
        /// The field name, nil for an unnamed reference (a slot).
        public var field: String?
        /// Position among the source's references of its kind (retaining or not): the `[k]` of a slot.
        public var slot: Int
        public var kind: ReferenceKind
    }

    public let object: HeapSnapshot.ObjectIndex
    /// What the object refers to: retaining references in field order, then non-retaining ones.
    public let references: [Reference]
    /// What refers to the object, retaining references first, each in source order.
    public let referrers: [Reference]
    /// The recorded refcount, when the dump has one.
    public let refcount: UInt32?
    /// Retaining references to the object from objects in the snapshot (what a refcount is compared with).
    public let retainingReferencesIn: Int
    /// The roots naming the object.
    public let roots: [HeapSnapshot.Root]
    /// Held from outside: a root, or (refcount rule) more counts than references in.
    public let heldFromOutside: Bool
    /// Not reachable from outside.
    public let isGarbage: Bool
    /// Bytes freed with the object (nil for garbage, which the dominator tree does not cover).
    public let retainedBytes: UInt64?
    /// The immediate dominator; nil when only the roots dominate it, or for garbage.
    public let immediateDominator: HeapSnapshot.ObjectIndex?
    /// The shortest chain from outside to the object; nil for garbage.
    public let pathFromOutside: ReferencePath?

    /// Inspects `object` of `dominators.snapshot`.
    /// - Complexity: O(objects + edges) (the referrers are found by one scan, the chain by one search).
    public init(_ object: HeapSnapshot.ObjectIndex, dominators: DominatorTree) {
        let s = dominators.snapshot
        self.object = object
        var references: [Reference] = []
        let start = Int(s.edgeStarts[object])
        for e in s.edgeRange(of: object) {
            references.append(Reference(object: Int(s.edgeTargets[e]), field: s.fieldName(ofEdge: e), slot: e - start, kind: s.kind(ofEdge: e)))
        }
        let weak = s.weakEdgeRange(of: object)
        for e in weak {
            references.append(Reference(object: Int(s.weakEdgeTargets[e]), field: s.weakFieldName(ofEdge: e), slot: e - weak.lowerBound, kind: s.weakKind(ofEdge: e)))
        }
        self.references = references
        var strongIn: [Reference] = []
        var weakIn: [Reference] = []
        for v in s.objectIndices {
            let first = Int(s.edgeStarts[v])
            for e in s.edgeRange(of: v) where Int(s.edgeTargets[e]) == object {
                strongIn.append(Reference(object: v, field: s.fieldName(ofEdge: e), slot: e - first, kind: s.kind(ofEdge: e)))
            }
            if s.hasNonRetainingReferences {
                let range = s.weakEdgeRange(of: v)
                for e in range where Int(s.weakEdgeTargets[e]) == object {
                    weakIn.append(Reference(object: v, field: s.weakFieldName(ofEdge: e), slot: e - range.lowerBound, kind: s.weakKind(ofEdge: e)))
                }
            }
        }
        self.referrers = strongIn + weakIn
        self.retainingReferencesIn = strongIn.count
        self.refcount = s.refcount(of: object)
        self.roots = s.roots.filter { $0.object == object }
        let held = !roots.isEmpty || (s.liveness == .refcount && (refcount.map { Int($0) > strongIn.count } ?? false))
        self.heldFromOutside = held
        let alive = dominators.isReachable(object)
        self.isGarbage = !alive
        self.retainedBytes = alive ? dominators.retainedSize(of: object) : nil
        self.immediateDominator = alive ? dominators.immediateDominator(of: object) : nil
        self.pathFromOutside = alive ? s.shortestPathFromOutside(to: object) : nil
    }
}
