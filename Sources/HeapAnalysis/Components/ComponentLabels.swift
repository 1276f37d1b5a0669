// ComponentLabels — strongly connected components of a snapshot (or of a part of it), by mutual
// reachability, computed with an iterative Tarjan over the CSR columns.
import HeapGraph

/// Each object's strongly connected component.
///
/// Two objects share a component exactly when each reaches the other. Components are numbered in
/// Tarjan's completion order (a reverse topological order of the condensation: a reference between
/// two components always goes from the higher number to the lower one).
public struct ComponentLabels: Sendable, Hashable {
    /// Component number of each object, `0..<count`, or `UInt32.max` for an object left out.
    public let component: [UInt32]
    /// Number of components.
    public let count: Int

    /// Components of the whole snapshot, or only of the objects with `include[v]` (references to
    /// objects left out are ignored).
    /// - Complexity: O(objects + edges); 24 bytes per object of scratch; no recursion.
    public init(_ snapshot: HeapSnapshot, include: [Bool]? = nil) {
        precondition(include == nil || include?.count == snapshot.objectCount, "one include flag per object")
        let result = snapshot.edgeStarts.withUnsafeBufferPointer { starts in
            snapshot.edgeTargets.withUnsafeBufferPointer { targets in
                if let include {
                    return include.withUnsafeBufferPointer { include in
                        stronglyConnectedComponents(
                            nodeCount: snapshot.objectCount, starts: starts, targets: targets, include: include)
                    }
                }
                return stronglyConnectedComponents(
                    nodeCount: snapshot.objectCount, starts: starts, targets: targets, include: nil)
            }
        }
        component = result.component
        count = result.count
        #if HEAPSCAN_CHECKS
        // Completion order is a reverse topological order of the condensation.
        for v in snapshot.objectIndices where component[v] != .max {
            for e in snapshot.edgeRange(of: v) where component[Int(snapshot.edgeTargets[e])] != .max {
                precondition(component[v] >= component[Int(snapshot.edgeTargets[e])], "component order broken at edge \(e)")
            }
        }
        #endif
    }

    /// The members of every component, each in increasing index order, indexed by component number.
    /// - Complexity: O(objects).
    public func members() -> [[HeapSnapshot.ObjectIndex]] {
        var groups = [[HeapSnapshot.ObjectIndex]](repeating: [], count: count)
        for (v, c) in component.enumerated() where c != .max { groups[Int(c)].append(v) }
        return groups
    }
}

extension HeapSnapshot {
    /// Strongly connected components of the whole snapshot.
    /// - Complexity: O(objects + edges).
    public func stronglyConnectedComponents() -> ComponentLabels { ComponentLabels(self) }
}
