// Graph — `heapscan graph`: a Graphviz picture of part of a dump: the top garbage cycle, or the
// references, referrers or chain of given objects. DOT is written directly; SVG, PNG and PDF are
// rendered by the hidden `render-worker` command in a child process with a wall-clock limit.
import ArgumentParser
import Foundation
import HeapAnalysis
import HeapGraph
import HeapGraphviz

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the top cycle, or the refs, backrefs or chain of objects, as DOT or SVG.",
        discussion: """
            The output format follows the -o extension: .svg, .png, .pdf (rendered with libgraphviz \
            in a child process, stopped after --timeout seconds) or .dot/.gv (DOT text). Without -o, \
            DOT goes to standard output. Without ids, the largest garbage cycle is drawn (--cycle \
            picks another by rank).

            Colours: red members of a garbage cycle (the root with a double border), orange the \
            garbage a cycle keeps alive, a bold border for the objects you asked for, green for \
            objects held from outside; the legend under the picture says the same.

            Examples:
              heapscan graph app.heap -o leak.svg                    # the top cycle
              heapscan graph app.heap --cycle 2 -o second.svg
              heapscan graph app.heap 140234 --backrefs --depth 4 -o who.svg
              heapscan graph app.heap 140234 --chain -o why-alive.svg
              heapscan graph app.heap 7 --type Node --ignore-type Logger --collapse -o nodes.dot
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var labels: LabelOptions

    @Argument(help: "Ids of the objects to start from (decimal or 0x hexadecimal); none: the top cycle.")
    var ids: [ObjectID] = []

    @Option(name: .shortAndLong, help: "File to write (.svg, .png, .pdf, .dot, .gv); DOT on stdout without it.")
    var output: String?

    @Option(parsing: .unconditional, help: "Without ids, the cycle to draw by rank (1 is the largest).")
    var cycle = 1

    @Option(parsing: .unconditional, help: "Most objects drawn for a cycle (members first, then what it keeps alive).")
    var maxObjects = 150

    @OptionGroup var graph: GraphOptions
    @OptionGroup var json: OutputOptions

    func validate() throws {
        try Range.check("--cycle", cycle, atLeast: 1, meaning: "1 is the largest")
        try Range.check("--max-objects", maxObjects, atLeast: 1)
        if graph.mode == .chain && ids.count != 1 { throw ValidationError("--chain draws the chain to one object: give exactly one id") }
        if json.json && output == nil { throw ValidationError("--json describes the written file: give -o") }
        if let output { _ = try Self.format(of: output) }
    }

    func run() throws {
        let snapshot = labels.apply(try input.load())
        Progress.shared.step("finding garbage cycles")
        let leaks = LeakAnalysis(snapshot)
        let drawing = try makeDrawing(snapshot, leaks: leaks)
        let dot = drawing.dot(options: graph.dotOptions)
        guard let output else { return try Output.write(dot) }
        let format = try Self.format(of: output)
        let bytes: Data
        if let format {
            Progress.shared.step("rendering \(drawing.nodes.count) nodes")
            do {
                bytes = try SubprocessRenderer(executable: Self.executable, arguments: ["render-worker"], timeout: .seconds(graph.timeout))
                    .render(dot: dot, format: format)
            } catch {
                throw CommandFailure("\(output): \(error)")
            }
        } else {
            bytes = Data(dot.utf8)
        }
        do {
            try OutputFile.write([UInt8](bytes), to: output)
        } catch {
            throw CommandFailure(error.naming(output))
        }
        let objects = drawing.nodes.count
        if json.json {
            return try Output.json(GraphJSON(output: output, format: format?.rawValue ?? "dot", nodes: objects, edges: drawing.edges.count, caption: drawing.caption))
        }
        try Output.line("wrote \(HeapText.terminalEscaped(output)): \(Format.count(objects)) nodes, \(Format.count(drawing.edges.count)) edges")
    }

    /// The top cycle, or the neighbourhood or chain of `ids`.
    private func makeDrawing(_ snapshot: HeapSnapshot, leaks: LeakAnalysis) throws(CommandFailure) -> HeapDrawing {
        let options = graph.dotOptions
        guard !ids.isEmpty else {
            guard !leaks.cycles.isEmpty else {
                throw CommandFailure("\(input.input): no garbage cycles to draw; give object ids to draw their references")
            }
            guard cycle <= leaks.cycles.count else {
                throw CommandFailure("\(input.input): --cycle \(cycle) asked for, but there are only \(leaks.cycles.count) cycles")
            }
            return HeapDrawing(leaks.cycles[cycle - 1], in: leaks, options: options, maxObjects: maxObjects)
        }
        var starts: [HeapSnapshot.ObjectIndex] = []
        for id in ids { starts.append(try snapshot.requireIndex(of: id, in: input.input)) }
        // Raw heap text: the drawing escapes its caption for DOT (and JSON escapes its own), so a
        // terminal-escaped description here would be escaped twice.
        let described = starts.map { start in
            let label = snapshot.label(of: start).map { " \"\($0)\"" } ?? ""
            return "<\(snapshot.typeName(of: start)) #\(snapshot.ids[start])\(label)>"
        }.joined(separator: ", ")
        let neighbourhood: Neighbourhood
        let caption: String
        switch graph.mode {
        case .chain:
            Progress.shared.step("searching the chain")
            guard let path = snapshot.shortestPathFromOutside(to: starts[0]) else {
                throw CommandFailure("\(input.input): object \(ids[0]) is garbage: no chain from outside reaches it (try --backrefs)")
            }
            var chain = snapshot.chainNeighbourhood(path)
            chain.starts = starts  // mark the object asked about, not the chain's origin
            neighbourhood = chain
            caption = "Why \(described) is alive: the shortest chain from outside"
        case .refs, .backrefs:
            Progress.shared.step("collecting neighbours")
            var ignore = Set<HeapSnapshot.ObjectIndex>()
            for id in graph.ignoredIDs { ignore.insert(try snapshot.requireIndex(of: id, in: input.input)) }
            neighbourhood = snapshot.neighbourhood(
                of: starts, direction: graph.mode == .refs ? .references : .referrers, maxDepth: graph.depth,
                tooMany: graph.tooMany, filter: graph.filter(in: snapshot), ignore: ignore, collapseComponents: graph.collapse)
            caption = "\(graph.mode == .refs ? "References from" : "Referrers of") \(described), depth \(graph.depth)"
        }
        return HeapDrawing(neighbourhood, in: snapshot, options: options, leaks: leaks, caption: caption)
    }

    /// The rendered format for a file name, nil for DOT text.
    static func format(of path: String) throws(ValidationError) -> GraphvizFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "svg": .svg
        case "png": .png
        case "pdf": .pdf
        case "dot", "gv": nil
        default: throw ValidationError("cannot tell the format of \(path): use .svg, .png, .pdf, .dot or .gv")
        }
    }

    /// This program, run again as the render worker.
    static var executable: URL {
        #if os(Linux)
        URL(fileURLWithPath: "/proc/self/exe")
        #else
        Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
    }
}

/// `graph --json`: `{"output", "format": "svg"|"png"|"pdf"|"dot", "nodes", "edges", "caption"?}`.
struct GraphJSON: Encodable {
    var output: String
    var format: String
    var nodes: Int
    var edges: Int
    var caption: String?
}
