// GrowthTracker — object counts per type over a series of snapshots: objgraph's show_growth (growth
// past the peak seen so far) and LeakCanary's "grew in every round".
import HeapGraph

/// A type whose object count grew.
public struct GrowthEntry: Sendable, Hashable {
    public var type: String
    /// Objects of the type in the latest snapshot.
    public var count: Int
    /// How much it grew: past the previous peak (``GrowthTracker/record(_:)``), or from the first
    /// round to the last (``GrowthTracker/grewInEveryRound()``).
    public var increase: Int

    public init(type: String, count: Int, increase: Int) {
        self.type = type
        self.count = count
        self.increase = increase
    }
}

/// Follows object counts per type across snapshots taken one after another.
public struct GrowthTracker: Sendable {
    /// Highest count seen for each type.
    public private(set) var peaks: [String: Int] = [:]
    /// Count per type in each recorded round, oldest first.
    public private(set) var history: [[String: Int]] = []

    public init() {}

    /// Records a snapshot and returns the types whose count now exceeds their previous peak (a type
    /// never seen before has peak 0), largest increase first, then by name. The first round
    /// reports every type, as objgraph's first show_growth does.
    @discardableResult
    public mutating func record(_ snapshot: HeapSnapshot) -> [GrowthEntry] {
        var counts: [String: Int] = [:]
        for entry in snapshot.typeHistogram() { counts[entry.key] = entry.count }
        history.append(counts)
        var grown: [GrowthEntry] = []
        for (type, count) in counts {
            let peak = peaks[type] ?? 0
            if count > peak {
                grown.append(GrowthEntry(type: type, count: count, increase: count - peak))
                peaks[type] = count
            }
        }
        return grown.sorted { $0.increase != $1.increase ? $0.increase > $1.increase : $0.type < $1.type }
    }

    /// The types whose count went up between every two consecutive rounds (at least two rounds),
    /// with the total increase from the first round to the last; largest increase first.
    public func grewInEveryRound() -> [GrowthEntry] {
        guard history.count >= 2, let last = history.last else { return [] }
        var result: [GrowthEntry] = []
        for (type, count) in last {
            var always = true
            for r in 1..<history.count where (history[r][type] ?? 0) <= (history[r - 1][type] ?? 0) {
                always = false
                break
            }
            if always {
                result.append(GrowthEntry(type: type, count: count, increase: count - (history[0][type] ?? 0)))
            }
        }
        return result.sorted { $0.increase != $1.increase ? $0.increase > $1.increase : $0.type < $1.type }
    }
}
