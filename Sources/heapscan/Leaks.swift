// Leaks — `heapscan leaks BASELINE TARGET FINAL`: memlab's three-snapshot method. What an action made
// (new since BASELINE, present in TARGET) that is still alive after it was undone (FINAL), in groups of
// one retainer path each, ranked by retained size; exit 1 when any, so CI can gate on it.
import ArgumentParser
import Foundation
import HeapAnalysis
import HeapGraph
import HeapGraphviz

struct Leaks: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find what an undone action left alive, from three snapshots (memlab's method).",
        discussion: """
            BASELINE is taken before the action, TARGET after it, FINAL after undoing it. A leak is an \
            object whose id is not in BASELINE, is in TARGET and is still in FINAL, reachable from a \
            root. Leaks are grouped by the signature of their shortest retainer path and ranked by the \
            group's retained size. The engine's own objects ((system), (compiled code), (object shape), \
            (array), (synthetic)) are not reported themselves; they count in retained sizes. Needs \
            stable object ids: V8 snapshots, heapscan dumps and JSON.

            Exit status: 0 no leaks; 1 leaks found; 2 unreadable input.

            Examples:
              heapscan leaks baseline.heapsnapshot target.heapsnapshot final.heapsnapshot
              heapscan leaks --json b.heapsnapshot t.heapsnapshot f.heapsnapshot | jq '.groups[0]'
              heapscan leaks b.heap t.heap f.heap -o leak.svg     # the top group's retainer path
            """)

    @Argument(help: "The snapshot before the action.") var baseline: String
    @Argument(help: "The snapshot after the action.") var target: String
    @Argument(help: "The snapshot after the action was undone.") var final: String

    @Option(name: .shortAndLong, help: "Draw the top group's retainer path to this file (.svg, .png, .pdf, .dot).")
    var output: String?

    @Option(help: "Groups to print (0 for all).")
    var top = 10

    @OptionGroup var read: ReadOptions
    @OptionGroup var json: OutputOptions

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
        if let output { _ = try Graph.format(of: output) }
    }

    func run() throws {
        // Only the ids of the first two are kept, so at most two snapshots are in memory at once.
        let baselineIDs = try stableIDs(baseline)
        let targetIDs = try stableIDs(target)
        let snapshot = try read.load(final)
        Progress.shared.step("comparing three snapshots")
        let triage = LeakTriage(baselineIDs: baselineIDs, targetIDs: targetIDs, final: snapshot)
        let shown = top == 0 ? triage.groups : Array(triage.groups.prefix(top))
        if let output, let first = triage.groups.first { try draw(first, in: snapshot, to: output) }
        if json.json {
            try Output.json(LeaksJSON(triage, groups: shown))
        } else {
            try Output.write(text(triage, shown: shown))
        }
        if !triage.groups.isEmpty { throw ExitCode(ExitStatus.found) }
    }

    /// The ids of the dump at `path`, or a failure saying why its ids cannot be compared.
    private func stableIDs(_ path: String) throws(CommandFailure) -> [UInt64] {
        let snapshot = try read.load(path)
        if let why = LeakTriage.whyIDsAreUnstable(snapshot) {
            throw CommandFailure("\(path): leaks cannot compare this dump: \(why)")
        }
        return snapshot.ids
    }

    private func text(_ triage: LeakTriage, shown: [LeakTriage.Group]) -> String {
        let snapshot = triage.snapshot
        guard !triage.groups.isEmpty else {
            return "no leaks: nothing made after the baseline survived the undo\(awaiting(triage))\n"
        }
        var out = "\(Format.counted(triage.leaked.count, "leaked object")), \(Format.bytes(snapshot.bytes(of: triage.leaked))), "
        out += "in \(Format.counted(triage.groups.count, "retainer path group"))\(awaiting(triage))\n"
        for (rank, group) in shown.enumerated() {
            var types: [String: Int] = [:]
            for o in group.objects { types[snapshot.typeName(of: o), default: 0] += 1 }
            let kinds = types.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(6)
                .map { "\(Format.count($0.value)) \(HeapText.terminalEscaped($0.key))" }.joined(separator: ", ")
            let more = types.count > 6 ? ", …" : ""
            out += "\n#\(rank + 1) \(Format.counted(group.count, "similar leak")), retained \(Format.bytes(group.retainedBytes)), signature \(group.signature)\n"
            out += "  leaked objects: \(Format.count(group.objects.count)), \(Format.bytes(group.shallowBytes)): \(kinds)\(more)\n"
            for line in group.path.description(in: snapshot, firstSteps: 12, lastSteps: 4).split(separator: "\n") {
                out += "  \(line)\n"
            }
        }
        if shown.count < triage.groups.count {
            out += "\n… \(Format.count(triage.groups.count - shown.count)) more groups (--top 0 shows all)\n"
        }
        return out
    }

    private func awaiting(_ triage: LeakTriage) -> String {
        triage.unreachable == 0 ? "" : " (\(Format.count(triage.unreachable)) more are unreachable, awaiting collection)"
    }

    /// Draws the group's retainer path, rendered in a child process like `graph`.
    private func draw(_ group: LeakTriage.Group, in snapshot: HeapSnapshot, to path: String) throws {
        var chain = snapshot.chainNeighbourhood(group.path)
        chain.starts = [group.path.end]
        let caption = "Top leak: \(group.count) similar, \(group.objects.count) leaked objects, retained \(HeapText.bytes(group.retainedBytes)), signature \(group.signature)"
        let dot = HeapDrawing(chain, in: snapshot, caption: caption).dot()
        var bytes = Data(dot.utf8)
        if let format = try Graph.format(of: path) {
            do {
                bytes = try SubprocessRenderer(executable: Graph.executable, arguments: ["render-worker"], timeout: .seconds(60))
                    .render(dot: dot, format: format)
            } catch {
                throw CommandFailure("\(path): \(error)")
            }
        }
        do {
            try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure("\(path): cannot write: \(error.localizedDescription)")
        }
    }
}

/// `leaks --json`: `{"leaked": {objects, bytes}, "unreachable", "groupCount", "groups": [{signature, count,
/// shallowBytes, retainedBytes, root?, path: [{field?, object}], heads: [id], objects: [object]}]}`.
struct LeaksJSON: Encodable {
    struct StepJSON: Encodable {
        var field: String?
        var object: ObjectJSON
    }
    struct GroupJSON: Encodable {
        var signature: String
        var count: Int
        var shallowBytes: UInt64
        var retainedBytes: UInt64
        var root: String?
        var path: [StepJSON]
        var heads: [UInt64]
        var objects: [ObjectJSON]
    }
    var leaked: TotalJSON
    var unreachable: Int
    var groupCount: Int
    var groups: [GroupJSON]

    init(_ triage: LeakTriage, groups shown: [LeakTriage.Group]) {
        let s = triage.snapshot
        leaked = TotalJSON(objects: triage.leaked.count, bytes: s.bytes(of: triage.leaked))
        unreachable = triage.unreachable
        groupCount = triage.groups.count
        groups = shown.map { g in
            var root: String?
            if case .root(let name, _) = g.path.origin { root = name }
            let path = [StepJSON(field: nil, object: ObjectJSON(g.path.origin.object, in: s))]
                + g.path.steps.map { StepJSON(field: $0.field, object: ObjectJSON($0.object, in: s)) }
            return GroupJSON(
                signature: g.signature, count: g.count, shallowBytes: g.shallowBytes, retainedBytes: g.retainedBytes,
                root: root, path: path, heads: g.heads.map { s.ids[$0] }, objects: g.objects.map { ObjectJSON($0, in: s) })
        }
    }
}
