// EdgeCaseTests — empty heaps, million-long chains and cycles (no stack overflow), huge fan-in,
// larger random graphs for the dominator tree, and hostile text in reports.
import HeapAnalysis
import HeapGraph
import Testing
import HeapscanTestSupport

@Suite struct EdgeCaseTests {
    /// A snapshot from columns: `next[v]` lists v's references; every object "Node", 16 bytes.
    static func columns(_ n: Int, roots: [Int], references: (Int) -> [Int]) throws -> HeapSnapshot {
        var b = HeapSnapshot.Builder(objectCapacity: n)
        let node = b.internType("Node"), next = b.internFieldName("next")
        for v in 0..<n {
            b.addObject(id: UInt64(v + 1), typeIndex: node, size: 16, generation: 0)
            for w in references(v) { b.addReference(from: v, to: w, nameIndex: next) }
        }
        for r in roots { b.addRoot(r, kind: .global, name: "head") }
        return try b.build(unknownReferences: .reject)
    }

    @Test func emptyHeap() {
        let s = HeapSnapshot.empty
        #expect(s.heldFromOutside().isEmpty && s.reachableFromOutside().isEmpty && s.garbage().isEmpty)
        let leaks = LeakAnalysis(s)
        #expect(leaks.garbage.isEmpty && leaks.cycles.isEmpty)
        #expect(leaks.report() == "0 garbage objects, 0 cycles\n")
        let tree = DominatorTree(s)
        #expect(tree.liveCount == 0 && tree.liveBytes == 0)
        #expect(tree.topRetainers(5).isEmpty && tree.topRetainersByType(5).isEmpty && tree.leakSuspects().isEmpty)
        #expect(ComponentLabels(s).count == 0)
        #expect(s.neighbourhood(of: [], direction: .referrers).nodes.isEmpty)
        #expect(s.typeHistogram().isEmpty && s.siteHistogram().isEmpty)
        let diff = SnapshotDiff(before: s, after: s)
        #expect(diff.newObjects.isEmpty && diff.freedObjects.isEmpty && diff.byType.isEmpty)
    }

    @Test func millionLongLiveChain() throws {
        let n = 1_000_000
        let s = try Self.columns(n, roots: [0]) { $0 + 1 < n ? [$0 + 1] : [] }
        #expect(s.garbage().isEmpty)
        let tree = DominatorTree(s)
        #expect(tree.retainedSize(of: 0) == UInt64(16 * n))
        #expect(tree.immediateDominator(of: n - 1) == n - 2)
        #expect(tree.retainedSize(of: n - 1) == 16)
        #expect(tree.topRetainers(2) == [0, 1])
        let suspect = try #require(tree.leakSuspects().first)
        #expect(suspect.object == 0 && suspect.chain.count == suspect.accumulationPoint + 1)
        #expect(ComponentLabels(s).count == n)
        let path = try #require(s.shortestPathFromOutside(to: n - 1))
        #expect(path.steps.count == n - 1)
        #expect(s.referenceChain(from: 0, toFirst: { $0 == n - 1 })?.steps.count == n - 1)
        let drawn = s.neighbourhood(of: [n - 1], direction: .referrers, maxDepth: 3)
        #expect(drawn.nodes.map(\.object) == [n - 1, n - 2, n - 3, n - 4])
    }

    @Test func millionLongGarbageCycle() throws {
        let n = 1_000_000
        let s = try Self.columns(n, roots: []) { [($0 + 1) % n] }
        let leaks = LeakAnalysis(s)
        #expect(leaks.garbage.count == n)
        let cycle = try #require(leaks.cycles.first)
        #expect(leaks.cycles.count == 1 && cycle.members.count == n && cycle.root == 0)
        #expect(cycle.members[1] == 1 && cycle.members.last == n - 1)
        #expect(cycle.retainedBytes == UInt64(16 * n))
        let tree = leaks.tree(of: cycle, limit: 3)
        #expect(tree.hasSuffix("... \(n - 2) more lines\n"))
        let labels = ComponentLabels(s)
        #expect(labels.count == 1)
        let collapsed = s.neighbourhood(of: [0], direction: .references, maxDepth: 5, collapseComponents: true)
        #expect(collapsed.nodes.count == 6 && collapsed.components.isEmpty)
    }

