// ObjectSelection — which objects the page embeds, so that its size is bounded by the options and not
// by the heap: the detailed objects (fields, referrers), the objects they name, and the chains of
// references from a root to each of them (the breadth-first tree, so each chain is a shortest one).
import HeapAnalysis
import HeapGraph

/// The objects of a report, in local numbering: detailed ones first (`0..<detailedCount`).
struct ObjectSelection {
    /// Local number → snapshot index.
    private(set) var objects: [Int] = []
    /// Snapshot index → local number, or -1.
    private(set) var local: [Int32]
    /// Locals below this have their fields and referrers embedded.
    private(set) var detailedCount = 0
    /// Whether the whole snapshot is embedded.
    let complete: Bool
    /// Dominator-tree nodes embedded (their children lists are written), by snapshot index.
    private(set) var inTree: [Bool]
    /// Breadth-first tree from the objects held from outside: the object and edge that first reached
    /// each object (`noNode` for held objects and garbage).
    let viaObject: [UInt32]
    let viaEdge: [UInt32]
    let held: [Bool]
    /// Per detailed local: the first fields (edge positions) and the first referrers (source, edge).
    private(set) var fields: [[Int]] = []
    private(set) var fieldTotals: [Int] = []
    private(set) var referrers: [[(source: Int, edge: Int)]] = []
    private(set) var referrerTotals: [Int] = []
    /// Per detailed local: the first non-retaining references (weak, shortcut), by weak-edge position.
    private(set) var weakFields: [[Int]] = []
    /// Whether the chain from a root to some embedded object was cut to bound the page.
    private(set) var chainsCut = false

    static let noNode = UInt32.max

    init(_ analyses: Analyses, options: HeapReport.Options, pictures: [CyclePicture], diff: SnapshotDiff?) {
        let snapshot = analyses.snapshot
        let dominators = analyses.dominators
        let n = snapshot.objectCount
        local = [Int32](repeating: -1, count: n)
        inTree = [Bool](repeating: false, count: n)
        complete = n <= options.embedAllUpTo
        held = snapshot.heldFromOutside()
        (viaObject, viaEdge) = Self.breadthFirst(snapshot, held: held)

        // 1. The detailed objects: what the sections show first, then the dominator tree's top.
        for s in analyses.suspects {
            insert(s.object)
            for v in Self.shownChain(s.chain) where v >= 0 { insert(v) }
        }
        for picture in pictures {
            insert(picture.cycle.root)
            for v in picture.cycle.members.prefix(300) { insert(v) }
            for v in picture.cycle.hangers.prefix(100) { insert(v) }
        }
        if let diff {
            let newest = diff.newObjects.sorted {
                dominators.retainedSizes[$0] != dominators.retainedSizes[$1]
                    ? dominators.retainedSizes[$0] > dominators.retainedSizes[$1] : $0 < $1
            }
            for v in newest.prefix(50) { insert(v) }
        }
        if complete {
            for v in 0..<n {
                if dominators.isReachable(v) { inTree[v] = true }
                insert(v)
            }
        } else {
            for v in Self.largestRetainers(dominators, budget: options.detailedObjects) {
                inTree[v] = true
                insert(v)
            }
        }
        detailedCount = objects.count

        // 2. Their fields and referrers, which become embedded (undetailed) objects too.
        let cap = max(options.referencesPerObject, 0)
        fields = [[Int]](repeating: [], count: detailedCount)
        fieldTotals = [Int](repeating: 0, count: detailedCount)
        referrers = [[(source: Int, edge: Int)]](repeating: [], count: detailedCount)
        referrerTotals = [Int](repeating: 0, count: detailedCount)
        for k in 0..<detailedCount {
            let range = snapshot.edgeRange(of: objects[k])
            fieldTotals[k] = range.count
            fields[k] = Array(range.prefix(cap))
        }
        weakFields = (0..<detailedCount).map { k in
            snapshot.hasNonRetainingReferences ? Array(snapshot.weakEdgeRange(of: objects[k]).prefix(cap)) : []
        }
        snapshot.edgeTargets.withUnsafeBufferPointer { targets in
            for v in 0..<n {
                for e in snapshot.edgeRange(of: v) {
                    let k = Int(local[Int(targets[e])])
                    guard k >= 0 && k < detailedCount else { continue }
                    referrerTotals[k] += 1
                    if referrers[k].count < cap { referrers[k].append((v, e)) }
                }
            }
        }
        for k in 0..<detailedCount {
            for e in fields[k] { insert(Int(snapshot.edgeTargets[e])) }
            for e in weakFields[k] { insert(Int(snapshot.weakEdgeTargets[e])) }
            for r in referrers[k] { insert(r.source) }
        }

        // 3. The chain from a root to every embedded object: the breadth-first parents, closed
        // under "parent of", up to a bound (a million-long list would otherwise embed itself).
        let chainBudget = objects.count + max(50_000, 4 * options.detailedObjects)
        var k = 0
        while k < objects.count {
            let parent = viaObject[objects[k]]
            if parent != Self.noNode && local[Int(parent)] < 0 {
                if objects.count < chainBudget { insert(Int(parent)) } else { chainsCut = true }
            }
            k += 1
        }
    }

