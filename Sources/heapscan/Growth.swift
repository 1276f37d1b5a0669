// Growth — `heapscan growth A B C …`: the types and allocation sites whose object count rose at every
// step of a series of dumps of one program (objgraph's show_growth across runs, LeakCanary's
// "repeatedly growing"), with counts and bytes per step. One dump is in memory at a time.
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Growth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Types and sites that grew at every step of a series of dumps.",
        discussion: """
            Give the dumps in the order they were taken (at least two). A row is printed when its \
            object count rose from each dump to the next; rows are ordered by bytes added.

            Examples:
              heapscan growth s1.heapsnapshot s2.heapsnapshot s3.heapsnapshot
              heapscan growth --json run-*.heap | jq '.types[0]'
            """)

    @Argument(help: "The dumps, oldest first.") var inputs: [String]

    @Option(help: "Rows per table (0 for all).")
    var top = 20

    @OptionGroup var read: ReadOptions
    @OptionGroup var json: OutputOptions

    func validate() throws {
        guard inputs.count >= 2 else { throw ValidationError("growth needs at least two dumps, oldest first") }
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        var series = GrowthSeries()
        for path in inputs { series.record(try read.load(path)) }
        let limit = top == 0 ? Int.max : top
        let types = series.grewAtEveryStep(.type)
        let sites = series.grewAtEveryStep(.site)
        if json.json {
            return try Output.json(GrowthJSON(steps: inputs.count, types: types.prefix(limit).map(GrowthRowJSON.init), sites: sites.prefix(limit).map(GrowthRowJSON.init)))
        }
        var out = "\(Format.count(inputs.count)) dumps; grew at every step:\n"
        for (title, rows) in [("by type", types), ("by site", sites)] {
            out += "\n\(title):\(rows.isEmpty ? " none" : "")\n"
            guard !rows.isEmpty else { continue }
            var table = Table(("objects per dump", .left), ("bytes per dump", .left), ("added", .right), (title == "by type" ? "type" : "site", .left))
            for row in rows.prefix(limit) {
                table.append([
                    row.counts.map { Format.count($0) }.joined(separator: " → "),
                    row.bytes.map { Format.bytes($0) }.joined(separator: " → "),
                    Format.signedBytes(row.bytesGrowth), HeapText.terminalEscaped(row.key),
                ])
            }
            out += table.render(indent: "  ")
            if rows.count > limit { out += "  … \(Format.count(rows.count - limit)) more (--top 0 shows all)\n" }
        }
        try Output.write(out)
    }
}

/// `growth --json`: `{"steps", "types": [row], "sites": [row]}`, a row `{"name", "counts", "bytes"}`.
struct GrowthJSON: Encodable {
    var steps: Int
    var types: [GrowthRowJSON]
    var sites: [GrowthRowJSON]
}

struct GrowthRowJSON: Encodable {
    var name: String
    var counts: [Int]
    var bytes: [UInt64]

    init(_ row: GrowthSeries.Row) {
        name = row.key
        counts = row.counts
        bytes = row.bytes
    }
}
