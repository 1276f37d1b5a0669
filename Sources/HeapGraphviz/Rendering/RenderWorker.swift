// RenderWorker — the child's side of SubprocessRenderer: DOT on stdin, the picture on stdout,
// Graphviz's error on stderr with a non-zero exit status. The CLI's hidden command is one call.
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
        let formatName = ProcessInfo.processInfo.environment[formatVariable] ?? GraphvizFormat.svg.rawValue
        guard let format = GraphvizFormat(rawValue: formatName) else {
            return fail("unknown output format \"\(DOTText.visible(formatName, limit: 40))\" (expected svg, png, pdf or dot)", status: 2)
        }
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard let dot = String(validating: input, as: UTF8.self) else {
            return fail("the DOT text on stdin is not valid UTF-8", status: 2)
        }
        do {
            let picture = try GraphvizRenderer(limits: limits).render(dot: dot, format: format)
            FileHandle.standardOutput.write(picture)
            return 0
        } catch {
            return fail(error.description, status: 1)
        }
    }

    private static func fail(_ message: String, status: Int32) -> Int32 {
        FileHandle.standardError.write(Data("heapscan render worker: \(message)\n".utf8))
        return status
    }
}
