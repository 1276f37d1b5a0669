// WeakFieldTests — weak fields: loadWeak reads nil once the target dies (by refcounting or by the
// collector), they never count, snapshot() and the collector's report show them as `.weak` references,
// every analysis of a heap with weak fields equals that of the same heap without them, misuse is refused.
import HeapAnalysis
import HeapGraph
import Testing
@testable import ManagedHeap
import HeapscanTestSupport

@Suite struct WeakFieldTests {
    let heap = ManagedHeap()
    let node: TypeID
    let next: Field
    let parent: WeakField

    init() throws {
        node = try heap.register(ObjectType(name: "Node", fields: ["next"], weakFields: ["parent", "cache"], payloadSize: 8))
        next = try heap.field("next", of: node)
        parent = try heap.weakField("parent", of: node)
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch let e as HeapError { return e.description } catch { return "\(error)" }
        return nil
    }

    // MARK: Case by case

    @Test func loadWeakReadsTheTargetUntilItDies() throws {
        let a = try heap.allocate(node)
        let b = try heap.make(node)
        #expect(try heap.loadWeak(parent, of: b.ref) == nil)  // starts empty
        try heap.storeWeak(a, into: parent, of: b.ref)
        #expect(try heap.loadWeak(parent, of: b.ref) == a)
        #expect(try heap.loadWeak("parent", of: b.ref) == a)
        #expect(try heap.loadWeak("cache", of: b.ref) == nil)
        #expect(try heap.refcount(of: a) == 1)  // never counted
        #expect(heap.referenceCount == 0)
        #expect(try heap.referents(of: b.ref).isEmpty)
        #expect(try heap.referrers(of: a).isEmpty)
        #expect(try heap.namedWeakReferents(of: b.ref).map { "\($0.name) \($0.target.id)" } == ["parent \(a.id)"])
        // The payload lies after the weak cells: writing it leaves them alone, and the other way round.
        try heap.setPayload(UInt64.max, of: b.ref)
        #expect(try heap.loadWeak(parent, of: b.ref) == a)
        try heap.storeWeak(b.ref, into: "cache", of: b.ref)
        #expect(try heap.payload(of: b.ref, as: UInt64.self) == .max)
        #expect(try heap.byteCount(of: b.ref) == 72 + 8 + 2 * 8 + 8)
        #expect(heap.integrityProblems().isEmpty)
        try heap.release(a)  // a dies: its weak references read nil, for good
        #expect(try heap.loadWeak(parent, of: b.ref) == nil)
        #expect(try heap.loadWeak("cache", of: b.ref) == b.ref)
        let c = try heap.make(node)  // a new object (maybe in a's block) is not a
        #expect(try heap.loadWeak(parent, of: b.ref) == nil)
        try heap.storeWeak(c.ref, into: parent, of: b.ref)
        #expect(try heap.loadWeak(parent, of: b.ref) == c.ref)
        try heap.storeWeak(nil, into: parent, of: b.ref)
        #expect(try heap.loadWeak(parent, of: b.ref) == nil)
        #expect(heap.integrityProblems().isEmpty)
    }

    @Test func cycleClosedOnlyThroughAWeakFieldIsFreedByRefcounting() throws {
        heap.collector.disable()
        // parent.next = child (strong), child.parent = parent (weak): no strong cycle.
        let p = try heap.allocate(node)
        let child = try heap.allocate(node)
        try heap.store(child, into: p, next)
        try heap.release(child)
        try heap.storeWeak(p, into: parent, of: child)
        try heap.storeWeak(p, into: "cache", of: p)  // a weak self-loop is no self-loop either
        let s = heap.snapshot()
        #expect(s.weakEdgeCount == 2)
        #expect(LeakAnalysis(s).cycles.isEmpty)
        let kept = try heap.make(node)
        try heap.storeWeak(child, into: parent, of: kept.ref)
        try heap.release(p)  // the last strong count: both go at once, without the collector
        #expect(heap.objectCount == 1)
        #expect(try heap.loadWeak(parent, of: kept.ref) == nil)
        #expect(heap.integrityProblems().isEmpty)
        #expect(try heap.collect().collected == 0)
    }

