// ReferenceKindPropertyTests — weak and shortcut references never keep anything alive: adding them to
// random heaps changes no analysis result, and under the `roots` rule only roots hold objects.
import Foundation
import HeapAnalysis
import HeapGraph
import Testing
import HeapscanTestSupport

@Suite struct ReferenceKindPropertyTests {
    /// `heap`'s snapshot plus `extra` non-retaining references (weak or shortcut, alternately), given
    /// between positions of `heap` and added interleaved with the strong ones.
    static func withNonRetaining(_ heap: RandomHeap, _ extra: [(from: Int, to: Int)], liveness: Liveness = .refcount) -> HeapSnapshot {
        var b = HeapSnapshot.Builder()
        for v in (0..<heap.count).reversed() {
            b.add(id: heap.ids[v], type: heap.types[v], size: heap.sizes[v], refcount: heap.refcounts[v])
        }
        var pending = extra[...]
        for (k, e) in heap.edges.enumerated() {
            b.reference(from: heap.ids[e.from], to: heap.ids[e.to], name: e.field)
            if k % 2 == 0, let w = pending.popFirst() {
                b.reference(from: heap.ids[w.from], to: heap.ids[w.to], name: "w", kind: k % 4 == 0 ? .weak : .shortcut)
            }
        }
        for w in pending { b.reference(from: heap.ids[w.from], to: heap.ids[w.to], name: "w", kind: .weak) }
        for r in heap.roots { b.root(heap.ids[r], name: "r\(r)") }
        b.liveness = liveness
        return b.build()
    }

    static func randomExtra(_ heap: RandomHeap, _ rng: inout SplitMix64) -> [(from: Int, to: Int)] {
        guard heap.count > 0 else { return [] }
        return (0..<Int.random(in: 0...(2 * heap.count), using: &rng)).map { _ in
            (Int.random(in: 0..<heap.count, using: &rng), Int.random(in: 0..<heap.count, using: &rng))
        }
    }

    @Test func nonRetainingReferencesChangeNoResult() {
        var rng = SplitMix64(seed: 41)
        for round in 0..<1500 {
            let heap = RandomHeap.make(&rng)
            let plain = heap.snapshot()
            let extra = Self.randomExtra(heap, &rng)
            let weak = Self.withNonRetaining(heap, extra)
            #expect(weak.weakEdgeCount == extra.count, "round \(round)")
            #expect(weak.heldFromOutside() == plain.heldFromOutside(), "round \(round)")
            #expect(weak.garbage() == plain.garbage(), "round \(round)")
            let (a, b) = (DominatorTree(plain), DominatorTree(weak))
            #expect(a.dominators == b.dominators && a.retainedSizes == b.retainedSizes, "round \(round)")
            let (la, lb) = (LeakAnalysis(plain), LeakAnalysis(weak))
            #expect(la.garbage == lb.garbage && la.cycles == lb.cycles, "round \(round)")
            for v in 0..<heap.count {
                #expect(plain.shortestPathFromOutside(to: v) == weak.shortestPathFromOutside(to: v), "round \(round)")
            }
            // Every reference is still there, retaining ones first, with its kind.
            for v in 0..<heap.count {
                let refs = weak.references(of: v)
                #expect(refs.filter { $0.kind.retains }.count == weak.edgeRange(of: v).count)
                #expect(refs.filter { !$0.kind.retains }.allSatisfy { $0.name == "w" })
            }
        }
    }

