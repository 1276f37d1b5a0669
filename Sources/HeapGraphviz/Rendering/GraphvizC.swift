// GraphvizC — the only Swift file that calls libgraphviz's C API. One small wrapper per C call, one
// process-wide lock around every use, and Graphviz's error text captured and turned into a
// `GraphvizError` in one place (`GraphvizSession.fail`). Nothing here is public.
import CGraphviz
import Foundation

/// Serializes every use of libgraphviz in the process: the library keeps global state (error level,
/// error callback, plugin tables, memory pools) and crashed in 9 of 9 unlocked concurrent runs.
private let graphvizLock = NSLock()

/// Where Graphviz's error callback writes while a session holds the lock.
///
/// Invariant: read and written only by the thread holding `graphvizLock`.
private final class ErrorSink: @unchecked Sendable {
    var text = ""
    static let shared = ErrorSink()
}

/// Receives Graphviz's messages (in fragments: "Error", ": ", "text\n") instead of stderr.
private let captureMessage: @convention(c) (UnsafeMutablePointer<CChar>?) -> Int32 = { fragment in
    if let fragment { ErrorSink.shared.text += String(cString: fragment) }
    return 0
}

/// The libgraphviz context, created once: loading the plugin tables costs milliseconds.
///
/// Invariant: touched only while holding `graphvizLock`.
private final class ContextBox: @unchecked Sendable {
    var context: OpaquePointer?
    /// Plugin names by kind, read once: the installed plugins do not change while the process runs.
    var plugins: [String: [String]] = [:]
    static let shared = ContextBox()
}

/// A parsed graph owned by a session; closed by the session that made it.
struct ParsedGraph {
    fileprivate let pointer: UnsafeMutablePointer<Agraph_t>
}

/// Exclusive use of libgraphviz for the length of `GraphvizSession.run`.
///
/// Every method assumes the lock is held, which `run` guarantees: a session value exists only inside it.
struct GraphvizSession: ~Copyable {
    private init() {}

    /// Runs `body` with the lock held and Graphviz's messages captured.
    static func run<T>(_ body: (borrowing GraphvizSession) throws(GraphvizError) -> T) throws(GraphvizError) -> T {
        graphvizLock.lock()
        defer { graphvizLock.unlock() }
        _ = agseterrf(captureMessage)
        ErrorSink.shared.text = ""
        _ = agreseterrors()
        let session = GraphvizSession()
        return try body(session)
    }

    /// Graphviz's captured messages since the session began (or the last `takeMessages`), trimmed.
    func takeMessages() -> String {
        let text = ErrorSink.shared.text.trimmingCharacters(in: .whitespacesAndNewlines)
        ErrorSink.shared.text = ""
        return text
    }

    /// The one place a C failure becomes a Swift error: the stage plus Graphviz's own words.
    func fail(_ stage: GraphvizError.Stage, fallback: String) -> GraphvizError {
        let messages = takeMessages()
        return GraphvizError.graphviz(stage: stage, message: messages.isEmpty ? fallback : messages)
    }

    private func context() throws(GraphvizError) -> OpaquePointer {
        if let existing = ContextBox.shared.context { return existing }
        guard let created = gvContext() else { throw fail(.context, fallback: "gvContext returned no context") }
        ContextBox.shared.context = created
        return created
    }

    /// `agmemread`: parses the first graph in `dot`.
    func parse(_ dot: String) throws(GraphvizError) -> ParsedGraph {
        guard !dot.utf8.contains(0) else { throw .invalidInput("DOT text contains a NUL byte") }
        guard let graph = agmemread(dot) else {
            if agerrors() == 0 && takeMessages().isEmpty { throw .invalidInput("DOT text holds no graph") }
            throw fail(.parse, fallback: "agmemread could not read the DOT text")
        }
        // cgraph recovers from some errors (a bad HTML-like label becomes the node's name) and still
        // returns a graph; a picture with silently wrong labels is worse than an error.
        if agerrors() > 0 {
            _ = agclose(graph)
            throw fail(.parse, fallback: "Graphviz reported an error while reading the DOT text")
        }
        return ParsedGraph(pointer: graph)
    }

    /// `agclose`.
    func close(_ graph: ParsedGraph) { _ = agclose(graph.pointer) }

    /// `agnnodes`.
    func nodeCount(_ graph: ParsedGraph) -> Int { Int(agnnodes(graph.pointer)) }

    /// `agnedges`.
    func edgeCount(_ graph: ParsedGraph) -> Int { Int(agnedges(graph.pointer)) }

