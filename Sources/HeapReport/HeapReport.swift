// HeapReport — one self-contained HTML page about a snapshot: overview, leak suspects, garbage cycles
// with their pictures, a dominator-tree browser, type and site tables and a comparison with an earlier
// snapshot. The page works offline, runs only its own script (CSP hashes) and treats heap text as text.
import Foundation
import HeapAnalysis
import HeapGraph
import HeapGraphviz

/// Writes the HTML report of a snapshot (`heapscan report`).
///
/// The page is one file: its style, its script (allowed by hash in a Content-Security-Policy that
/// allows nothing else: no network, no other script, images only from `data:`), the cycle pictures
/// as `data:` SVG images, and the objects as JSON in an inert `<script type="application/json">`
/// block that the script reads and turns into DOM nodes on demand, always through `textContent`.
///
/// A small snapshot is embedded whole. A large one embeds a bounded part: the largest retainers of
/// the dominator tree (``Options/detailedObjects``), the suspects, the drawn cycles and the largest
/// new objects, each with its fields, referrers and path to a root; and, without their own details,
/// the objects those name. The page says so where it applies.
public enum HeapReport {
    /// What the report contains and how pictures are made.
    public struct Options: Sendable {
        /// The dump's name, shown as the page's title.
        public var title: String
        /// An earlier snapshot of the same heap: adds the comparison (new, freed, change by type and site).
        public var baseline: HeapSnapshot?
        /// The earlier dump's name.
        public var baselineTitle: String
        /// Garbage cycles drawn, largest first.
        public var cycles: Int
        /// Objects per cycle picture (members first, then what the cycle keeps alive), as `heapscan graph`.
        public var maxObjectsPerPicture: Int
        /// Snapshots with at most this many objects are embedded whole.
        public var embedAllUpTo: Int
        /// Otherwise, the dominator tree's objects embedded with details, largest retained first.
        public var detailedObjects: Int
        /// Fields and referrers listed per object; the rest are counted.
        public var referencesPerObject: Int
        /// Share of the live heap above which an object is a leak suspect.
        public var suspectThreshold: Double
        /// DOT text to SVG; by default libgraphviz in this process (``GraphvizRenderer``).
        public var renderSVG: @Sendable (String) throws -> Data

        public init(
            title: String, baseline: HeapSnapshot? = nil, baselineTitle: String = "baseline", cycles: Int = 10,
            maxObjectsPerPicture: Int = 150, embedAllUpTo: Int = 20_000, detailedObjects: Int = 4_000,
            referencesPerObject: Int = 25, suspectThreshold: Double = 0.10,
            renderSVG: @escaping @Sendable (String) throws -> Data = { try GraphvizRenderer().render(dot: $0, format: .svg) }
        ) {
            self.title = title
            self.baseline = baseline
            self.baselineTitle = baselineTitle
            self.cycles = cycles
            self.maxObjectsPerPicture = maxObjectsPerPicture
            self.embedAllUpTo = embedAllUpTo
            self.detailedObjects = detailedObjects
            self.referencesPerObject = referencesPerObject
            self.suspectThreshold = suspectThreshold
            self.renderSVG = renderSVG
        }
    }

    /// The report's HTML text. Deterministic: the same snapshot and options give the same bytes.
    /// - Complexity: O(objects + edges) for the analyses and the selection, plus the cycle layouts;
    ///   the page itself is bounded by the options, not by the snapshot's size.
    public static func html(for snapshot: HeapSnapshot, options: Options) -> String {
        let analyses = Analyses(snapshot, threshold: options.suspectThreshold)
        let diff = options.baseline.map { SnapshotDiff(before: $0, after: snapshot) }
        let pictures = analyses.leaks.cycles.prefix(max(options.cycles, 0)).map { cycle in
            CyclePicture(cycle, leaks: analyses.leaks, maxObjects: options.maxObjectsPerPicture, render: options.renderSVG)
        }
        let selection = ObjectSelection(analyses, options: options, pictures: pictures, diff: diff)
        let data = ReportData(analyses, selection: selection, options: options, diff: diff)
        return ReportPage(analyses, selection: selection, options: options, pictures: pictures, data: data.json).html
    }
}

/// The analyses every section reads, computed once (the two big ones side by side).
struct Analyses: @unchecked Sendable {
    let snapshot: HeapSnapshot
    let dominators: DominatorTree
    let leaks: LeakAnalysis
    let suspects: [LeakSuspect]
    /// The word for what nothing keeps alive, by the snapshot's liveness rule.
    let garbageWord: String

    init(_ snapshot: HeapSnapshot, threshold: Double) {
        self.snapshot = snapshot
        final class Box: @unchecked Sendable { var tree: DominatorTree? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let worker = Thread {
            box.tree = DominatorTree(snapshot)
            done.signal()
        }
        worker.start()
        leaks = LeakAnalysis(snapshot)
        done.wait()
        dominators = box.tree ?? DominatorTree(snapshot)
        suspects = dominators.leakSuspects(threshold: threshold)
        garbageWord = Self.garbageWord(for: snapshot)
    }

    /// "garbage" under the refcount rule (a leak); "unreachable, awaiting collection" under the
    /// roots rule of tracing runtimes, where such objects are simply not collected yet.
    static func garbageWord(for snapshot: HeapSnapshot) -> String {
        snapshot.liveness == .roots ? "unreachable, awaiting collection" : "garbage"
    }
}

/// One drawn cycle: its SVG (or why there is none) and its leaks-style tree.
struct CyclePicture: @unchecked Sendable {
    let cycle: GarbageCycle
    let svg: Data?
    let failure: String?
    /// The `leaks`-style tree's first lines, with the text around each line's object.
    let tree: [(line: CycleTreeLine, before: String, after: String)]
    /// Lines of the tree left out.
    let treeLinesOmitted: Int
    let drawnObjects: Int

    init(_ cycle: GarbageCycle, leaks: LeakAnalysis, maxObjects: Int, render: (String) throws -> Data) {
        self.cycle = cycle
        let drawing = HeapDrawing(cycle, in: leaks, options: .default, maxObjects: maxObjects)
        drawnObjects = drawing.nodes.count
        do {
            svg = try render(drawing.dot(options: .default))
            failure = nil
        } catch {
            svg = nil
            failure = "\(error)"
        }
        let lines = leaks.treeLines(of: cycle)
        tree = lines.prefix(60).map { line in
            let text = leaks.treeLineText(line)
            return (line, text.before, text.after)
        }
        treeLinesOmitted = lines.count - tree.count
    }
}
