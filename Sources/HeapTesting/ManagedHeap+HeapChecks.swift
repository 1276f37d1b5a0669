// ManagedHeap+HeapChecks — the checks as values, for any test framework: run a block between two
// snapshots and get a report back (`try report.require()` throws the failure message). The Swift
// Testing and XCTest assertions are one-line wrappers around these.
import HeapGraph
import ManagedHeap

extension ManagedHeap {
    /// A snapshot of what a full cycle collection would leave now: the objects an external reference
    /// reaches. The heap itself is not changed.
    /// - Complexity: O(objects + references).
    public func collectedSnapshot() -> HeapSnapshot {
        snapshot().collected()
    }

    /// Snapshots, runs `body`, runs a full collection, snapshots again, and reports the objects `body`
    /// created that are still alive: type, allocation site, count and the chain of references keeping
    /// each alive.
    ///
    /// `fileID` and `line` name the picture written when the report fails; leave them to their defaults.
    public func leakReport(
        options: HeapCheckOptions = .default, fileID: String = #fileID, line: Int = #line, during body: () throws -> Void
    ) rethrows -> LeakReport {
        let before = snapshot()
        try body()
        collectForCheck()
        return LeakReport(before: before, after: snapshot(), options: options, origin: CheckOrigin(fileID: fileID, line: line))
    }

    /// Runs `body` between two snapshots with automatic collection paused and reports the reference
    /// cycles it created: garbage cycles that reference counting can never free, found before any
    /// collection could hide them. A full collection then frees them.
    public func cycleReport(
        options: HeapCheckOptions = .default, fileID: String = #fileID, line: Int = #line, during body: () throws -> Void
    ) rethrows -> CycleReport {
        let (before, after) = try withAutomaticCollectionPaused { () throws -> (HeapSnapshot, HeapSnapshot) in
            let before = snapshot()
            try body()
            return (before, snapshot())
        }
        collectForCheck()  // the cycles were seen; now free them, as the collector would
        return CycleReport(before: before, after: after, options: options, origin: CheckOrigin(fileID: fileID, line: line))
    }

    /// Reports the instances of the type named `typeName` still alive after a full collection.
    public func survivorReport(
        ofType typeName: String, options: HeapCheckOptions = .default, fileID: String = #fileID, line: Int = #line
    ) -> SurvivorReport {
        collectForCheck()
        return SurvivorReport(typeName: typeName, in: snapshot(), options: options, origin: CheckOrigin(fileID: fileID, line: line))
    }

    /// Reports the instances of `type` still alive after a full collection.
    /// - Throws: `HeapError` when `type` is not registered in this heap.
    public func survivorReport(
        ofType type: TypeID, options: HeapCheckOptions = .default, fileID: String = #fileID, line: Int = #line
    ) throws(HeapError) -> SurvivorReport {
        survivorReport(ofType: try descriptor(of: type).name, options: options, fileID: fileID, line: line)
    }

    /// Runs `body` `warmup` times (caches fill, lazy state settles), takes a baseline snapshot, then
    /// runs it `repetitions` more times with a full collection and a snapshot after each, and reports the types whose live
    /// object count grew in every round (LeakCanary's rule). `body` gets the round number, from 0.
    /// - Throws: ``HeapCheckArgumentError`` when `repetitions < 2` or `warmup < 0`, or what `body` throws.
    public func growthReport(
        repetitions: Int = 5, warmup: Int = 1, options: HeapCheckOptions = .default, fileID: String = #fileID,
        line: Int = #line, during body: (Int) throws -> Void
    ) throws -> GrowthReport {
        if let problem = growthArgumentProblem(repetitions: repetitions, warmup: warmup) { throw problem }
        let snapshots = try growthSnapshots(repetitions: repetitions, warmup: warmup, body)
        return try GrowthReport(snapshots: snapshots, options: options, origin: CheckOrigin(fileID: fileID, line: line))
    }

    /// The baseline after `warmup` runs of `body`, then one snapshot after each of `repetitions` runs.
    func growthSnapshots<E: Error>(repetitions: Int, warmup: Int, _ body: (Int) throws(E) -> Void) throws(E) -> [HeapSnapshot] {
        var round = 0
        for _ in 0..<max(warmup, 0) {
            try body(round)
            round += 1
        }
        collectForCheck()
        var snapshots = [snapshot()]
        for _ in 0..<repetitions {
            try body(round)
            round += 1
            collectForCheck()
            snapshots.append(snapshot())
        }
        return snapshots
    }
}

/// Why a growth check cannot run with these arguments, or nil.
func growthArgumentProblem(repetitions: Int, warmup: Int) -> HeapCheckArgumentError? {
    if repetitions < 2 {
        return HeapCheckArgumentError("growth check: repetitions must be at least 2 (one round proves nothing), got \(repetitions)")
    }
    if warmup < 0 { return HeapCheckArgumentError("growth check: warmup must be 0 or more, got \(warmup)") }
    return nil
}
