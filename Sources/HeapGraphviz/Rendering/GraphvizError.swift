// GraphvizError — every way drawing can fail, as one typed error with text a user can act on.
import Foundation

/// Why a graph could not be rendered.
public enum GraphvizError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The step of libgraphviz that failed.
    public enum Stage: String, Sendable, Hashable {
        case context, parse, layout, render
    }

    /// libgraphviz reported a failure; `message` is its own text (captured, never printed).
    case graphviz(stage: Stage, message: String)
    /// The input was refused before reaching Graphviz; the text says why.
    case invalidInput(String)
    /// The installed Graphviz has no plugin for this output format or layout engine.
    case unsupported(kind: String, name: String, available: [String])
    /// The graph is larger than the layout cap; the text suggests how to make it drawable.
    case tooLarge(nodes: Int, edges: Int, limit: Int, engine: String, advice: String)
    /// A rendering child process did not finish within its wall-clock limit and was killed.
    case timedOut(seconds: Double)
    /// A rendering child process died from a signal (a crash inside Graphviz).
    case crashed(signal: Int32, stderr: String)
    /// A rendering child process exited with a failure status.
    case failed(status: Int32, stderr: String)
    /// A rendering child process could not be started.
    case couldNotStart(String)

    public var description: String {
        switch self {
        case .graphviz(let stage, let message):
            "Graphviz \(stage.rawValue) failed: \(message)"
        case .invalidInput(let why):
            "cannot render: \(why)"
        case .unsupported(let kind, let name, let available):
            "this Graphviz installation has no \(kind) \"\(name)\" (available: \(available.joined(separator: ", ")))"
        case .tooLarge(let nodes, let edges, let limit, let engine, let advice):
            "graph too large to lay out with \(engine): \(nodes) nodes and \(edges) edges (limit \(limit) nodes). \(advice)"
        case .timedOut(let seconds):
            "rendering was stopped after \(formatSeconds(seconds)) s (the layout took too long); draw fewer objects: lower the depth or collapse components"
        case .crashed(let signal, let stderr):
            "the rendering process crashed (signal \(signal))" + (stderr.isEmpty ? "" : ": \(stderr)")
        case .failed(let status, let stderr):
            "the rendering process failed (exit status \(status))" + (stderr.isEmpty ? "" : ": \(stderr)")
        case .couldNotStart(let why):
            "could not start the rendering process: \(why)"
        }
    }
}

private func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? String(Int(s)) : String(format: "%.1f", s)
}
