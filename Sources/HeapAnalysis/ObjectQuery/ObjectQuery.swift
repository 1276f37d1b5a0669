// ObjectQuery — objgraph's by_type with filters: the objects of a type, alive or garbage, whose
// allocation site and label match shell-style patterns (`*`, `?`), in index (id) order.
import HeapGraph

/// Which objects of a snapshot to list.
public struct ObjectQuery: Sendable, Hashable {
    /// Alive or not, by the snapshot's liveness rule.
    public enum State: Sendable, Hashable {
        /// Every object.
        case any
        /// Reachable from outside.
        case live
        /// Not reachable from outside: garbage (under the `roots` rule: unreachable, awaiting collection).
        case garbage
    }

    /// The exact type name, or nil for every type.
    public var typeName: String?
    public var state: State
    /// A pattern the allocation site must match (`*` any run, `?` one character); an object
    /// without a site matches only `*`.
    public var site: String?
    /// A pattern the label must match; an object without a label matches only `*`.
    public var label: String?

    public init(typeName: String? = nil, state: State = .any, site: String? = nil, label: String? = nil) {
        self.typeName = typeName
        self.state = state
        self.site = site
        self.label = label
    }

    /// The matching objects, in increasing index order.
    /// - Complexity: O(objects + edges) for a state, plus the pattern matching of the objects of the type.
    public func objects(in snapshot: HeapSnapshot) -> [HeapSnapshot.ObjectIndex] {
        // Type indices, not names, per object: a name is compared once per table entry.
        let wanted: [Bool]? = typeName.map { name in snapshot.typeNames.map { $0 == name } }
        let alive: [Bool]? = state == .any ? nil : snapshot.reachableFromOutside()
        let sitePattern = site.map { Array($0.unicodeScalars) }
        let labelPattern = label.map { Array($0.unicodeScalars) }
        return snapshot.objectIndices.filter { v in
            if let wanted, !wanted[Int(snapshot.typeIndices[v])] { return false }
            if let alive, alive[v] != (state == .live) { return false }
            if let sitePattern, !Self.matches(sitePattern, snapshot.site(of: v)) { return false }
            if let labelPattern, !Self.matches(labelPattern, snapshot.label(of: v)) { return false }
            return true
        }
    }

    private static func matches(_ pattern: [Unicode.Scalar], _ text: String?) -> Bool {
        guard let text else { return pattern.allSatisfy { $0 == "*" } }
        return glob(pattern, matches: Array(text.unicodeScalars))
    }

    /// Whether `text` matches the shell-style `pattern`: `*` any run (also empty), `?` one scalar,
    /// anything else itself.
    /// - Complexity: O(pattern · text) at worst, without recursion.
    public static func glob(_ pattern: String, matches text: String) -> Bool {
        glob(Array(pattern.unicodeScalars), matches: Array(text.unicodeScalars))
    }

    static func glob(_ p: [Unicode.Scalar], matches t: [Unicode.Scalar]) -> Bool {
        var i = 0, j = 0
        var star = -1, resume = 0
        while j < t.count {
            if i < p.count && (p[i] == "?" || (p[i] != "*" && p[i] == t[j])) {
                i += 1
                j += 1
            } else if i < p.count && p[i] == "*" {
                star = i
                resume = j
                i += 1
            } else if star >= 0 {
                i = star + 1
                resume += 1
                j = resume
            } else {
                return false
            }
        }
        while i < p.count && p[i] == "*" { i += 1 }
        return i == p.count
    }
}
