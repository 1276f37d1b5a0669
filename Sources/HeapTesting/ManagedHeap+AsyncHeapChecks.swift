// ManagedHeap+AsyncHeapChecks — the block-taking checks for async code. They run on the caller's
// actor (`isolation`), so a heap owned by an actor is never sent across isolation domains.
import HeapGraph
import ManagedHeap

extension ManagedHeap {
    /// ``leakReport(options:fileID:line:during:)`` for an async block.
    public func leakReport(
        options: HeapCheckOptions = .default, fileID: String = #fileID, line: Int = #line,
        isolation: isolated (any Actor)? = #isolation, during body: () async throws -> Void
    ) async rethrows -> LeakReport {
        let before = snapshot()
        try await body()
        collectForCheck()
        return LeakReport(before: before, after: snapshot(), options: options, origin: CheckOrigin(fileID: fileID, line: line))
    }

    /// ``cycleReport(options:fileID:line:during:)`` for an async block.
    public func cycleReport(
        options: HeapCheckOptions = .default, fileID: String = #fileID, line: Int = #line,
        isolation: isolated (any Actor)? = #isolation, during body: () async throws -> Void
    ) async rethrows -> CycleReport {
        let (before, after) = try await withAutomaticCollectionPaused { () async throws -> (HeapSnapshot, HeapSnapshot) in
            let before = snapshot()
            try await body()
            return (before, snapshot())
        }
        collectForCheck()  // the cycles were seen; now free them, as the collector would
        return CycleReport(before: before, after: after, options: options, origin: CheckOrigin(fileID: fileID, line: line))
    }

    /// ``growthReport(repetitions:warmup:options:fileID:line:during:)`` for an async block.
    public func growthReport(
        repetitions: Int = 5, warmup: Int = 1, options: HeapCheckOptions = .default, fileID: String = #fileID,
        line: Int = #line, isolation: isolated (any Actor)? = #isolation, during body: (Int) async throws -> Void
    ) async throws -> GrowthReport {
        if let problem = growthArgumentProblem(repetitions: repetitions, warmup: warmup) { throw problem }
        let snapshots = try await growthSnapshots(repetitions: repetitions, warmup: warmup, body)
        return GrowthReport(validSnapshots: snapshots, options: options, origin: CheckOrigin(fileID: fileID, line: line))
    }

    /// The async form of `growthSnapshots`.
    func growthSnapshots(
        repetitions: Int, warmup: Int, isolation: isolated (any Actor)? = #isolation, _ body: (Int) async throws -> Void
    ) async rethrows -> [HeapSnapshot] {
        var round = 0
        for _ in 0..<max(warmup, 0) {
            try await body(round)
            round += 1
        }
        collectForCheck()
        var snapshots = [snapshot()]
        for _ in 0..<repetitions {
            try await body(round)
            round += 1
            collectForCheck()
            snapshots.append(snapshot())
        }
        return snapshots
    }
}
