// Types — `heapscan types`: the most common types (objgraph's show_most_common_types) or
// allocation sites (tracemalloc's statistics('lineno')), by count or by bytes.
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Types: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The most common types (or allocation sites) by count or bytes.",
        discussion: """
            Examples:
              heapscan types app.heap
              heapscan types --sort bytes --top 50 app.heap
              heapscan types --by site app.heap            # like tracemalloc's statistics('lineno')
            """)

    enum Key: String, ExpressibleByArgument, CaseIterable {
        case type, site
    }

    enum Order: String, ExpressibleByArgument, CaseIterable {
        case count, bytes
    }

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    @Option(parsing: .unconditional, help: "Rows to print (0 for all).")
    var top = 20

    @Option(help: "Order by object count or by bytes (\(Order.allCases.map(\.rawValue).joined(separator: ", "))).")
    var sort: Order = .count

    @Option(help: "Group by type name or by allocation site (\(Key.allCases.map(\.rawValue).joined(separator: ", "))).")
    var by: Key = .type

    func validate() throws {
        try Range.check("--top", top, atLeast: 0, meaning: "0 shows all")
    }

    func run() throws {
        let snapshot = try input.load()
        let order: HistogramOrder = sort == .count ? .count : .bytes
        let all = by == .type ? snapshot.typeHistogram(orderedBy: order) : snapshot.siteHistogram(orderedBy: order)
        let rows = all.prefix(Range.rows(top))
        let total = TotalJSON(objects: snapshot.objectCount, bytes: snapshot.totalBytes)
        if output.json {
            return try Output.json(
                TypesJSON(by: by.rawValue, sort: sort.rawValue, total: total, distinct: all.count, entries: rows.map(HistogramJSON.init)))
        }
        var table = Table(("objects", .right), ("share", .right), ("bytes", .right), ("share", .right), (by.rawValue, .left))
        for e in rows {
            table.append([
                Format.count(e.count), Format.percent(UInt64(e.count), of: UInt64(total.objects)), Format.bytes(e.bytes),
                Format.percent(e.bytes, of: total.bytes), Format.key(e.key, isSite: by == .site),
            ])
        }
        var out = table.render()
        if all.count > rows.count { out += "… \(Format.count(all.count - rows.count)) more (--top 0 shows all)\n" }
        out += "\(Format.counted(all.count, by.rawValue)), \(Format.counted(total.objects, "object")), \(Format.bytes(total.bytes))\n"
        try Output.write(out)
    }
}

/// `types --json`.
struct TypesJSON: Encodable {
    /// "type" or "site".
    var by: String
    /// "count" or "bytes".
    var sort: String
    /// All objects of the dump.
    var total: TotalJSON
    /// Distinct types or sites, including those beyond `--top`.
    var distinct: Int
    var entries: [HistogramJSON]
}
