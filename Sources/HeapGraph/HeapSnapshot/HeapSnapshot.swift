// HeapSnapshot — the read-only object graph that every analysis, dump and picture works from.
// Storage is columnar (one array per object attribute) with edges in compressed sparse rows, so a
// million objects cost a few dozen bytes each and no class instance per object.
import HeapArena

/// An immutable picture of a heap: objects, the named references between them, and the roots.
///
/// Objects are addressed by their position, an ``ObjectIndex`` in `0..<objectCount`; positions follow
/// increasing object ids, so ``index(ofID:)`` is a binary search and the order is deterministic.
/// Two snapshots of one heap share ids (ids are never reused), which is what a diff compares.
public struct HeapSnapshot: Sendable, Hashable {
    /// Position of an object in this snapshot.
    public typealias ObjectIndex = Int

    /// The value of a `UInt32` column meaning "absent" (no site, no label, no field name, unknown refcount).
    public static let none: UInt32 = .max

    /// A reference held from outside the heap (a handle, a global, a stack frame): a GC root.
    public struct Root: Sendable, Hashable {
        /// The object held.
        public var object: ObjectIndex
        /// What holds it, in the runtime's own categories.
        public var kind: RootKind
        /// The runtime's name for it ("main.tree", "java frame in thread main", "sys.modules['os']").
        public var name: String
        public init(object: ObjectIndex, kind: RootKind = .unknown, name: String) {
            self.object = object
            self.kind = kind
            self.name = name
        }
    }