    /// The part of a suspect's dominator chain the page shows: all of a short one, else its first 4
    /// and last 3 objects with -1 for the gap (a linked list's chain is as long as the list).
    static func shownChain(_ chain: [Int]) -> [Int] {
        chain.count <= 8 ? chain : Array(chain.prefix(4)) + [-1] + Array(chain.suffix(3))
    }

    /// Adds `v` (once) and returns its local number.
    @discardableResult
    private mutating func insert(_ v: Int) -> Int {
        if local[v] >= 0 { return Int(local[v]) }
        local[v] = Int32(objects.count)
        objects.append(v)
        return objects.count - 1
    }

    /// The local number of snapshot object `v`, if embedded.
    func localNumber(of v: Int) -> Int? {
        local[v] >= 0 ? Int(local[v]) : nil
    }

    /// The `budget` objects of the dominator tree with the largest retained sizes, taken from the top
    /// down (so every one's dominator is taken before it): a best-first walk from the virtual root.
    /// - Complexity: O(budget · log budget + children of the objects taken).
    static func largestRetainers(_ dominators: DominatorTree, budget: Int) -> [Int] {
        let retained = dominators.retainedSizes
        func before(_ a: Int, _ b: Int) -> Bool { retained[a] != retained[b] ? retained[a] > retained[b] : a < b }
        var heap: [Int] = []
        func push(_ v: Int) {
            heap.append(v)
            var i = heap.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                guard before(heap[i], heap[p]) else { break }
                heap.swapAt(i, p)
                i = p
            }
        }
        func pop() -> Int? {
            guard let first = heap.first else { return nil }
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var best = i
                    if l < heap.count && before(heap[l], heap[best]) { best = l }
                    if r < heap.count && before(heap[r], heap[best]) { best = r }
                    if best == i { break }
                    heap.swapAt(i, best)
                    i = best
                }
            }
            return first
        }
        for v in dominators.children(of: nil) { push(v) }
        var taken: [Int] = []
        while taken.count < budget, let v = pop() {
            taken.append(v)
            for c in dominators.children(of: v) { push(c) }
        }
        return taken
    }

    /// Breadth-first search over retaining references from the held objects in index order, fields
    /// in order: what `heapscan path` follows, so the page's chains are the same shortest chains.
    /// - Complexity: O(objects + edges).
    static func breadthFirst(_ snapshot: HeapSnapshot, held: [Bool]) -> (object: [UInt32], edge: [UInt32]) {
        let n = snapshot.objectCount
        var viaObject = [UInt32](repeating: noNode, count: n)
        var viaEdge = [UInt32](repeating: noNode, count: n)
        var seen = held
        var queue: [UInt32] = []
        queue.reserveCapacity(n)
        for v in 0..<n where held[v] { queue.append(UInt32(v)) }
        var head = 0
        snapshot.edgeTargets.withUnsafeBufferPointer { targets in
            while head < queue.count {
                let v = Int(queue[head])
                head += 1
                for e in snapshot.edgeRange(of: v) {
                    let w = Int(targets[e])
                    if seen[w] { continue }
                    seen[w] = true
                    viaObject[w] = UInt32(v)
                    viaEdge[w] = UInt32(e)
                    queue.append(UInt32(w))
                }
            }
        }
        return (viaObject, viaEdge)
    }
}
