// Failure — how a command stops with a message: one line on stderr and a chosen exit status.
// The exit statuses are part of the interface (scripts gate CI on them), so they live here in one place.
import Foundation
import HeapAnalysis

/// The exit statuses `heapscan` uses.
enum ExitStatus {
    /// The command ran and found nothing to complain about.
    static let success: Int32 = 0
    /// `cycles` found garbage cycles (CI gates on this).
    static let found: Int32 = 1
    /// Unreadable input, an unknown id, a failed write or render.
    static let failure: Int32 = 2
}

/// An error a command reports as one line (`heapscan: <message>`) before exiting with `status`.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var status: Int32

    init(_ message: String, status: Int32 = ExitStatus.failure) {
        self.message = message
        self.status = status
    }

    var description: String { message }
}

/// Writes `heapscan: <message>` to stderr as a single line, with heap text neutralised.
func printError(_ message: String) {
    Progress.shared.finish()
    let line = "heapscan: " + HeapText.terminalEscaped(message, escapingBackslashes: false) + "\n"
    Streams.writeError(line)
}