    @Test func snapshotShowsWeakFieldsAsWeakReferences() throws {
        let a = try heap.make(node)
        let b = try heap.make(node)
        let dead = try heap.allocate(node)
        try heap.store(b.ref, into: a.ref, next)
        try heap.storeWeak(b.ref, into: parent, of: a.ref)
        try heap.storeWeak(a.ref, into: "cache", of: a.ref)
        try heap.storeWeak(dead, into: parent, of: b.ref)
        try heap.release(dead)  // b's weak field now names nothing: not in the snapshot
        let s = heap.snapshot()
        #expect(s.objectCount == 2 && s.edgeCount == 1 && s.weakEdgeCount == 2)
        #expect(s.fieldNames == ["next", "parent", "cache"])
        #expect(s.edgeRange(of: 0).map { s.kind(ofEdge: $0) } == [.strong])
        let weak = s.weakEdgeRange(of: 0).map { "\(s.ids[Int(s.weakEdgeTargets[$0])]) \(s.weakFieldName(ofEdge: $0) ?? "-") \(s.weakKind(ofEdge: $0))" }
        #expect(weak == ["\(b.ref.id) parent weak", "\(a.ref.id) cache weak"])
        #expect(s.weakEdgeRange(of: 1).isEmpty)
        // Kinds survive both file formats.
        #expect(try HeapSnapshot(dumpData: s.dumpData()) == s)
    }

    @Test func collectorClearsWeakFieldsToGarbageAndReportsWeakEdgesAmongIt() throws {
        heap.collector.disable()
        let kept = try heap.make(node)
        // A garbage ring a <-> b, with weak fields a.parent -> b (inside the garbage) and
        // b.cache -> kept (out of it), and kept.parent -> a (into it).
        let a = try heap.allocate(node)
        let b = try heap.allocate(node)
        try heap.store(b, into: a, next)
        try heap.store(a, into: b, next)
        try heap.storeWeak(b, into: parent, of: a)
        try heap.storeWeak(kept.ref, into: "cache", of: b)
        try heap.storeWeak(a, into: parent, of: kept.ref)
        try heap.release(a)
        try heap.release(b)
        #expect(try heap.loadWeak(parent, of: kept.ref) == a)  // garbage, but not collected yet
        let before = heap.snapshot()
        #expect(before.weakEdgeCount == 3)
        let report = try heap.collect()
        #expect(report.collected == 2)
        #expect(try heap.loadWeak(parent, of: kept.ref) == nil)
        #expect(heap.snapshot().weakEdgeCount == 0)
        let leaks = try #require(report.leaks)
        let g = leaks.snapshot
        #expect(g.objectCount == 2 && g.edgeCount == 2)
        #expect(g.weakEdgeCount == 1)
        let w = g.weakEdgeRange(of: 0).map { "\(g.ids[Int(g.weakEdgeTargets[$0])]) \(g.weakFieldName(ofEdge: $0) ?? "-") \(g.weakKind(ofEdge: $0))" }
        #expect(w == ["\(b.id) parent weak"])
        // The collector's analysis equals the offline one of the snapshot taken before.
        let offline = LeakAnalysis(before)
        #expect(leaks.cycles.map { $0.members.map { g.ids[$0] } } == offline.cycles.map { $0.members.map { before.ids[$0] } })
        #expect(leaks.cycles.map(\.signature) == offline.cycles.map(\.signature))
        #expect(heap.integrityProblems().isEmpty)
    }

