// HeapSnapshotBuilder — the one way a snapshot is made. Every producer (the binary and JSON readers,
// the foreign-format readers, ManagedHeap.snapshot(), the collector's report, subgraph(keeping:),
// tests and benchmarks) appends objects, references and roots here and calls build(), which sorts,
// resolves and checks once. The columns are the builder's storage until build() hands them over.
import HeapArena

extension HeapSnapshot {
    /// The builder of snapshots; see ``HeapSnapshotBuilder``.
    public typealias Builder = HeapSnapshotBuilder
}

/// Collects objects, references and roots, then sorts, resolves and checks them into a ``HeapSnapshot``.
///
/// Objects may come in any id order; each `addObject` returns the object's *builder position* (its
/// order of addition), which references and roots may use. References may also name their target
/// (or, in the convenience API, their source) by id, resolved in ``build(unknownReferences:)``.
/// Producers that add each object's references right after it (or in increasing source order) pay
/// nothing for ordering: the compressed rows are written as they come.
///
/// ```swift
/// var b = HeapSnapshot.Builder()
/// let parent = b.add("Node", size: 48)
/// let child = b.add("Node", size: 48)
/// b.reference(from: parent, to: child, name: "child")
/// b.reference(from: child, to: parent, name: "parent", kind: .weak)   // does not keep parent alive
/// b.root(parent, name: "main.tree", kind: .global)
/// let snapshot = try b.build(unknownReferences: .reject)
/// ```
public struct HeapSnapshotBuilder: Sendable {
    /// What `build` does with a reference or root to an id that was never added.
    public enum UnknownReferencePolicy: Sendable {
        /// Throw ``SnapshotError/unknownID(_:referencedBy:)``.
        case reject
        /// Leave it out; `droppedReferences` counts it.
        case drop
    }

    /// Object columns, one entry per added object, in order of addition (builder positions).
    @usableFromInline var columns = HeapSnapshot.Columns()
    /// Per-object flags; empty until a flag is set.
    @usableFromInline var flags: [UInt8] = []

    // References in order of addition. While `rowsInOrder`, `columns.edgeStarts` holds the start of
    // each source's row (for sources 0...lastSource) and `edgeSources` is empty; the first reference
    // out of source order converts to explicit sources.
    @usableFromInline var rowsInOrder = true
    @usableFromInline var edgeSources: [UInt32] = []
    @usableFromInline var kinds: [ReferenceKind] = []
    /// Whether any reference so far is not `strong`.
    @usableFromInline var hasKinds = false
    /// References whose endpoints were given by id: (reference, source id or nil, target id or nil).
    @usableFromInline var byID: [(reference: Int, source: UInt64?, target: UInt64?)] = []

    @usableFromInline var pendingRoots: [(position: Int, id: UInt64?, kind: RootKind, name: String)] = []
    @usableFromInline var types = StringTable()
    @usableFromInline var siteTable = StringTable()
    @usableFromInline var fieldTable = StringTable()
    @usableFromInline var labelTable = StringTable()
    @usableFromInline var nextAutomaticID: UInt64 = 1

    /// The liveness rule of the snapshot (default: CPython's refcount rule).
    public var liveness: Liveness = .refcount
    /// The producing runtime's name, if known.
    public var runtime: String?
    /// Allocator statistics to carry into the snapshot.
    public var allocator: AllocatorStatistics?
    /// References and roots left out by the last `build(unknownReferences: .drop)`.
    public internal(set) var droppedReferences = 0

    /// An empty builder with room for `objectCapacity` objects and `referenceCapacity` references.
    public init(objectCapacity: Int = 0, referenceCapacity: Int = 0) {
        if objectCapacity > 0 {
            columns.ids.reserveCapacity(objectCapacity)
            columns.typeIndices.reserveCapacity(objectCapacity)
            columns.sizes.reserveCapacity(objectCapacity)
            columns.refcounts.reserveCapacity(objectCapacity)
            columns.generations.reserveCapacity(objectCapacity)
            columns.siteIndices.reserveCapacity(objectCapacity)
            columns.labelIndices.reserveCapacity(objectCapacity)
            columns.edgeStarts.reserveCapacity(objectCapacity + 1)
        }
        if referenceCapacity > 0 {
            columns.edgeTargets.reserveCapacity(referenceCapacity)
            columns.edgeNames.reserveCapacity(referenceCapacity)
        }
    }

