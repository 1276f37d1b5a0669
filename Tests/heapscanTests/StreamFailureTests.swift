// StreamFailureTests — a failed write to standard output or error is never a crash: a full disk or a
// closed descriptor is one line on stderr and exit 2, a reader that goes away (EPIPE, with SIGPIPE
// ignored as Python's subprocess and CI wrappers do) ends the output quietly with the command's status.
import Foundation
import Testing

@Suite struct StreamFailureTests {
    static let commands: [String] = [
        "summary fixtures/long-chain.heap", "types fixtures/growth-after.heap", "cycles fixtures/leak-from-cycle.heap",
        "path --all-steps fixtures/long-chain.heap 5002", "summary --json fixtures/long-chain.heap", "--help",
    ]

    /// The status a command gives when its output is written in full.
    static func normalStatus(_ command: String) -> Int32 { command.hasPrefix("cycles") ? 1 : 0 }

    @Test(arguments: commands)
    func fullStandardOutputIsOneLineAndStatus2(_ command: String) throws {
        let result = try Heapscan.shell("\"$HEAPSCAN\" \(command) > /dev/full")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr == "heapscan: cannot write to standard output: No space left on device\n")
    }

    @Test(arguments: commands)
    func closedStandardOutputIsOneLineAndStatus2(_ command: String) throws {
        let result = try Heapscan.shell("\"$HEAPSCAN\" \(command) >&-")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr == "heapscan: cannot write to standard output: Bad file descriptor\n")
    }

    @Test(arguments: commands)
    func brokenPipeWithSIGPIPEIgnoredEndsQuietly(_ command: String) throws {
        // `head -c 1` exits after one byte; what follows meets a closed pipe (certainly so for the
        // 5,001-step path, larger than a pipe's buffer). The status file gets heapscan's own status.
        let result = try Heapscan.shell(
            "trap '' PIPE; { \"$HEAPSCAN\" \(command); echo $? > \"$TMPDIR_STATUS\"; } | head -c 1 >/dev/null; cat \"$TMPDIR_STATUS\"; rm -f \"$TMPDIR_STATUS\"",
            environment: ["TMPDIR_STATUS": FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-status-\(UUID().uuidString)").path])
        #expect(result.stderr.isEmpty, "quiet: \(result.stderr)")
        #expect(result.stdout == "\(Self.normalStatus(command))\n", "the command's own status")
    }

    @Test func failingStandardErrorIsNoCrash() throws {
        // The error line cannot be written; the status still says what happened.
        let unreadable = try Heapscan.shell("\"$HEAPSCAN\" summary no-such-file.heap 2>/dev/full")
        #expect(unreadable.status == 2)
        let both = try Heapscan.shell("\"$HEAPSCAN\" summary fixtures/long-chain.heap >/dev/full 2>/dev/full")
        #expect(both.status == 2)
        let closed = try Heapscan.shell("\"$HEAPSCAN\" summary no-such-file.heap 2>&-")
        #expect(closed.status == 2)
        let usage = try Heapscan.shell("\"$HEAPSCAN\" summary --top x fixtures/long-chain.heap 2>/dev/full")
        #expect(usage.status == 64)
    }
}
