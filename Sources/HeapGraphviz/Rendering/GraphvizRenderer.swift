// GraphvizRenderer — DOT text to SVG/PNG/PDF in this process through libgraphviz, with a size cap
// that falls back to `sfdp` or refuses with advice instead of a layout that runs for minutes.
import Foundation

/// An output format of the renderer.
public enum GraphvizFormat: String, Sendable, Hashable, CaseIterable {
    /// Scalable vector graphics (always available: Graphviz's core plugin).
    case svg
    /// A PNG bitmap (needs the cairo or gd plugin).
    case png
    /// A PDF page (needs the cairo plugin).
    case pdf
    /// DOT with layout positions added (always available).
    case dot
}

/// A Graphviz layout engine heapscan uses.
public enum LayoutEngine: String, Sendable, Hashable, CaseIterable {
    /// Hierarchical layout: the clearest pictures of references, slow on large cyclic graphs.
    case dot
    /// Force-directed multiscale layout: fast on thousands of nodes, less readable.
    case sfdp
}

/// How large a graph may be before `dot` is replaced or the drawing refused.
///
/// The defaults come from measurements of heap-shaped graphs on a 2-core machine (docs/graphviz.md):
/// `dot` with heapscan's tuned attributes took 0.2 s at 300 nodes, about 1 s at 400–500, 1.9 s at
/// 600 and 61 s at 800; `sfdp` 1.6 s at 1,600 nodes, 4.9 s at 3,200 and 33 s at 6,400.
public struct LayoutLimits: Sendable, Hashable {
    /// What to do with a graph that exceeds the `dot` limits.
    public enum Fallback: Sendable, Hashable {
        /// Lay it out with `sfdp` (up to `sfdpNodeLimit` nodes).
        case sfdp
        /// Throw ``GraphvizError/tooLarge(nodes:edges:limit:engine:advice:)``.
        case refuse
    }

    /// Largest node count laid out with `dot`.
    public var dotNodeLimit: Int
    /// Largest edge count laid out with `dot`.
    public var dotEdgeLimit: Int
    /// Largest node count laid out at all (with `sfdp`).
    public var sfdpNodeLimit: Int
    /// What happens past the `dot` limits.
    public var fallback: Fallback

    public init(dotNodeLimit: Int = 400, dotEdgeLimit: Int = 1_000, sfdpNodeLimit: Int = 3_000, fallback: Fallback = .sfdp) {
        self.dotNodeLimit = dotNodeLimit
        self.dotEdgeLimit = dotEdgeLimit
        self.sfdpNodeLimit = sfdpNodeLimit
        self.fallback = fallback
    }

    /// The measured defaults.
    public static let `default` = LayoutLimits()
}

/// Node and edge counts of a parsed DOT graph, and the engine the renderer would use for it.
public struct GraphSummary: Sendable, Hashable {
    public var nodes: Int
    public var edges: Int
    public var engine: LayoutEngine

    public init(nodes: Int, edges: Int, engine: LayoutEngine) {
        self.nodes = nodes
        self.edges = edges
        self.engine = engine
    }
}

/// Renders DOT text in this process through libgraphviz.
///
/// Every call takes one process-wide lock (libgraphviz is not thread-safe), so concurrent renders
/// queue. A layout cannot be interrupted: call from a thread of your own, or use
/// ``SubprocessRenderer`` for a wall-clock limit and crash isolation.
public struct GraphvizRenderer: Sendable {
    /// The size cap and fallback.
    public var limits: LayoutLimits

    public init(limits: LayoutLimits = .default) {
        self.limits = limits
    }

    /// Lays out `dot` and renders it to `format`.
    ///
    /// The engine is the graph's `layout` attribute, or `dot`; past ``limits`` a `dot` layout becomes
    /// `sfdp` or a ``GraphvizError/tooLarge(nodes:edges:limit:engine:advice:)`` error.
    /// - Throws: ``GraphvizError`` with Graphviz's own message when it rejects the text.
    public func render(dot: String, format: GraphvizFormat = .svg) throws(GraphvizError) -> Data {
        try GraphvizSession.run { (session) throws(GraphvizError) -> Data in
            let formats = try session.pluginNames(kind: "device") + ["dot"]
            guard formats.contains(format.rawValue) else {
                throw .unsupported(kind: "output format", name: format.rawValue, available: Array(Set(formats)).sorted())
            }
            let graph = try session.parse(dot)
            defer { session.close(graph) }
            let summary = try plan(graph, in: session)
            if summary.engine == .sfdp { session.setGraphAttribute(graph, "layout", "sfdp") }
            if format == .png && session.graphAttribute(graph, "dpi") == nil {
                // 96 dpi (Graphviz's default) blurs the small labels in a bug report; 144 keeps them sharp.
                session.setGraphAttribute(graph, "dpi", "144")
            }
            try session.layout(graph, engine: summary.engine.rawValue)
            defer { session.freeLayout(graph) }
            return try session.render(graph, format: format.rawValue)
        }
    }

