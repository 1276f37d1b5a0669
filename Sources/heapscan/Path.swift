// Path — `heapscan path`: why an object is alive, as the shortest chain of references from something
// held from outside (objgraph's find_backref_chain, MAT's path to GC roots), with alternatives.
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Path: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The chain of references from outside the heap to an object, by id.",
        discussion: """
            A chain starts at a named root or at an object held by its refcount (more references than \
            the dump shows), and each step names the field followed. A garbage object has no chain: \
            the command says so and, when it sits in a garbage cycle, which one. With --to-type the \
            chain goes forward instead: from the object to the nearest object of that type \
            (objgraph's find_ref_chain); a type the dump does not have is an error. A chain of \
            more than 21 steps shows its first and last 10 (--all-steps for every one; JSON always \
            lists every step).

            Examples:
              heapscan path app.heap 140234
              heapscan path --count 3 app.heap 0x223ca      # up to 3 chains, shortest first
              heapscan path --json app.heap 140234
              heapscan path --to-type Session app.heap 140234  # from the object to the first Session
              heapscan path --all-steps app.heap 140234     # every step of a long chain
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var labels: LabelOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Id of the object (decimal, or hexadecimal with 0x).")
    var id: ObjectID

    @Option(parsing: .unconditional, help: "Chains to show: the shortest, then others through different referrers.")
    var count = 1

    @Option(help: "Follow references forward from the object to the nearest object of this type instead.")
    var toType: String?

    @Flag(help: "Also follow weak and shortcut references: why the object is still reachable, not why it is alive.")
    var throughWeak = false

    @Flag(help: "Print every step of a long chain; by default the middle of a chain over \(Path.shownSteps * 2 + 1) steps is one line.")
    var allSteps = false

    /// Steps printed at each end of a long chain (text only; JSON lists every step).
    static let shownSteps = 10

    func validate() throws {
        try Range.check("--count", count, atLeast: 1)
        if toType != nil && count != 1 { throw ValidationError("--to-type finds one chain; leave out --count") }
        if throughWeak && count != 1 { throw ValidationError("--through-weak finds one chain; leave out --count") }
    }

    func run() throws {
        let snapshot = labels.apply(try input.load())
        let object = try snapshot.requireIndex(of: id, in: input.input)
        Progress.shared.step("searching chains")
        if let toType { return try forward(snapshot, from: object, to: toType) }
        let paths = count == 1
            ? snapshot.shortestPathFromOutside(to: object, throughNonRetaining: throughWeak).map { [$0] } ?? []
            : snapshot.pathsFromOutside(to: object, limit: count)
        var cycle: GarbageCycle? = nil
        if paths.isEmpty {
            Progress.shared.step("finding garbage cycles")
            let leaks = LeakAnalysis(snapshot)
            cycle = leaks.cycles.first { $0.members.contains(object) || $0.hangers.contains(object) }
        }
        if output.json {
            return try Output.json(
                PathJSON(object: ObjectJSON(object, in: snapshot), garbage: paths.isEmpty, paths: paths.map { ChainJSON($0, in: snapshot) },
                         cycle: cycle.map { CycleJSON($0, in: snapshot) }))
        }
        guard !paths.isEmpty else {
            var text = snapshot.liveness == .roots
                ? "\(snapshot.objectDescription(object)) is unreachable: no root reaches it (it awaits collection)"
                : "\(snapshot.objectDescription(object)) is garbage: nothing held from outside reaches it"
            if !throughWeak && snapshot.hasNonRetainingReferences
                && snapshot.shortestPathFromOutside(to: object, throughNonRetaining: true) != nil
            {
                text += " (only weak references lead to it: --through-weak shows them)"
            }
            if let cycle {
                let role = cycle.members.contains(object) ? "a member of" : "kept alive by"
                text += "\nit is \(role) the garbage cycle rooted at \(snapshot.objectDescription(cycle.root)) (signature \(cycle.signature))"
            }
            return try Output.line(text)
        }
        try Output.write(paths.map { describe($0, in: snapshot) + "\n" }.joined(separator: "\n"))
    }
}

extension Path {
    /// `--to-type`: the shortest chain from `object` to an object of type `type` (itself excluded).
    private func forward(_ snapshot: HeapSnapshot, from object: HeapSnapshot.ObjectIndex, to type: String) throws {
        try snapshot.requireType(type, in: input.input)
        let wanted = Set(snapshot.typeNames.indices.filter { snapshot.typeNames[$0] == type }.map(UInt32.init))
        let chain = snapshot.referenceChain(from: object) { $0 != object && wanted.contains(snapshot.typeIndices[$0]) }
        if output.json {
            return try Output.json(
                PathJSON(object: ObjectJSON(object, in: snapshot), garbage: nil, paths: chain.map { [ChainJSON($0, in: snapshot)] } ?? [], cycle: nil))
        }
        guard let chain else {
            return try Output.line("no object of type \(HeapText.terminalEscaped(type)) is reachable from \(snapshot.objectDescription(object))")
        }
        try Output.line(describe(chain, in: snapshot))
    }

    /// The chain as text, its middle shortened unless `--all-steps`.
    private func describe(_ path: ReferencePath, in snapshot: HeapSnapshot) -> String {
        allSteps ? path.description(in: snapshot) : path.description(in: snapshot, firstSteps: Self.shownSteps, lastSteps: Self.shownSteps)
    }
}

/// `path --json`: `{"object", "garbage"?, "paths", "cycle"?}` (`garbage` is left out with `--to-type`).
struct PathJSON: Encodable {
    var object: ObjectJSON
    /// True when nothing held from outside reaches the object (then `paths` is empty).
    var garbage: Bool?
    var paths: [ChainJSON]
    /// For garbage, the cycle it belongs to or hangs on.
    var cycle: CycleJSON?
}

/// One chain: `{"origin": {"kind": "root"|"refcount", "name"?, "id"}, "steps": [{"field"?, "kind"?, "id", "type"}]}`
/// (`kind` only on a step that is not strong: `weak`, `shortcut`, `internal`).
struct ChainJSON: Encodable {
    struct Origin: Encodable {
        /// "root" (a named root), "refcount" (held by its refcount) or "object".
        var kind: String
        var name: String?
        var id: UInt64
        var type: String
    }

    struct Step: Encodable {
        var field: String?
        /// The reference's kind when it is not strong.
        var kind: String?
        var id: UInt64
        var type: String
    }

    var origin: Origin
    var steps: [Step]

    init(_ path: ReferencePath, in snapshot: HeapSnapshot) {
        let start = path.start
        switch path.origin {
        case .root(let name, _): origin = Origin(kind: "root", name: name, id: snapshot.ids[start], type: snapshot.typeName(of: start))
        case .heldByRefcount: origin = Origin(kind: "refcount", id: snapshot.ids[start], type: snapshot.typeName(of: start))
        case .object: origin = Origin(kind: "object", id: snapshot.ids[start], type: snapshot.typeName(of: start))
        }
        steps = path.steps.map {
            Step(field: $0.field, kind: $0.kind == .strong ? nil : $0.kind.name, id: snapshot.ids[$0.object], type: snapshot.typeName(of: $0.object))
        }
    }
}
