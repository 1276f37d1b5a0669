// SurvivorReport — "no instance of this type survives": the objects of one type that a collection
// would not free, grouped by allocation site, each group with the chain that keeps it alive.
import HeapAnalysis
import HeapGraph

/// The live instances of one type in a snapshot (garbage left out, as a collection would free it).
public struct SurvivorReport: HeapCheckReport {
    /// The type asked about.
    public let typeName: String
    /// The snapshot without its garbage.
    public let snapshot: HeapSnapshot
    /// Surviving instances grouped by allocation site (indices into `snapshot`), largest group first.
    public let survivors: [ObjectGroup]
    /// Instances in `survivors`.
    public let survivorCount: Int
    public let options: HeapCheckOptions
    public let message: String
    public let picturePaths: [String]

    /// Why the check could not judge (a negative tolerance, a type the heap never registered),
    /// or nil; when set the report fails and `message` is this line.
    public let problem: String?

    /// Passes when the surviving instances are at most `options.tolerance` (and there is no ``problem``).
    public var passed: Bool { problem == nil && survivorCount <= options.tolerance }

    /// The instances of `typeName` alive in `snapshot`.
    /// - Complexity: O(objects + edges), plus one breadth-first search per group shown.
    public init(typeName: String, in snapshot: HeapSnapshot, options: HeapCheckOptions = .default, origin: CheckOrigin) {
        let alive = snapshot.collected()
        let instances = alive.objectIndices.filter { alive.typeName(of: $0) == typeName }
        let groups = ObjectGroup.grouping(instances, in: alive, withPaths: options.detailLimit)
        self.typeName = typeName
        self.snapshot = alive
        self.survivors = groups
        self.survivorCount = instances.count
        self.options = options
        let problem = options.argumentProblem(check: "survivor check", typeNames: snapshot.typeNames, checkedType: typeName)
        self.problem = problem
        var pictures: [PictureOutcome] = []
        if problem == nil && instances.count > options.tolerance && options.pictures.enabled {
            let caption = "\(counted(instances.count, "surviving instance")) of \(typeName), checked at \(origin)"
            pictures.append(
                PictureWriter.writeChains(
                    Array(groups.prefix(options.detailLimit)), in: alive, caption: caption,
                    name: origin.pictureName("survivors"), options: options.pictures))
        }
        self.picturePaths = pictures.compactMap(\.path)

        let type = HeapText.terminalEscaped(typeName)
        var lines: [String] = []
        if instances.isEmpty {
            lines.append("No instance of \(type) survives.")
        } else if instances.count <= options.tolerance {
            lines.append("\(counted(instances.count, "instance")) of \(type) survive, within the tolerance of \(options.tolerance).")
        } else {
            lines.append(
                "\(counted(instances.count, "instance")) of \(type) "
                    + (instances.count == 1 ? "survives" : "survive") + " (a collection would not free "
                    + (instances.count == 1 ? "it" : "them") + "):")
            let shown = groups.prefix(max(options.detailLimit, 0))
            for (i, group) in shown.enumerated() {
                lines.append("")
                lines.append("\(i + 1). \(group.headline())")
            if let sample = group.sampleLine(in: alive, prefix: "   ") { lines.append(sample) }
                lines.append(group.chainText(in: alive, prefix: "   "))
            }
            if groups.count > shown.count {
                lines.append("")
                lines.append("... and \(counted(groups.count - shown.count, "more allocation site")) not shown.")
            }
            if !pictures.isEmpty { lines.append("") }
            for picture in pictures { lines.append(picture.messageLine) }
        }
        message = problem ?? lines.joined(separator: "\n")
    }
}
