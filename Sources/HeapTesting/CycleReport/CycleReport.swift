// CycleReport — "this block creates no reference cycles": garbage cycles in the snapshot taken right
// after the block (before any collection) that were not already garbage before it — the cycles only
// the cycle collector could free, reported even though a collection would free them
// (refcycle's cycles_created_by).
import HeapAnalysis
import HeapGraph
import HeapGraphviz

/// The reference cycles a block created: each with its root, its `leaks`-style tree and signature.
public struct CycleReport: HeapCheckReport {
    /// The snapshot taken before the block.
    public let before: HeapSnapshot
    /// The snapshot taken after the block, garbage included.
    public let after: HeapSnapshot
    /// The garbage of `after` and its cycles.
    public let analysis: LeakAnalysis
    /// The cycles of `analysis` the block created: at least one member is new or was alive before
    /// the block, and not every member is of an allowed type. Ranked like `analysis.cycles`.
    public let cycles: [GarbageCycle]
    /// Members and hangers of `cycles`.
    public let cycleObjectCount: Int
    /// Retained bytes of `cycles`.
    public let cycleBytes: UInt64
    public let options: HeapCheckOptions
    public let message: String
    public let picturePaths: [String]

    /// Why the check could not judge (a negative tolerance, an allowed type the heap never registered),
    /// or nil; when set the report fails and `message` is this line.
    public let problem: String?

    /// Passes when the objects in created cycles (members and hangers) are at most `options.tolerance`
    /// (and there is no ``problem``).
    public var passed: Bool { problem == nil && cycleObjectCount <= options.tolerance }

    /// Finds the cycles of `after` that `before` did not already hold as garbage.
    /// - Complexity: O(objects + edges) of both snapshots, plus the cycle signatures (see ``LeakAnalysis``).
    public init(before: HeapSnapshot, after: HeapSnapshot, options: HeapCheckOptions = .default, origin: CheckOrigin) {
        let analysis = LeakAnalysis(after)
        let aliveBefore = before.reachableFromOutside()
        func existedAsGarbage(_ v: Int) -> Bool {
            guard let i = before.index(ofID: after.ids[v]) else { return false }
            return !aliveBefore[i]
        }
        let created = analysis.cycles.filter { cycle in
            !cycle.members.allSatisfy(existedAsGarbage)
                && !cycle.members.allSatisfy { options.allowedTypes.contains(after.typeName(of: $0)) }
        }
        self.before = before
        self.after = after
        self.analysis = analysis
        self.cycles = created
        self.cycleObjectCount = created.reduce(0) { $0 + $1.members.count + $1.hangers.count }
        self.cycleBytes = created.reduce(0) { $0.addingSaturated($1.retainedBytes) }
        self.options = options
        let problem = options.argumentProblem(check: "cycle check", typeNames: after.typeNames)
        self.problem = problem
        var pictures: [PictureOutcome?] = Array(repeating: nil, count: created.count)
        if problem == nil && cycleObjectCount > options.tolerance && options.pictures.enabled {
            for (i, cycle) in created.prefix(Self.picturedCycles).enumerated() {
                let drawing = HeapDrawing(
                    cycle, in: analysis, options: PictureWriter.drawingOptions, maxObjects: options.pictures.maxObjects)
                pictures[i] = PictureWriter.write(drawing, name: origin.pictureName("cycle\(i + 1)"), options: options.pictures)
            }
        }
        self.picturePaths = pictures.compactMap { $0?.path }
        self.message = problem ?? Self.message(
            cycles: created, analysis: analysis, objects: cycleObjectCount, bytes: cycleBytes, options: options,
            pictures: pictures)
    }

    /// Cycles that get a picture each (the largest ones, by rank).
    static let picturedCycles = 3
}
