// SubprocessRenderer — renders in a child process (the CLI's hidden worker command) so a runaway
// layout meets a wall-clock limit and a crash inside Graphviz becomes an error instead of taking
// the caller down. RenderWorker (RenderWorker.swift) is the child's side.
import Foundation

/// Spawns a render worker, hands it DOT on stdin and reads the picture from stdout.
///
/// The worker learns the format from the environment variable ``RenderWorker/formatVariable``, so
/// any program that reads DOT on stdin and writes the picture on stdout can stand in (tests use
/// `cat`). The child is killed (SIGKILL) when `timeout` passes.
public struct SubprocessRenderer: Sendable {
    /// The program to run, e.g. the `heapscan` binary itself.
    public var executable: URL
    /// Its arguments, e.g. the hidden worker command's name.
    public var arguments: [String]
    /// Wall-clock limit for the whole render.
    public var timeout: Duration

    public init(executable: URL, arguments: [String], timeout: Duration = .seconds(60)) {
        self.executable = executable
        self.arguments = arguments
        self.timeout = timeout
    }

    /// Renders `dot` in a fresh child process.
    /// - Throws: ``GraphvizError/timedOut(seconds:)``, ``GraphvizError/crashed(signal:stderr:)``,
    ///   ``GraphvizError/failed(status:stderr:)`` or ``GraphvizError/couldNotStart(_:)``.
    public func render(dot: String, format: GraphvizFormat = .svg) throws(GraphvizError) -> Data {
        try Self.render(dot: dot, format: format, executable: executable, arguments: arguments, timeout: timeout)
    }

    /// Renders `dot` by running `executable arguments...` with a wall-clock limit.
    public static func render(
        dot: String, format: GraphvizFormat = .svg, executable: URL, arguments: [String], timeout: Duration
    ) throws(GraphvizError) -> Data {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment[RenderWorker.formatVariable] = format.rawValue
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw .couldNotStart("\(executable.path): \(error.localizedDescription)")
        }
        let collected = Collected()
        let readers = DispatchGroup()
        collect(output.fileHandleForReading, into: collected, isError: false, group: readers)
        collect(errors.fileHandleForReading, into: collected, isError: true, group: readers)
        feed(Array(dot.utf8), to: input.fileHandleForWriting)

        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        if exited.wait(timeout: .now() + seconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            // The readers finish when every holder of the pipes is gone; a grandchild may keep
            // them open, so do not wait for them here.
            throw .timedOut(seconds: seconds)
        }
        readers.wait()
        let stderrText = String(decoding: collected.errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch process.terminationReason {
        case .uncaughtSignal:
            throw .crashed(signal: process.terminationStatus, stderr: stderrText)
        case .exit where process.terminationStatus != 0:
            throw .failed(status: process.terminationStatus, stderr: stderrText)
        default:
            return collected.output
        }
    }

    /// Output read from the child. Invariant: each field is written by one reader thread, and read
    /// only after the reader group is done.
    private final class Collected: @unchecked Sendable {
        var output = Data()
        var errors = Data()
    }

    private static func collect(_ handle: FileHandle, into collected: Collected, isError: Bool, group: DispatchGroup) {
        group.enter()
        Thread.detachNewThread {
            let data = handle.readDataToEndOfFile()
            if isError { collected.errors = data } else { collected.output = data }
            group.leave()
        }
    }

    /// Writes `bytes` to the child's stdin on a thread of its own, then closes it. SIGPIPE is
    /// blocked on that thread, so a child that exits without reading gives EPIPE, not a dead caller.
    private static func feed(_ bytes: [UInt8], to handle: FileHandle) {
        Thread.detachNewThread {
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            let fd = handle.fileDescriptor
            var offset = 0
            bytes.withUnsafeBytes { buffer in
                while offset < buffer.count {
                    let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        break
                    }
                }
            }
            try? handle.close()
        }
    }
}
