// RenderTests — the in-process renderer on tiny graphs: a broken Graphviz install fails here first;
// Graphviz's errors arrive as typed errors; the size cap and the refused attributes.
import Foundation
import HeapGraphviz
import Testing

@Suite struct RenderTests {
    let tiny = "digraph tiny { a -> b; b -> a; }"

    @Test func rendersTinyGraphToSVG() throws {
        let svg = try GraphvizRenderer().render(dot: tiny, format: .svg)
        let parsed = try ParsedSVG(svg)
        #expect(parsed.nodeTitles.sorted() == ["a", "b"])
        #expect(parsed.edgeCount == 2)
    }

    @Test func svgAndDotAreAlwaysAvailable() throws {
        let formats = try GraphvizRenderer.availableFormats()
        #expect(formats.contains("svg"))
        #expect(formats.contains("dot"))
    }

    @Test(arguments: [GraphvizFormat.png, .pdf])
    func bitmapAndPageFormatsRenderOrReportUnsupported(format: GraphvizFormat) throws {
        let magic: [UInt8] = format == .png ? [0x89, 0x50, 0x4E, 0x47] : Array("%PDF".utf8)
        if GraphvizRenderer.supports(format) {
            let data = try GraphvizRenderer().render(dot: tiny, format: format)
            #expect(Array(data.prefix(4)) == magic)
        } else {
            #expect(throws: GraphvizError.self) { try GraphvizRenderer().render(dot: tiny, format: format) }
        }
    }

    @Test func syntaxErrorIsCapturedAsTypedError() {
        do {
            _ = try GraphvizRenderer().render(dot: "digraph { a -> ; }")
            Issue.record("a syntax error rendered")
        } catch {
            guard case .graphviz(let stage, let message) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(stage == .parse)
            #expect(message.contains("syntax error"), "message: \(message)")
        }
    }

    @Test func graphvizPrintsNothingToStderr() throws {
        // Point fd 2 at a pipe for the length of a failing parse, a failing label and a warning.
        let pipe = Pipe()
        fflush(nil)
        let saved = dup(2)
        #expect(saved >= 0)
        dup2(pipe.fileHandleForWriting.fileDescriptor, 2)
        _ = try? GraphvizRenderer().render(dot: "digraph { a -> ; }")
        _ = try? GraphvizRenderer().render(dot: "digraph g { a [label=<]>] }")
        _ = try? GraphvizRenderer().render(dot: "digraph g { a [shape=nosuchshape] }")
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        try pipe.fileHandleForWriting.close()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.isEmpty, "Graphviz printed: \(printed)")
    }

    @Test func emptyAndNulInputAreRefused() {
        #expect(throws: GraphvizError.invalidInput("DOT text holds no graph")) { try GraphvizRenderer().render(dot: "") }
        #expect(throws: GraphvizError.invalidInput("DOT text contains a NUL byte")) {
            try GraphvizRenderer().render(dot: "digraph { a\u{0} }")
        }
    }

    @Test func errorStateDoesNotLeakIntoTheNextRender() throws {
        _ = try? GraphvizRenderer().render(dot: "digraph { -> }")
        let svg = try GraphvizRenderer().render(dot: tiny)
        #expect(try ParsedSVG(svg).nodeTitles.count == 2)
    }

    @Test func concentrateAndUnconstrainedClustersAreRefused() {
        #expect(throws: GraphvizError.self) { try GraphvizRenderer().render(dot: "digraph { concentrate=true; a -> b; a -> b }") }
        let clusters = "digraph { subgraph cluster_x { a; b } a -> b [constraint=false]; }"
        #expect(throws: GraphvizError.self) { try GraphvizRenderer().render(dot: clusters) }
    }

    @Test func unknownLayoutEngineIsReported() {
        #expect(throws: GraphvizError.self) { try GraphvizRenderer().render(dot: "digraph { layout=nosuch; a }") }
    }

    @Test func sizeCapFallsBackToSfdpOrRefuses() throws {
        var dot = "digraph {"
        for i in 0..<30 { dot += " n\(i) -> n\((i + 1) % 30);" }
        dot += " }"
        let small = LayoutLimits(dotNodeLimit: 10, dotEdgeLimit: 100, sfdpNodeLimit: 1_000, fallback: .sfdp)
        #expect(try GraphvizRenderer(limits: small).check(dot: dot).engine == .sfdp)
        #expect(try ParsedSVG(GraphvizRenderer(limits: small).render(dot: dot)).nodeTitles.count == 30)
        #expect(try GraphvizRenderer().check(dot: dot).engine == .dot)

        var refusing = small
        refusing.fallback = .refuse
        do {
            _ = try GraphvizRenderer(limits: refusing).render(dot: dot)
            Issue.record("a graph over the cap rendered")
        } catch {
            guard case .tooLarge(let nodes, _, let limit, _, let advice) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(nodes == 30 && limit == 10)
            #expect(advice.contains("collapse"))
        }
        let tiny = LayoutLimits(dotNodeLimit: 5, dotEdgeLimit: 100, sfdpNodeLimit: 20, fallback: .sfdp)
        #expect(throws: GraphvizError.self) { try GraphvizRenderer(limits: tiny).render(dot: dot) }
    }

    @Test func rendersOnItsOwnThreadFromAsyncCode() async throws {
        let svg = try await GraphvizRenderer().renderOnOwnThread(dot: tiny)
        #expect(try ParsedSVG(svg).nodeTitles.count == 2)
        await #expect(throws: GraphvizError.self) { try await GraphvizRenderer().renderOnOwnThread(dot: "digraph { -> }") }
    }

    @Test func concurrentRendersAreSerializedAndIdentical() async throws {
        let dot = tiny
        let results = try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0..<8 { group.addTask { try GraphvizRenderer().render(dot: dot) } }
            var all: [Data] = []
            for try await data in group { all.append(data) }
            return all
        }
        #expect(Set(results).count == 1)
    }
}
