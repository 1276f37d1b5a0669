// LeakPropertyTests — cycles, hangers and roots on random heaps, checked against their definitions,
// and the promise the live collector relies on: the garbage alone gives the same cycles.
import HeapAnalysis
import HeapGraph
import Testing
import HeapscanTestSupport

@Suite struct LeakPropertyTests {
    @Test func cyclesAreTheCyclicComponentsOfTheGarbage() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<1500 {
            let heap = RandomHeap.make(&rng, density: 2)
            let snapshot = heap.snapshot()
            let analysis = LeakAnalysis(snapshot)
            #expect(analysis.garbage == heap.garbage)
            var isGarbage = [Bool](repeating: false, count: heap.count)
            for v in heap.garbage { isGarbage[v] = true }
            let reach = (0..<heap.count).map { heap.reach(from: [$0], restrictedTo: isGarbage) }
            func component(_ v: Int) -> Set<Int> { Set(heap.garbage.filter { reach[v][$0] && reach[$0][v] }) }
            func isCyclic(_ v: Int) -> Bool {
                component(v).count > 1 || heap.edges.contains { $0.from == v && $0.to == v }
            }
            // Every cyclic garbage object is in exactly one cycle, whose members are its component.
            var covered = Set<Int>()
            for cycle in analysis.cycles {
                #expect(Set(cycle.members) == component(cycle.root))
                #expect(cycle.members.first == cycle.root)
                #expect(cycle.members.count == Set(cycle.members).count)
                covered.formUnion(cycle.members)
                let bytes = (cycle.members + cycle.hangers).reduce(UInt64(0)) { $0 + heap.sizes[$1] }
                #expect(cycle.retainedBytes == bytes)
                #expect(cycle.signature.count == 16)
            }
            #expect(covered == Set(heap.garbage.filter(isCyclic)))
            // Ranking.
            for (a, b) in zip(analysis.cycles, analysis.cycles.dropFirst()) {
                #expect(a.retainedBytes >= b.retainedBytes)
            }
            // Hangers: acyclic garbage whose nearest dominating cycle (from the garbage sources) is this one.
            let componentOf = heap.garbage.map { (v: $0, c: component($0)) }
            let sources = componentOf.filter { entry in
                !heap.edges.contains { isGarbage[$0.from] && !entry.c.contains($0.from) && entry.c.contains($0.to) }
            }.map(\.v)
            func dominates(_ members: Set<Int>, _ h: Int) -> Bool {
                !heap.reach(from: sources, removing: members, restrictedTo: isGarbage)[h]
            }
            var hung = Set<Int>()
            for cycle in analysis.cycles {
                let members = Set(cycle.members)
                for h in cycle.hangers {
                    #expect(!isCyclic(h) && isGarbage[h])
                    #expect(dominates(members, h))
                    // Any other cycle dominating h dominates this cycle too (this one is the nearest).
                    for other in analysis.cycles where other != cycle && dominates(Set(other.members), h) {
                        #expect(dominates(Set(other.members), cycle.root))
                    }
                    hung.insert(h)
                }
            }
            // Acyclic garbage hangs on some cycle exactly when some cycle dominates it.
            for v in heap.garbage where !isCyclic(v) {
                let dominated = analysis.cycles.contains { dominates(Set($0.members), v) }
                #expect(hung.contains(v) == dominated)
                #expect(analysis.acyclicGarbage.contains(v) == !dominated)
            }
            // Root rule, step 1: the root is entered from outside the cycle when any member is.
            for cycle in analysis.cycles {
                let members = Set(cycle.members)
                let entered = members.filter { m in heap.edges.contains { isGarbage[$0.from] && !members.contains($0.from) && $0.to == m } }
                if !entered.isEmpty { #expect(entered.contains(cycle.root)) }
            }
        }
    }

    /// The live collector snapshots only the garbage (no roots, no refcounts, new positions): the
    /// cycles, roots, hangers and signatures must be the same, object for object (by id).
    @Test func garbageAloneGivesTheSameCycles() {
        var rng = SplitMix64(seed: 12)
        for _ in 0..<1500 {
            let heap = RandomHeap.make(&rng, density: 2)
            let full = heap.snapshot()
            let analysis = LeakAnalysis(full)
            let garbage = Set(analysis.garbage)
            var b = HeapSnapshotBuilder()
            for v in analysis.garbage.reversed() { b.add(id: heap.ids[v], type: heap.types[v], size: heap.sizes[v]) }
            for e in heap.edges where garbage.contains(e.from) && garbage.contains(e.to) {
                b.reference(from: heap.ids[e.from], to: heap.ids[e.to], name: e.field)
            }
            let alone = b.build()
            let again = LeakAnalysis(alone)
            #expect(again.garbage.count == analysis.garbage.count)
            func byID(_ s: HeapSnapshot, _ c: GarbageCycle) -> [String] {
                [String(s.ids[c.root]), c.members.map { String(s.ids[$0]) }.joined(separator: ","),
                 c.hangers.map { String(s.ids[$0]) }.joined(separator: ","), String(c.retainedBytes), c.signature]
            }
            #expect(analysis.cycles.map { byID(full, $0) } == again.cycles.map { byID(alone, $0) })
        }
    }

    /// Signatures ignore ids and where the walk starts: the same shapes with other ids agree.
    @Test func signaturesIgnoreIDs() {
        var rng = SplitMix64(seed: 13)
        for _ in 0..<500 {
            let heap = RandomHeap.make(&rng, density: 2)
            var shifted = heap
            // Same order of ids (so the same root ties), different values.
            shifted.ids = heap.ids.map { $0 * 7 + 1000 }
            let a = LeakAnalysis(heap.snapshot())
            let b = LeakAnalysis(shifted.snapshot())
            #expect(a.cycles.map(\.signature) == b.cycles.map(\.signature))
            #expect(a.cycles.map(\.members) == b.cycles.map(\.members))
        }
        // A three-cycle gets one signature whichever member is oldest.
        func ring(_ first: Int) -> String {
            var b = HeapSnapshotBuilder()
            let types = ["A", "B", "C"]
            for k in 0..<3 { b.add(id: UInt64(k + 1), type: types[(k + first) % 3], size: 8) }
            for k in 0..<3 { b.reference(from: UInt64(k + 1), to: UInt64((k + 1) % 3 + 1), name: "to" + types[(k + first + 1) % 3]) }
            return LeakAnalysis(b.build()).cycles[0].signature
        }
        #expect(ring(0) == ring(1) && ring(1) == ring(2))
        // A different field name changes it.
        var other = HeapSnapshotBuilder()
        for k in 0..<3 { other.add(id: UInt64(k + 1), type: ["A", "B", "C"][k], size: 8) }
        for k in 0..<3 { other.reference(from: UInt64(k + 1), to: UInt64((k + 1) % 3 + 1), name: "x") }
        #expect(LeakAnalysis(other.build()).cycles[0].signature != ring(0))
    }
}
