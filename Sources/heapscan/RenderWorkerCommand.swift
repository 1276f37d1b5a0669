// RenderWorkerCommand — the hidden `heapscan render-worker`: DOT on stdin, the picture on stdout.
// `graph` runs it as a child process so a Graphviz crash or runaway layout cannot take heapscan down.
import ArgumentParser
import HeapGraphviz

struct RenderWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-worker",
        abstract: "Render DOT from stdin to stdout (used by `graph`; format from HEAPSCAN_RENDER_FORMAT).",
        shouldDisplay: false)

    func run() throws {
        let status = RenderWorker.run()
        if status != 0 { throw ExitCode(status) }
    }
}
