// DogfoodTests — the package's own use of its assertions: ManagedHeap workloads (trees, lists, slot
// arrays, cycles dropped, objects freed in cascades) leave nothing alive and do not grow.
import HeapTesting
import ManagedHeap
import Testing

@Suite struct DogfoodTests {
    /// A small interpreter-like workload: builds a dictionary of lists, a doubly linked ring, a tree
    /// with parent pointers, then drops everything but the long-lived environment it was given.
    static func workload(_ heap: ManagedHeap, environment: ObjectRef, seed: UInt64) throws {
        let node = try heap.type(named: "WNode") ?? heap.register(ObjectType(name: "WNode", fields: ["next", "prev", "parent"], payloadSize: 8))
        let table = try heap.type(named: "WTable") ?? heap.register(ObjectType(name: "WTable", hasVariableSlots: true))
        let next = try heap.field("next", of: node), prev = try heap.field("prev", of: node), parent = try heap.field("parent", of: node)
        var state = seed
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let slots = 8 + random(8)
        let t = try heap.make(table, slots: slots)
        for s in 0..<slots {
            // A list per slot, sometimes closed into a ring, sometimes with parent pointers.
            let head = try heap.make(node)
            var tail = head.ref
            for _ in 0..<random(20) {
                let n = try heap.make(node)
                try heap.store(n.ref, into: tail, next)
                try heap.store(tail, into: n.ref, prev)
                if random(3) == 0 { try heap.store(head.ref, into: n.ref, parent) }
                tail = n.ref
            }
            if random(2) == 0 { try heap.store(head.ref, into: tail, next) }
            try heap.store(head.ref, into: t.ref, slot: s)
        }
        // Temporary use of the environment: link in, then unlink.
        try heap.store(t.ref, into: environment, slot: 0)
        try heap.store(nil, into: environment, slot: 0)
    }

    @Test func workloadLeaksNothingAfterCollection() throws {
        let heap = ManagedHeap()
        let environment = try heap.register(ObjectType(name: "Environment", hasVariableSlots: true))
        let env = try heap.make(environment, slots: 1)
        try heap.setRootName("interpreter.environment", for: env.ref)
        for seed in 1...20 as ClosedRange<UInt64> {
            try expectNoLeaks(in: heap) { try Self.workload(heap, environment: env.ref, seed: seed) }
        }
        expectNoInstances(of: "WTable", in: heap)
    }

    @Test func workloadDoesNotGrow() throws {
        let heap = ManagedHeap()
        let environment = try heap.register(ObjectType(name: "Environment", hasVariableSlots: true))
        let env = try heap.make(environment, slots: 1)
        try expectNoGrowth(in: heap, repetitions: 5) { round in
            try Self.workload(heap, environment: env.ref, seed: UInt64(round))
        }
    }

    @Test func acyclicWorkloadCreatesNoCycles() throws {
        let heap = ManagedHeap()
        let item = try heap.register(ObjectType(name: "Item", fields: ["next"], payloadSize: 24))
        let next = try heap.field("next", of: item)
        try expectNoCycles(in: heap) {
            // A 10,000-long chain freed from its head: an iterative cascade, no cycle.
            let head = try heap.make(item)
            var tail = head.ref
            for _ in 0..<10_000 {
                let n = try heap.make(item)
                try heap.store(n.ref, into: tail, next)
                tail = n.ref
            }
        }
        #expect(heap.objectCount == 0)
    }

    @Test func collectorAndCollectedSnapshotAgree() throws {
        // Two independent answers to "what survives a full collection": the collector's, and the
        // snapshot's own liveness rule that the checks use.
        let heap = ManagedHeap()
        let environment = try heap.register(ObjectType(name: "Environment", hasVariableSlots: true))
        let env = try heap.make(environment, slots: 1)
        for seed in 1...10 as ClosedRange<UInt64> {
            try Self.workload(heap, environment: env.ref, seed: seed)
            let node = try #require(heap.type(named: "WNode"))
            let keep = try heap.objects(ofType: node).prefix(Int(seed))  // some nodes stay held
            for k in keep { try heap.retain(k) }
            let predicted = heap.collectedSnapshot().ids
            try heap.collect()
            #expect(heap.snapshot().ids == predicted, "seed \(seed)")
            for k in keep { try heap.release(k) }
        }
    }
}
