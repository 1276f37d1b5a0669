// SwiftTestingExpectations+Async — expectNoLeaks, expectNoCycles and expectNoGrowth for async blocks,
// run on the caller's actor; same messages, same source locations.
import HeapGraph
import ManagedHeap
import Testing

/// `expectNoLeaks` for an async block.
@discardableResult
public func expectNoLeaks(
    in heap: ManagedHeap, allowing allowedTypes: Set<String> = [], tolerance: Int = 0,
    pictures: PictureOptions = .default, isolation: isolated (any Actor)? = #isolation,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async rethrows -> LeakReport {
    let report = try await heap.leakReport(
        options: HeapCheckOptions(allowedTypes: allowedTypes, tolerance: tolerance, pictures: pictures),
        fileID: sourceLocation.fileID, line: sourceLocation.line, during: body)
    record(report, at: sourceLocation)
    return report
}

/// `expectNoCycles` for an async block.
@discardableResult
public func expectNoCycles(
    in heap: ManagedHeap, allowing allowedTypes: Set<String> = [], tolerance: Int = 0,
    pictures: PictureOptions = .default, isolation: isolated (any Actor)? = #isolation,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async rethrows -> CycleReport {
    let report = try await heap.cycleReport(
        options: HeapCheckOptions(allowedTypes: allowedTypes, tolerance: tolerance, pictures: pictures),
        fileID: sourceLocation.fileID, line: sourceLocation.line, during: body)
    record(report, at: sourceLocation)
    return report
}

/// `expectNoGrowth` for an async block.
@discardableResult
public func expectNoGrowth(
    in heap: ManagedHeap, repetitions: Int = 5, warmup: Int = 1, allowing allowedTypes: Set<String> = [],
    pictures: PictureOptions = .default, isolation: isolated (any Actor)? = #isolation,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: (Int) async throws -> Void
) async rethrows -> GrowthReport? {
    if let problem = growthArgumentProblem(repetitions: repetitions, warmup: warmup) {
        Issue.record(Comment(rawValue: problem.message), sourceLocation: sourceLocation)
        return nil
    }
    let snapshots = try await heap.growthSnapshots(repetitions: repetitions, warmup: warmup, body)
    let report = GrowthReport(
        validSnapshots: snapshots, options: HeapCheckOptions(allowedTypes: allowedTypes, pictures: pictures),
        origin: CheckOrigin(fileID: sourceLocation.fileID, line: sourceLocation.line))
    record(report, at: sourceLocation)
    return report
}
