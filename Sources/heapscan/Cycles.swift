// Cycles — `heapscan cycles`: the garbage cycles, ranked by the bytes they retain, each as a
// `leaks`-style tree from its root with a stable signature. Exit status 1 when a refcounted heap has
// any (leaks, to gate CI); under the `roots` rule unreachable cycles await collection, exit 0.
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Cycles: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The garbage cycles, ranked, as leaks-style trees with signatures (exit 1 if any).",
        discussion: """
            Garbage is what nothing held from outside (a root, or an object whose refcount exceeds \
            the references to it in the dump) reaches. A cycle is a strongly connected group of \
            garbage, or an object referring to itself; its root is the member to look at first. \
            The signature hashes the type and field names around the cycle, so the same leak has \
            the same signature in every dump. Weak references are never followed.

            Dumps of tracing runtimes (JVM, V8: liveness rule "roots") have no leaks of this kind: \
            what roots cannot reach is unreachable and awaits the next collection. Their cycles are \
            listed as such and do not fail the command; use `heapscan leaks` or the suspects of \
            `summary` to gate on them.

            Exit status: 0 no cycles (or a "roots" dump), 1 garbage cycles found in a refcounted \
            heap, 2 unreadable input.

            Examples:
              heapscan cycles app.heap
              heapscan cycles --by-signature app.heap     # one line per kind of leak, with a count
              heapscan cycles --json app.heap | jq '.cycles[0].members'
              heapscan cycles app.heap || echo "leaks found"
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var labels: LabelOptions
    @OptionGroup var output: OutputOptions

    @Option(parsing: .unconditional, help: "Cycles printed as trees, largest first (0 for all); JSON always lists all.")
    var top = 10

    @Option(parsing: .unconditional, help: "Lines per tree before it is cut.")
    var maxLines = 100

    @Flag(help: "One line per signature (kind of leak) with its count and bytes, instead of trees.")
    var bySignature = false

    func validate() throws {
        try Range.check("--top", top, atLeast: 0, meaning: "0 shows all")
        try Range.check("--max-lines", maxLines, atLeast: 1)
    }

    func run() throws {
        let snapshot = labels.apply(try input.load())
        Progress.shared.step("finding garbage cycles")
        let leaks = LeakAnalysis(snapshot)
        if output.json {
            try Output.json(
                CyclesJSON(
                    garbage: leaks.garbage.map { snapshot.ids[$0] }, garbageBytes: snapshot.bytes(of: leaks.garbage),
                    cycles: leaks.cycles.map { CycleJSON($0, in: snapshot, tree: leaks.tree(of: $0, limit: maxLines)) },
                    acyclicGarbage: leaks.acyclicGarbage.map { snapshot.ids[$0] },
                    signatures: SignatureGroup.groups(leaks)))
        } else {
            try Output.write(bySignature ? signatureTable(leaks) : trees(leaks))
        }
        if !leaks.cycles.isEmpty && snapshot.liveness == .refcount { throw ExitCode(ExitStatus.found) }
    }

    private func headline(_ leaks: LeakAnalysis) -> String {
        let s = leaks.snapshot
        let inCycles = leaks.cycles.reduce(0) { $0 + $1.members.count }
        let what = s.liveness == .roots ? "unreachable object" : "garbage object"
        let note = s.liveness == .roots ? " (liveness rule roots: awaiting collection, not leaks)" : ""
        return "\(Format.counted(leaks.garbage.count, what)) (\(Format.bytes(s.bytes(of: leaks.garbage))))\(note): "
            + "\(Format.counted(leaks.cycles.count, "cycle")) of \(Format.counted(inCycles, "object")), "
            + "\(Format.counted(leaks.garbage.count - inCycles, "object")) outside cycles\n"
    }

    private func trees(_ leaks: LeakAnalysis) -> String {
        var out = headline(leaks)
        let shown = leaks.cycles.prefix(Range.rows(top))
        for (rank, cycle) in shown.enumerated() {
            out += "\nCYCLE \(Format.count(rank + 1)) of \(Format.count(leaks.cycles.count)): \(Format.counted(cycle.members.count, "member")), "
            out += "\(Format.count(cycle.hangers.count)) kept alive, \(Format.bytes(cycle.retainedBytes)) retained, "
            out += "signature \(cycle.signature)\n"
            out += leaks.tree(of: cycle, limit: maxLines)
        }
        if leaks.cycles.count > shown.count {
            out += "\n… \(Format.counted(leaks.cycles.count - shown.count, "more cycle")) (--top 0 shows all, --by-signature groups them)\n"
        }
        out += outsideCycles(leaks)
        return out
    }

    /// The garbage no cycle keeps alive, as `leaks` lists its leaked objects outside cycles.
    private func outsideCycles(_ leaks: LeakAnalysis) -> String {
        let s = leaks.snapshot
        guard !leaks.acyclicGarbage.isEmpty else { return "" }
        var out = "\nGARBAGE OUTSIDE CYCLES: \(Format.counted(leaks.acyclicGarbage.count, "object")) (\(Format.bytes(s.bytes(of: leaks.acyclicGarbage))))\n"
        let shown = leaks.acyclicGarbage.prefix(maxLines)
        for v in shown { out += "  \(s.objectDescription(v)) [\(s.sizes[v])]\n" }
        if leaks.acyclicGarbage.count > shown.count {
            out += "  … \(Format.count(leaks.acyclicGarbage.count - shown.count)) more (heapscan objects --garbage lists them)\n"
        }
        return out
    }

    private func signatureTable(_ leaks: LeakAnalysis) -> String {
        var table = Table(("cycles", .right), ("retained", .right), ("members", .right), ("signature", .left), ("largest root", .left))
        for g in leaks.signatureGroups() {
            table.append([Format.count(g.cycles), Format.bytes(g.retainedBytes), Format.count(g.members), g.signature, leaks.snapshot.objectDescription(g.example)])
        }
        return headline(leaks) + (table.rows.isEmpty ? "" : "\n" + table.render())
    }
}

/// `cycles --json`: every garbage id, every cycle (ranked) and the signature groups.
struct CyclesJSON: Encodable {
    /// Ids of every garbage object, increasing.
    var garbage: [UInt64]
    var garbageBytes: UInt64
    /// Ranked by retained bytes.
    var cycles: [CycleJSON]
    /// Garbage that no cycle keeps alive.
    var acyclicGarbage: [UInt64]
    /// Cycles grouped by signature, most retained first.
    var signatures: [SignatureGroup]
}

/// The cycles sharing one signature: `{"signature", "cycles", "members", "retained", "example"}`.
struct SignatureGroup: Encodable {
    var signature: String
    var cycles: Int
    /// Members over all these cycles.
    var members: Int
    var retained: UInt64
    /// Root id of the largest cycle with this signature.
    var example: UInt64

    /// HeapAnalysis's groups, with ids for positions.
    static func groups(_ leaks: LeakAnalysis) -> [SignatureGroup] {
        leaks.signatureGroups().map {
            SignatureGroup(
                signature: $0.signature, cycles: $0.cycles, members: $0.members, retained: $0.retainedBytes,
                example: leaks.snapshot.ids[$0.example])
        }
    }
}
