// ValueAPITests — the checks as values, for other frameworks: reports built from two snapshots (the
// live heap's or a dump's), `require()` throwing the same message, and the collected-snapshot view.
import Foundation
import HeapAnalysis
import HeapGraph
@testable import HeapTesting
import ManagedHeap
import Testing

@Suite struct ValueAPITests {
    @Test func requireThrowsTheMessage() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        let report = try heap.leakReport(options: HeapCheckOptions(pictures: .disabled)) {
            try app.openAndCloseScreen(unsubscribe: false)
        }
        do {
            try report.require()
            Issue.record("require() should have thrown")
        } catch {
            #expect(error.message == report.message)
            #expect(error.description.hasPrefix("Leaked 3 objects"))
        }
        let clean = try heap.leakReport(options: HeapCheckOptions(pictures: .disabled)) {
            try app.openAndCloseScreen(unsubscribe: true)
        }
        try clean.require()
        #expect("\(clean)" == clean.message)
    }

    @Test func reportsWorkOnSnapshotsFromAnywhere() throws {
        // Two dumps of the same program, built by hand: one object leaked under a named root.
        var b1 = HeapSnapshotBuilder()
        let registry = b1.add("Registry", size: 32, refcount: 1, site: "App.swift:3")
        b1.root(registry, name: "globals.registry")
        let before = b1.build()
        var b2 = HeapSnapshotBuilder()
        b2.add(id: registry, type: "Registry", size: 32, refcount: 1, site: "App.swift:3")
        b2.add(id: 9, type: "Session", size: 64, refcount: 1, site: "App.swift:40")
        b2.reference(from: registry, to: 9, name: "sessions")
        b2.root(registry, name: "globals.registry")
        let after = b2.build()
        let report = LeakReport(
            before: before, after: after, options: HeapCheckOptions(pictures: .disabled), origin: CheckOrigin(fileID: "x", line: 1))
        #expect(report.message == """
            Leaked 1 object (64 bytes) in 1 group: created by the block and still reachable after collection.

            1. 1 × Session (64 bytes), allocated at App.swift:40
               kept alive by (shortest chain from an external reference to <Session #9>):
                 root "globals.registry" → <Registry #1>
                   .sessions → <Session #9>
            """)
        let survivors = SurvivorReport(typeName: "Session", in: after, options: HeapCheckOptions(pictures: .disabled), origin: CheckOrigin(fileID: "x", line: 1))
        #expect(survivors.survivorCount == 1 && !survivors.passed)
    }

    @Test func collectedSnapshotMatchesTheSnapshotsLiveness() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        let kept = try tree.makeTree(children: 2)
        _ = try tree.makeTree(children: 4)  // garbage
        let full = heap.snapshot()
        let collected = heap.collectedSnapshot()
        #expect(full.objectCount == 8)
        #expect(collected.objectCount == 3)
        #expect(collected.garbage().isEmpty)
        let alive = full.reachableFromOutside()
        #expect(collected.ids == full.objectIndices.filter { alive[$0] }.map { full.ids[$0] })
        _ = kept
    }

    @Test func groupsAreCountedAndOrderedDeterministically() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        let report = try heap.leakReport(options: HeapCheckOptions(detailLimit: 1, pictures: .disabled)) {
            for _ in 0..<3 { try app.openAndCloseScreen(unsubscribe: false) }
        }
        #expect(report.leakedObjectCount == 9)
        #expect(report.leaks.map(\.objects.count) == [3, 3, 3])
        #expect(report.message.hasSuffix("... and 2 more groups (6 objects) not shown."))
        #expect(report.message.contains("""
            1. 3 × Subscription (264 bytes), allocated at HeapTestingTests/Scenarios.swift:62
               objects: <Subscription #4>, <Subscription #7>, <Subscription #10>
               kept alive by (shortest chain from an external reference to <Subscription #4>):
            """))
        let many = try heap.leakReport(options: HeapCheckOptions(pictures: .disabled)) {
            for _ in 0..<7 { try app.openAndCloseScreen(unsubscribe: false) }
        }
        #expect(many.message.contains("   objects: <Subscription #13>, <Subscription #16>, <Subscription #19>, <Subscription #22>, <Subscription #25> and 2 more\n"))
        let again = try { () throws -> String in
            let heap = ManagedHeap()
            let app = try ObserverScenario(heap)
            return try heap.leakReport(options: HeapCheckOptions(detailLimit: 1, pictures: .disabled)) {
                for _ in 0..<3 { try app.openAndCloseScreen(unsubscribe: false) }
            }.message
        }()
        #expect(again == report.message)
    }
}