    @Test func weakFieldsStayClearedWhenAFinalizerResurrects() throws {
        heap.collector.disable()
        let log = FinalizerLog()
        let phoenix = try heap.register(
            ObjectType(name: "Phoenix", fields: ["self"], weakFields: ["w"], payloadSize: 1) { heap, object in
                log.ran.append(object.id)
                try? heap.retain(object)  // resurrects
            })
        let kept = try heap.make(node)
        let p = try heap.allocate(phoenix)
        try heap.store(p, into: p, field: "self")
        try heap.storeWeak(p, into: parent, of: kept.ref)
        try heap.storeWeak(p, into: "w", of: p)
        try heap.release(p)
        let report = try heap.collect()
        #expect(report.resurrected == 1 && log.ran == [p.id])
        #expect(heap.isLive(p))
        // Cleared before the finalizer ran (PEP 442), and they stay cleared.
        #expect(try heap.loadWeak(parent, of: kept.ref) == nil)
        #expect(try heap.loadWeak("w", of: p) == nil)
        try heap.storeWeak(p, into: parent, of: kept.ref)  // a new weak reference works
        #expect(try heap.loadWeak(parent, of: kept.ref) == p)
        #expect(heap.integrityProblems().isEmpty)
    }

    @Test func misuseIsRefused() throws {
        func kind(_ body: () throws -> Void) -> HeapError.Kind? {
            do { try body() } catch let e as HeapError { return e.kind } catch { return nil }
            return nil
        }
        #expect(kind { _ = try heap.register(ObjectType(name: "A", fields: ["x"], weakFields: ["x"])) } == .invalidType)
        #expect(kind { _ = try heap.register(ObjectType(name: "B", weakFields: ["y", "y"])) } == .invalidType)
        #expect(kind { _ = try heap.register(ObjectType(name: "C", weakFields: [""])) } == .invalidType)
        #expect(message { _ = try heap.register(ObjectType(name: "A", fields: ["x"], weakFields: ["x"])) } == "register type 'A': weak field 'x' is also declared as a field")
        #expect(message { _ = try heap.field("parent", of: node) } == "field 'parent': 'parent' is a weak field of type 'Node'; resolve it with weakField(_:of:)")
        #expect(message { _ = try heap.weakField("next", of: node) } == "weak field 'next': 'next' is a strong field of type 'Node'; resolve it with field(_:of:)")
        #expect(message { _ = try heap.weakField("nope", of: node) } == "weak field 'nope': type 'Node' has no such weak field (weak fields: parent, cache)")
        let other = try heap.register(ObjectType(name: "Other", weakFields: ["parent"]))
        let otherParent = try heap.weakField("parent", of: other)
        let a = try heap.make(node)
        let b = try heap.allocate(node)
        #expect(kind { try heap.storeWeak(b, into: otherParent, of: a.ref) } == .unknownField)
        #expect(message { _ = try heap.loadWeak(otherParent, of: a.ref) }?.hasSuffix("has no such weak field (the field belongs to type 'Other')") == true)
        #expect(kind { try heap.storeWeak(b, into: "next", of: a.ref) } == .unknownField)
        try heap.release(b)
        #expect(message { try heap.storeWeak(b, into: parent, of: a.ref) }?.hasSuffix("object #\(b.id) was already freed (or belongs to another heap)") == true)
        #expect(message { try heap.storeWeak(a.ref, into: parent, of: b) } == "store weak into weak field #0: object #\(b.id) was already freed (or belongs to another heap)")
        #expect(message { _ = try heap.loadWeak(parent, of: b) } == "load weak field #0: object #\(b.id) was already freed (or belongs to another heap)")
        // A handle from another heap is refused too.
        let elsewhere = ManagedHeap()
        let t = try elsewhere.register(ObjectType(name: "Node", fields: ["next"], weakFields: ["parent", "cache"], payloadSize: 8))
        let foreign = try elsewhere.make(t)
        #expect(kind { try heap.storeWeak(foreign.ref, into: parent, of: a.ref) } == .freedObject)
        #expect(heap.integrityProblems().isEmpty)
    }

    // MARK: The same heap with and without weak fields

    /// One random heap built twice by the same program: `weak` has weak fields, `plain` has none but
    /// as many payload bytes more, so every object has the same id, size, references and counts.
    struct Twins {
        let weak = ManagedHeap()
        let plain = ManagedHeap()
        var held: [(ObjectHandle, ObjectHandle)] = []
        /// What the program stored in weak fields: source id → (field name, target id), in field order,
        /// each field at most once.
        var weakStores: [UInt64: [(String, UInt64)]] = [:]
        var refs: [(weak: ObjectRef, plain: ObjectRef, shape: Int)] = []

