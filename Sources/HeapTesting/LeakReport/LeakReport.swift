// LeakReport — "this block leaks nothing": the objects created between two snapshots that a
// collection would not free, grouped by type and site, each group with the chain of references that
// keeps it alive; allowed types and a tolerated count decide the verdict.
import HeapAnalysis
import HeapGraph

/// What a block left alive: new objects (ids absent from `before`) still reachable from an external
/// reference in `after` once its garbage is left out, as a collection would free it.
public struct LeakReport: HeapCheckReport {
    /// The snapshot taken before the block.
    public let before: HeapSnapshot
    /// The snapshot taken after the block, without its garbage: what a full collection leaves.
    public let after: HeapSnapshot
    /// `before` against `after`, object by object and by type and site.
    public let diff: SnapshotDiff
    /// Leaked objects (new and alive) not of an allowed type, grouped by type and site (indices into
    /// `after`); largest count first.
    public let leaks: [ObjectGroup]
    /// New live objects of allowed types, same grouping.
    public let allowed: [ObjectGroup]
    /// Objects in `leaks`.
    public let leakedObjectCount: Int
    /// Bytes in `leaks`.
    public let leakedBytes: UInt64
    /// The settings used.
    public let options: HeapCheckOptions
    public let message: String
    public let picturePaths: [String]

    /// Why the check could not judge (a negative tolerance, an allowed type the heap never registered),
    /// or nil; when set the report fails and `message` is this line.
    public let problem: String?

    /// Passes when the leaked objects are at most `options.tolerance` (and there is no ``problem``).
    public var passed: Bool { problem == nil && leakedObjectCount <= options.tolerance }

    /// Compares two snapshots of one heap (ids are never reused, so an id present in both is the
    /// same object). `after` may contain garbage: it is left out, as a collection would free it.
    /// A failing report writes its picture (unless `options.pictures` disable it), named after `origin`.
    /// - Complexity: O(objects + edges) of both snapshots, plus the chains shown.
    public init(before: HeapSnapshot, after: HeapSnapshot, options: HeapCheckOptions = .default, origin: CheckOrigin) {
        let alive = after.collected()
        let diff = SnapshotDiff(before: before, after: alive)
        let isAllowed = { (v: Int) in options.allowedTypes.contains(alive.typeName(of: v)) }
        let leakedObjects = diff.newObjects.filter { !isAllowed($0) }
        let allowedObjects = diff.newObjects.filter(isAllowed)
        let leaks = ObjectGroup.grouping(leakedObjects, in: alive, withPaths: Int.max, nearestFirst: true)
        #if HEAPSCAN_CHECKS
        // Every leak is new, alive, and reached by its chain; the groups partition the leaked objects.
        let live = alive.reachableFromOutside()
        for v in leakedObjects { precondition(live[v] && before.index(ofID: alive.ids[v]) == nil, "leak \(v) is old or dead") }
        precondition(leaks.reduce(0) { $0 + $1.objects.count } == leakedObjects.count, "groups do not partition the leaks")
        for group in leaks { precondition(group.path?.end == group.objects[0], "chain of \(group.type) ends elsewhere") }
        #endif
        self.before = before
        self.after = alive
        self.diff = diff
        self.leaks = leaks
        self.allowed = ObjectGroup.grouping(allowedObjects, in: alive, withPaths: 0)
        self.leakedObjectCount = leakedObjects.count
        self.leakedBytes = leaks.reduce(0) { $0.addingSaturated($1.bytes) }
        self.options = options
        let problem = options.argumentProblem(check: "leak check", typeNames: after.typeNames)
        self.problem = problem
        var pictures: [PictureOutcome] = []
        if problem == nil && leakedObjects.count > options.tolerance && options.pictures.enabled {
            let caption = "\(counted(leakedObjects.count, "object")) leaked by the block at \(origin)"
            pictures.append(
                PictureWriter.writeChains(
                    Array(leaks.prefix(options.detailLimit)), in: alive, caption: caption,
                    name: origin.pictureName("leaks"), options: options.pictures))
        }
        self.picturePaths = pictures.compactMap(\.path)
        self.message = problem ?? Self.message(
            leaks: leaks, allowed: allowed, leaked: Set(leakedObjects), leakedObjects: leakedObjects.count, leakedBytes: leakedBytes, snapshot: alive,
            options: options, pictures: pictures)
    }
}
