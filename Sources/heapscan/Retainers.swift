// Retainers — `heapscan retainers`: what keeps the most memory alive (the dominator tree's biggest
// retained sizes, by object and by type) and Eclipse MAT's leak suspects.
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Retainers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The objects and types retaining the most bytes, and the leak suspects.",
        discussion: """
            An object's retained size is what freeing it would free: itself and every object only \
            it keeps alive (its subtree in the dominator tree). A leak suspect retains more than \
            --threshold of the live heap; its accumulation point is where the bytes spread out.

            Examples:
              heapscan retainers app.heap
              heapscan retainers --top 50 --threshold 0.05 app.heap
              heapscan retainers --json app.heap | jq '.suspects[0]'
            """,
        aliases: ["dominators"])

    @OptionGroup var input: InputOptions
    @OptionGroup var labels: LabelOptions
    @OptionGroup var output: OutputOptions

    @Option(parsing: .unconditional, help: "Rows in the object and type lists; 0 for all.")
    var top = 20

    @Option(parsing: .unconditional, help: "Share of the live heap (0 to 1, inclusive) above which an object is a leak suspect.")
    var threshold = 0.10

    func validate() throws {
        try Range.check("--top", top, atLeast: 0, meaning: "0 shows all")
        guard threshold >= 0 && threshold <= 1 else {
            throw ValidationError("--threshold must be from 0 to 1 (a share of the live heap, 0.1 is 10%), got \(threshold)")
        }
    }

    func run() throws {
        let snapshot = labels.apply(try input.load())
        Progress.shared.step("computing dominators")
        let dominators = DominatorTree(snapshot)
        let objects = dominators.topRetainers(Range.rows(top))
        let types = dominators.topRetainersByType(Range.rows(top))
        let suspects = dominators.leakSuspects(threshold: threshold)
        if output.json {
            return try Output.json(
                RetainersJSON(
                    live: TotalJSON(objects: dominators.liveCount, bytes: dominators.liveBytes),
                    retainers: objects.map { RetainerJSON($0, in: dominators) }, byType: types.map(TypeRetentionJSON.init),
                    suspects: suspects.map { SuspectJSON($0, in: dominators) }, threshold: threshold))
        }
        let live = dominators.liveBytes
        var out = "live: \(Format.count(dominators.liveCount)) objects, \(Format.bytes(live))\n\ntop retainers:\n"
        var objectTable = Table(("retained", .right), ("share", .right), ("shallow", .right), ("object", .left))
        for v in objects {
            objectTable.append([Format.bytes(dominators.retainedSize(of: v)), Format.percent(dominators.retainedSize(of: v), of: live), Format.bytes(snapshot.sizes[v]), snapshot.objectDescription(v)])
        }
        out += objectTable.render(indent: "  ")
        out += "\nretained by type:\n"
        var typeTable = Table(("retained", .right), ("share", .right), ("objects", .right), ("shallow", .right), ("type", .left))
        for t in types {
            typeTable.append([Format.bytes(t.retainedBytes), Format.percent(t.retainedBytes, of: live), Format.count(t.count), Format.bytes(t.shallowBytes), Format.key(t.type)])
        }
        out += typeTable.render(indent: "  ")
        out += "\nleak suspects (retaining over \(String(format: "%g", threshold * 100))% of the live heap):\(suspects.isEmpty ? " none" : "")\n"
        for s in suspects {
            out += "  " + SuspectJSON.line(s, in: dominators) + "\n"
            if s.chain.count > 1 {
                // Long chains (a linked list) show their ends: the suspect and the accumulation point.
                let shown = s.chain.count <= 6 ? s.chain.map { snapshot.objectDescription($0) }
                    : s.chain.prefix(3).map { snapshot.objectDescription($0) } + ["… \(Format.count(s.chain.count - 4)) more", snapshot.objectDescription(s.chain[s.chain.count - 1])]
                out += "    dominator chain: " + shown.joined(separator: " → ") + "\n"
            }
        }
        try Output.write(out)
    }
}

/// `retainers --json`.
struct RetainersJSON: Encodable {
    var live: TotalJSON
    var retainers: [RetainerJSON]
    var byType: [TypeRetentionJSON]
    var suspects: [SuspectJSON]
    var threshold: Double
}

/// An object and what it retains: `{"id", "type", "size", "label"?, "site"?, "retained"}`.
struct RetainerJSON: Encodable {
    var id: UInt64
    var type: String
    var size: UInt64
    var label: String?
    var site: String?
    var retained: UInt64

    init(_ object: HeapSnapshot.ObjectIndex, in dominators: DominatorTree) {
        let o = ObjectJSON(object, in: dominators.snapshot)
        id = o.id
        type = o.type
        size = o.size
        label = o.label
        site = o.site
        retained = dominators.retainedSize(of: object)
    }
}

/// `{"type", "count", "shallow", "retained"}`.
struct TypeRetentionJSON: Encodable {
    var type: String
    var count: Int
    var shallow: UInt64
    var retained: UInt64

    init(_ t: TypeRetention) {
        type = t.type
        count = t.count
        shallow = t.shallowBytes
        retained = t.retainedBytes
    }
}

/// `{"id", "type", "retained", "share", "accumulationPoint", "accumulationRetained", "chain"}`.
struct SuspectJSON: Encodable {
    var id: UInt64
    var type: String
    var retained: UInt64
    var share: Double
    var accumulationPoint: UInt64
    var accumulationRetained: UInt64
    var chain: [UInt64]

    init(_ s: LeakSuspect, in dominators: DominatorTree) {
        let snapshot = dominators.snapshot
        id = snapshot.ids[s.object]
        type = snapshot.typeName(of: s.object)
        retained = s.retainedBytes
        // Rounded so that the JSON text does not depend on how a platform prints a Double.
        share = (s.share * 10_000).rounded() / 10_000
        accumulationPoint = snapshot.ids[s.accumulationPoint]
        accumulationRetained = s.accumulationBytes
        chain = s.chain.map { snapshot.ids[$0] }
    }

    /// `<Cache #2> retains 1.2 KiB (80.0%), accumulating in <Entry #9> (1.0 KiB)`.
    static func line(_ s: LeakSuspect, in dominators: DominatorTree) -> String {
        let snapshot = dominators.snapshot
        var text = "\(snapshot.objectDescription(s.object)) retains \(Format.bytes(s.retainedBytes)) "
        text += "(\(Format.percent(s.retainedBytes, of: dominators.liveBytes)) of the live heap)"
        if s.accumulationPoint != s.object {
            text += ", accumulating in \(snapshot.objectDescription(s.accumulationPoint)) (\(Format.bytes(s.accumulationBytes)))"
        }
        return text
    }
}
