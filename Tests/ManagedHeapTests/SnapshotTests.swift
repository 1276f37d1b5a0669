// SnapshotTests — `snapshot()` of random heaps agrees with the heap object by object: ids, types,
// sizes, refcounts, generations, sites, labels, every edge with its field name, and the roots.
import HeapGraph
import Testing
@testable import ManagedHeap
import HeapscanTestSupport

@Suite struct SnapshotTests {
    /// Builds a random heap of `count` objects with random references, labels, root names and frees.
    func randomHeap(seed: UInt64, count: Int) throws -> (ManagedHeap, [ObjectHandle]) {
        var random = SplitMix64(seed: seed)
        let heap = ManagedHeap()
        let pair = try heap.register(ObjectType(name: "Pair", fields: ["left", "right"], payloadSize: 12))
        let list = try heap.register(ObjectType(name: "List", fields: ["owner"], hasVariableSlots: true))
        let leaf = try heap.register(ObjectType(name: "Leaf", payloadSize: 3))
        var all: [ObjectRef] = []
        var held: [ObjectHandle] = []
        for _ in 0..<count {
            let kind = Int.random(in: 0..<3, using: &random)
            let type = [pair, list, leaf][kind]
            let raw = try heap.allocate(type, slots: kind == 1 ? Int.random(in: 0...4, using: &random) : 0)
            let o = try heap.handle(raw)
            try heap.release(raw)
            all.append(o.ref)
            if Int.random(in: 0..<5, using: &random) == 0 { try heap.setLabel("obj <\(o.ref.id)>", for: o.ref) }
            if Int.random(in: 0..<7, using: &random) == 0 { try heap.setRootName("globals.x\(o.ref.id)", for: o.ref) }
            held.append(o)
        }
        // Random references, including self-loops and repeated targets.
        for source in all {
            let cells = try heap.referenceNames(of: source).count + heap.slotCount(of: source)
            for cell in 0..<cells where Bool.random(using: &random) {
                let target = all.randomElement(using: &random)!
                if cell < (try heap.referenceNames(of: source).count) {
                    try heap.store(target, into: source, field: try heap.referenceNames(of: source)[cell])
                } else {
                    try heap.store(target, into: source, slot: cell - (try heap.referenceNames(of: source).count))
                }
            }
        }
        // Drop about half of the handles: some objects die, some live on through references.
        held.shuffle(using: &random)
        held.removeLast(held.count / 2)
        return (heap, held)
    }

    @Test(arguments: 0..<12)
    func snapshotMatchesHeap(seed: Int) throws {
        let (heap, held) = try randomHeap(seed: UInt64(seed), count: 60 + seed * 25)
        let s = heap.snapshot()
        let objects = heap.allObjects
        #expect(s.objectCount == objects.count)
        #expect(s.ids == objects.map { $0.id })
        #expect(s.edgeCount == heap.referenceCount)
        var indegree = [Int](repeating: 0, count: s.objectCount)
        for (i, o) in objects.enumerated() {
            #expect(s.typeName(of: i) == (try heap.typeName(of: o)))
            #expect(s.sizes[i] == UInt64(try heap.byteCount(of: o)))
            #expect(s.refcount(of: i) == UInt32(try heap.refcount(of: o)))
            #expect(s.generations[i] == (try heap.typeName(of: o) == "Leaf" ? 255 : 0))
            #expect(s.site(of: i) == (try heap.allocationSite(of: o)))
            #expect(s.label(of: i) == (try heap.label(of: o)))
            let edges = s.edgeRange(of: i).map { e in (s.ids[Int(s.edgeTargets[e])], s.fieldName(ofEdge: e)) }
            let expected: [(UInt64, String?)] = try heap.namedReferents(of: o).map {
                ($0.target.id, $0.name.hasPrefix("[") ? nil : $0.name)
            }
            #expect(edges.map { $0.0 } == expected.map { $0.0 }, "edges of #\(o.id)")
            #expect(edges.map { $0.1 } == expected.map { $0.1 }, "edge names of #\(o.id)")
            for e in s.edgeRange(of: i) { indegree[Int(s.edgeTargets[e])] += 1 }
        }
        // Roots: exactly the objects with external counts, by name; CPython's rule agrees.
        let roots = Set(s.roots.map { "\(s.ids[Int($0.object)]) \($0.name)" })
        var expectedRoots: Set<String> = []
        for (i, o) in objects.enumerated() where try heap.externalCount(of: o) > 0 {
            expectedRoots.insert("\(o.id) \(try heap.rootName(of: o) ?? "handle")")
            #expect(Int(s.refcounts[i]) > indegree[i])
        }
        #expect(roots == expectedRoots)
        #expect(roots.count == held.count)
        for i in 0..<s.objectCount where !s.roots.contains(where: { Int($0.object) == i }) {
            #expect(Int(s.refcounts[i]) == indegree[i])
        }
        #expect(s.allocator != nil)
        #expect(heap.integrityProblems().isEmpty)
    }

    @Test func emptyHeap() {
        let s = ManagedHeap().snapshot()
        #expect(s.objectCount == 0)
        #expect(s.edgeCount == 0)
        #expect(s.roots.isEmpty)
    }

    @Test func typeAndFieldTablesAreShared() throws {
        let heap = ManagedHeap()
        let a = try heap.register(ObjectType(name: "A", fields: ["next", "data"]))
        let b = try heap.register(ObjectType(name: "B", fields: ["next"]))
        let x = try heap.make(a)
        let y = try heap.make(b)
        try heap.store(y.ref, into: x.ref, field: "next")
        try heap.store(x.ref, into: y.ref, field: "next")
        let s = heap.snapshot()
        #expect(s.typeNames == ["A", "B"])
        #expect(s.fieldNames == ["next", "data"])
        #expect(s.edgeNames == [0, 0])
        #expect(s.edgeTargets == [1, 0])
    }
}
