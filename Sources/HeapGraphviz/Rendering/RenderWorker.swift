// RenderWorker — the child's side of SubprocessRenderer: DOT on stdin, the picture on stdout,
// Graphviz's error on stderr with a non-zero exit status. The CLI's hidden command is one call:
// `exit(RenderWorker.run())`.
import Foundation

/// The body of a render worker process.
public enum RenderWorker {
    /// Environment variable naming the output format (`svg`, `png`, `pdf`, `dot`); `svg` when unset.
    public static let formatVariable = "HEAPSCAN_RENDER_FORMAT"

    /// Reads DOT from stdin, renders it in-process and writes the result to stdout.
    ///
    /// Returns the exit status for the caller to pass to `exit`: 0 rendered, 1 Graphviz or size
    /// failure, 2 bad input (not UTF-8, unknown format). The message goes to stderr.
    public static func run(limits: LayoutLimits = .default) -> Int32 {
        run(
            input: .standardInput, output: .standardOutput, errors: .standardError,
            environment: ProcessInfo.processInfo.environment, limits: limits)
    }

    /// ``run(limits:)`` over the given handles and environment (what tests call).
    public static func run(
        input: FileHandle, output: FileHandle, errors: FileHandle, environment: [String: String],
        limits: LayoutLimits = .default
    ) -> Int32 {
        func fail(_ message: String, status: Int32) -> Int32 {
            errors.write(Data("heapscan render worker: \(message)\n".utf8))
            return status
        }
        let formatName = environment[formatVariable] ?? GraphvizFormat.svg.rawValue
        guard let format = GraphvizFormat(rawValue: formatName) else {
            return fail("unknown output format \"\(DOTText.visible(formatName, limit: 40))\" (expected svg, png, pdf or dot)", status: 2)
        }
        let bytes = input.readDataToEndOfFile()
        guard let dot = String(validating: bytes, as: UTF8.self) else {
            return fail("the DOT text on stdin is not valid UTF-8", status: 2)
        }
        do {
            output.write(try GraphvizRenderer(limits: limits).render(dot: dot, format: format))
            return 0
        } catch {
            return fail(error.description, status: 1)
        }
    }
}

/// The whole body of the CLI's hidden render worker command: renders stdin to stdout and exits with
/// ``RenderWorker/run(limits:)``'s status.
public func renderWorkerMain(limits: LayoutLimits = .default) -> Never {
    exit(RenderWorker.run(limits: limits))
}
