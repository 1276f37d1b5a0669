// DominatorTree+Groups — counts, shallow and retained bytes per group of objects (per type, per
// allocation site, or any other grouping), Eclipse MAT's "group by" over the dominator tree; and the
// tree's children lists ordered by retained size, for browsing it.
import HeapGraph

/// Objects, shallow bytes and retained bytes of one group of objects.
public struct GroupRetention: Sendable, Hashable {
    /// Objects in the group, garbage included.
    public var count: Int
    /// Their shallow bytes.
    public var shallowBytes: UInt64
    /// Bytes freed if every live object of the group went: the sum of the retained sizes of the
    /// group's live objects that no other object of the same group dominates.
    public var retainedBytes: UInt64

    public init(count: Int = 0, shallowBytes: UInt64 = 0, retainedBytes: UInt64 = 0) {
        self.count = count
        self.shallowBytes = shallowBytes
        self.retainedBytes = retainedBytes
    }
}

extension DominatorTree {
    /// For each group `0..<groupCount`, its objects, shallow bytes and retained bytes; `group[v]` is
    /// object `v`'s group, or ``HeapSnapshot/none`` (or any value past `groupCount`) for none.
    /// Pass `snapshot.typeIndices` for types, `snapshot.siteIndices` for allocation sites.
    /// - Complexity: O(objects + groupCount); an iterative walk of the tree.
    public func retention(groupedBy group: [UInt32], groupCount: Int) -> [GroupRetention] {
        precondition(group.count == snapshot.objectCount, "one group per object")
        var result = [GroupRetention](repeating: GroupRetention(), count: groupCount)
        for v in 0..<snapshot.objectCount where Int(group[v]) < groupCount {
            result[Int(group[v])].count += 1
            result[Int(group[v])].shallowBytes &+= snapshot.sizes[v]
        }
        // onPath[g]: objects of group g on the path from the virtual root to the current node.
        var onPath = [Int](repeating: 0, count: groupCount)
        let rootSlot = snapshot.objectCount
        var stack: [(node: Int, next: Int)] = [(rootSlot, Int(childStarts[rootSlot]))]
        while let top = stack.last {
            if top.next == Int(childStarts[top.node + 1]) {
                stack.removeLast()
                if top.node != rootSlot, Int(group[top.node]) < groupCount { onPath[Int(group[top.node])] -= 1 }
                continue
            }
            stack[stack.count - 1].next += 1
            let v = Int(children[top.next])
            let g = Int(group[v])
            if g < groupCount {
                if onPath[g] == 0 { result[g].retainedBytes &+= retainedSizes[v] }
                onPath[g] += 1
            }
            stack.append((v, Int(childStarts[v])))
        }
        return result
    }

    /// How many objects `object` immediately dominates (nil: the virtual root).
    /// - Complexity: O(1).
    public func childCount(of object: HeapSnapshot.ObjectIndex?) -> Int {
        let slot = object ?? snapshot.objectCount
        return Int(childStarts[slot + 1] - childStarts[slot])
    }

    /// The objects `object` immediately dominates (nil: the virtual root), largest retained size
    /// first, ties by index.
    /// - Complexity: O(c log c) for c children.
    public func childrenByRetainedSize(of object: HeapSnapshot.ObjectIndex?) -> [HeapSnapshot.ObjectIndex] {
        children(of: object).sorted { retainedSizes[$0] != retainedSizes[$1] ? retainedSizes[$0] > retainedSizes[$1] : $0 < $1 }
    }
}
