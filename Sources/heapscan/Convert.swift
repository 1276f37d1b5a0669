// Convert — `heapscan convert`: a dump from one format to the other (binary `.heap` ↔ JSON), for
// reading a dump with other tools or feeding heapscan a graph another runtime wrote.
import ArgumentParser
import Foundation
import HeapAnalysis
import HeapGraph

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a dump between the binary format (.heap) and JSON.",
        discussion: """
            The output format follows the output's extension (.json is JSON, anything else the \
            binary dump) unless --to says otherwise. A regular file is written to a temporary file \
            and renamed into place, so an existing file is never left half written; a symlink is \
            followed (the link stays, its target is replaced); a FIFO, a character device, \
            /dev/stdout and `-` (standard output) are written through.

            Examples:
              heapscan convert app.heap app.json
              heapscan convert graph.json graph.heap
              heapscan convert --to json app.heap - | jq .objects[0]
            """)

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case heap, json
    }

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The file to write.", completion: .file(extensions: ["heap", "json"]))
    var destination: String

    @Option(help: "Output format (heap or json); by default from the destination's extension.")
    var to: Target?

    func validate() throws {
        if toStandardOutput && output.json { throw ValidationError("--json describes the written file; with `-` the dump itself is the output") }
    }

    /// `-` (or a name of it) is standard output, which then carries the dump and nothing else.
    private var toStandardOutput: Bool { ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"].contains(destination) }

    func run() throws {
        let snapshot = try input.load()
        let format: DumpFormat = to.map { $0 == .json ? .json : .binary } ?? (toStandardOutput ? .binary : DumpFormat.forPath(destination))
        if toStandardOutput && format == .binary && isatty(STDOUT_FILENO) == 1 {
            throw CommandFailure("-: standard output is a terminal: redirect the binary dump, or give --to json")
        }
        Progress.shared.step("writing \(destination)")
        do {
            try snapshot.write(to: URL(fileURLWithPath: toStandardOutput ? "/dev/stdout" : destination), format: format)
        } catch {
            throw CommandFailure(error.naming(destination))
        }
        if toStandardOutput { return }
        if output.json {
            return try Output.json(
                ConvertJSON(input: input.input, output: destination, format: format.fileExtension, objects: snapshot.objectCount, references: snapshot.edgeCount))
        }
        try Output.line("wrote \(HeapText.terminalEscaped(destination)): \(format), \(Format.count(snapshot.objectCount)) objects, \(Format.count(snapshot.edgeCount)) references")
    }
}

/// `convert --json`: `{"input", "output", "format": "heap"|"json", "objects", "references"}`.
struct ConvertJSON: Encodable {
    var input: String
    var output: String
    var format: String
    var objects: Int
    var references: Int
}
