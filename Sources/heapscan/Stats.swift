// Stats — `heapscan stats`: the allocator statistics a dump carries, printed as CPython's
// sys._debugmallocstats() does (the same text the live allocator gives).
import HeapAnalysis
import ArgumentParser
import HeapArena
import HeapGraph

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The allocator statistics recorded in a dump (the debugmallocstats view).",
        discussion: """
            Size classes with their pools and blocks, arenas, the byte breakdown of arena memory and \
            the large objects served by the system allocator, as the allocator saw them when the dump \
            was taken. Dumps written by other runtimes (JSON) usually carry none.

            Examples:
              heapscan stats app.heap
              heapscan stats --json app.heap | jq .allocator.bytesInAllocatedBlocks
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let snapshot = try input.load()
        if output.json { return try Output.json(StatsJSON(allocator: snapshot.allocator.map(AllocatorJSON.init))) }
        if let allocator = snapshot.allocator {
            try Output.write(allocator.report())
        } else {
            try Output.line("\(HeapText.terminalEscaped(input.input)): the dump carries no allocator statistics")
        }
    }
}

/// `stats --json`: `{"allocator": {...}}`, or `{}` when the dump has none.
struct StatsJSON: Encodable {
    var allocator: AllocatorJSON?
}
