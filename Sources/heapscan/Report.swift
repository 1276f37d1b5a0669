// Report — `heapscan report`: one self-contained HTML page about a dump (HeapReport writes it), to
// open offline and send to a colleague; with --baseline, also what changed since an earlier dump.
import ArgumentParser
import Foundation
import HeapAnalysis
import HeapGraph
import HeapReport

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML page: overview, suspects, cycles, dominators, types, sites.",
        discussion: """
            The page works offline from file:// and loads nothing: its pictures, data and script are \
            inside it, and its Content-Security-Policy allows no other script or connection. Heap \
            text in it is only ever text. A large dump embeds its largest retainers with their \
            details (--objects) and counts the rest (docs/report.md).

            Examples:
              heapscan report app.heap -o report.html
              heapscan report after.heap --baseline before.heap -o growth.html
            """)

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "The HTML file to write.")
    var output: String

    @Option(help: "An earlier dump of the same heap: adds the comparison (new, freed, change by type and site).")
    var baseline: String?

    @Option(help: "Garbage cycles drawn, largest first.")
    var cycles = 10

    @Option(help: "In a dump of more than 20,000 objects, the largest retainers embedded with their details.")
    var objects = 4_000

    func validate() throws {
        guard cycles >= 0 else { throw ValidationError("--cycles must be 0 or more") }
        guard objects >= 1 else { throw ValidationError("--objects must be 1 or more") }
    }

    func run() throws {
        let snapshot = try input.load()
        let earlier = try baseline.map { path throws(CommandFailure) in try input.read.load(path) }
        Progress.shared.step("finding cycles and dominators, drawing \(cycles) cycles")
        let options = HeapReport.Options(
            title: (input.input as NSString).lastPathComponent, baseline: earlier,
            baselineTitle: baseline.map { ($0 as NSString).lastPathComponent } ?? "baseline", cycles: cycles, detailedObjects: objects)
        let html = HeapReport.html(for: snapshot, options: options)
        do {
            // Written like every output: atomically for a regular file, through for a FIFO or `-`.
            try OutputFile.write(Array(html.utf8), to: output)
        } catch {
            throw CommandFailure(error.naming(output))
        }
        try Output.line("wrote \(HeapText.terminalEscaped(output)): \(HeapText.bytes(UInt64(html.utf8.count)))")
    }
}