        static let shapes: [(name: String, fields: [String], weak: [String], slots: Bool, payload: Int)] = [
            ("Pair", ["left", "right"], ["w"], false, 12),
            ("List", ["owner"], ["first", "last"], true, 0),
            ("Leaf", [], ["w"], false, 3),
        ]

        init(seed: UInt64, count: Int) throws {
            var random = SplitMix64(seed: seed)
            weak.collector.disable()
            plain.collector.disable()
            for s in Self.shapes {
                _ = try weak.register(ObjectType(name: s.name, fields: s.fields, weakFields: s.weak, hasVariableSlots: s.slots, payloadSize: s.payload))
                _ = try plain.register(ObjectType(name: s.name, fields: s.fields, hasVariableSlots: s.slots, payloadSize: s.payload + 8 * s.weak.count))
            }
            for _ in 0..<count {
                let k = Int.random(in: 0..<Self.shapes.count, using: &random)
                let slots = Self.shapes[k].slots ? Int.random(in: 0...3, using: &random) : 0
                let w = try weak.allocate(weak.registeredTypes[k], slots: slots)
                let p = try plain.allocate(plain.registeredTypes[k], slots: slots)
                held.append((try weak.handle(w), try plain.handle(p)))
                try weak.release(w)
                try plain.release(p)
                refs.append((w, p, k))
            }
            // Random strong references (the same in both) and weak ones (in `weak` only).
            for source in refs {
                let shape = Self.shapes[source.shape]
                for f in shape.fields where Int.random(in: 0..<4, using: &random) != 0 {
                    let t = refs.randomElement(using: &random)!
                    try weak.store(t.weak, into: source.weak, field: f)
                    try plain.store(t.plain, into: source.plain, field: f)
                }
                for slot in 0..<(try weak.slotCount(of: source.weak)) where Bool.random(using: &random) {
                    let t = refs.randomElement(using: &random)!
                    try weak.store(t.weak, into: source.weak, slot: slot)
                    try plain.store(t.plain, into: source.plain, slot: slot)
                }
                for f in shape.weak where Int.random(in: 0..<3, using: &random) != 0 {
                    let t = refs.randomElement(using: &random)!
                    try weak.storeWeak(t.weak, into: f, of: source.weak)
                    weakStores[source.weak.id, default: []].append((f, t.weak.id))
                }
            }
            // Keep a fifth of the handles: some objects die, some live on, some become cyclic garbage.
            held.shuffle(using: &random)
            held.removeLast(held.count * 4 / 5)
            // And surely some: a ring of three pairs (left), with weak fields (w) running the other way.
            let pairs = try (0..<3).map { _ in (try weak.allocate(weak.registeredTypes[0]), try plain.allocate(plain.registeredTypes[0])) }
            for k in 0..<3 {
                let (from, to) = (pairs[k], pairs[(k + 1) % 3])
                try weak.store(to.0, into: from.0, field: "left")
                try plain.store(to.1, into: from.1, field: "left")
                try weak.storeWeak(from.0, into: "w", of: to.0)
                weakStores[to.0.id, default: []].append(("w", from.0.id))
            }
            for (w, p) in pairs {
                try weak.release(w)
                try plain.release(p)
            }
        }

        /// The weak edges `weak.snapshot()` must show: every stored weak field whose target is still
        /// live, as "source target name", in object then field order.
        func expectedWeakEdges(live: Set<UInt64>) -> [String] {
            weakStores.keys.sorted().filter { live.contains($0) }.flatMap { source in
                weakStores[source]!.filter { live.contains($0.1) }.map { "\(source) \($0.1) \($0.0)" }
            }
        }
    }

    static func weakEdges(_ s: HeapSnapshot) -> [String] {
        (0..<s.objectCount).flatMap { v in
            s.weakEdgeRange(of: v).map { e in
                "\(s.ids[v]) \(s.ids[Int(s.weakEdgeTargets[e])]) \(s.weakFieldName(ofEdge: e) ?? "-")"
            }
        }
    }

