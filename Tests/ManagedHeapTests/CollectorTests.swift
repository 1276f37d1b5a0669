// CollectorTests — the cycle collector case by case: cycles and self-loops freed, what hangs from them,
// the report's cycles and roots, thresholds and promotion, the 25% rule for full collections, freeze,
// PEP 442 order (weak references cleared first, finalizers once, resurrection), DEBUG_SAVEALL,
// callbacks, misuse, and a ten-million-object ring collected without recursion.
import Foundation
import HeapAnalysis
import HeapArena
import HeapGraph
import Testing
@testable import ManagedHeap

@Suite struct CollectorTests {
    let heap = ManagedHeap()
    let node: TypeID
    let next: Field
    let other: Field

    init() throws {
        node = try heap.register(ObjectType(name: "Node", fields: ["next", "other"], payloadSize: 8))
        next = try heap.field("next", of: node)
        other = try heap.field("other", of: node)
    }

    /// A ring of `count` nodes linked by `next`, with no external count left: garbage for the collector.
    @discardableResult
    func garbageRing(_ count: Int) throws -> [UInt64] {
        let first = try heap.allocate(node)
        var ids = [first.id]
        var previous = first
        for _ in 1..<max(count, 1) {
            let o = try heap.allocate(node)
            try heap.store(o, into: previous, next)
            try heap.release(o)
            ids.append(o.id)
            previous = o
        }
        try heap.store(first, into: previous, next)
        try heap.release(first)
        return ids
    }

    @Test func twoNodeCycleAndSelfLoopAreCollected() throws {
        heap.collector.disable()
        let ring = try garbageRing(2)
        let loop = try garbageRing(1)  // a self-loop
        let kept = try heap.make(node)
        #expect(heap.objectCount == 4)
        let report = try heap.collect()
        #expect(report.ran)
        #expect(report.collected == 3)
        #expect(report.collectedBytes == 3 * (72 + 16 + 8))
        #expect(report.collectedByGeneration == [3, 0, 0])
        #expect(heap.objectCount == 1)
        #expect(heap.isLive(kept.ref))
        #expect(heap.integrityProblems().isEmpty)
        let cycles = report.cycles
        #expect(cycles.count == 2)
        #expect(Set(cycles[0].members) == Set(ring))
        #expect(cycles[0].root == ring[0])  // ties go to the oldest member
        #expect(cycles[1].members == loop)
        #expect(report.garbageIDs == (ring + loop).sorted())
    }

    @Test func fullCollectionGivesEmptiedArenasBackToTheSystem() throws {
        heap.collector.disable()
        for _ in 0..<3_000 { _ = try garbageRing(4) }  // 12,000 blocks of 96 bytes: several arenas
        let before = heap.allocator.statistics
        #expect(before.arenasCurrent > 1)
        try heap.collect(generation: 0)
        #expect(heap.objectCount == 0)
        // A young collection leaves recently freed blocks in the allocator's caches ...
        #expect(heap.allocator.cachedBlockCount > 0)
        _ = try garbageRing(2)
        try heap.collect()
        // ... a full collection flushes them, so every emptied arena goes back.
        #expect(heap.allocator.cachedBlockCount == 0)
        #expect(heap.allocator.statistics.arenasCurrent == 0)
        #expect(heap.allocator.statistics.arenasReclaimed >= before.arenasCurrent)
    }

    @Test func liveObjectsAndTheirCyclesSurvive() throws {
        heap.collector.disable()
        let root = try heap.make(node)
        let a = try heap.allocate(node)
        let b = try heap.allocate(node)
        try heap.store(a, into: root.ref, next)
        try heap.store(b, into: a, next)
        try heap.store(a, into: b, next)  // a cycle hanging from a live object
        try heap.release(a)
        try heap.release(b)
        let report = try heap.collect()
        #expect(report.collected == 0)
        #expect(report.leaks == nil)
        #expect(try heap.refcount(of: a) == 2)
        #expect(try heap.refcount(of: b) == 1)
        #expect(heap.integrityProblems().isEmpty)
        // Cut it off: now it is garbage.
        try heap.store(nil, into: root.ref, next)
        #expect(heap.isLive(a))
        #expect(try heap.collect().collected == 2)
        #expect(!heap.isLive(a) && !heap.isLive(b))
    }

    @Test func garbagePointingIntoLiveObjectsLeavesThemIntact() throws {
        heap.collector.disable()
        let live = try heap.make(node)
        let ring = try garbageRing(3)
        let member = try #require(heap.object(withID: ring[1]))
        try heap.store(live.ref, into: member, other)
        #expect(try heap.refcount(of: live.ref) == 2)
        let report = try heap.collect()
        #expect(report.collected == 3)
        #expect(try heap.refcount(of: live.ref) == 1)
        #expect(heap.integrityProblems().isEmpty)
    }

