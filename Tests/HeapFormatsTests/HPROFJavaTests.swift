// HPROFJavaTests — the HPROF reader against the real JVM: dumps of Java/LeakyService.java taken with
// jcmd, compared with jcmd's own class histogram (counts and bytes per class), and the leak analysis
// on them (the growing static map is the top suspect; softly held values are not retained).
import Foundation
import HeapAnalysis
import HeapFormats
import HeapGraph
import Testing

@Suite(.enabled(if: JDK.available, "needs javac, java and jcmd (scripts/setup installs openjdk-17-jdk-headless)"))
struct HPROFJavaTests {
    let dumps: LeakyServiceDumps

    init() throws { dumps = try LeakyServiceDumps.shared.get() }

    func read(_ url: URL) throws -> HeapSnapshot { try HeapDump.read(from: url) }

    /// Count and bytes per type name.
    func histogram(_ snapshot: HeapSnapshot) -> [String: HistogramLine] {
        var result: [String: HistogramLine] = [:]
        for v in snapshot.objectIndices {
            result[snapshot.typeName(of: v), default: HistogramLine(count: 0, bytes: 0)].count += 1
            result[snapshot.typeName(of: v)]!.bytes += snapshot.sizes[v]
        }
        return result
    }

    @Test(arguments: [false, true])
    func everyClassOfTheProgramHasTheHistogramsCountAndBytes(gzipped: Bool) throws {
        let ours = histogram(try read(gzipped ? dumps.gzipped : dumps.plain))
        let program = dumps.after.keys.filter { $0.hasPrefix("LeakyService") }
        #expect(program.count >= 6)
        for name in program {
            #expect(ours[name] == dumps.after[name], "\(name)")
        }
        // Every class whose line did not change across the dumps matches too (the JDK's as well).
        let stable = dumps.after.keys.filter { dumps.after[$0] == dumps.before[$0] }
        let mismatches = stable.filter { ours[$0] != dumps.after[$0] }.sorted()
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5).map { "\($0): ours \(String(describing: ours[$0])), jcmd \(dumps.after[$0]!)" })")
        let total = dumps.after.values.reduce(0) { $0 + $1.count }
        let ourTotal = ours.values.reduce(0) { $0 + $1.count }
        #expect(abs(ourTotal - total) * 100 <= total, "objects: ours \(ourTotal), jcmd \(total)")
    }

    /// The map in `LeakyService.SESSIONS`, found through the class object's static field.
    func sessionsMap(_ s: HeapSnapshot) throws -> Int {
        let leakyClass = try #require(s.objectIndices.first { s.typeName(of: $0) == "java.lang.Class" && s.label(of: $0) == "LeakyService" })
        let edge = try #require(s.edgeRange(of: leakyClass).first { s.fieldName(ofEdge: $0) == "SESSIONS" })
        return Int(s.edgeTargets[edge])
    }

    @Test func theGrowingMapIsTheTopLeakSuspectWithItsPathThroughTheStaticField() throws {
        let s = try read(dumps.plain)
        let map = try sessionsMap(s)
        #expect(s.typeName(of: map) == "java.util.HashMap")
        let tree = DominatorTree(s)
        let top = try #require(tree.leakSuspects().first)
        #expect(top.chain.contains(map), "top suspect \(s.typeName(of: top.object)) \(s.label(of: top.object) ?? "")")
        let path = try #require(s.shortestPathFromOutside(to: map))
        guard case .root = path.origin else { Issue.record("the path starts at \(path.origin), not a GC root"); return }
        #expect(path.steps.last?.field == "SESSIONS")
        #expect(s.typeName(of: path.objects[path.objects.count - 2]) == "java.lang.Class")
    }

    @Test func softlyHeldValuesAreNotRetained() throws {
        let s = try read(dumps.plain)
        let tree = DominatorTree(s)
        let payloads = s.objectIndices.filter { s.typeName(of: $0) == "LeakyService$Payload" }
        #expect(payloads.count == 100)
        for p in payloads { #expect(!tree.isReachable(p)) }
        // Each SoftReference's referent is a weak reference named `referent`.
        let soft = s.objectIndices.filter { s.typeName(of: $0) == "java.lang.ref.SoftReference" }
        let weakToPayload = soft.flatMap { s.weakEdgeRange(of: $0) }.filter {
            s.weakFieldName(ofEdge: $0) == "referent" && s.weakKind(ofEdge: $0) == .weak
                && s.typeName(of: Int(s.weakEdgeTargets[$0])) == "LeakyService$Payload"
        }
        #expect(weakToPayload.count == 100)
        #expect(s.liveness == .roots)
    }

    @Test func labelsRootsAndNames() throws {
        let s = try read(dumps.gzipped)
        let labels = Set(s.objectIndices.compactMap { s.typeName(of: $0) == "java.lang.String" ? s.label(of: $0) : nil })
        #expect(labels.contains("hello, heap"))
        #expect(labels.contains("h\u{e9}ap \u{2603} snow"))  // a UTF-16 string
        let worker = try #require(s.objectIndices.first { s.typeName(of: $0) == "java.lang.Thread" && s.label(of: $0) == "leaky-worker" })
        #expect(s.roots.contains { Int($0.object) == worker && $0.kind == .thread })
        // The worker's local int[4096]: a stack-local root named after its thread.
        #expect(s.roots.contains {
            $0.kind == .stackLocal && $0.name.contains("\"leaky-worker\"") && s.typeName(of: Int($0.object)) == "int[]"
                && s.sizes[Int($0.object)] == 16 + 4096 * 4
        })
        #expect(s.roots.contains { $0.kind == .stickyClass })
        let lambdas = s.objectIndices.filter { s.typeName(of: $0).hasPrefix("LeakyService$$Lambda$") }
        #expect(lambdas.count == 51)
        #expect(s.typeName(of: try sessionsMap(s)) == "java.util.HashMap")
        let ring = s.objectIndices.filter { s.typeName(of: $0) == "LeakyService$RingNode" }
        #expect(ring.count == 10)
        for node in ring {
            #expect(s.references(of: node).filter { $0.name == "next" && s.typeName(of: $0.target) == "LeakyService$RingNode" }.count == 1)
        }
        #expect(s.runtime?.contains("17.") == true, "\(s.runtime ?? "nil")")
        #expect(s.objectIndices.contains { s.typeName(of: $0) == "java.lang.Object[]" })
    }
}
