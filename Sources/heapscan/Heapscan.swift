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
              heapscan show app.heap 140234               # the object, its references and referrers
              heapscan objects app.heap --type Session --garbage
              heapscan paths app.heap --type Response     # why are all the Responses alive?
              heapscan diff before.heap after.heap
              heapscan graph app.heap -o leak.svg         # the top cycle as a picture
              heapscan convert app.heap app.json
              heapscan report app.heap -o report.html     # one page to open and share

            Exit status: 0 success; 1 `cycles` found garbage cycles; 2 unreadable input or another \
            failure (one line on stderr); 64 bad usage.

            Shell completion: heapscan --generate-completion-script bash|zsh|fish
            """,
        version: "0.1.0",
        subcommands: [
            Summary.self, Stats.self, Types.self, Cycles.self, Retainers.self, Path.self, Paths.self, Objects.self,
            Show.self, Diff.self, Leaks.self, Growth.self, Graph.self, Convert.self, Report.self, RenderWorkerCommand.self,
        ])

    /// Runs the command named on the command line. A ``CommandFailure`` prints one line and exits with
    /// its status; help, usage errors and `ExitCode` take ArgumentParser's text and status, written
    /// through ``Streams`` so that a full or closed stream is never a crash.
    static func main() {
        Streams.guardStandardDescriptors()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            printError(failure.message)
            Foundation.exit(failure.status)
        } catch {
            Progress.shared.finish()
            let status = exitCode(for: error).rawValue
            let text = fullMessage(for: error)
            if !text.isEmpty {
                if status == ExitStatus.success {
                    do { try Streams.writeOutput(text + "\n") } catch {
                        printError(error.message)
                        Foundation.exit(ExitStatus.failure)
                    }
                } else {
                    Streams.writeError(text + "\n")
                }
            }
            Foundation.exit(status)
        }
    }
}