    @Test func acyclicGarbageHangingFromACycleIsCollectedAndReportedAsHangers() throws {
        heap.collector.disable()
        let ring = try garbageRing(3)
        let member = try #require(heap.object(withID: ring[2]))
        let hanger = try heap.allocate(node)
        let leaf = try heap.allocate(node)
        try heap.store(hanger, into: member, other)
        try heap.store(leaf, into: hanger, next)
        try heap.release(hanger)
        try heap.release(leaf)
        let report = try heap.collect()
        #expect(report.collected == 5)
        let cycle = try #require(report.cycles.first)
        #expect(cycle.hangers == [hanger.id, leaf.id])
        #expect(cycle.root == ring[2])  // the member holding the hangers weighs the most
        #expect(cycle.retainedBytes == 5 * 96)
        #expect(heap.objectCount == 0)
    }

    @Test func countsReportSkipsTheAnalysis() throws {
        heap.collector.disable()
        try garbageRing(4)
        let report = try heap.collect(report: .counts)
        #expect(report.collected == 4)
        #expect(report.leaks == nil)
        #expect(report.cycles.isEmpty)
    }

    // MARK: Generations

    @Test func youngThresholdTriggersCollectionAndPromotesSurvivors() throws {
        try heap.collector.setThresholds(10, 10, 10)
        #expect(heap.collector.thresholds == (10, 10, 10))
        var kept: [ObjectRef] = []  // each holds one external count
        for _ in 0..<10 { kept.append(try heap.allocate(node)) }
        #expect(heap.collector.counts == (10, 0, 0))
        #expect(heap.collector.statistics[0].collections == 0)
        kept.append(try heap.allocate(node))  // 11 > 10: a young collection
        #expect(heap.collector.statistics[0].collections == 1)
        #expect(heap.collector.counts == (0, 1, 0))
        #expect(try heap.collector.objects(inGeneration: 1).count == 11)
        #expect(try heap.collector.generation(of: kept[0]) == 1)
        // Deallocations count down: freeing young objects delays the next collection.
        kept.append(try heap.allocate(node))
        kept.append(try heap.allocate(node))
        #expect(heap.collector.counts.0 == 2)
        try heap.release(kept.removeLast())
        #expect(heap.collector.counts.0 == 1)
    }

    @Test func olderGenerationsAreCollectedEveryTenYoungerCollections() throws {
        try heap.collector.setThresholds(1, 2, 2)
        var kept: [ObjectRef] = []  // each holds one external count
        // Each pair of allocations takes count 0 above 1: one young collection per two allocations.
        var generationsCollected: [Int] = []
        heap.collector.addCallback { phase, info in if phase == .start { generationsCollected.append(info.generation) } }
        for _ in 0..<40 { kept.append(try heap.allocate(node)) }
        // young, young, young, then generation 1 (count 1 = 3 > 2), ... and generation 2 only under the
        // 25% rule: long-lived total is 0 at first, so the first full collection runs as soon as due.
        #expect(generationsCollected.prefix(4) == [0, 0, 0, 1])
        #expect(generationsCollected.contains(2))
        let stats = heap.collector.statistics
        #expect(stats[0].collections + stats[1].collections + stats[2].collections == generationsCollected.count)
        #expect(try heap.collector.objects(inGeneration: 2).count > 0)
    }

    @Test func fullCollectionWaitsForAQuarterOfLongLivedObjects() throws {
        heap.collector.disable()
        var kept: [ObjectRef] = []  // each holds one external count
        for _ in 0..<400 { kept.append(try heap.allocate(node)) }
        try heap.collect()  // full: 400 long-lived objects
        #expect(heap.collector.longLived == (400, 0))
        try heap.collector.setThresholds(1, 1, 1)
        heap.collector.enable()
        var full = 0
        heap.collector.addCallback { phase, info in if phase == .stop && info.generation == 2 { full += 1 } }
        // Each generation-1 collection promotes what it finds into generation 2 as pending.
        for _ in 0..<60 { kept.append(try heap.allocate(node)) }
        #expect(full == 0)  // pending (≤ 60) < 400 / 4: no full collection although its count is due
        #expect(heap.collector.counts.2 > 1)
        for _ in 0..<120 { kept.append(try heap.allocate(node)) }
        #expect(full >= 1)  // pending passed 100
    }