    /// `agget` on the graph itself: a graph attribute's value, or nil when unset or empty.
    func graphAttribute(_ graph: ParsedGraph, _ name: String) -> String? {
        let value = name.withCString { agget(UnsafeMutableRawPointer(graph.pointer), UnsafeMutablePointer(mutating: $0)) }
        guard let value else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// `agsafeset` on the graph itself.
    func setGraphAttribute(_ graph: ParsedGraph, _ name: String, _ value: String) {
        name.withCString { n in
            value.withCString { v in
                "".withCString { d in
                    _ = agsafeset(
                        UnsafeMutableRawPointer(graph.pointer), UnsafeMutablePointer(mutating: n),
                        UnsafeMutablePointer(mutating: v), UnsafeMutablePointer(mutating: d))
                }
            }
        }
    }

    /// `agfstsubg` / `agnxtsubg` / `agnameof`: the names of the graph's subgraphs, at every depth.
    /// Iterative (an explicit stack), so nesting depth cannot overflow the call stack.
    func subgraphNames(_ graph: ParsedGraph) -> [String] {
        var names: [String] = []
        var stack: [UnsafeMutablePointer<Agraph_t>] = [graph.pointer]
        while let g = stack.popLast() {
            var sub = agfstsubg(g)
            while let s = sub {
                if let name = agnameof(UnsafeMutableRawPointer(s)) { names.append(String(cString: name)) }
                stack.append(s)
                sub = agnxtsubg(s)
            }
        }
        return names
    }

    /// `agfstnode` / `agnxtnode` / `agfstout` / `agnxtout` / `agget`: the values of an edge attribute
    /// over every edge of the graph (empty strings left out).
    func edgeAttributeValues(_ graph: ParsedGraph, _ name: String) -> [String] {
        var values: [String] = []
        name.withCString { attribute in
            var node = agfstnode(graph.pointer)
            while let n = node {
                var edge = agfstout(graph.pointer, n)
                while let e = edge {
                    if let v = agget(UnsafeMutableRawPointer(e), UnsafeMutablePointer(mutating: attribute)) {
                        let text = String(cString: v)
                        if !text.isEmpty { values.append(text) }
                    }
                    edge = agnxtout(graph.pointer, e)
                }
                node = agnxtnode(graph.pointer, n)
            }
        }
        return values
    }

    /// `gvLayout`.
    func layout(_ graph: ParsedGraph, engine: String) throws(GraphvizError) {
        let gvc = try context()
        guard gvLayout(gvc, graph.pointer, engine) == 0 else {
            throw fail(.layout, fallback: "layout with \(engine) failed")
        }
        // Labels (HTML-like ones included) are parsed during layout; their errors do not fail it.
        if agerrors() > 0 {
            _ = gvFreeLayout(gvc, graph.pointer)
            throw fail(.layout, fallback: "Graphviz reported an error while laying out the graph")
        }
    }

    /// `gvFreeLayout`.
    func freeLayout(_ graph: ParsedGraph) {
        if let gvc = ContextBox.shared.context { _ = gvFreeLayout(gvc, graph.pointer) }
    }

    /// `gvRenderData` + `gvFreeRenderData`: the laid-out graph rendered to memory. The buffer is
    /// freed on every path, failure included (Graphviz allocates it even when rendering fails).
    func render(_ graph: ParsedGraph, format: String) throws(GraphvizError) -> Data {
        let gvc = try context()
        var buffer: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        let status = gvRenderData(gvc, graph.pointer, format, &buffer, &length)
        defer { if let buffer { gvFreeRenderData(buffer) } }
        guard status == 0, let buffer else { throw fail(.render, fallback: "rendering to \(format) failed") }
        return Data(bytes: buffer, count: Int(length))
    }

    /// `gvPluginList`: the plugin names of a kind ("layout", "device", ...), without the
    /// ":package" suffixes, sorted and unique.
    func pluginNames(kind: String) throws(GraphvizError) -> [String] {
        if let known = ContextBox.shared.plugins[kind] { return known }
        let gvc = try context()
        var count: Int32 = 0
        guard let list = kind.withCString({ gvPluginList(gvc, $0, &count, nil) }) else { return [] }
        defer { free(list) }
        var names = Set<String>()
        for i in 0..<Int(max(count, 0)) {
            guard let entry = list[i] else { continue }
            names.insert(String(String(cString: entry).prefix { $0 != ":" }))
            free(entry)
        }
        let sorted = names.sorted()
        ContextBox.shared.plugins[kind] = sorted
        return sorted
    }
}
