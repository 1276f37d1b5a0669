// Bench+Render — rendering heap-shaped graphs to SVG: ours in-process through libgraphviz against the
// `dot` program (`dot -Tsvg`, what objgraph spawns) on the same DOT in the same run.
// `HEAPSCAN_RENDER_SWEEP=1` also prints the layout-time sweep behind the size cap (docs/graphviz.md).
import Foundation
import HeapAnalysis
import HeapGraphviz

func benchRender() throws {
    let dotProgram = ["/usr/bin/dot", "/usr/local/bin/dot", "/opt/homebrew/bin/dot"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    if dotProgram == nil { print("render: the `dot` program is not installed; peer lines report peer=0 (skipped)") }
    for n in [50, 200] {
        let text = renderBenchDOT(objects: n, options: .default)
        let renderer = GraphvizRenderer()
        _ = try renderer.render(dot: text)  // warm up: plugin loading happens once per process
        let ours = try bestOf(5) { _ = try renderer.render(dot: text) } * 1000
        var peer = 0.0
        if let dotProgram {
            peer = try bestOf(5) {
                _ = try SubprocessRenderer.render(
                    dot: text, executable: URL(fileURLWithPath: dotProgram), arguments: ["-Tsvg"], timeout: .seconds(300))
            } * 1000
        }
        report(
            "render-\(n)", ours: ours, peer: peer, unit: "ms",
            extra: dotProgram == nil ? "peer=skipped(dot not installed)" : "peer=dot -Tsvg process, same DOT")
    }
    if let sweep = ProcessInfo.processInfo.environment["HEAPSCAN_RENDER_SWEEP"], let dotProgram {
        let sizes = sweep.split(separator: ",").compactMap { Int($0) }
        let engines = ProcessInfo.processInfo.environment["HEAPSCAN_RENDER_SWEEP_ENGINES"]?.split(separator: ",").map(String.init)
        try renderSweep(
            dotProgram: dotProgram, sizes: sizes.isEmpty ? [50, 100, 200, 400, 800, 1600, 3200] : sizes,
            engines: engines ?? ["dot", "dot-tuned", "sfdp"])
    }
}

/// Layout time of the `dot` program on heap-shaped graphs, untuned, tuned, and with `sfdp`, each
/// with a 120 s wall-clock limit (a subprocess, so a runaway layout is stopped).
/// `HEAPSCAN_RENDER_SWEEP=400,800` picks the sizes, `HEAPSCAN_RENDER_SWEEP_ENGINES=dot-tuned,sfdp` the engines.
private func renderSweep(dotProgram: String, sizes: [Int], engines: [String]) throws {
    var untuned = DOTOptions.default
    untuned.tuneLargeGraphs = false
    untuned.sfdpAboveNodes = nil
    var tunedOptions = DOTOptions.default
    tunedOptions.sfdpAboveNodes = nil
    let program = URL(fileURLWithPath: dotProgram)
    for n in sizes {
        let plain = renderBenchDOT(objects: n, options: untuned)
        let tuned = renderBenchDOT(objects: n, options: tunedOptions)
        var cells: [String] = []
        for (name, text, arguments) in [
            ("dot", plain, ["-Tsvg"]), ("dot-tuned", tuned, ["-Tsvg"]), ("sfdp", plain, ["-Ksfdp", "-Tsvg"]),
        ] where engines.contains(name) {
            do {
                let s = try seconds {
                    _ = try SubprocessRenderer.render(dot: text, executable: program, arguments: arguments, timeout: .seconds(120))
                }
                cells.append("\(name)=\(format(s * 1000))ms")
            } catch GraphvizError.timedOut {
                cells.append("\(name)=>120s")
            }
        }
        print("render-sweep nodes=\(n) " + cells.joined(separator: " "))
        fflush(nil)
    }
}

/// DOT for a heap-shaped graph of `objects` objects: a tree (fan-out 3) with parent back pointers on
/// half the nodes (cycles), a shared hub every fourth object refers to (fan-in), and 10% random
/// cross references; deterministic (fixed seed). Built as a `HeapDrawing` directly: rendering is
/// what is measured. (A HeapSnapshot would do as well, but HeapSnapshot.init throws a spurious
/// error in release builds with Swift 6.3.1 at the time of writing.)
private func renderBenchDOT(objects n: Int, options: DOTOptions) -> String {
    var random = BenchRandom(seed: 0x5EED_0000 + UInt64(n))
    let types = ["Node", "Leaf", "Array<Node>", "Dictionary<String, Node>", "Closure", "Box<Int>"]
    var drawing = HeapDrawing()
    for i in 0..<n {
        let size = 16 * (1 + random.next() % 8)
        drawing.nodes.append(
            HeapDrawing.Node(
                key: "o\(i + 1)", kind: .object(id: UInt64(i + 1)), title: types[Int(random.next() % UInt64(types.count))],
                lines: ["#\(i + 1) · \(HeapText.bytes(size))"], roles: i == 0 ? [.start, .heldFromOutside] : [],
                depth: Int(log2(Double(2 * i + 1)) / log2(3))))
    }
    for i in 1..<max(n, 1) {
        let parent = (i - 1) / 3
        drawing.edges.append(HeapDrawing.Edge(from: "o\(parent + 1)", to: "o\(i + 1)", label: "children[\((i - 1) % 3)]"))
        if random.next() % 2 == 0 { drawing.edges.append(HeapDrawing.Edge(from: "o\(i + 1)", to: "o\(parent + 1)", label: "parent")) }
        if i % 4 == 0 && n > 1 { drawing.edges.append(HeapDrawing.Edge(from: "o\(i + 1)", to: "o2", label: "type")) }
    }
    for _ in 0..<(n / 10) {
        let from = random.next() % UInt64(n), to = random.next() % UInt64(n)
        drawing.edges.append(HeapDrawing.Edge(from: "o\(from + 1)", to: "o\(to + 1)", label: "ref"))
    }
    return drawing.dot(options: options)
}