    @Test func hugeFanIn() throws {
        // 0 = hub (root) → 1...k leaves → sink (k + 1).
        let k = 200_000
        let s = try Self.columns(k + 2, roots: [0]) { v in
            v == 0 ? Array(1...k) : v <= k ? [k + 1] : []
        }
        let tree = DominatorTree(s)
        #expect(tree.immediateDominator(of: k + 1) == 0)
        #expect(tree.retainedSize(of: 0) == UInt64(16 * (k + 2)))
        #expect(tree.children(of: 0).count == k + 1)
        let paths = s.pathsFromOutside(to: k + 1, limit: 3)
        // The shortest chain, then one per other referrer: leaf 2, leaf 3 (leaf 1's is the shortest).
        #expect(paths.map { $0.steps.map(\.object) } == [[1, k + 1], [2, k + 1], [3, k + 1]])
        let back = s.neighbourhood(of: [k + 1], direction: .referrers, maxDepth: 1, tooMany: 10)
        #expect(back.nodes.count == 11)
        #expect(back.nodes[0].omitted == k - 10)
        #expect(back.edges.count == 10)
    }

    /// A cycle (0 ⇄ 1) above two long parallel garbage chains with rungs (A_i → B_i): every B_i has
    /// a referrer deep in the other chain, the shape that makes dominator intersection quadratic.
    @Test func ladderUnderACycleHangsOnIt() throws {
        let length = 50_000
        // 0, 1: the cycle; A_i = 2 + 2i, B_i = 3 + 2i.
        let s = try Self.columns(2 + 2 * length, roots: []) { v in
            switch v {
            case 0: return [1, 2]
            case 1: return [0, 3]
            default:
                let i = (v - 2) / 2
                let isA = v % 2 == 0
                let next = i + 1 < length ? [v + 2] : []
                return isA ? next + [v + 1] : next
            }
        }
        let leaks = LeakAnalysis(s)
        let cycle = try #require(leaks.cycles.first)
        #expect(leaks.cycles.count == 1 && Set(cycle.members) == [0, 1])
        #expect(cycle.hangers.count == 2 * length)
        #expect(leaks.acyclicGarbage.isEmpty)
    }

    @Test func dominatorsOnLargerRandomGraphs() {
        var rng = SplitMix64(seed: 21)
        for _ in 0..<40 {
            let n = Int.random(in: 40...120, using: &rng)
            var adjacency = [[Int]](repeating: [], count: n)
            for _ in 0..<(n * 3) { adjacency[Int.random(in: 0..<n, using: &rng)].append(Int.random(in: 0..<n, using: &rng)) }
            let roots = (0..<3).map { _ in Int.random(in: 0..<n, using: &rng) }
            let s = try! Self.columns(n, roots: roots) { adjacency[$0] }
            func reach(removing removed: Int?) -> [Bool] {
                var seen = [Bool](repeating: false, count: n)
                var work = roots.filter { $0 != removed }
                for r in work { seen[r] = true }
                while let v = work.popLast() {
                    for w in adjacency[v] where !seen[w] && w != removed { seen[w] = true; work.append(w) }
                }
                return seen
            }
            let alive = reach(removing: nil)
            var strict = [Set<Int>](repeating: [], count: n)
            for d in 0..<n where alive[d] {
                let without = reach(removing: d)
                for v in 0..<n where alive[v] && v != d && !without[v] { strict[v].insert(d) }
            }
            let tree = DominatorTree(s)
            for v in 0..<n where alive[v] {
                var chain = Set<Int>()
                var x = v
                while let d = tree.immediateDominator(of: x) { chain.insert(d); x = d }
                #expect(chain == strict[v])
                #expect(tree.retainedSize(of: v) == UInt64(16 * (1 + (0..<n).filter { strict[$0].contains(v) }.count)))
            }
        }
    }

    @Test func hostileTextIsEscaped() {
        var b = HeapSnapshotBuilder()
        let a = b.add("Evil\u{1b}[31mType\nNext", size: 8, label: "tab\there")
        b.reference(from: a, to: a, name: "self\u{7}")
        let s = b.build()
        let leaks = LeakAnalysis(s)
        let text = leaks.report()
        #expect(!text.contains("\u{1b}") && !text.contains("\u{7}") && !text.contains("\t"))
        #expect(text.contains("Evil\\u{1b}[31mType\\nNext"))
        #expect(text.contains("self\\u{7} --> CYCLE BACK TO"))
    }
}
