// GrowthReport — "memory does not grow over N repetitions": the types whose live object count went
// up in every round (LeakCanary's heap growth detection), with where the last round's new objects of
// each were allocated and the chain that keeps them alive. Counting is GrowthTracker's.
import HeapAnalysis
import HeapGraph

/// One type that grew in every round.
public struct GrowingType: Sendable, Hashable {
    /// Type name, count in the last round, increase from the first round to the last.
    public var entry: GrowthEntry
    /// Live objects of the type after each round, first (the baseline) to last.
    public var counts: [Int]
    /// The type's objects new in the last round, grouped by site (indices into the last round's
    /// snapshot); the first group carries the chain that keeps its first object alive.
    public var newInLastRound: [ObjectGroup]
}

/// Live object counts per type over repeated rounds of the same work, and the types that grew in
/// every round.
public struct GrowthReport: HeapCheckReport {
    /// Counts per type per round (garbage left out), from `GrowthTracker`.
    public let tracker: GrowthTracker
    /// Rounds compared after the baseline.
    public let rounds: Int
    /// The types that grew in every round, not of an allowed type; largest increase first.
    public let growing: [GrowingType]
    /// The last round's snapshot without garbage (what `growing`'s object indices refer to).
    public let lastSnapshot: HeapSnapshot
    public let options: HeapCheckOptions
    public let message: String
    public let picturePaths: [String]

    /// Why the check could not judge (an allowed type the heap never registered), or nil; when set
    /// the report fails and `message` is this line.
    public let problem: String?

    /// Passes when no type grew in every round (and there is no ``problem``).
    public var passed: Bool { problem == nil && growing.isEmpty }

    /// Compares `snapshots`: the baseline, then one snapshot after each round (at least two in all).
    /// Garbage is left out of each, as a collection would free it.
    /// - Throws: ``HeapCheckArgumentError`` for fewer than two snapshots.
    /// - Complexity: O(objects + edges) per snapshot, plus one breadth-first search per type shown.
    public init(snapshots: [HeapSnapshot], options: HeapCheckOptions = .default, origin: CheckOrigin) throws(HeapCheckArgumentError) {
        guard snapshots.count >= 2 else {
            throw HeapCheckArgumentError(
                "GrowthReport needs a baseline and at least one round (2 snapshots), got \(snapshots.count)")
        }
        self.init(validSnapshots: snapshots, options: options, origin: origin)
    }

    /// The report over at least two snapshots (checked by the caller).
    init(validSnapshots snapshots: [HeapSnapshot], options: HeapCheckOptions, origin: CheckOrigin) {
        precondition(snapshots.count >= 2, "a growth report needs at least two snapshots")
        var tracker = GrowthTracker()
        var previous: HeapSnapshot? = nil
        var last = HeapSnapshot.empty
        for snapshot in snapshots {
            let alive = snapshot.collected()
            tracker.record(alive)
            previous = previous == nil ? alive : last
            last = alive
        }
        let lastRoundDiff = SnapshotDiff(before: previous ?? last, after: last)
        var growing: [GrowingType] = []
        for entry in tracker.grewInEveryRound() where !options.allowedTypes.contains(entry.type) {
            let counts = tracker.history.map { $0[entry.type] ?? 0 }
            let fresh = lastRoundDiff.newObjects.filter { last.typeName(of: $0) == entry.type }
            let withPath = growing.count < options.detailLimit ? 1 : 0
            growing.append(
                GrowingType(entry: entry, counts: counts, newInLastRound: ObjectGroup.grouping(fresh, in: last, withPaths: withPath)))
        }
        self.tracker = tracker
        self.rounds = snapshots.count - 1
        self.growing = growing
        self.lastSnapshot = last
        self.options = options
        let problem = options.argumentProblem(check: "growth check", typeNames: last.typeNames, usesTolerance: false)
        self.problem = problem
        var pictures: [PictureOutcome] = []
        if problem == nil && !growing.isEmpty && options.pictures.enabled {
            let groups = growing.prefix(options.detailLimit).compactMap(\.newInLastRound.first)
            let caption = "Grew in every one of \(snapshots.count - 1) rounds: " + growing.map(\.entry.type).joined(separator: ", ")
            pictures.append(
                PictureWriter.writeChains(
                    groups, in: last, caption: caption, name: origin.pictureName("growth"), options: options.pictures))
        }
        self.picturePaths = pictures.compactMap(\.path)
        self.message = problem ?? Self.message(growing: growing, rounds: snapshots.count - 1, snapshot: last, options: options, pictures: pictures)
    }

    static func message(
        growing: [GrowingType], rounds: Int, snapshot: HeapSnapshot, options: HeapCheckOptions, pictures: [PictureOutcome]
    ) -> String {
        if growing.isEmpty { return "No growth: no type grew in every one of \(counted(rounds, "round"))." }
        var lines = [
            "Memory grows: \(counted(growing.count, "type")) grew in every one of \(counted(rounds, "round")) "
                + "(live objects after the baseline and after each round):"
        ]
        let shown = growing.prefix(max(options.detailLimit, 0))
        for (i, type) in shown.enumerated() {
            lines.append("")
            let series = type.counts.map(String.init).joined(separator: " → ")
            lines.append("\(i + 1). \(HeapText.terminalEscaped(type.entry.type)): \(series) (+\(type.entry.increase) over \(counted(rounds, "round")))")
            for group in type.newInLastRound.prefix(3) {
                lines.append("   new in the last round: \(group.headline())")
            }
            if type.newInLastRound.count > 3 {
                lines.append("   ... and \(counted(type.newInLastRound.count - 3, "more allocation site"))")
            }
            if let first = type.newInLastRound.first, first.path != nil {
                lines.append(first.chainText(in: snapshot, prefix: "   "))
            }
        }
        if growing.count > shown.count {
            lines.append("")
            lines.append("... and \(counted(growing.count - shown.count, "more growing type")) not shown.")
        }
        if !pictures.isEmpty { lines.append("") }
        for picture in pictures { lines.append(picture.messageLine) }
        return lines.joined(separator: "\n")
    }
}
