// RandomHeaps — a seeded generator of small heaps and the brute-force definitions the analyses are
// checked against (plain reachability on adjacency lists, nothing shared with the code under test).
import HeapGraph
import HeapscanTestSupport

/// A small heap as plain lists, and its snapshot.
struct RandomHeap {
    var ids: [UInt64]
    var types: [String]
    var sizes: [UInt64]
    var refcounts: [UInt32?]
    var edges: [(from: Int, to: Int, field: String)]
    var roots: [Int]

    /// `n` objects (ids with gaps, added in shuffled order), about `density` × n references
    /// (self-loops and repeated references included), a few roots and some refcounts.
    static func make(_ rng: inout SplitMix64, maxObjects: Int = 12, density: Double = 1.5) -> RandomHeap {
        let n = Int.random(in: 0...maxObjects, using: &rng)
        var ids: [UInt64] = []
        var id: UInt64 = UInt64.random(in: 1...5, using: &rng)
        for _ in 0..<n { ids.append(id); id += UInt64.random(in: 1...3, using: &rng) }
        let typeNames = ["Node", "Leaf", "Box", "List"]
        let fieldNames = ["next", "prev", "item", "owner"]
        let types = (0..<n).map { _ in typeNames.randomElement(using: &rng)! }
        let sizes = (0..<n).map { _ in UInt64.random(in: 1...100, using: &rng) }
        var edges: [(Int, Int, String)] = []
        if n > 0 {
            let m = Int((Double(n) * Double.random(in: 0...density, using: &rng)).rounded())
            for _ in 0..<m {
                edges.append(
                    (Int.random(in: 0..<n, using: &rng), Int.random(in: 0..<n, using: &rng),
                     fieldNames.randomElement(using: &rng)!))
            }
        }
        var roots: [Int] = []
        if n > 0 { for _ in 0..<Int.random(in: 0...2, using: &rng) { roots.append(Int.random(in: 0..<n, using: &rng)) } }
        var incoming = [Int](repeating: 0, count: n)
        for e in edges { incoming[e.1] += 1 }
        let refcounts: [UInt32?] = (0..<n).map { v in
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return nil
            case 1: return UInt32(incoming[v] + 1)  // held from outside by one count
            default: return UInt32(incoming[v])  // fully explained by the heap
            }
        }
        return RandomHeap(ids: ids, types: types, sizes: sizes, refcounts: refcounts, edges: edges, roots: roots)
    }

    var count: Int { ids.count }

    /// The snapshot, objects added in a scrambled order (the builder sorts by id).
    func snapshot(order: [Int]? = nil) -> HeapSnapshot {
        var b = HeapSnapshotBuilder()
        for v in order ?? Array((0..<count).reversed()) {
            b.add(id: ids[v], type: types[v], size: sizes[v], refcount: refcounts[v])
        }
        for e in edges { b.reference(from: ids[e.from], to: ids[e.to], name: e.field) }
        for r in roots { b.root(ids[r], name: "r\(r)") }
        return b.build()
    }

    /// Objects held from outside, by definition.
    var held: [Bool] {
        var held = [Bool](repeating: false, count: count)
        for r in roots { held[r] = true }
        var incoming = [Int](repeating: 0, count: count)
        for e in edges { incoming[e.to] += 1 }
        for v in 0..<count { if let r = refcounts[v], Int(r) > incoming[v] { held[v] = true } }
        return held
    }

    /// Objects reachable from `sources` without passing through `removed`.
    func reach(from sources: [Int], removing removed: Set<Int> = [], restrictedTo allowed: [Bool]? = nil) -> [Bool] {
        var seen = [Bool](repeating: false, count: count)
        var work: [Int] = []
        for s in sources where !removed.contains(s) && (allowed?[s] ?? true) && !seen[s] { seen[s] = true; work.append(s) }
        while let v = work.popLast() {
            for e in edges where e.from == v && !seen[e.to] && !removed.contains(e.to) && (allowed?[e.to] ?? true) {
                seen[e.to] = true
                work.append(e.to)
            }
        }
        return seen
    }

    var heldList: [Int] { (0..<count).filter { held[$0] } }
    var alive: [Bool] { reach(from: heldList) }
    var garbage: [Int] { (0..<count).filter { !alive[$0] } }
}