    /// ``render(dot:format:)`` on a thread of its own, so a long layout blocks neither the caller's
    /// task nor a thread of Swift's cooperative pool (two threads on a 2-core machine). The layout
    /// still cannot be cancelled; use ``SubprocessRenderer`` for a time limit.
    public func renderOnOwnThread(dot: String, format: GraphvizFormat = .svg) async throws(GraphvizError) -> Data {
        let result: Result<Data, GraphvizError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result { () throws(GraphvizError) -> Data in try render(dot: dot, format: format) })
            }
        }
        return try result.get()
    }

    /// Parses `dot` and says how it would be laid out, without laying it out.
    /// - Throws: the same parse, safety and size errors as ``render(dot:format:)``.
    public func check(dot: String) throws(GraphvizError) -> GraphSummary {
        try GraphvizSession.run { (session) throws(GraphvizError) -> GraphSummary in
            let graph = try session.parse(dot)
            defer { session.close(graph) }
            return try plan(graph, in: session)
        }
    }

    /// The output formats the installed plugins provide, sorted.
    public static func availableFormats() throws(GraphvizError) -> [String] {
        try GraphvizSession.run { (session) throws(GraphvizError) -> [String] in
            Array(Set(try session.pluginNames(kind: "device") + ["dot"])).sorted()
        }
    }

    /// Whether `format` can be produced here.
    public static func supports(_ format: GraphvizFormat) -> Bool {
        (try? availableFormats().contains(format.rawValue)) ?? false
    }

    /// Refuses attributes that crash Graphviz 2.42, then picks the engine under the size cap.
    private func plan(_ graph: ParsedGraph, in session: borrowing GraphvizSession) throws(GraphvizError) -> GraphSummary {
        if let concentrate = session.graphAttribute(graph, "concentrate"), isTrue(concentrate) {
            throw .invalidInput("concentrate=true is refused: Graphviz 2.42 can crash on it")
        }
        let requested = session.graphAttribute(graph, "layout") ?? "dot"
        guard let engine = LayoutEngine(rawValue: requested) else {
            throw .unsupported(kind: "layout engine", name: requested, available: LayoutEngine.allCases.map(\.rawValue))
        }
        let nodes = session.nodeCount(graph)
        let edges = session.edgeCount(graph)
        if engine == .dot,
           session.subgraphNames(graph).contains(where: { $0.hasPrefix("cluster") }),
           session.edgeAttributeValues(graph, "constraint").contains(where: { !isTrue($0) })
        {
            throw .invalidInput("constraint=false in a graph with clusters is refused: Graphviz 2.42 can crash on it")
        }
        let advice = "Draw fewer objects: lower the depth, filter types, or collapse strongly connected components."
        if nodes > limits.sfdpNodeLimit {
            throw .tooLarge(nodes: nodes, edges: edges, limit: limits.sfdpNodeLimit, engine: LayoutEngine.sfdp.rawValue, advice: advice)
        }
        if engine == .dot && (nodes > limits.dotNodeLimit || edges > limits.dotEdgeLimit) {
            switch limits.fallback {
            case .sfdp:
                return GraphSummary(nodes: nodes, edges: edges, engine: .sfdp)
            case .refuse:
                throw .tooLarge(nodes: nodes, edges: edges, limit: limits.dotNodeLimit, engine: "dot", advice: advice)
            }
        }
        return GraphSummary(nodes: nodes, edges: edges, engine: engine)
    }
}

/// Graphviz's reading of a boolean attribute: "true", "yes" or a non-zero number.
private func isTrue(_ value: String) -> Bool {
    let v = value.lowercased()
    if v == "true" || v == "yes" { return true }
    if let n = Int(v) { return n != 0 }
    return false
}
