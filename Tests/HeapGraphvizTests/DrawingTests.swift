// DrawingTests — DOT from drawings, neighbourhoods and cycles: it parses with libgraphviz (and the
// `dot` program when installed), the SVG has a node per drawn object, hostile text survives intact,
// the bytes are deterministic.
import Foundation
import HeapAnalysis
import HeapGraph
import HeapGraphviz
import Testing

@Suite struct DrawingTests {
    @Test func cycleDrawingMarksRootMembersAndHangers() throws {
        let snapshot = SampleHeaps.leakedWindow()
        let analysis = LeakAnalysis(snapshot)
        let cycle = try #require(analysis.cycles.first)
        let drawing = HeapDrawing(cycle, in: analysis)
        let byKey = Dictionary(uniqueKeysWithValues: drawing.nodes.map { ($0.key, $0) })
        #expect(Set(byKey.keys) == ["o10", "o11", "o12", "o13", "o14"])
        #expect(drawing.nodes.filter { $0.roles.contains(.cycleRoot) }.count == 1)
        #expect(byKey["o13"]?.roles == .hanger && byKey["o14"]?.roles == .hanger)
        #expect(drawing.edges.filter { $0.kind == .cycle }.count == 4)
        let text = drawing.dot()
        #expect(!text.contains("concentrate") && !text.contains("cluster"))
        let svg = try ParsedSVG(GraphvizRenderer().render(dot: text))
        #expect(Set(svg.nodeTitles) == Set(byKey.keys))
        #expect(svg.edgeCount == drawing.edges.count)
        #expect(svg.texts.contains("WindowController") && svg.texts.contains("entries[\"logo\"]"))
    }

    @Test func neighbourhoodDrawingHasDepthCutOffsAndHeldObjects() throws {
        let snapshot = SampleHeaps.leakedWindow()
        let app = try #require(snapshot.index(ofID: 1))
        let hood = snapshot.neighbourhood(of: [app], direction: .references, maxDepth: 3, tooMany: 1)
        let drawing = HeapDrawing(hood, in: snapshot)
        let more = drawing.nodes.filter { if case .more = $0.kind { true } else { false } }
        #expect(more.count == 1 && more[0].title == "1 more reference")
        #expect(drawing.nodes.first?.roles == [.start, .heldFromOutside])
        let objects = drawing.nodes.filter { if case .object = $0.kind { true } else { false } }
        #expect(objects.count == hood.nodes.count)
        let svg = try ParsedSVG(GraphvizRenderer().render(dot: drawing.dot()))
        #expect(svg.nodeTitles.count == drawing.nodes.count)
    }

    @Test func collapsedComponentBecomesOneNode() throws {
        let snapshot = SampleHeaps.leakedWindow()
        let window = try #require(snapshot.index(ofID: 10))
        let hood = snapshot.neighbourhood(of: [window], direction: .references, maxDepth: 5, collapseComponents: true)
        let drawing = HeapDrawing(hood, in: snapshot, leaks: LeakAnalysis(snapshot))
        let components = drawing.nodes.filter { if case .component = $0.kind { true } else { false } }
        #expect(components.count == 1)
        #expect(components.first?.lines.first == "3 objects · 688 B")
        #expect(drawing.nodes.count == 3)  // the component, the dictionary, the buffer
        _ = try GraphvizRenderer().check(dot: drawing.dot())
    }

    @Test func hostileNamesGiveValidDOTAndIntactSVGText() throws {
        let snapshot = SampleHeaps.hostile()
        let analysis = LeakAnalysis(snapshot)
        let cycle = try #require(analysis.cycles.first)
        let text = dot(for: cycle, in: analysis)
        let svg = try ParsedSVG(GraphvizRenderer().render(dot: text))
        #expect(svg.nodeTitles.count == SampleHeaps.hostileNames.count)
        let shown = Set(svg.texts)
        for name in SampleHeaps.hostileNames {
            let expected = name.isEmpty ? "\"\"" : DOTText.visible(name)
            #expect(shown.contains(expected), "missing \(expected.debugDescription) in \(shown)")
        }
        #expect(shown.contains("Quote\"Type") && shown.contains("<script>alert(1)</script>") && shown.contains("Amp &amp; &lt;"))
        #expect(shown.contains("Back\\slash\\N") && shown.contains("Emoji 🐛🔥") && shown.contains("מחלקה עברית"))
        #expect(shown.contains("\\u{202E}txt.exe") && shown.contains("Line\\nBreak"))
    }

