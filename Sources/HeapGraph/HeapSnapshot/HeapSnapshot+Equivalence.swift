// HeapSnapshot+Equivalence — whether two snapshots hold the same graph regardless of how their string
// tables are laid out: the equality a JSON round trip keeps (`==` also compares table order and the
// allocator statistics, which the binary dump keeps and JSON does not).

extension HeapSnapshot {
    /// Whether `other` holds the same graph: the same objects (id, type name, size, refcount,
    /// generation, site, label), the same references of each object in the same order with the same
    /// field names and kinds, the same non-retaining references, the same roots (kind, name) in the same
    /// order, and the same liveness rule and runtime. The order of the string tables, entries no
    /// object uses, and the allocator statistics are not compared.
    /// - Complexity: O(objects + edges).
    public func isEquivalent(to other: HeapSnapshot) -> Bool { firstDifference(from: other) == nil }

    /// The first way `other` is not equivalent to this snapshot, in words, or nil if it is.
    /// - Complexity: O(objects + edges).
    public func firstDifference(from other: HeapSnapshot) -> String? {
        guard ids == other.ids else {
            if objectCount != other.objectCount { return "\(objectCount) objects vs \(other.objectCount)" }
            let i = ids.indices.first { ids[$0] != other.ids[$0] } ?? 0
            return "object \(i) has id \(ids[i]) vs \(other.ids[i])"
        }
        for i in objectIndices {
            let id = ids[i]
            if typeName(of: i) != other.typeName(of: i) { return "object \(id): type \(typeName(of: i)) vs \(other.typeName(of: i))" }
            if sizes[i] != other.sizes[i] { return "object \(id): size \(sizes[i]) vs \(other.sizes[i])" }
            if refcounts[i] != other.refcounts[i] { return "object \(id): refcount \(refcounts[i]) vs \(other.refcounts[i])" }
            if generations[i] != other.generations[i] { return "object \(id): generation \(generations[i]) vs \(other.generations[i])" }
            if site(of: i) != other.site(of: i) { return "object \(id): site \(String(describing: site(of: i))) vs \(String(describing: other.site(of: i)))" }
            if label(of: i) != other.label(of: i) { return "object \(id): label \(String(describing: label(of: i))) vs \(String(describing: other.label(of: i)))" }
            if edgeRange(of: i) != other.edgeRange(of: i) { return "object \(id): references \(edgeRange(of: i)) vs \(other.edgeRange(of: i))" }
        }
        for e in 0..<edgeCount {
            if edgeTargets[e] != other.edgeTargets[e] { return "edge \(e): target \(edgeTargets[e]) vs \(other.edgeTargets[e])" }
            if fieldName(ofEdge: e) != other.fieldName(ofEdge: e) {
                return "edge \(e): field \(String(describing: fieldName(ofEdge: e))) vs \(String(describing: other.fieldName(ofEdge: e)))"
            }
        }
        for i in objectIndices where flags(of: i) != other.flags(of: i) {
            return "object \(ids[i]): flags \(flags(of: i).rawValue) vs \(other.flags(of: i).rawValue)"
        }
        for e in 0..<edgeCount where kind(ofEdge: e) != other.kind(ofEdge: e) {
            return "edge \(e): kind \(kind(ofEdge: e)) vs \(other.kind(ofEdge: e))"
        }
        for i in objectIndices {
            let mine = weakEdgeRange(of: i).map { (weakEdgeTargets[$0], weakFieldName(ofEdge: $0), weakEdgeKinds[$0]) }
            let theirs = other.weakEdgeRange(of: i).map {
                (other.weakEdgeTargets[$0], other.weakFieldName(ofEdge: $0), other.weakEdgeKinds[$0])
            }
            if !mine.elementsEqual(theirs, by: ==) {
                return "object \(ids[i]): non-retaining references \(mine) vs \(theirs)"
            }
        }
        if roots != other.roots { return "roots \(roots) vs \(other.roots)" }
        if liveness != other.liveness { return "liveness \(liveness) vs \(other.liveness)" }
        if runtime != other.runtime { return "runtime \(String(describing: runtime)) vs \(String(describing: other.runtime))" }
        return nil
    }
}