    /// Objects added so far.
    @inlinable public var objectCount: Int { columns.ids.count }
    /// References added so far.
    @inlinable public var referenceCount: Int { columns.edgeTargets.count }

    // MARK: Tables

    /// The index of type name `name` in the snapshot's table (interned: one entry per distinct name).
    public mutating func internType(_ name: String) -> UInt32 { types.intern(name) }
    /// The index of allocation site `site`.
    public mutating func internSite(_ site: String) -> UInt32 { siteTable.intern(site) }
    /// The index of field name `name`.
    public mutating func internFieldName(_ name: String) -> UInt32 { fieldTable.intern(name) }
    /// The index of label `label`.
    public mutating func internLabel(_ label: String) -> UInt32 { labelTable.intern(label) }

    /// Makes room for `fieldNames` more field names and `labels` more labels, so that a reader that
    /// knows how many distinct ones are coming interns them without regrowing the tables.
    public mutating func reserveTableCapacity(fieldNames: Int = 0, labels: Int = 0) {
        fieldTable.reserveCapacity(fieldTable.count + fieldNames)
        labelTable.reserveCapacity(labelTable.count + labels)
    }

    // MARK: Objects

    /// Adds an object whose type, site and label are table indices (from the `intern…` calls).
    /// - Returns: the object's builder position.
    /// - Complexity: amortized O(1).
    @inlinable @discardableResult
    public mutating func addObject(
        id: UInt64, typeIndex: UInt32, size: UInt64, refcount: UInt32 = HeapSnapshot.none, generation: UInt8 = 255,
        siteIndex: UInt32 = HeapSnapshot.none, labelIndex: UInt32 = HeapSnapshot.none
    ) -> Int {
        let position = columns.ids.count
        columns.ids.append(id)
        columns.typeIndices.append(typeIndex)
        columns.sizes.append(size)
        columns.refcounts.append(refcount)
        columns.generations.append(generation)
        columns.siteIndices.append(siteIndex)
        columns.labelIndices.append(labelIndex)
        if id >= nextAutomaticID { nextAutomaticID = id &+ 1 }
        return position
    }

    /// Marks the object at builder position `position` as a detached DOM node.
    public mutating func setDetached(_ position: Int) {
        if flags.isEmpty { flags = [UInt8](repeating: 0, count: columns.ids.count) }
        while flags.count < columns.ids.count { flags.append(0) }
        flags[position] |= HeapSnapshot.ObjectFlags.detached.rawValue
    }

    // MARK: References

    /// Adds a reference between builder positions; per source, the order of addition is kept.
    /// - Complexity: amortized O(1).
    @inlinable
    public mutating func addReference(
        from source: Int, to target: Int, nameIndex: UInt32 = HeapSnapshot.none, kind: ReferenceKind = .strong
    ) {
        appendSource(source)
        columns.edgeTargets.append(UInt32(truncatingIfNeeded: target))
        columns.edgeNames.append(nameIndex)
        appendKind(kind)
    }

    /// Adds a reference from a builder position to the object with id `targetID` (resolved in `build`).
    /// - Complexity: amortized O(1).
    public mutating func addReference(
        from source: Int, toID targetID: UInt64, nameIndex: UInt32 = HeapSnapshot.none, kind: ReferenceKind = .strong
    ) {
        byID.append((columns.edgeTargets.count, nil, targetID))
        addReference(from: source, to: Int(UInt32.max), nameIndex: nameIndex, kind: kind)
    }

