// DominatorTree+Retainers — the biggest retainers, by object and by type (Eclipse MAT's dominator
// tree view and its "group by class"), and leak suspects with their accumulation points.
import HeapGraph

/// The retained size of all objects of one type together.
public struct TypeRetention: Sendable, Hashable {
    /// The type name.
    public var type: String
    /// Live objects of the type.
    public var count: Int
    /// Their shallow bytes.
    public var shallowBytes: UInt64
    /// Bytes freed if every object of the type went: the sum of the retained sizes of the objects of
    /// the type that no other object of the same type dominates.
    public var retainedBytes: UInt64

    public init(type: String, count: Int, shallowBytes: UInt64, retainedBytes: UInt64) {
        self.type = type
        self.count = count
        self.shallowBytes = shallowBytes
        self.retainedBytes = retainedBytes
    }
}

/// An object that keeps more than a given share of the live heap alive (Eclipse MAT's leak suspect).
public struct LeakSuspect: Sendable, Hashable {
    /// The suspect: the top of a chain of big retainers in the dominator tree.
    public var object: HeapSnapshot.ObjectIndex
    /// Its retained size.
    public var retainedBytes: UInt64
    /// `retainedBytes` over the live heap's bytes.
    public var share: Double
    /// The accumulation point: the bottom of the chain, where no single child retains the share any
    /// more and the bytes spread over many smaller objects. May be `object` itself.
    public var accumulationPoint: HeapSnapshot.ObjectIndex
    /// The accumulation point's retained size.
    public var accumulationBytes: UInt64
    /// The dominator-tree chain from `object` down to `accumulationPoint`, both included.
    public var chain: [HeapSnapshot.ObjectIndex]

    public init(
        object: HeapSnapshot.ObjectIndex, retainedBytes: UInt64, share: Double,
        accumulationPoint: HeapSnapshot.ObjectIndex, accumulationBytes: UInt64, chain: [HeapSnapshot.ObjectIndex]
    ) {
        self.object = object
        self.retainedBytes = retainedBytes
        self.share = share
        self.accumulationPoint = accumulationPoint
        self.accumulationBytes = accumulationBytes
        self.chain = chain
    }
}

extension DominatorTree {
    /// The `count` live objects with the largest retained sizes, largest first, ties by index.
    /// - Complexity: O(objects · log count).
    public func topRetainers(_ count: Int) -> [HeapSnapshot.ObjectIndex] {
        guard count > 0 else { return [] }
        // `before(a, b)`: a ranks ahead of b.
        func before(_ a: Int, _ b: Int) -> Bool {
            retainedSizes[a] != retainedSizes[b] ? retainedSizes[a] > retainedSizes[b] : a < b
        }
        // A bounded min-heap (the weakest kept entry on top).
        var heap: [Int] = []
        heap.reserveCapacity(Swift.min(count, liveCount))
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var weakest = i
                if l < heap.count && before(heap[weakest], heap[l]) { weakest = l }
                if r < heap.count && before(heap[weakest], heap[r]) { weakest = r }
                if weakest == i { return }
                heap.swapAt(i, weakest)
                i = weakest
            }
        }
        for v in 0..<snapshot.objectCount where isReachable(v) {
            if heap.count < count {
                heap.append(v)
                var i = heap.count - 1
                while i > 0 {
                    let p = (i - 1) / 2
                    if before(heap[p], heap[i]) { heap.swapAt(p, i); i = p } else { break }
                }
            } else if before(v, heap[0]) {
                heap[0] = v
                siftDown(0)
            }
        }
        return heap.sorted(by: before)
    }

    /// Retained size by type, largest retained first (ties by type name), at most `count` entries.
    /// - Complexity: O(objects + types · log types); iterative walk of the tree.
    public func topRetainersByType(_ count: Int) -> [TypeRetention] {
        let typeCount = snapshot.typeNames.count
        var objects = [Int](repeating: 0, count: typeCount)
        var shallow = [UInt64](repeating: 0, count: typeCount)
        var retained = [UInt64](repeating: 0, count: typeCount)
        // onPath[t]: objects of type t on the path from the virtual root to the current node.
        var onPath = [Int](repeating: 0, count: typeCount)
        var stack: [(node: Int, next: Int)] = []
        let rootSlot = snapshot.objectCount
        stack.append((rootSlot, Int(childStarts[rootSlot])))
        while let top = stack.last {
            if top.next == Int(childStarts[top.node + 1]) {
                stack.removeLast()
                if top.node != rootSlot { onPath[Int(snapshot.typeIndices[top.node])] -= 1 }
                continue
            }
            stack[stack.count - 1].next += 1
            let v = Int(children[top.next])
            let t = Int(snapshot.typeIndices[v])
            objects[t] += 1
            shallow[t].addSaturated(snapshot.sizes[v])
            if onPath[t] == 0 { retained[t].addSaturated(retainedSizes[v]) }
            onPath[t] += 1
            stack.append((v, Int(childStarts[v])))
        }
        var result: [TypeRetention] = []
        for t in 0..<typeCount where objects[t] > 0 {
            result.append(
                TypeRetention(
                    type: snapshot.typeNames[t], count: objects[t], shallowBytes: shallow[t], retainedBytes: retained[t]))
        }
        result.sort { $0.retainedBytes != $1.retainedBytes ? $0.retainedBytes > $1.retainedBytes : $0.type < $1.type }
        return Array(result.prefix(Swift.max(count, 0)))
    }

    /// Leak suspects in Eclipse MAT's sense: objects retaining more than `threshold` of the live heap.
    ///
    /// The objects above the threshold form the top of the dominator tree (a dominator retains at
    /// least what it dominates). That top is cut into chains at its branch points (an object with
    /// two or more children above the threshold); each chain is one suspect: its top object is the
    /// suspect, its bottom object the accumulation point, below which no single object keeps the
    /// share and the bytes spread over smaller ones. Largest first, ties by index.
    /// - Complexity: O(objects).
    public func leakSuspects(threshold: Double = 0.10) -> [LeakSuspect] {
        guard liveBytes > 0 else { return [] }
        let limit = Double(liveBytes) * threshold
        func big(_ v: Int) -> Bool { Double(retainedSizes[v]) > limit }
        func bigChildren(_ slot: Int) -> [Int] {
            children[Int(childStarts[slot])..<Int(childStarts[slot + 1])].lazy.map { Int($0) }.filter(big)
        }
        var suspects: [LeakSuspect] = []
        var tops = bigChildren(snapshot.objectCount)
        while let top = tops.popLast() {
            var chain = [top]
            var current = top
            while true {
                let next = bigChildren(current)
                if next.count == 1 {
                    current = next[0]
                    chain.append(current)
                } else {
                    tops.append(contentsOf: next)
                    break
                }
            }
            suspects.append(
                LeakSuspect(
                    object: top, retainedBytes: retainedSizes[top], share: Double(retainedSizes[top]) / Double(liveBytes),
                    accumulationPoint: current, accumulationBytes: retainedSizes[current], chain: chain))
        }
        suspects.sort { $0.retainedBytes != $1.retainedBytes ? $0.retainedBytes > $1.retainedBytes : $0.object < $1.object }
        return suspects
    }
}
