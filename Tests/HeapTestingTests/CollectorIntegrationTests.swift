// CollectorIntegrationTests — the checks with the real cycle collector: cycles are seen even when an
// automatic collection would have freed them inside the block, and freed afterwards; a finalizer that
// resurrects garbage makes a leak; DEBUG_SAVEALL's saved garbage is not mistaken for leaks.
import HeapTesting
import ManagedHeap
import Testing

@Suite struct CollectorIntegrationTests {
    @Test func cyclesAreSeenBeforeAutomaticCollectionAndFreedAfter() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        let filler = try heap.register(ObjectType(name: "Filler", fields: ["next"]))
        try heap.collector.setThresholds(1)  // a young collection after almost every allocation
        let wasEnabled = heap.collector.isEnabled
        try withKnownIssue {
            try expectNoCycles(in: heap, pictures: .disabled) {
                _ = try tree.makeTree(children: 2)
                for _ in 0..<50 { _ = try heap.make(filler) }
            }
        } matching: { issue in
            issue.message.hasPrefix("Created 1 reference cycle (3 objects, 336 bytes)")
        }
        #expect(heap.collector.isEnabled == wasEnabled)
        #expect(heap.objectCount == 0)  // collected afterwards
    }

    @Test func resurrectingFinalizerMakesALeak() throws {
        let heap = ManagedHeap()
        let registry = try heap.register(ObjectType(name: "Registry", fields: ["last"]))
        let holder = try heap.make(registry)
        try heap.setRootName("zombies", for: holder.ref)
        let last = try heap.field("last", of: registry)
        let holderRef = holder.ref
        let zombie = try heap.register(
            ObjectType(name: "Zombie", fields: ["partner"]) { heap, object in
                try? heap.store(object, into: holderRef, last)  // the finalizer saves the object
            })
        let partner = try heap.field("partner", of: zombie)
        try withKnownIssue {
            try expectNoLeaks(in: heap, pictures: .disabled) {
                let a = try heap.make(zombie)
                let b = try heap.make(zombie)
                try heap.store(b.ref, into: a.ref, partner)
                try heap.store(a.ref, into: b.ref, partner)  // garbage cycle once the handles go
            }
        } matching: { issue in
            issue.message.hasPrefix("Leaked 2 objects") && issue.message.contains("root \"zombies\" → <Registry #1>")
        }
    }

    @Test func garbageSavedByTheUserIsAliveAndOursIsNotSaved() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        heap.collector.debugSaveAll = true
        defer {
            heap.collector.debugSaveAll = false
            heap.collector.releaseGarbage()
        }
        // The check's own collection is skipped under DEBUG_SAVEALL: the dropped tree is judged
        // garbage by the snapshot's rule and is not saved.
        let quiet = try expectNoLeaks(in: heap, pictures: .disabled) { _ = try tree.makeTree(children: 2) }
        #expect(quiet.passed)
        #expect(heap.collector.garbage.isEmpty)
        // Garbage the test itself saves is held by collector.garbage: alive, so reported, held directly.
        let saved = try heap.leakReport(options: HeapCheckOptions(pictures: .disabled)) {
            _ = try tree.makeTree(children: 1)
            _ = try heap.collect()
        }
        #expect(heap.collector.garbage.count == 5)
        #expect(saved.leakedObjectCount == 2)
        #expect(saved.message.contains("(held directly: an Owned handle or a retain on it was never released)"))
    }
}
