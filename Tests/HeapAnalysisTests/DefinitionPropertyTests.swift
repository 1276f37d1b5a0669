// DefinitionPropertyTests — every analysis checked against its definition on a few thousand small
// random heaps: liveness and garbage, components by mutual reachability, dominators by deletion,
// retained size by deleting and recounting, shortest paths by plain BFS.
import HeapAnalysis
import HeapGraph
import Testing
import HeapscanTestSupport

@Suite struct DefinitionPropertyTests {
    static let rounds = 1500

    func forEachHeap(seed: UInt64, _ body: (RandomHeap, HeapSnapshot) -> Void) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<Self.rounds {
            let heap = RandomHeap.make(&rng)
            body(heap, heap.snapshot())
        }
    }

    @Test func livenessMatchesDefinition() {
        forEachHeap(seed: 1) { heap, snapshot in
            #expect(snapshot.heldFromOutside() == heap.held)
            #expect(snapshot.reachableFromOutside() == heap.alive)
            #expect(snapshot.garbage() == heap.garbage)
        }
    }

    @Test func componentsAreMutualReachability() {
        forEachHeap(seed: 2) { heap, snapshot in
            let labels = ComponentLabels(snapshot)
            let reach = (0..<heap.count).map { heap.reach(from: [$0]) }
            for a in 0..<heap.count {
                for b in 0..<heap.count {
                    let same = reach[a][b] && reach[b][a]
                    #expect((labels.component[a] == labels.component[b]) == same)
                }
            }
            // Reverse topological numbering: references never go to a higher component.
            for e in heap.edges { #expect(labels.component[e.from] >= labels.component[e.to]) }
            #expect(Set(labels.component).count == labels.count)
        }
    }

    @Test func restrictedComponentsIgnoreOtherObjects() {
        forEachHeap(seed: 3) { heap, snapshot in
            let include = (0..<heap.count).map { $0 % 2 == 0 }
            let labels = ComponentLabels(snapshot, include: include)
            let reach = (0..<heap.count).map { heap.reach(from: [$0], restrictedTo: include) }
            for a in 0..<heap.count {
                guard include[a] else { #expect(labels.component[a] == .max); continue }
                for b in 0..<heap.count where include[b] {
                    #expect((labels.component[a] == labels.component[b]) == (reach[a][b] && reach[b][a]))
                }
            }
        }
    }

    @Test func dominatorsMatchDeletion() {
        forEachHeap(seed: 4) { heap, snapshot in
            let tree = DominatorTree(snapshot)
            let alive = heap.alive
            let sources = heap.heldList
            let totalAlive = (0..<heap.count).filter { alive[$0] }.reduce(UInt64(0)) { $0 + heap.sizes[$1] }
            #expect(tree.liveBytes == totalAlive)
            for v in 0..<heap.count {
                guard alive[v] else {
                    #expect(tree.immediateDominator(of: v) == nil)
                    #expect(tree.retainedSize(of: v) == 0)
                    #expect(!tree.isReachable(v))
                    continue
                }
                // Strict dominators by definition: removing d cuts v off from the virtual root.
                var strict = Set<Int>()
                for d in 0..<heap.count where d != v && alive[d] {
                    if !heap.reach(from: sources, removing: [d])[v] { strict.insert(d) }
                }
                var chain = Set<Int>()
                var x = v
                while let d = tree.immediateDominator(of: x) { chain.insert(d); x = d }
                #expect(chain == strict, "object \(v)")
                // Retained size: delete v and recount what stays alive.
                let without = heap.reach(from: sources, removing: [v])
                let stays = (0..<heap.count).filter { without[$0] }.reduce(UInt64(0)) { $0 + heap.sizes[$1] }
                #expect(tree.retainedSize(of: v) == totalAlive - stays, "object \(v)")
            }
        }
    }

    @Test func shortestPathsMatchBreadthFirstDistance() {
        forEachHeap(seed: 5) { heap, snapshot in
            let held = heap.held
            // Plain BFS distances from the held objects.
            var distance = [Int?](repeating: nil, count: heap.count)
            var frontier = heap.heldList
            for s in frontier { distance[s] = 0 }
            var level = 0
            while !frontier.isEmpty {
                level += 1
                var next: [Int] = []
                for v in frontier {
                    for e in heap.edges where e.from == v && distance[e.to] == nil {
                        distance[e.to] = level
                        next.append(e.to)
                    }
                }
                frontier = next
            }
            for v in 0..<heap.count {
                let path = snapshot.shortestPathFromOutside(to: v)
                #expect((path == nil) == (distance[v] == nil))
                guard let path, let d = distance[v] else { continue }
                #expect(path.steps.count == d)
                #expect(held[path.start])
                #expect(path.end == v)
                expectValid(path, in: snapshot)
                let all = snapshot.pathsFromOutside(to: v, limit: 5)
                #expect(!all.isEmpty && all.count <= 5)
                #expect(all.first == path)
                for p in all {
                    expectValid(p, in: snapshot)
                    #expect(p.end == v && held[p.start])
                }
                #expect(Set(all).count == all.count)
            }
        }
    }

    @Test func forwardChainsAreShortest() {
        forEachHeap(seed: 6) { heap, snapshot in
            guard heap.count > 0 else { return }
            let target = heap.count - 1
            for start in 0..<heap.count {
                let chain = snapshot.referenceChain(from: start, toFirst: { $0 == target })
                let reachable = heap.reach(from: [start])[target]
                #expect((chain != nil) == reachable)
                guard let chain else { continue }
                #expect(chain.start == start && chain.end == target)
                expectValid(chain, in: snapshot)
                // No shorter chain: nothing at fewer steps is the target (BFS layers).
                var layer: Set<Int> = [start]
                var seen: Set<Int> = [start]
                for _ in 0..<chain.steps.count {
                    #expect(!layer.contains(target))
                    var next = Set<Int>()
                    for e in heap.edges where layer.contains(e.from) && seen.insert(e.to).inserted { next.insert(e.to) }
                    layer = next
                }
            }
        }
    }

    func expectValid(_ path: ReferencePath, in snapshot: HeapSnapshot) {
        var previous = path.start
        for step in path.steps {
            #expect(snapshot.edgeRange(of: previous).contains(step.edge))
            #expect(Int(snapshot.edgeTargets[step.edge]) == step.object)
            #expect(snapshot.fieldName(ofEdge: step.edge) == step.field)
            previous = step.object
        }
    }
}