    /// Every analysis of `a` equals that of `b`; `a` and `b` have the same retaining graph.
    static func expectSameAnalyses(_ a: HeapSnapshot, _ b: HeapSnapshot, _ context: String) {
        #expect(a.ids == b.ids && a.sizes == b.sizes && a.refcounts == b.refcounts, "\(context): objects")
        #expect(a.edgeStarts == b.edgeStarts && a.edgeTargets == b.edgeTargets, "\(context): retaining references")
        #expect(a.roots == b.roots, "\(context): roots")
        #expect(a.heldFromOutside() == b.heldFromOutside(), "\(context): held from outside")
        #expect(a.garbage() == b.garbage(), "\(context): garbage")
        let (la, lb) = (LeakAnalysis(a), LeakAnalysis(b))
        #expect(la.garbage == lb.garbage && la.cycles == lb.cycles && la.acyclicGarbage == lb.acyclicGarbage, "\(context): leak analysis")
        let (da, db) = (DominatorTree(a), DominatorTree(b))
        #expect(da.dominators == db.dominators && da.retainedSizes == db.retainedSizes, "\(context): dominators")
    }

    @Test(arguments: 0..<16)
    func weakFieldsChangeNoAnalysis(seed: Int) throws {
        let twins = try Twins(seed: UInt64(seed), count: 40 + seed * 15)
        let (w, p) = (twins.weak.snapshot(), twins.plain.snapshot())
        let live = Set(twins.weak.allObjects.map(\.id))
        #expect(w.weakEdgeCount > 0 && p.weakEdgeCount == 0)
        #expect(Self.weakEdges(w) == twins.expectedWeakEdges(live: live), "seed \(seed): weak edges")
        #expect((0..<w.weakEdgeCount).allSatisfy { w.weakKind(ofEdge: $0) == .weak })
        Self.expectSameAnalyses(w, p, "seed \(seed)")
        #expect(!LeakAnalysis(w).garbage.isEmpty, "seed \(seed): the program should leave cyclic garbage")
        #expect(twins.weak.integrityProblems().isEmpty)

        // The collector frees the same garbage from both, reports the same cycles, and shows the weak
        // fields among the garbage; weak fields to collected objects read nil afterwards.
        let garbageIDs = Set(LeakAnalysis(w).garbage.map { w.ids[$0] })
        let (rw, rp) = (try twins.weak.collect(), try twins.plain.collect())
        #expect(rw.collected == rp.collected && rw.collectedBytes == rp.collectedBytes)
        #expect(rw.cycles == rp.cycles)
        let (gw, gp) = (try #require(rw.leaks), try #require(rp.leaks))
        Self.expectSameAnalyses(gw.snapshot, gp.snapshot, "seed \(seed) garbage")
        #expect(Set(gw.snapshot.ids) == garbageIDs)
        let expectedGarbageWeak = Self.weakEdges(w).filter { edge in
            let parts = edge.split(separator: " ")
            return garbageIDs.contains(UInt64(parts[0])!) && garbageIDs.contains(UInt64(parts[1])!)
        }
        #expect(Self.weakEdges(gw.snapshot) == expectedGarbageWeak, "seed \(seed): weak edges among the garbage")
        let after = Set(twins.weak.allObjects.map(\.id))
        #expect(after == live.subtracting(garbageIDs))
        for r in twins.refs where after.contains(r.weak.id) {
            for (name, target) in twins.weakStores[r.weak.id] ?? [] {
                #expect(try twins.weak.loadWeak(name, of: r.weak)?.id == (after.contains(target) ? target : nil))
            }
        }
        Self.expectSameAnalyses(twins.weak.snapshot(), twins.plain.snapshot(), "seed \(seed) after collecting")
        #expect(Self.weakEdges(twins.weak.snapshot()) == twins.expectedWeakEdges(live: after))
        #expect(twins.weak.integrityProblems().isEmpty)
    }
}