    @Test func disabledCollectorDoesNotCollectAutomaticallyButCollectWorks() throws {
        try heap.collector.setThresholds(5)
        heap.collector.disable()
        #expect(!heap.collector.isEnabled)
        for _ in 0..<10 { try garbageRing(2) }
        #expect(heap.objectCount == 20)
        #expect(heap.collector.statistics[0].collections == 0)
        #expect(try heap.collect(generation: 0).collected == 20)
        heap.collector.enable()
        #expect(heap.collector.isEnabled)
        for _ in 0..<10 { try garbageRing(2) }
        #expect(heap.objectCount < 20)  // collected along the way
    }

    @Test func youngCollectionTreatsReferencesFromOlderGenerationsAsExternal() throws {
        heap.collector.disable()
        let holder = try heap.allocate(node)
        try heap.collect()  // holder is in generation 2 now
        #expect(try heap.collector.generation(of: holder) == 2)
        let young = try heap.allocate(node)
        try heap.store(young, into: holder, next)
        try heap.store(holder, into: young, next)  // a cycle across generations 0 and 2
        try heap.release(young)
        try heap.release(holder)
        let report = try heap.collect(generation: 0)
        #expect(report.examined == 1)
        #expect(report.collected == 0)  // holder's reference counts as external to generation 0
        #expect(report.promoted == 1)
        #expect(try heap.collector.generation(of: young) == 1)
        #expect(try heap.collect(generation: 1).collected == 0)
        #expect(try heap.collector.generation(of: young) == 2)
        let full = try heap.collect(generation: 2)
        #expect(full.collected == 2)
        #expect(full.collectedByGeneration == [0, 0, 2])
        #expect(heap.objectCount == 0)
    }

    // MARK: Freeze

    @Test func frozenObjectsAreNeverScanned() throws {
        heap.collector.disable()
        try garbageRing(3)
        let kept = try heap.make(node)
        heap.collector.freeze()
        #expect(heap.collector.freezeCount == 4)
        #expect(heap.collector.counts.0 == 0)
        #expect(try heap.collector.generation(of: kept.ref) == 3)
        let report = try heap.collect()
        #expect(report.examined == 0)
        #expect(report.collected == 0)
        #expect(heap.objectCount == 4)
        heap.collector.unfreeze()
        #expect(heap.collector.freezeCount == 0)
        #expect(try heap.collector.generation(of: kept.ref) == 2)
        #expect(try heap.collect().collected == 3)
    }

    // MARK: PEP 442

    @Test func finalizersRunOnceAndResurrectionKeepsWhatTheObjectReaches() throws {
        heap.collector.disable()
        final class Box { var ran: [UInt64] = []; var keeper: ObjectRef? }
        let box = Box()
        let phoenix = try heap.register(
            ObjectType(name: "Phoenix", fields: ["next"]) { heap, object in
                box.ran.append(object.id)
                if let keeper = box.keeper { try? heap.store(object, into: keeper, field: "next") }
            })
        let keeper = try heap.make(node)
        box.keeper = keeper.ref
        // phoenix ⇄ a node, and the node holds a tail node: all garbage until the finalizer runs.
        let p = try heap.allocate(phoenix)
        let n = try heap.allocate(node)
        let tail = try heap.allocate(node)
        try heap.store(n, into: p, field: "next")
        try heap.store(p, into: n, next)
        try heap.store(tail, into: n, other)
        try heap.release(p)
        try heap.release(n)
        try heap.release(tail)
        let weak = try heap.weakReference(to: p)
        let report = try heap.collect()
        #expect(box.ran == [p.id])
        #expect(report.finalizersRun == 1)
        #expect(report.resurrected == 3)
        #expect(report.collected == 0)
        #expect(heap.isLive(p) && heap.isLive(n) && heap.isLive(tail))
        #expect(heap.load(weak) == nil)  // cleared before the finalizer, stays cleared
        #expect(heap.integrityProblems().isEmpty)
        // Garbage again: the finalizer does not run a second time, and now everything is freed.
        box.keeper = nil
        try heap.store(nil, into: keeper.ref, next)
        let second = try heap.collect()
        #expect(box.ran == [p.id])
        #expect(second.collected == 3)
        #expect(heap.objectCount == 1)
    }

