// V8LeakTriageTests — real V8 snapshots from Node (leaky.js): heapscan's `types` counts per constructor
// equal what the program made, and the three-snapshot triage finds exactly what the program leaked and
// nothing its undo freed; a run without leaks finds none.
import Foundation
import HeapAnalysis
import HeapFormats
import HeapGraph
import Testing

@Suite("V8 snapshots written by Node")
struct V8LeakTriageTests {
    static let constructors = ["Transient", "ListenerPayload", "CacheEntry", "RingNode"]

    /// Objects per type name in `snapshot`.
    static func counts(_ snapshot: HeapSnapshot) -> [String: Int] {
        var counts: [String: Int] = [:]
        for o in snapshot.objectIndices { counts[snapshot.typeName(of: o), default: 0] += 1 }
        return counts
    }

    /// Leaked objects per type name over every group.
    static func leakedCounts(_ triage: LeakTriage) -> [String: Int] {
        var counts: [String: Int] = [:]
        for group in triage.groups {
            for o in group.objects { counts[triage.snapshot.typeName(of: o), default: 0] += 1 }
        }
        return counts
    }

    @Test func typeCountsEqualWhatTheProgramMade() throws {
        let run = try LeakyRun.run()
        defer { run.remove() }
        let baseline = Self.counts(try HeapDump.read(from: run.baseline))
        let target = Self.counts(try HeapDump.read(from: run.target))
        let final = Self.counts(try HeapDump.read(from: run.final))
        for name in Self.constructors {
            #expect(baseline[name, default: 0] == 0, "\(name) before the actions")
            #expect(target[name, default: 0] == run.report.made[name], "\(name) after the actions")
            #expect(final[name, default: 0] == run.report.leaked[name, default: 0], "\(name) after the undo")
        }
    }

    @Test func leaksAreExactlyWhatTheProgramLeaked() throws {
        let run = try LeakyRun.run()
        defer { run.remove() }
        let triage = LeakTriage(
            baseline: try HeapDump.read(from: run.baseline), target: try HeapDump.read(from: run.target),
            final: try HeapDump.read(from: run.final))
        let leaked = Self.leakedCounts(triage)
        for name in Self.constructors {
            #expect(leaked[name, default: 0] == run.report.leaked[name, default: 0], "\(name)")
        }
        #expect(run.report.freed["Transient", default: 0] > 0)
        #expect(leaked["Transient"] == nil)
        // Similar leaks are one group each: the five rings and the five cache entries.
        let ringGroups = triage.groups.filter { g in g.heads.allSatisfy { triage.snapshot.typeName(of: $0) == "RingNode" } }
        #expect(ringGroups.count == 1)
        #expect(ringGroups.first?.count == run.report.leaked["RingNode", default: 0] / 3)
        let cacheGroups = triage.groups.filter { g in g.heads.allSatisfy { triage.snapshot.typeName(of: $0) == "CacheEntry" } }
        #expect(cacheGroups.count == 1)
        #expect(cacheGroups.first?.count == run.report.leaked["CacheEntry"])
    }

    @Test func aRunWithoutLeaksHasNone() throws {
        let run = try LeakyRun.run(["--no-leak"])
        defer { run.remove() }
        #expect(run.report.leaked.isEmpty)
        let triage = LeakTriage(
            baseline: try HeapDump.read(from: run.baseline), target: try HeapDump.read(from: run.target),
            final: try HeapDump.read(from: run.final))
        #expect(triage.groups.isEmpty, "\(triage.groups.map { triage.snapshot.typeName(of: $0.heads[0]) })")
    }

    @Test func closuresAreNamedWithTheirPlace() throws {
        let run = try LeakyRun.run(["--rounds", "2"])
        defer { run.remove() }
        let snapshot = try HeapDump.read(from: run.target)
        let listeners = snapshot.objectIndices.filter {
            snapshot.typeName(of: $0) == "(closure)" && (snapshot.label(of: $0) ?? "").hasPrefix("onTick ")
        }
        #expect(listeners.count == 2)
        // Where the arrow function starts in the source, 1-based, as DevTools shows it.
        let source = try String(contentsOf: LeakyRun.program, encoding: .utf8).components(separatedBy: "\n")
        let line = try #require(source.firstIndex { $0.contains("const onTick = () =>") })
        let column = try #require(source[line].firstIndex(of: "("))
        let place = "leaky.js:\(line + 1):\(source[line].distance(from: source[line].startIndex, to: column) + 1)"
        for o in listeners {
            #expect(snapshot.label(of: o)?.hasSuffix(place) == true, "\(snapshot.label(of: o) ?? "")")
            #expect(snapshot.site(of: o)?.hasSuffix(place) == true)
        }
    }

    @Test func growthFindsWhatGrewAtEveryRound() throws {
        let run = try LeakyRun.run(["--series", "--rounds", "3"])
        defer { run.remove() }
        var series = GrowthSeries()
        for step in 0...3 { series.record(try HeapDump.read(from: run.folder.appendingPathComponent("step-\(step).heapsnapshot"))) }
        let grew = Dictionary(uniqueKeysWithValues: series.grewAtEveryStep(.type).map { ($0.key, $0.counts) })
        #expect(grew["ListenerPayload"] == [0, 1, 2, 3])
        #expect(grew["CacheEntry"] == [0, 1, 2, 3])
        #expect(grew["RingNode"] == [0, 3, 6, 9])
        #expect(grew["Transient"] == nil)
    }
}
