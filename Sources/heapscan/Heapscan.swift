// Heapscan — the root of the `heapscan` command: the list of subcommands, the help text with
// examples, and `main`, which turns failures into one line on stderr and the documented exit status.
import ArgumentParser
import Foundation

@main
struct Heapscan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heapscan",
        abstract: "Read a dumped heap and find what leaks, what retains it, and why it is alive.",
        discussion: """
            Every command reads a binary dump (.heap) or a JSON graph, detected from the content, and \
            takes --json for output with stable field names (docs/cli.md).

            Examples:
              heapscan summary app.heap
              heapscan cycles app.heap                    # exit 1 when garbage cycles exist
              heapscan retainers --top 20 app.heap
              heapscan path app.heap 140234               # why is object 140234 alive?
              heapscan diff before.heap after.heap
              heapscan graph app.heap -o leak.svg         # the top cycle as a picture
              heapscan convert app.heap app.json

            Exit status: 0 success; 1 `cycles` found garbage cycles; 2 unreadable input or another \
            failure (one line on stderr); 64 bad usage.

            Shell completion: heapscan --generate-completion-script bash|zsh|fish
            """,
        version: "0.1.0",
        subcommands: [
            Summary.self, Stats.self, Types.self, Cycles.self, Retainers.self, Path.self, Diff.self, Graph.self,
            Convert.self, Leaks.self, Growth.self, RenderWorkerCommand.self,
        ])

    /// Runs the command named on the command line. A ``CommandFailure`` prints one line and exits with
    /// its status; everything else (help, usage errors, `ExitCode`) goes through ArgumentParser.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            printError(failure.message)
            Foundation.exit(failure.status)
        } catch {
            Progress.shared.finish()
            exit(withError: error)
        }
    }
}
