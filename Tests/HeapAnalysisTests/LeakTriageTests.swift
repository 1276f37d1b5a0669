// LeakTriageTests — the three-snapshot method on small built heaps: new-and-kept by id, heads grouped by
// path signature (indices folded), engine types ignored, unreachable survivors not leaks; GrowthSeries.
import HeapAnalysis
import HeapGraph
import Testing

@Suite("Three-snapshot leak triage")
struct LeakTriageTests {
    /// A root `app` holding a list; `leaked` items (ids from 100) hang off it, each holding a payload.
    static func heap(items: Range<Int>, extraUnreachable: Bool = false) -> HeapSnapshot {
        var b = HeapSnapshot.Builder()
        b.liveness = .roots
        b.add(id: 1, type: "App", size: 16)
        b.add(id: 2, type: "(array)", size: 64)
        b.root(1, name: "global", kind: .global)
        b.reference(from: 1, to: 2, name: "items")
        for i in items {
            let item = UInt64(100 + 2 * i)
            b.add(id: item, type: "Item", size: 32)
            b.add(id: item + 1, type: "Payload", size: 100)
            b.reference(from: 2, to: item, name: "[\(i)]")
            b.reference(from: item, to: item + 1, name: "payload")
        }
        if extraUnreachable { b.add(id: 9000, type: "Item", size: 32) }
        return b.build()
    }

    @Test func keptObjectsAreGroupedByTheirPath() {
        let baseline = Self.heap(items: 0..<2)
        let target = Self.heap(items: 0..<6, extraUnreachable: true)
        let final = Self.heap(items: 0..<5, extraUnreachable: true)
        let triage = LeakTriage(baseline: baseline, target: target, final: final)
        // Items 2, 3, 4 are new and kept (5 was freed); each holds its payload; the unreachable one awaits collection.
        #expect(triage.leaked.count == 6)
        #expect(triage.unreachable == 1)
        #expect(triage.groups.count == 1)
        let group = triage.groups[0]
        #expect(group.count == 3)
        #expect(group.heads.map { final.ids[$0] } == [104, 106, 108])
        #expect(group.objects.count == 6)
        #expect(group.retainedBytes == 3 * 132)
    }

    @Test func nothingKeptMeansNoGroups() {
        let triage = LeakTriage(baseline: Self.heap(items: 0..<2), target: Self.heap(items: 0..<6), final: Self.heap(items: 0..<2))
        #expect(triage.groups.isEmpty)
        #expect(triage.leaked.isEmpty)
    }

    @Test func engineTypesAreNotLeaksThemselves() {
        let triage = LeakTriage(baseline: .empty, target: Self.heap(items: 0..<1), final: Self.heap(items: 0..<1))
        let types = Set(triage.leaked.map { triage.snapshot.typeName(of: $0) })
        #expect(!types.contains("(array)"))
        #expect(types.isSuperset(of: ["App", "Item", "Payload"]))
    }

    @Test func signaturesFoldIndices() {
        let s = Self.heap(items: 0..<3)
        // Items 0 and 2 are reached through `[0]` and `[2]`: one signature.
        let items = [UInt64(100), 104].compactMap { s.index(ofID: $0) }
        let paths = s.shortestPathsFromOutside(to: items).compactMap { $0 }
        #expect(paths.count == 2)
        #expect(Set(paths.map { LeakTriage.signature(of: $0, in: s) }).count == 1)
    }

    @Test func growthSeriesNeedsARiseAtEveryStep() {
        var series = GrowthSeries()
        for n in [1, 3, 3, 5] { series.record(Self.heap(items: 0..<n)) }
        #expect(series.grewAtEveryStep(.type).isEmpty)
        var rising = GrowthSeries()
        for n in [1, 2, 4] { rising.record(Self.heap(items: 0..<n)) }
        let rows = rising.grewAtEveryStep(.type)
        #expect(rows.map(\.key) == ["Payload", "Item"])
        #expect(rows.first?.counts == [1, 2, 4])
        #expect(rows.first?.bytes == [100, 200, 400])
    }

    @Test func addressIDsAreRefused() {
        for (runtime, refused) in [("Java 17.0.15+6", true), ("OpenJDK 64-Bit Server VM 17", true), ("JVM (1.0.2)", true), ("V8", false), ("heapscan ManagedHeap", false)] {
            var b = HeapSnapshot.Builder()
            b.runtime = runtime
            #expect((LeakTriage.whyIDsAreUnstable(b.build()) != nil) == refused, "\(runtime)")
        }
        #expect(LeakTriage.whyIDsAreUnstable(.empty) == nil)
    }
}
