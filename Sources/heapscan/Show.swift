// Show — `heapscan show`: one object, as MAT's inspector and objgraph's `at` + `get_referrers` show it:
// its fields and slots with their targets, who refers to it, its refcount against the references in,
// retained size, immediate dominator and the chain from outside (HeapAnalysis's ObjectInspection).
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One object: its references, its referrers, refcount, retained size, dominator, chain.",
        discussion: """
            Examples:
              heapscan show app.heap 140234
              heapscan show --json app.heap 0x223ca
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var labels: LabelOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Id of the object (decimal, or hexadecimal with 0x).")
    var id: ObjectID

    func run() throws {
        let snapshot = labels.apply(try input.load())
        let object = try snapshot.requireIndex(of: id, in: input.input)
        Progress.shared.step("computing dominators")
        let inspection = ObjectInspection(object, dominators: DominatorTree(snapshot))
        if output.json { return try Output.json(ShowJSON(inspection, in: snapshot)) }
        try Output.write(ShowJSON.text(inspection, in: snapshot))
    }
}

/// `show --json`: `{"object", "live", "heldFromOutside", "refcount"?, "referencesIn", "retained"?,
/// "immediateDominator"?, "roots", "references", "referrers", "path"?}`.
struct ShowJSON: Encodable {
    /// A reference: `{"id", "type", "field"?, "slot", "kind"}` (the other end's id and type).
    struct ReferenceJSON: Encodable {
        var id: UInt64
        var type: String
        var field: String?
        var slot: Int
        var kind: String
    }

    struct RootJSON: Encodable {
        var name: String
        var kind: String
    }

    var object: ObjectJSON
    var live: Bool
    var heldFromOutside: Bool
    var refcount: UInt32?
    var referencesIn: Int
    var retained: UInt64?
    var immediateDominator: UInt64?
    var roots: [RootJSON]
    var references: [ReferenceJSON]
    var referrers: [ReferenceJSON]
    var path: ChainJSON?

    init(_ i: ObjectInspection, in snapshot: HeapSnapshot) {
        func reference(_ r: ObjectInspection.Reference) -> ReferenceJSON {
            ReferenceJSON(id: snapshot.ids[r.object], type: snapshot.typeName(of: r.object), field: r.field, slot: r.slot, kind: r.kind.name)
        }
        object = ObjectJSON(i.object, in: snapshot)
        live = !i.isGarbage
        heldFromOutside = i.heldFromOutside
        refcount = i.refcount
        referencesIn = i.retainingReferencesIn
        retained = i.retainedBytes
        immediateDominator = i.immediateDominator.map { snapshot.ids[$0] }
        roots = i.roots.map { RootJSON(name: $0.name, kind: $0.kind.name) }
        references = i.references.map(reference)
        referrers = i.referrers.map(reference)
        path = i.pathFromOutside.map { ChainJSON($0, in: snapshot) }
    }

    /// The text form: a headline, then references, referrers and the chain, one per line.
    static func text(_ i: ObjectInspection, in snapshot: HeapSnapshot) -> String {
        func via(_ r: ObjectInspection.Reference) -> String {
            let name = r.field.map { "." + HeapText.terminalEscaped($0) } ?? "[\(r.slot)]"
            return r.kind == .strong ? name : "\(name) (\(r.kind.name))"
        }
        var out = "\(snapshot.objectDescription(i.object)): \(Format.bytes(snapshot.sizes[i.object]))"
        if let site = snapshot.site(of: i.object) { out += ", allocated at \(HeapText.terminalEscaped(site))" }
        out += "\n"
        var held = "references in from the heap: \(Format.count(i.retainingReferencesIn))"
        if let refcount = i.refcount { held = "refcount \(Format.count(refcount)), " + held }
        if !i.roots.isEmpty {
            held += "; roots: " + i.roots.map { "\"\(HeapText.terminalEscaped($0.name))\" (\($0.kind.name))" }.joined(separator: ", ")
        }
        out += held + (i.heldFromOutside ? " — held from outside\n" : "\n")
        if i.isGarbage {
            out += "garbage: nothing held from outside reaches it (heapscan cycles shows what keeps it)\n"
        } else {
            out += "live, retains \(Format.bytes(i.retainedBytes ?? 0)); immediate dominator: "
            out += i.immediateDominator.map { snapshot.objectDescription($0) } ?? "none (only what holds it from outside)"
            out += "\n"
        }
        out += "\nreferences (\(Format.count(i.references.count))):\(i.references.isEmpty ? " none" : "")\n"
        for r in i.references { out += "  \(via(r)) → \(snapshot.objectDescription(r.object))\n" }
        out += "\nreferrers (\(Format.count(i.referrers.count))):\(i.referrers.isEmpty ? " none" : "")\n"
        for r in i.referrers { out += "  \(snapshot.objectDescription(r.object))\(via(r))\n" }
        if let path = i.pathFromOutside {
            out += "\nshortest chain from outside:\n"
            out += path.description(in: snapshot, firstSteps: Path.shownSteps, lastSteps: Path.shownSteps)
                .split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }
}
