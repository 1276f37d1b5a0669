// HeapSnapshotBuilder — builds a snapshot from objects and references given by id, in any order.
// Tests and generators build their heaps inline with it. The readers and the live heap lay out
// columns themselves and call `HeapSnapshot.init` directly (the JSON reader shares `IDLookup`).
import HeapArena

/// Collects objects, references and roots by id, then sorts and checks them into a ``HeapSnapshot``.
///
/// ```swift
/// var b = HeapSnapshotBuilder()
/// let parent = b.add("Node", size: 48)
/// let child = b.add("Node", size: 48)
/// b.reference(from: parent, to: child, name: "child")
/// b.reference(from: child, to: parent, name: "parent")   // a cycle: garbage unless held
/// b.root(parent, name: "main.tree")
/// let snapshot = try b.build()
/// ```
public struct HeapSnapshotBuilder: Sendable {
    /// What `build` does with a reference or root to an id that was never added.
    public enum UnknownReferencePolicy: Sendable {
        /// Throw ``SnapshotError/unknownID(_:referencedBy:)``.
        case reject
        /// Leave it out; `droppedReferences` counts it.
        case drop
    }

    private struct PendingObject: Sendable {
        var id: UInt64, type: UInt32, size: UInt64, refcount: UInt32, generation: UInt8, site: UInt32, label: UInt32
    }

    private var objects: [PendingObject] = []
    private var edgeSources: [UInt64] = []
    private var edgeTargetIDs: [UInt64] = []
    private var edgeNameIndices: [UInt32] = []
    private var rootIDs: [(id: UInt64, name: String)] = []
    private var types = StringTable()
    private var siteTable = StringTable()
    private var fieldTable = StringTable()
    private var labelTable = StringTable()
    private var nextAutomaticID: UInt64 = 1
    /// Allocator statistics to carry into the snapshot.
    public var allocator: AllocatorStatistics?
    /// References and roots left out by the last `build(unknownReferences: .drop)`.
    public private(set) var droppedReferences = 0

    public init() {}

    /// Adds an object. `refcount` nil means not recorded; `generation` nil means unknown.
    public mutating func add(
        id: UInt64, type: String, size: UInt64, refcount: UInt32? = nil, generation: UInt8? = nil,
        site: String? = nil, label: String? = nil
    ) {
        objects.append(
            PendingObject(
                id: id, type: types.intern(type), size: size, refcount: refcount ?? HeapSnapshot.none,
                generation: generation ?? 255, site: site.map { siteTable.intern($0) } ?? HeapSnapshot.none,
                label: label.map { labelTable.intern($0) } ?? HeapSnapshot.none))
        if id >= nextAutomaticID { nextAutomaticID = id &+ 1 }
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

    /// Records a reference from one object to another; order per source is kept (field order).
    public mutating func reference(from source: UInt64, to target: UInt64, name: String? = nil) {
        edgeSources.append(source)
        edgeTargetIDs.append(target)
        edgeNameIndices.append(name.map { fieldTable.intern($0) } ?? HeapSnapshot.none)
    }

    /// Marks an object as held from outside the heap under `name`.
    public mutating func root(_ id: UInt64, name: String = "root") {
        rootIDs.append((id, name))
    }

    /// Sorts objects by id, checks them, and lays out the columns.
    /// - Complexity: O(objects log objects + edges) (no sort when objects were added in id order).
    public mutating func build(unknownReferences: UnknownReferencePolicy) throws(SnapshotError) -> HeapSnapshot {
        droppedReferences = 0
        // Most producers add objects in id order: then no sort at all.
        let inOrder = objects.indices.dropFirst().allSatisfy { objects[$0 - 1].id < objects[$0].id }
        let sorted = inOrder ? objects : objects.sorted { $0.id < $1.id }
        for i in sorted.indices.dropFirst() where sorted[i].id == sorted[i - 1].id {
            throw .duplicateID(sorted[i].id)
        }
        let ids = sorted.map(\.id)
        let lookup = IDLookup(ids)
        func position(_ id: UInt64) -> Int? { lookup.position(of: id) }
        // Resolve edges, then a stable counting sort by source keeps per-object field order.
        var counts = [UInt32](repeating: 0, count: ids.count + 1)
        var resolved: [(source: Int, target: UInt32, name: UInt32)] = []
        resolved.reserveCapacity(edgeSources.count)
        for e in edgeSources.indices {
            guard let s = position(edgeSources[e]) else {
                if unknownReferences == .drop { droppedReferences += 1; continue }
                throw .unknownID(edgeSources[e], referencedBy: "a reference")
            }
            guard let t = position(edgeTargetIDs[e]) else {
                if unknownReferences == .drop { droppedReferences += 1; continue }
                throw .unknownID(edgeTargetIDs[e], referencedBy: "a reference from object \(edgeSources[e])")
            }
            resolved.append((s, UInt32(t), edgeNameIndices[e]))
            counts[s + 1] += 1
        }
        for i in 0..<ids.count { counts[i + 1] += counts[i] }
        var fill = counts
        var targets = [UInt32](repeating: 0, count: resolved.count)
        var names = [UInt32](repeating: 0, count: resolved.count)
        for edge in resolved {
            let slot = Int(fill[edge.source])
            targets[slot] = edge.target
            names[slot] = edge.name
            fill[edge.source] += 1
        }
        var roots: [HeapSnapshot.Root] = []
        for r in rootIDs {
            guard let p = position(r.id) else {
                if unknownReferences == .drop { droppedReferences += 1; continue }
                throw .unknownID(r.id, referencedBy: "root \(r.name)")
            }
            roots.append(HeapSnapshot.Root(object: UInt32(p), name: r.name))
        }
        return try HeapSnapshot(
            ids: ids, typeIndices: sorted.map(\.type), sizes: sorted.map(\.size), refcounts: sorted.map(\.refcount),
            generations: sorted.map(\.generation), siteIndices: sorted.map(\.site), labelIndices: sorted.map(\.label),
            edgeStarts: counts, edgeTargets: targets, edgeNames: names, typeNames: types.strings,
            sites: siteTable.strings, fieldNames: fieldTable.strings, labels: labelTable.strings, roots: roots,
            allocator: allocator)
    }

    /// Builds a snapshot that the caller knows to be well formed (tests, generators).
    /// Stops the program with the error otherwise: use `build(unknownReferences:)` for outside data.
    public func build() -> HeapSnapshot {
        var copy = self
        do { return try copy.build(unknownReferences: .reject) } catch { preconditionFailure("\(error)") }
    }
}

/// Interns strings to dense indices in first-seen order.
struct StringTable: Sendable {
    private(set) var strings: [String] = []
    private var indices: [String: UInt32] = [:]

    mutating func intern(_ s: String) -> UInt32 {
        if let i = indices[s] { return i }
        let i = UInt32(strings.count)
        strings.append(s)
        indices[s] = i
        return i
    }
}