    @Test func sameGraphGivesSameBytes() {
        let snapshot = SampleHeaps.leakedWindow()
        let hood = snapshot.neighbourhood(of: [0], direction: .references)
        let first = dot(for: hood, in: snapshot)
        let second = dot(for: snapshot.neighbourhood(of: [0], direction: .references), in: SampleHeaps.leakedWindow())
        #expect(first == second)
    }

    /// The Graphviz `dot` program, when installed.
    static let dotProgram = ["/usr/bin/dot", "/usr/local/bin/dot", "/opt/homebrew/bin/dot"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(.enabled(if: dotProgram != nil, "skipped: the Graphviz `dot` program is not installed (apt-get install graphviz)"))
    func dotProgramAcceptsTheSameText() throws {
        let dotProgram = try #require(Self.dotProgram)
        let analysis = LeakAnalysis(SampleHeaps.hostile())
        let text = dot(for: try #require(analysis.cycles.first), in: analysis)
        let svg = try SubprocessRenderer.render(
            dot: text, executable: URL(fileURLWithPath: dotProgram), arguments: ["-Tsvg"], timeout: .seconds(60))
        #expect(try ParsedSVG(svg).nodeTitles.count == SampleHeaps.hostileNames.count)
    }
}

/// Writes the sample pictures (DOT, SVG, PNG) to `$HEAPSCAN_GRAPHVIZ_SAMPLES` for looking at them;
/// does nothing when the variable is unset.
@Test func writeSamplePicturesWhenAsked() throws {
    guard let directory = ProcessInfo.processInfo.environment["HEAPSCAN_GRAPHVIZ_SAMPLES"] else { return }
    let folder = URL(fileURLWithPath: directory)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let snapshot = SampleHeaps.leakedWindow()
    let analysis = LeakAnalysis(snapshot)
    var options = DOTOptions.default
    options.extraLines = [.shallowSize, .refcount, .label, .site]
    let pictures: [(String, String)] = [
        ("cycle", dot(for: try #require(analysis.cycles.first), in: analysis, options: options)),
        ("refs", dot(for: snapshot.neighbourhood(of: [0], direction: .references, tooMany: 1), in: snapshot, options: options, leaks: analysis)),
        ("hostile", dot(for: try #require(LeakAnalysis(SampleHeaps.hostile()).cycles.first), in: LeakAnalysis(SampleHeaps.hostile()))),
    ]
    for (name, text) in pictures {
        try Data(text.utf8).write(to: folder.appendingPathComponent("\(name).dot"))
        try GraphvizRenderer().render(dot: text, format: .svg).write(to: folder.appendingPathComponent("\(name).svg"))
        if GraphvizRenderer.supports(.png) {
            try GraphvizRenderer().render(dot: text, format: .png).write(to: folder.appendingPathComponent("\(name).png"))
        }
    }
}

/// A long chain: the writer hands it to sfdp in the DOT itself, and past the sfdp cap the renderer
/// refuses with advice instead of laying it out; nothing recurses over the chain.
@Test func longChainIsCappedNotLaidOutForMinutes() throws {
    var b = HeapSnapshotBuilder()
    let count = 20_000
    for i in 1...count { b.add(id: UInt64(i), type: "ListNode", size: 32) }
    for i in 1..<count { b.reference(from: UInt64(i), to: UInt64(i + 1), name: "next") }
    b.reference(from: UInt64(count), to: 1, name: "next")
    let snapshot = b.build()
    let hood = snapshot.neighbourhood(of: [0], direction: .references, maxDepth: count + 1)
    let text = dot(for: hood, in: snapshot)
    #expect(text.contains("layout=\"sfdp\""))
    do {
        _ = try GraphvizRenderer().check(dot: text)
        Issue.record("a 20,000-node chain passed the cap")
    } catch {
        guard case .tooLarge(let nodes, _, _, let engine, let advice) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(nodes == count && engine == "sfdp" && advice.contains("collapse"))
    }
    let collapsed = snapshot.neighbourhood(of: [0], direction: .references, maxDepth: count + 1, collapseComponents: true)
    let small = dot(for: collapsed, in: snapshot)
    #expect(try GraphvizRenderer().check(dot: small) == GraphSummary(nodes: 1, edges: 0, engine: .dot))
}