    @Test func weakReferencesToGarbageAreClearedBeforeAnyFinalizerRuns() throws {
        heap.collector.disable()
        final class Seen { var weakTargets: [ObjectRef?] = []; var strongTypes: [String] = []; var weak: WeakRef? }
        let seen = Seen()
        let watcher = try heap.register(
            ObjectType(name: "Watcher", fields: ["peer"]) { heap, object in
                if let weak = seen.weak { seen.weakTargets.append(heap.load(weak)) }
                // The strong reference to the other garbage object is intact: nothing was freed yet.
                if let peer = try? heap.load(object, field: "peer") {
                    seen.strongTypes.append((try? heap.typeName(of: peer)) ?? "freed")
                }
            })
        let w = try heap.allocate(watcher)
        let target = try heap.allocate(node)
        try heap.store(target, into: w, field: "peer")
        try heap.store(w, into: target, next)
        seen.weak = try heap.weakReference(to: target)
        let liveTarget = try heap.make(node)
        let weakToLive = try heap.weakReference(to: liveTarget.ref)
        try heap.release(w)
        try heap.release(target)
        #expect(heap.load(seen.weak!) == target)
        let report = try heap.collect()
        #expect(seen.weakTargets.count == 1 && seen.weakTargets[0] == nil)
        #expect(seen.strongTypes == ["Node"])
        #expect(report.collected == 2)
        #expect(heap.load(weakToLive) == liveTarget.ref)
    }

    @Test func finalizerFreeingOtherGarbageDoesNotBreakTheCollection() throws {
        heap.collector.disable()
        let cutter = try heap.register(
            ObjectType(name: "Cutter", fields: ["victim"]) { heap, object in
                try? heap.store(nil, into: object, field: "victim")  // drops the only count of a garbage chain
            })
        let c = try heap.allocate(cutter)
        let v1 = try heap.allocate(node)
        let v2 = try heap.allocate(node)
        try heap.store(v1, into: c, field: "victim")
        try heap.store(v2, into: v1, next)
        try heap.store(c, into: v2, next)  // cycle c → v1 → v2 → c
        for o in [c, v1, v2] { try heap.release(o) }
        let report = try heap.collect()
        // The finalizer broke the cycle; the rest was freed by reference counting during the collection.
        #expect(heap.objectCount == 0)
        #expect(report.finalizersRun == 1)
        #expect(report.collected + report.resurrected <= 3)
        #expect(heap.integrityProblems().isEmpty)
    }

    @Test func allocationInsideAFinalizerDoesNotStartAnotherCollection() throws {
        try heap.collector.setThresholds(1)
        heap.collector.disable()
        let node = self.node
        let maker = try heap.register(
            ObjectType(name: "Maker", fields: ["x"]) { heap, _ in
                for _ in 0..<5 { _ = try? heap.make(node) }
                #expect((try? heap.collect())?.ran == false)
            })
        let m = try heap.allocate(maker)
        try heap.store(m, into: m, field: "x")
        try heap.release(m)
        heap.collector.enable()
        let report = try heap.collect()
        #expect(report.collected == 1)
        #expect(heap.collector.statistics[2].collections == 1)
        #expect(heap.collector.statistics[0].collections == 0)
        #expect(heap.objectCount == 0)
    }

    /// A collection started by a finalizer that reference counting runs, while another object waits on
    /// the free work list (refcount zero, still on its generation list): it and what it holds are left
    /// to the drain, never freed twice.
    @Test func collectionInsideAFreeDrainLeavesQueuedObjectsToIt() throws {
        heap.collector.disable()
        final class Box { var reports: [CollectionReport] = []; var waiting: ObjectRef?; var wasQueued = false }
        let box = Box()
        let trigger = try heap.register(
            ObjectType(name: "Trigger", fields: ["x"]) { heap, _ in
                // Queued: still in the directory, but no longer usable through handles.
                if let w = box.waiting { box.wasQueued = heap.directory.lookup(w.id) != nil && !heap.isLive(w) }
                if let r = try? heap.collect() { box.reports.append(r) }
            })
        try garbageRing(2)  // something for the inner collection to find
        let p = try heap.allocate(node)
        let u = try heap.allocate(trigger)
        let t = try heap.allocate(node)
        let k = try heap.allocate(node)
        box.waiting = t
        try heap.store(u, into: p, next)
        try heap.store(t, into: p, other)
        try heap.store(k, into: t, next)
        try heap.store(k, into: k, next)  // k: held by t and by itself
        for o in [u, t, k] { try heap.release(o) }
        try heap.release(p)  // p's referents reach zero together: one is freed, the other waits
        #expect(box.reports.count == 1)
        if box.wasQueued {
            #expect(box.reports.first?.collected == 2)  // the ring; t and k were left to the drain
            #expect(heap.objectCount == 1)  // k: its self-loop is all that holds it now
            #expect(heap.isLive(k))
            #expect(heap.integrityProblems().isEmpty)
            #expect(try heap.collect().collected == 1)
        } else {
            #expect(box.reports.first?.collected == 3)  // t was freed first: k was already garbage
        }
        #expect(heap.objectCount == 0)
        #expect(heap.integrityProblems().isEmpty)
    }

