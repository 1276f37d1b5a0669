// ObjectGroup — objects of one snapshot that share a type and an allocation site (the unit a
// failure message reports: "3 × Observer allocated at App.swift:40"), with the chain of references
// that keeps the first of them alive.
import HeapAnalysis
import HeapGraph

/// Objects of one type allocated at one site, in one snapshot.
public struct ObjectGroup: Sendable, Hashable {
    /// Type name (not escaped; the message escapes it).
    public var type: String
    /// Allocation site "file:line", when recorded.
    public var site: String?
    /// The objects, in increasing index (= id, = allocation) order; never empty.
    /// Invariant: every index is an object of the report's snapshot with this type and site.
    public var objects: [HeapSnapshot.ObjectIndex]
    /// Sum of their shallow sizes.
    public var bytes: UInt64
    /// The shortest chain of references from an external reference to `objects[0]`, field names
    /// included; nil when that object is garbage.
    public var path: ReferencePath?

    public init(type: String, site: String?, objects: [HeapSnapshot.ObjectIndex], bytes: UInt64, path: ReferencePath?) {
        self.type = type
        self.site = site
        self.objects = objects
        self.bytes = bytes
        self.path = path
    }

    /// The objects, grouped by type and site; groups ordered by count, then bytes (both descending),
    /// then type and site. The first `withPaths` groups get the chain to their first object (one
    /// breadth-first search for all of them). With `nearestFirst`, the groups with paths come first, shortest chain first
    /// (the leak closest to an external reference is usually the one to fix), in the order above
    /// among equal lengths.
    /// - Complexity: O(objects + edges) of the snapshot, plus the chains' lengths.
    static func grouping(
        _ objects: [HeapSnapshot.ObjectIndex], in snapshot: HeapSnapshot, withPaths: Int, nearestFirst: Bool = false
    ) -> [ObjectGroup] {
        struct Key: Hashable { var type: UInt32, site: UInt32 }
        var byKey: [Key: Int] = [:]
        var groups: [ObjectGroup] = []
        for v in objects.sorted() {
            let key = Key(type: snapshot.typeIndices[v], site: snapshot.siteIndices[v])
            if let g = byKey[key] {
                groups[g].objects.append(v)
                groups[g].bytes &+= snapshot.sizes[v]
            } else {
                byKey[key] = groups.count
                groups.append(
                    ObjectGroup(
                        type: snapshot.typeName(of: v), site: snapshot.site(of: v), objects: [v], bytes: snapshot.sizes[v],
                        path: nil))
            }
        }
        groups.sort { a, b in
            if a.objects.count != b.objects.count { return a.objects.count > b.objects.count }
            if a.bytes != b.bytes { return a.bytes > b.bytes }
            if a.type != b.type { return a.type < b.type }
            return (a.site ?? "") < (b.site ?? "")
        }
        let withPath = groups.indices.prefix(max(withPaths, 0))
        let paths = snapshot.shortestPathsFromOutside(to: withPath.map { groups[$0].objects[0] })
        for (i, path) in zip(withPath, paths) { groups[i].path = path }
        if nearestFirst {
            // Stable: equal chain lengths keep the count order.
            groups = groups.enumerated().sorted { a, b in
                let la = a.element.path?.steps.count ?? Int.max, lb = b.element.path?.steps.count ?? Int.max
                return la != lb ? la < lb : a.offset < b.offset
            }.map(\.element)
        }
        return groups
    }

    /// "2 × Observer (128 bytes), allocated at App/Model.swift:57", escaped.
    func headline() -> String {
        var line = "\(objects.count) × \(HeapText.terminalEscaped(type)) (\(HeapText.bytes(bytes, style: .exactBelow10KiB)))"
        if let site { line += ", allocated at \(HeapText.terminalEscaped(site))" }
        return line
    }

    /// Objects named one by one in a group's sample line; the rest are counted.
    static let sampleLimit = 5

    /// "objects: <Observer #3>, <Observer #6>, ... and 10 more", for groups of more than one object;
    /// nil for a single object (the chain names it).
    func sampleLine(in snapshot: HeapSnapshot, prefix: String) -> String? {
        guard objects.count > 1 else { return nil }
        var line = prefix + "objects: " + objects.prefix(Self.sampleLimit).map(snapshot.objectDescription).joined(separator: ", ")
        if objects.count > Self.sampleLimit { line += " and \(objects.count - Self.sampleLimit) more" }
        return line
    }

    /// Steps of a chain shown at its start and at its end when it is longer than their sum; the
    /// middle is summed up in one line.
    static let shownLeadingSteps = 4
    static let shownTrailingSteps = 6

    /// The chain keeping `objects[0]` alive, one reference per line, with a note when an external
    /// reference holds the object itself; `prefix` starts every line.
    /// `isFlagged` marks other reported objects: the first one on the chain is named.
    func chainText(in snapshot: HeapSnapshot, prefix: String, isFlagged: ((HeapSnapshot.ObjectIndex) -> Bool)? = nil) -> String {
        let first = snapshot.objectDescription(objects[0])
        guard let path else { return "\(prefix)\(first) is garbage: nothing outside the heap reaches it" }
        var text = "\(prefix)kept alive by (shortest chain from an external reference to \(first)):\n"
        text += indented(
            path.description(in: snapshot, firstSteps: Self.shownLeadingSteps, lastSteps: Self.shownTrailingSteps),
            by: prefix + "  ")
        if path.steps.isEmpty {
            text += "\n\(prefix)  (held directly: an Owned handle or a retain on it was never released)"
        } else if let isFlagged, let through = path.objects.dropLast().first(where: isFlagged) {
            text += "\n\(prefix)  (through \(snapshot.objectDescription(through)), itself new: fixing that leak may fix this one)"
        }
        return text
    }
}
