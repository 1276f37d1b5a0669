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

    /// A named reference held from outside the heap (a handle, a global): in a dump, a GC root.
    public struct Root: Sendable, Hashable {
        public var object: UInt32
        public var name: String
        public init(object: UInt32, name: String) {
            self.object = object
            self.name = name
        }
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

    // Tables.
    public let typeNames: [String]
    /// Allocation sites, "file:line".
    public let sites: [String]
    public let fieldNames: [String]
    public let labels: [String]
    public let roots: [Root]
    /// The allocator at capture time, when the producer had one.
    public let allocator: AllocatorStatistics?

    /// Checks every invariant of the columns and tables, then stores them.
    ///
    /// Readers and the live heap build the columns directly and come through here, so a snapshot
    /// that exists is always consistent: equal column lengths, ids strictly increasing, every
    /// index inside its table.
    /// - Complexity: O(objects + edges).
    @inlinable public init(
        ids: [UInt64], typeIndices: [UInt32], sizes: [UInt64], refcounts: [UInt32], generations: [UInt8],
        siteIndices: [UInt32], labelIndices: [UInt32], edgeStarts: [UInt32], edgeTargets: [UInt32],
        edgeNames: [UInt32], typeNames: [String], sites: [String], fieldNames: [String], labels: [String],
        roots: [Root], allocator: AllocatorStatistics?
    ) throws(SnapshotError) {
        self.ids = ids
        self.typeIndices = typeIndices
        self.sizes = sizes
        self.refcounts = refcounts
        self.generations = generations
        self.siteIndices = siteIndices
        self.labelIndices = labelIndices
        self.edgeStarts = edgeStarts
        self.edgeTargets = edgeTargets
        self.edgeNames = edgeNames
        self.typeNames = typeNames
        self.sites = sites
        self.fieldNames = fieldNames
        self.labels = labels
        self.roots = roots
        self.allocator = allocator
        // Checked after storing, in a separate function, and inlinable: Swift 6.3's optimizer
        // miscompiled this initializer when its checks threw from inside it and it was called from
        // another module (release builds threw on valid columns or crashed).
        if let problem = firstInconsistency() { throw problem }
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
            for r in roots where Int(r.object) >= n {
                return .inconsistent("root \(r.name) points to object index \(r.object) of \(n)")
            }
            return nil
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
        for r in roots where Int(r.object) >= n {
            return .inconsistent("root \(r.name) points to object index \(r.object) of \(n)")
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
    public static let empty: HeapSnapshot = HeapSnapshotBuilder().build()
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