    // MARK: DEBUG_SAVEALL

    @Test func saveAllKeepsGarbageForInspection() throws {
        heap.collector.disable()
        heap.collector.debugSaveAll = true
        let ring = try garbageRing(3)
        let report = try heap.collect()
        #expect(report.collected == 3)
        #expect(report.saved == 3)
        #expect(Set(heap.collector.garbage.map(\.id)) == Set(ring))
        #expect(heap.objectCount == 3)
        for ref in heap.collector.garbage {
            #expect(try heap.externalCount(of: ref) == 1)
            #expect(try heap.collector.generation(of: ref) == 2)
        }
        #expect(heap.integrityProblems().isEmpty)
        // Found again (and saved again) while the list holds them? No: the list's counts keep them alive.
        #expect(try heap.collect().collected == 0)
        heap.collector.debugSaveAll = false
        heap.collector.releaseGarbage()
        #expect(heap.collector.garbage.isEmpty)
        #expect(heap.objectCount == 3)
        #expect(try heap.collect().collected == 3)
        #expect(heap.objectCount == 0)
    }

    // MARK: Callbacks and statistics

    @Test func callbacksSeeStartAndStopWithTheStatisticsOfTheRun() throws {
        heap.collector.disable()
        var events: [(CollectionPhase, CollectionInfo)] = []
        let id = heap.collector.addCallback { events.append(($0, $1)) }
        try garbageRing(5)
        try heap.collect(generation: 1)
        #expect(events.count == 2)
        #expect(events[0].0 == .start && events[0].1 == CollectionInfo(generation: 1))
        #expect(events[1].0 == .stop)
        #expect(events[1].1 == CollectionInfo(generation: 1, collected: 5, collectedBytes: 5 * 96))
        #expect(heap.collector.statistics[1] == GenerationStatistics(collections: 1, collected: 5, uncollectable: 0))
        #expect(heap.collector.removeCallback(id))
        #expect(!heap.collector.removeCallback(id))
        try heap.collect()
        #expect(events.count == 2)
    }

    // MARK: Misuse

    @Test func badArgumentsAreRefusedWithTheirValue() throws {
        #expect(throws: HeapError.self) { try heap.collect(generation: 3) }
        do { try heap.collect(generation: -1) } catch {
            #expect(error.kind == .invalidArgument)
            #expect(error.description.contains("-1"))
        }
        #expect(throws: HeapError.self) { try heap.collector.setThresholds(-1) }
        #expect(throws: HeapError.self) { try heap.collector.objects(inGeneration: 4) }
        #expect(heap.collector.thresholds == (2000, 10, 10))
    }

    // MARK: Scale

    /// Ten million objects in one ring (one million in checked debug builds, where every allocator free
    /// is verified and 10M objects would take minutes), collected on a thread whose whole stack is
    /// 256 KiB: a recursive mark or free would overflow it within a few thousand objects.
    @Test func tenMillionObjectRingIsCollectedOnASmallStack() throws {
        #if HEAPSCAN_CHECKS
        let count = 1_000_000
        #else
        let count = 10_000_000
        #endif
        let outcome = RingOutcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            do {
                // System-allocator blocks (threshold 16): checked builds verify a pool on every free.
                let heap = try ManagedHeap(configuration: ArenaConfiguration(smallRequestThreshold: 16))
                heap.collector.disable()
                let node = try heap.register(ObjectType(name: "Ring", fields: ["next"]))
                // Lean build: each new object's allocation count becomes its predecessor's field count.
                let first = try heap.allocate(node).address
                var previous = first
                for _ in 1..<count {
                    let o = try heap.allocate(node).address
                    previous.references(count: 1)[0] = o
                    o.pointee.externalCount = 0
                    previous = o
                }
                previous.references(count: 1)[0] = first
                first.pointee.externalCount = 0
                heap.liveReferenceCount += count
                outcome.built = heap.objectCount
                outcome.collected = try heap.collect(report: .counts).collected
                outcome.left = heap.objectCount
                outcome.references = heap.referenceCount
            } catch {
                outcome.failure = "\(error)"
            }
        }
        thread.stackSize = 256 * 1024
        thread.start()
        done.wait()
        #expect(outcome.failure == nil)
        #expect(outcome.built == count)
        #expect(outcome.collected == count)
        #expect(outcome.left == 0)
        #expect(outcome.references == 0)
    }
}

/// What the small-stack thread reports back; written by that thread before it signals, read after.
final class RingOutcome: @unchecked Sendable {
    var built = 0, collected = 0, left = -1, references = -1
    var failure: String?
}
