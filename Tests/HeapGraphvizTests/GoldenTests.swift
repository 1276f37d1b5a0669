// GoldenTests — the DOT for every fixture (fixtures/*.json) and for the inline sample heaps, compared
// byte for byte with Tests/HeapGraphvizTests/Golden/*.dot, and each golden parsed and rendered by
// libgraphviz with one SVG node per drawn node. `HEAPSCAN_UPDATE_GOLDEN=1` rewrites the files.
import Foundation
import HeapAnalysis
import HeapGraph
import HeapGraphviz
import Testing

@Suite struct GoldenTests {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let goldenFolder = testsFolder.appendingPathComponent("Golden")
    static let fixturesFolder = testsFolder.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures")
    static let fixtureNames = ["two-object-cycle", "self-loop", "leak-from-cycle", "diamond", "long-chain", "growth-after"]

    /// Every picture a fixture gives: each garbage cycle, the references from the roots, and the
    /// same collapsed into components.
    static func pictures(of name: String, _ snapshot: HeapSnapshot) -> [(String, HeapDrawing)] {
        let analysis = LeakAnalysis(snapshot)
        var options = DOTOptions.default
        options.extraLines = [.shallowSize, .retainedSize, .refcount, .label]
        var out: [(String, HeapDrawing)] = []
        for (k, cycle) in analysis.cycles.enumerated() {
            out.append(("\(name)-cycle\(k)", HeapDrawing(cycle, in: analysis, options: options)))
        }
        let roots = snapshot.roots.map { Int($0.object) }
        let refs = snapshot.neighbourhood(of: roots, direction: .references, maxDepth: 4, tooMany: 5)
        out.append(("\(name)-refs", HeapDrawing(refs, in: snapshot, options: options, leaks: analysis)))
        let everything = snapshot.neighbourhood(
            of: roots + analysis.garbage, direction: .references, maxDepth: 10_000, tooMany: 10_000, collapseComponents: true)
        out.append(("\(name)-collapsed", HeapDrawing(everything, in: snapshot, options: options, leaks: analysis)))
        return out
    }

    @Test(arguments: fixtureNames)
    func fixtureDrawingsMatchGolden(name: String) throws {
        let url = Self.fixturesFolder.appendingPathComponent("\(name).json")
        let snapshot = try HeapSnapshot(jsonData: Data(contentsOf: url))
        for (pictureName, drawing) in Self.pictures(of: name, snapshot) {
            try compare(pictureName, drawing)
        }
    }

    @Test func sampleDrawingsMatchGolden() throws {
        let window = SampleHeaps.leakedWindow()
        let analysis = LeakAnalysis(window)
        try compare("sample-window-cycle", HeapDrawing(try #require(analysis.cycles.first), in: analysis))
        var lr = DOTOptions.default
        lr.direction = .leftToRight
        lr.extraLines = [.shallowSize, .site]
        let hood = window.neighbourhood(of: [0], direction: .references, tooMany: 1)
        try compare("sample-window-refs-lr", HeapDrawing(hood, in: window, options: lr, leaks: analysis), options: lr)
        let back = window.neighbourhood(of: [try #require(window.index(ofID: 14))], direction: .referrers, maxDepth: 5)
        try compare("sample-window-backrefs", HeapDrawing(back, in: window, leaks: analysis))
        let page = try #require(window.index(ofID: 4))
        let path = try #require(window.shortestPathFromOutside(to: page))
        try compare("sample-window-chain", HeapDrawing(window.chainNeighbourhood(path), in: window))
        let hostile = LeakAnalysis(SampleHeaps.hostile())
        try compare("sample-hostile-cycle", HeapDrawing(try #require(hostile.cycles.first), in: hostile))
    }

    @Test(.enabled(if: DrawingTests.dotProgram != nil, "skipped: the Graphviz `dot` program is not installed (apt-get install graphviz)"))
    func dotProgramRendersEveryGolden() throws {
        let program = URL(fileURLWithPath: try #require(DrawingTests.dotProgram))
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.goldenFolder.path).filter { $0.hasSuffix(".dot") }.sorted()
        #expect(files.count >= 20)
        for file in files {
            let text = try String(contentsOf: Self.goldenFolder.appendingPathComponent(file), encoding: .utf8)
            let svg = try SubprocessRenderer.render(dot: text, executable: program, arguments: ["-Tsvg"], timeout: .seconds(60))
            let expected = try GraphvizRenderer().check(dot: text).nodes
            #expect(try ParsedSVG(svg).nodeTitles.count == expected, "\(file)")
        }
    }

    private func compare(_ name: String, _ drawing: HeapDrawing, options: DOTOptions = .default) throws {
        let text = drawing.dot(options: options)
        let file = Self.goldenFolder.appendingPathComponent("\(name).dot")
        if ProcessInfo.processInfo.environment["HEAPSCAN_UPDATE_GOLDEN"] != nil {
            try Data(text.utf8).write(to: file)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(text == golden, "\(name).dot differs from the golden file; rerun with HEAPSCAN_UPDATE_GOLDEN=1 if intended")
        let summary = try GraphvizRenderer().check(dot: golden)
        #expect(summary.nodes == drawing.nodes.count && summary.edges == drawing.edges.count)
        let svg = try ParsedSVG(GraphvizRenderer().render(dot: golden))
        #expect(Set(svg.nodeTitles) == Set(drawing.nodes.map(\.key)), "\(name): SVG nodes")
    }
}