    /// Flags of one object, in the optional ``objectFlags`` column.
    public struct ObjectFlags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A DOM node no longer attached to its document (V8 detachedness).
        public static let detached = ObjectFlags(rawValue: 1 << 0)
    }

    // Object columns, all `objectCount` long.
    /// Object ids, strictly increasing.
    public let ids: [UInt64]
    /// Index into `typeNames`.
    public let typeIndices: [UInt32]
    /// Shallow size in bytes.
    public let sizes: [UInt64]
    /// Reference count, or `none` when the producer did not record one.
    public let refcounts: [UInt32]
    /// Collector generation: 0...2 young to old, 3 permanent (frozen), 255 unknown.
    public let generations: [UInt8]
    /// Index into `sites`, or `none`.
    public let siteIndices: [UInt32]
    /// Index into `labels`, or `none`.
    public let labelIndices: [UInt32]

    // Edges in compressed sparse rows.
    /// `objectCount + 1` offsets: object `i`'s references are `edgeStarts[i]..<edgeStarts[i + 1]`.
    public let edgeStarts: [UInt32]
    /// Object index each reference points to.
    public let edgeTargets: [UInt32]
    /// Index into `fieldNames`, or `none` for an unnamed reference.
    public let edgeNames: [UInt32]
    /// Kind of each retaining reference (`strong` or `internal`), or empty when all are strong.
    public let edgeKinds: [ReferenceKind]

    // Non-retaining references (weak, shortcut), kept apart so that analyses never test a kind.
    /// Empty when there are none; else `objectCount + 1` offsets into the `weakEdge` columns.
    public let weakEdgeStarts: [UInt32]
    /// Object index each non-retaining reference points to.
    public let weakEdgeTargets: [UInt32]
    /// Index into `fieldNames`, or `none`.
    public let weakEdgeNames: [UInt32]
    /// `weak` or `shortcut`, one per non-retaining reference.
    public let weakEdgeKinds: [ReferenceKind]

    /// Per-object ``ObjectFlags`` raw values, or empty when no object has a flag.
    public let objectFlags: [UInt8]

    // Tables.
    public let typeNames: [String]
    /// Allocation sites, "file:line".
    public let sites: [String]
    public let fieldNames: [String]
    public let labels: [String]
    public let roots: [Root]
    /// The allocator at capture time, when the producer had one.
    public let allocator: AllocatorStatistics?
    /// The rule that decides which objects are alive.
    public let liveness: Liveness
    /// The runtime that produced the heap ("heapscan ManagedHeap", "HotSpot 17.0.15", …), if said.
    public let runtime: String?

    /// Stores the columns and tables, then checks every invariant once.
    ///
    /// Only ``HeapSnapshotBuilder/build(unknownReferences:)`` comes here, so a snapshot that exists is
    /// always consistent: equal column lengths, ids strictly increasing, every index inside its table.
    /// - Complexity: O(objects + edges).
    @inlinable init(_ c: consuming Columns) throws(SnapshotError) {
        ids = c.ids
        typeIndices = c.typeIndices
        sizes = c.sizes
        refcounts = c.refcounts
        generations = c.generations
        siteIndices = c.siteIndices
        labelIndices = c.labelIndices
        edgeStarts = c.edgeStarts
        edgeTargets = c.edgeTargets
        edgeNames = c.edgeNames
        edgeKinds = c.edgeKinds
        weakEdgeStarts = c.weakEdgeStarts
        weakEdgeTargets = c.weakEdgeTargets
        weakEdgeNames = c.weakEdgeNames
        weakEdgeKinds = c.weakEdgeKinds
        objectFlags = c.objectFlags
        typeNames = c.typeNames
        sites = c.sites
        fieldNames = c.fieldNames
        labels = c.labels
        roots = c.roots
        allocator = c.allocator
        liveness = c.liveness
        runtime = c.runtime
        // Checked after storing, in a separate function, and inlinable: Swift 6.3's optimizer
        // miscompiled this initializer when its checks threw from inside it and it was called from
        // another module (release builds threw on valid columns or crashed).
        if let problem = firstInconsistency() { throw problem }
    }

    /// Every column and table of a snapshot, as the builder hands them over.
    @usableFromInline struct Columns: Sendable {
        @usableFromInline var ids: [UInt64] = []
        @usableFromInline var typeIndices: [UInt32] = []
        @usableFromInline var sizes: [UInt64] = []
        @usableFromInline var refcounts: [UInt32] = []
        @usableFromInline var generations: [UInt8] = []
        @usableFromInline var siteIndices: [UInt32] = []
        @usableFromInline var labelIndices: [UInt32] = []
        @usableFromInline var edgeStarts: [UInt32] = [0]
        @usableFromInline var edgeTargets: [UInt32] = []
        @usableFromInline var edgeNames: [UInt32] = []
        @usableFromInline var edgeKinds: [ReferenceKind] = []
        @usableFromInline var weakEdgeStarts: [UInt32] = []
        @usableFromInline var weakEdgeTargets: [UInt32] = []
        @usableFromInline var weakEdgeNames: [UInt32] = []
        @usableFromInline var weakEdgeKinds: [ReferenceKind] = []
        @usableFromInline var objectFlags: [UInt8] = []
        @usableFromInline var typeNames: [String] = []
        @usableFromInline var sites: [String] = []
        @usableFromInline var fieldNames: [String] = []
        @usableFromInline var labels: [String] = []
        @usableFromInline var roots: [Root] = []
        @usableFromInline var allocator: AllocatorStatistics?
        @usableFromInline var liveness: Liveness = .refcount
        @usableFromInline var runtime: String?
        @usableFromInline init() {}
    }

    /// The first broken invariant of the stored columns and tables, or nil.
    /// - Complexity: O(objects + edges).
    @usableFromInline func firstInconsistency() -> SnapshotError? {
        let n = ids.count
        for (name, count) in [
            ("typeIndices", typeIndices.count), ("sizes", sizes.count), ("refcounts", refcounts.count),
            ("generations", generations.count), ("siteIndices", siteIndices.count),
            ("labelIndices", labelIndices.count),
        ] where count != n {
            return .inconsistent("column \(name) has \(count) entries for \(n) objects")
        }
        guard n < Int(UInt32.max) else { return .inconsistent("\(n) objects exceed the limit of \(UInt32.max - 1)") }
        guard edgeStarts.count == n + 1 else {
            return .inconsistent("edgeStarts has \(edgeStarts.count) entries, expected \(n + 1)")
        }
        guard edgeTargets.count == edgeNames.count else {
            return .inconsistent("edgeTargets has \(edgeTargets.count) entries but edgeNames \(edgeNames.count)")
        }
        guard edgeStarts.first == 0, Int(edgeStarts[n]) == edgeTargets.count else {
            return .inconsistent("edgeStarts must run from 0 to the edge count \(edgeTargets.count)")
        }
        // Fast path: branch-free scans that the compiler vectorizes; only a failure pays for the
        // loops below, which find the first problem in object order and describe it.
        if Self.increasing(ids) && Self.nonDecreasing(edgeStarts)
            && Self.allBelow(typeIndices, typeNames.count) && Self.allAbsentOrBelow(siteIndices, sites.count)
            && Self.allAbsentOrBelow(labelIndices, labels.count) && Self.allBelow(edgeTargets, n)
            && Self.allAbsentOrBelow(edgeNames, fieldNames.count)
        {
            return firstInconsistencyOfExtras()
        }
        for i in 0..<n {
            if i > 0 && ids[i] <= ids[i - 1] {
                return ids[i] == ids[i - 1] ? SnapshotError.duplicateID(ids[i]) : SnapshotError.inconsistent("ids are not increasing at \(i)")
            }
            guard edgeStarts[i] <= edgeStarts[i + 1] else { return .inconsistent("edgeStarts decreases at \(i)") }
            guard Int(typeIndices[i]) < typeNames.count else {
                return .inconsistent("object \(ids[i]) has type index \(typeIndices[i]) of \(typeNames.count)")
            }
            guard siteIndices[i] == Self.none || Int(siteIndices[i]) < sites.count else {
                return .inconsistent("object \(ids[i]) has site index \(siteIndices[i]) of \(sites.count)")
            }
            guard labelIndices[i] == Self.none || Int(labelIndices[i]) < labels.count else {
                return .inconsistent("object \(ids[i]) has label index \(labelIndices[i]) of \(labels.count)")
            }
        }
        for e in 0..<edgeTargets.count {
            guard Int(edgeTargets[e]) < n else { return .inconsistent("edge \(e) points to object index \(edgeTargets[e]) of \(n)") }
            guard edgeNames[e] == Self.none || Int(edgeNames[e]) < fieldNames.count else {
                return .inconsistent("edge \(e) has field name index \(edgeNames[e]) of \(fieldNames.count)")
            }
        }
        return firstInconsistencyOfExtras()
    }

    /// The first broken invariant of roots, kinds, non-retaining references and flags, or nil.
    /// - Complexity: O(objects + non-retaining references + roots).
    @usableFromInline func firstInconsistencyOfExtras() -> SnapshotError? {
        let n = ids.count
        for r in roots where r.object < 0 || r.object >= n {
            return .inconsistent("root \(r.name) points to object index \(r.object) of \(n)")
        }
        guard edgeKinds.isEmpty || edgeKinds.count == edgeTargets.count else {
            return .inconsistent("edgeKinds has \(edgeKinds.count) entries for \(edgeTargets.count) references")
        }
        if let bad = edgeKinds.firstIndex(where: { !$0.retains }) {
            return .inconsistent("retaining reference \(bad) has kind \(edgeKinds[bad])")
        }
        guard objectFlags.isEmpty || objectFlags.count == n else {
            return .inconsistent("objectFlags has \(objectFlags.count) entries for \(n) objects")
        }
        if weakEdgeStarts.isEmpty {
            guard weakEdgeTargets.isEmpty else { return .inconsistent("non-retaining references without offsets") }
            return nil
        }
        guard weakEdgeStarts.count == n + 1, weakEdgeStarts.first == 0,
            Int(weakEdgeStarts[n]) == weakEdgeTargets.count, Self.nonDecreasing(weakEdgeStarts)
        else { return .inconsistent("weakEdgeStarts must run from 0 to \(weakEdgeTargets.count) in \(n + 1) steps") }
        guard weakEdgeNames.count == weakEdgeTargets.count, weakEdgeKinds.count == weakEdgeTargets.count else {
            return .inconsistent("non-retaining reference columns differ in length")
        }
        guard Self.allBelow(weakEdgeTargets, n) else { return .inconsistent("a non-retaining reference points outside the snapshot") }
        guard Self.allAbsentOrBelow(weakEdgeNames, fieldNames.count) else {
            return .inconsistent("a non-retaining reference has a field name index out of range")
        }
        if let bad = weakEdgeKinds.firstIndex(where: { $0.retains }) {
            return .inconsistent("non-retaining reference \(bad) has kind \(weakEdgeKinds[bad])")
        }
        return nil
    }

    /// Whether `values` strictly increase.
    @usableFromInline static func increasing(_ values: [UInt64]) -> Bool {
        values.withUnsafeBufferPointer { v in
            var ok = true
            for i in v.indices.dropFirst() { ok = ok && v[i - 1] < v[i] }
            return ok
        }
    }

    /// Whether `values` never decrease.
    @usableFromInline static func nonDecreasing(_ values: [UInt32]) -> Bool {
        values.withUnsafeBufferPointer { v in
            var ok = true
            for i in v.indices.dropFirst() { ok = ok && v[i - 1] <= v[i] }
            return ok
        }
    }

    /// Whether every value is below `limit`.
    @usableFromInline static func allBelow(_ values: [UInt32], _ limit: Int) -> Bool {
        values.withUnsafeBufferPointer { v in
            var largest: UInt32 = 0
            for x in v { largest = Swift.max(largest, x) }
            return v.isEmpty || Int(largest) < limit
        }
    }

    /// Whether every value is `none` or below `limit` (`none + 1` wraps to 0).
    @usableFromInline static func allAbsentOrBelow(_ values: [UInt32], _ limit: Int) -> Bool {
        values.withUnsafeBufferPointer { v in
            var largest: UInt32 = 0
            for x in v { largest = Swift.max(largest, x &+ 1) }
            return Int(largest) <= limit
        }
    }

    /// A snapshot with no objects.
    public static let empty: HeapSnapshot = Builder().build()
}

/// Why a snapshot could not be made.
public enum SnapshotError: Error, Hashable, CustomStringConvertible {
    /// Two objects share an id.
    case duplicateID(UInt64)
    /// A reference or root names an id that is not in the snapshot.
    case unknownID(UInt64, referencedBy: String)
    /// The columns do not fit together; the text says how.
    case inconsistent(String)

    public var description: String {
        switch self {
        case .duplicateID(let id): "duplicate object id \(id)"
        case .unknownID(let id, let by): "\(by) refers to id \(id), which is not an object in the snapshot"
        case .inconsistent(let why): "inconsistent snapshot: \(why)"
        }
    }
}