    /// Paths asked to go through weak references are shortest in the graph of all references.
    @Test func pathsThroughWeakReferencesAreShortestOverAllReferences() {
        var rng = SplitMix64(seed: 43)
        for _ in 0..<800 {
            let heap = RandomHeap.make(&rng)
            let extra = Self.randomExtra(heap, &rng)
            let s = Self.withNonRetaining(heap, extra)
            let all = heap.edges.map { ($0.from, $0.to) } + extra.map { ($0.from, $0.to) }
            var distance = [Int?](repeating: nil, count: heap.count)
            var frontier = heap.heldList
            for v in frontier { distance[v] = 0 }
            var level = 0
            while !frontier.isEmpty {
                level += 1
                var next: [Int] = []
                for v in frontier { for (a, b) in all where a == v && distance[b] == nil { distance[b] = level; next.append(b) } }
                frontier = next
            }
            for v in 0..<heap.count {
                let path = s.shortestPathFromOutside(to: v, throughNonRetaining: true)
                #expect(path?.steps.count == distance[v])
                guard let path else { continue }
                #expect(path.end == v && heap.held[path.start])
                // Each step is a real reference of the object before it, of the kind it says.
                var from = path.start
                for step in path.steps {
                    let refs = s.references(of: from)
                    #expect(refs.contains { $0.target == step.object && $0.kind == step.kind })
                    from = step.object
                }
                _ = path.description(in: s)
            }
        }
    }

    @Test func reachableOnlyThroughWeakReferencesIsUnreachable() {
        var b = HeapSnapshot.Builder()
        let root = b.add("Cache", size: 32)
        let value = b.add("Value", size: 1000)
        let child = b.add("Leaf", size: 10)
        b.reference(from: root, to: value, name: "referent", kind: .weak)
        b.reference(from: value, to: child, name: "leaf")
        b.root(root, name: "static cache", kind: .stickyClass)
        b.liveness = .roots
        let s = b.build()
        #expect(s.garbage() == [1, 2])
        let tree = DominatorTree(s)
        #expect(tree.retainedSize(of: 0) == 32 && !tree.isReachable(1))
        #expect(s.shortestPathFromOutside(to: 1) == nil)
    }

    @Test func rootsRuleIgnoresRefcounts() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let heap = RandomHeap.make(&rng)
            let s = Self.withNonRetaining(heap, Self.randomExtra(heap, &rng), liveness: .roots)
            var held = [Bool](repeating: false, count: heap.count)
            for r in heap.roots { held[r] = true }
            #expect(s.heldFromOutside() == held)
            #expect(s.reachableFromOutside() == heap.reach(from: heap.roots, removing: []))
        }
    }

    /// The proof: a roots-rule JSON heap with no refcounts and weak references — `garbage`
    /// is exactly what roots cannot reach through strong references; retained sizes ignore weak ones.
    @Test func rootsOnlyJSONHeap() throws {
        let text = """
            {"heapscan": 1, "liveness": "roots", "runtime": "test VM 1.0",
             "objects": [
              {"id": 1, "type": "Main", "size": 10, "refs": [{"to": 2, "name": "cache"}, {"to": 5, "name": "ghost", "kind": "weak"}]},
              {"id": 2, "type": "Cache", "size": 20, "refs": [{"to": 3, "name": "referent", "kind": "weak"}, {"to": 4, "name": "meta", "kind": "internal"}]},
              {"id": 3, "type": "Value", "size": 300},
              {"id": 4, "type": "Meta", "size": 40},
              {"id": 5, "type": "Ring", "size": 50, "refs": [{"to": 6, "name": "next"}]},
              {"id": 6, "type": "Ring", "size": 60, "refs": [{"to": 5, "name": "next"}]}],
             "roots": [{"to": 1, "name": "main thread", "kind": "thread"}]}
            """
        let s = try HeapSnapshot(jsonData: Data(text.utf8))
        #expect(s.liveness == .roots && s.runtime == "test VM 1.0")
        #expect(s.roots == [HeapSnapshot.Root(object: 0, kind: .thread, name: "main thread")])
        #expect(s.garbage().map { s.ids[$0] } == [3, 5, 6])
        let tree = DominatorTree(s)
        #expect(tree.retainedSize(of: 0) == 70 && tree.retainedSize(of: 1) == 60)
        let leaks = LeakAnalysis(s)
        #expect(leaks.cycles.map { Set($0.members.map { s.ids[$0] }) } == [[5, 6]])
        #expect(s.kind(ofEdge: s.edgeRange(of: 1).lowerBound) == .internal)
        // Both formats keep every kind.
        #expect(try HeapSnapshot(dumpData: s.dumpData()) == s)
        #expect(try HeapSnapshot(jsonData: s.jsonData()).firstDifference(from: s) == nil)
    }
}