    @inlinable mutating func appendSource(_ source: Int) {
        if rowsInOrder {
            // In order, `edgeStarts` holds the start of every row up to the current source's.
            let current = columns.edgeStarts.count - 1
            if source == current { return }
            if source > current {
                let start = UInt32(truncatingIfNeeded: columns.edgeTargets.count)
                while columns.edgeStarts.count <= source { columns.edgeStarts.append(start) }
                return
            }
            convertToExplicitSources()
        }
        edgeSources.append(UInt32(truncatingIfNeeded: source))
    }

    @inlinable mutating func appendKind(_ kind: ReferenceKind) {
        if kind != .strong && !hasKinds {
            hasKinds = true
            kinds = [ReferenceKind](repeating: .strong, count: columns.edgeTargets.count - 1)
        }
        if hasKinds { kinds.append(kind) }
    }

    /// Leaves the in-order rows for an explicit source per reference (a reference came out of order).
    @usableFromInline mutating func convertToExplicitSources() {
        rowsInOrder = false
        edgeSources.reserveCapacity(columns.edgeTargets.count + 1)
        let starts = columns.edgeStarts
        let total = columns.edgeTargets.count
        for s in 0..<starts.count {
            let end = s + 1 < starts.count ? Int(starts[s + 1]) : total
            for _ in Int(starts[s])..<end { edgeSources.append(UInt32(s)) }
        }
        columns.edgeStarts = [0]
    }

    // MARK: Whole columns

    /// Object columns a producer laid out itself, one entry per object (`ids` in any order).
    public struct ObjectColumns: Sendable {
        public var ids: [UInt64], typeIndices: [UInt32], sizes: [UInt64], refcounts: [UInt32]
        public var generations: [UInt8], siteIndices: [UInt32], labelIndices: [UInt32]
        public init(
            ids: [UInt64], typeIndices: [UInt32], sizes: [UInt64], refcounts: [UInt32], generations: [UInt8],
            siteIndices: [UInt32], labelIndices: [UInt32]
        ) {
            self.ids = ids
            self.typeIndices = typeIndices
            self.sizes = sizes
            self.refcounts = refcounts
            self.generations = generations
            self.siteIndices = siteIndices
            self.labelIndices = labelIndices
        }
    }

    /// Strong references in compressed rows over builder positions: object `i`'s references are
    /// `targets[starts[i]..<starts[i + 1]]`, `starts` has one entry per object plus one.
    public struct ReferenceRows: Sendable {
        public var starts: [UInt32], targets: [UInt32], names: [UInt32]
        public init(starts: [UInt32], targets: [UInt32], names: [UInt32]) {
            self.starts = starts
            self.targets = targets
            self.names = names
        }
    }

    /// Takes whole columns and rows that a producer wrote in place (the live heap writes a million
    /// objects' columns with plain stores, which keeps many cache misses in flight; appending one
    /// object at a time does not). Only into an empty builder; `build()` checks them like the rest.
    /// Tables, roots and non-strong references are added as usual afterwards.
    public mutating func adopt(_ objects: ObjectColumns, _ rows: ReferenceRows) {
        adopt(objects)
        adopt(rows)
    }

    /// Takes whole object columns (into a builder without objects); references follow, by
    /// ``adopt(_:)-(ReferenceRows)`` or one at a time.
    public mutating func adopt(_ objects: ObjectColumns) {
        precondition(columns.ids.isEmpty, "adopt(_:) of objects needs a builder without objects")
        columns.ids = objects.ids
        columns.typeIndices = objects.typeIndices
        columns.sizes = objects.sizes
        columns.refcounts = objects.refcounts
        columns.generations = objects.generations
        columns.siteIndices = objects.siteIndices
        columns.labelIndices = objects.labelIndices
        if let last = objects.ids.max(), last >= nextAutomaticID { nextAutomaticID = last &+ 1 }
    }

    /// Takes whole rows of strong references (into a builder without references).
    public mutating func adopt(_ rows: ReferenceRows) {
        precondition(columns.edgeTargets.isEmpty && rowsInOrder, "adopt(_:) of rows needs a builder without references")
        columns.edgeStarts = rows.starts.isEmpty ? [0] : rows.starts
        columns.edgeTargets = rows.targets
        columns.edgeNames = rows.names
    }

