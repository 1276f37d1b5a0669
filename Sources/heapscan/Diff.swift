// Diff — `heapscan diff`: two dumps of one program compared: objects new and freed (ids are stable),
// and the change by type and by allocation site, ordered like tracemalloc's compare_to.
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two dumps: new and freed objects, growth by type and by site.",
        discussion: """
            Objects are matched by id (ids are never reused), so an id in both dumps is the same \
            object. Rows are ordered by the size of the change in bytes, as tracemalloc's compare_to.

            Examples:
              heapscan diff before.heap after.heap
              heapscan diff --top 5 --json before.heap after.heap | jq .byType
            """)

    @Argument(help: "The earlier dump.", completion: .file(extensions: ["heap", "json"]))
    var before: String

    @Argument(help: "The later dump.", completion: .file(extensions: ["heap", "json"]))
    var after: String

    @OptionGroup var read: ReadOptions
    @OptionGroup var output: OutputOptions

    @Option(parsing: .unconditional, help: "Rows per table (0 for all); unchanged rows are left out of the text.")
    var top = 20

    func validate() throws {
        try Range.check("--top", top, atLeast: 0, meaning: "0 shows all")
    }

    func run() throws {
        let old = try read.load(before)
        let new = try read.load(after)
        Progress.shared.step("comparing")
        let diff = SnapshotDiff(before: old, after: new)
        let byType = diff.byType.filter { $0.countDelta != 0 || $0.bytesDelta != 0 }
        let bySite = diff.bySite.filter { $0.countDelta != 0 || $0.bytesDelta != 0 }
        let limit = Range.rows(top)
        if output.json {
            return try Output.json(
                DiffJSON(
                    before: TotalJSON(objects: old.objectCount, bytes: old.totalBytes), after: TotalJSON(objects: new.objectCount, bytes: new.totalBytes),
                    new: diff.newObjects.map { new.ids[$0] }, freed: diff.freedObjects.map { old.ids[$0] },
                    byType: byType.prefix(limit).map(DiffEntryJSON.init), bySite: bySite.prefix(limit).map(DiffEntryJSON.init)))
        }
        var out = "before: \(Format.counted(old.objectCount, "object")), \(Format.bytes(old.totalBytes))\n"
        out += "after:  \(Format.counted(new.objectCount, "object")), \(Format.bytes(new.totalBytes))\n"
        out += "new:    \(Format.counted(diff.newObjects.count, "object")), \(Format.bytes(new.bytes(of: diff.newObjects)))\n"
        out += "freed:  \(Format.counted(diff.freedObjects.count, "object")), \(Format.bytes(old.bytes(of: diff.freedObjects)))\n"
        for (title, rows, key) in [("by type", byType, "type"), ("by site", bySite, "site")] {
            let isSite = key == "site"
            out += "\n\(title):\(rows.isEmpty ? " no change" : "")\n"
            var table = Table(("objects", .right), ("change", .right), ("bytes", .right), ("change", .right), (key, .left))
            for e in rows.prefix(limit) {
                table.append([Format.count(e.count), Format.signedCount(e.countDelta), Format.bytes(e.bytes), Format.signedBytes(e.bytesDelta), Format.key(e.key, isSite: isSite)])
            }
            if !rows.isEmpty { out += table.render(indent: "  ") }
            if rows.count > limit { out += "  … \(Format.count(rows.count - limit)) more (--top 0 shows all)\n" }
        }
        try Output.write(out)
    }
}

/// `diff --json`: `{"before", "after", "new", "freed", "byType", "bySite"}`; `new` and `freed` are ids.
struct DiffJSON: Encodable {
    var before: TotalJSON
    var after: TotalJSON
    var new: [UInt64]
    var freed: [UInt64]
    var byType: [DiffEntryJSON]
    var bySite: [DiffEntryJSON]
}

/// `{"name", "count", "countDelta", "bytes", "bytesDelta"}`: totals in the later dump and the change.
struct DiffEntryJSON: Encodable {
    var name: String
    var count: Int
    var countDelta: Int
    var bytes: UInt64
    var bytesDelta: Int64

    init(_ e: DiffEntry) {
        name = e.key
        count = e.count
        countDelta = e.countDelta
        bytes = e.bytes
        bytesDelta = e.bytesDelta
    }
}
