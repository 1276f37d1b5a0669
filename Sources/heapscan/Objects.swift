// Objects — `heapscan objects`: the objects of a type (objgraph's by_type), alive or garbage, filtered
// by allocation site and label patterns; the query is HeapAnalysis's ObjectQuery.
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Objects: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List objects of a type (objgraph's by_type), alive or garbage, by site and label.",
        discussion: """
            Patterns (--site, --label) are shell-style: * any run of characters, ? one character; an \
            object without a site or label matches only *. --garbage (alias --unreachable) lists what \
            nothing held from outside reaches.

            Examples:
              heapscan objects app.heap --type Session
              heapscan objects app.heap --type Buffer --garbage --site 'cache.swift:*'
              heapscan objects app.heap --label 'user-*' --json
            """)

    enum State: String, EnumerableFlag {
        case live, garbage, unreachable

        static func help(for value: State) -> ArgumentHelp? {
            switch value {
            case .live: "Only objects reachable from outside."
            case .garbage: "Only objects nothing held from outside reaches."
            case .unreachable: "The same as --garbage (the word for tracing runtimes' dumps)."
            }
        }
    }

    @OptionGroup var input: InputOptions
    @OptionGroup var labels: LabelOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("type"), help: "Only objects of this type (the exact name).")
    var typeName: String?

    @Flag var state: State?

    @Option(help: "Only objects whose allocation site matches this pattern.")
    var site: String?

    @Option(help: "Only objects whose label matches this pattern.")
    var label: String?

    @Option(parsing: .unconditional, help: "Objects printed (0 for all); JSON lists all.")
    var top = 50

    func validate() throws {
        try Range.check("--top", top, atLeast: 0, meaning: "0 shows all")
    }

    func run() throws {
        let snapshot = labels.apply(try input.load())
        if let typeName { try snapshot.requireType(typeName, in: input.input) }
        let query = ObjectQuery(
            typeName: typeName, state: state.map { $0 == .live ? .live : .garbage } ?? .any, site: site, label: label)
        let found = query.objects(in: snapshot)
        let alive = snapshot.reachableFromOutside()
        let result = ObjectsJSON(count: found.count, bytes: snapshot.bytes(of: found), objects: found.map { ObjectStateJSON($0, in: snapshot, alive: alive[$0]) })
        if output.json { return try Output.json(result) }
        var table = Table(("id", .right), ("size", .right), ("state", .left), ("type", .left), ("site", .left), ("label", .left))
        for v in found.prefix(Range.rows(top)) {
            table.append([
                String(snapshot.ids[v]), Format.bytes(snapshot.sizes[v]), alive[v] ? "live" : "garbage", Format.key(snapshot.typeName(of: v)),
                snapshot.site(of: v).map { HeapText.terminalEscaped($0) } ?? "", snapshot.label(of: v).map { "\"\(HeapText.terminalEscaped($0))\"" } ?? "",
            ])
        }
        var out = table.render()
        if found.count > Range.rows(top) { out += "… \(Format.count(found.count - top)) more (--top 0 shows all)\n" }
        out += "\(Format.counted(found.count, "object")), \(Format.bytes(result.bytes))\n"
        try Output.write(out)
    }
}

extension HeapSnapshot {
    /// A failure naming the type and the file when the dump has no type called `name`.
    func requireType(_ name: String, in path: String) throws(CommandFailure) {
        guard typeNames.contains(name) else {
            throw CommandFailure("\(path): no type named \"\(name)\" in the dump (heapscan types lists them)")
        }
    }
}

/// `objects --json`: `{"count", "bytes", "objects": [object + "live"]}`.
struct ObjectsJSON: Encodable {
    var count: Int
    var bytes: UInt64
    var objects: [ObjectStateJSON]
}

/// An object and whether it is alive: `{"id", "type", "size", "label"?, "site"?, "live"}`.
struct ObjectStateJSON: Encodable {
    var id: UInt64
    var type: String
    var size: UInt64
    var label: String?
    var site: String?
    var live: Bool

    init(_ object: HeapSnapshot.ObjectIndex, in snapshot: HeapSnapshot, alive: Bool) {
        let o = ObjectJSON(object, in: snapshot)
        id = o.id
        type = o.type
        size = o.size
        label = o.label
        site = o.site
        live = alive
    }
}