    // MARK: Roots

    /// Marks the object at builder position `position` as held from outside the heap.
    public mutating func addRoot(_ position: Int, kind: RootKind, name: String) {
        pendingRoots.append((position, nil, kind, name))
    }

    /// Marks the object with id `id` as held from outside the heap (resolved in `build`).
    public mutating func addRoot(id: UInt64, kind: RootKind, name: String) {
        pendingRoots.append((-1, id, kind, name))
    }

    // MARK: Convenience by id (tests, generators)

    /// Adds an object with strings for its type, site and label. `refcount` nil means not recorded;
    /// `generation` nil means unknown.
    public mutating func add(
        id: UInt64, type: String, size: UInt64, refcount: UInt32? = nil, generation: UInt8? = nil,
        site: String? = nil, label: String? = nil
    ) {
        addObject(
            id: id, typeIndex: types.intern(type), size: size, refcount: refcount ?? HeapSnapshot.none,
            generation: generation ?? 255, siteIndex: site.map { siteTable.intern($0) } ?? HeapSnapshot.none,
            labelIndex: label.map { labelTable.intern($0) } ?? HeapSnapshot.none)
    }

    /// Adds an object with the next unused id and returns that id.
    @discardableResult
    public mutating func add(
        _ type: String, size: UInt64, refcount: UInt32? = nil, site: String? = nil, label: String? = nil
    ) -> UInt64 {
        let id = nextAutomaticID
        add(id: id, type: type, size: size, refcount: refcount, site: site, label: label)
        return id
    }

    /// Records a reference between two objects given by id; order per source is kept (field order).
    public mutating func reference(from source: UInt64, to target: UInt64, name: String? = nil, kind: ReferenceKind = .strong) {
        if rowsInOrder { convertToExplicitSources() }
        byID.append((columns.edgeTargets.count, source, target))
        edgeSources.append(UInt32.max)
        columns.edgeTargets.append(UInt32.max)
        columns.edgeNames.append(name.map { fieldTable.intern($0) } ?? HeapSnapshot.none)
        appendKind(kind)
    }

    /// Marks the object with id `id` as held from outside the heap under `name`.
    public mutating func root(_ id: UInt64, name: String = "root", kind: RootKind = .unknown) {
        addRoot(id: id, kind: kind, name: name)
    }
}

/// Strings interned to dense indices in first-seen order: the snapshot's tables, and the one table
/// every producer interns names into (ManagedHeap's sites and field names, the HPROF reader's names).
public struct StringTable: Sendable {
    /// The strings, by index.
    public private(set) var strings: [String] = []
    /// String → index; for an adopted table, built on the first `intern` (adopting hashes nothing).
    private var indices: [String: UInt32] = [:]
    private var indexed = true

    public init() {}

    /// A table of distinct `strings` as a reader laid them out; `intern` may add to it later.
    init(adopting strings: [String]) {
        self.strings = strings
        indexed = strings.isEmpty
    }

    /// The index of `s`, added at the end when it is new.
    /// - Complexity: amortized O(length of `s`).
    public mutating func intern(_ s: String) -> UInt32 {
        if !indexed {
            for (i, t) in strings.enumerated() where indices[t] == nil { indices[t] = UInt32(i) }
            indexed = true
        }
        if let i = indices[s] { return i }
        let i = UInt32(strings.count)
        strings.append(s)
        indices[s] = i
        return i
    }

    /// The index of `s`, or nil when it was never interned.
    public func index(of s: String) -> UInt32? {
        indexed ? indices[s] : strings.firstIndex(of: s).map { UInt32($0) }
    }

    /// Number of strings.
    public var count: Int { strings.count }

    mutating func reserveCapacity(_ n: Int) {
        strings.reserveCapacity(n)
        indices.reserveCapacity(n)
    }
}
