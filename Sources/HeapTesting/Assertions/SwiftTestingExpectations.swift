// SwiftTestingExpectations — the one-line heap assertions for Swift Testing: each runs a check and,
// when it fails, records an Issue whose comment is the report's message, at the caller's source
// location. Each returns the report so a test can look further.
import HeapGraph
import ManagedHeap
import Testing

/// Expects `body` to leave nothing alive that it created: snapshot before, run, snapshot after, and
/// every new object a collection would not free is a leak (type, site, count, chain of references).
///
/// ```swift
/// expectNoLeaks(in: heap) {
///     let document = try heap.make(documentType)
///     try load(document.ref)
/// }
/// ```
/// - Parameters:
///   - allowedTypes: type names whose new objects are not counted (listed in one line).
///   - tolerance: leaked objects accepted before the expectation fails.
///   - pictures: where the SVG of the failure goes (default: `$HEAPSCAN_ARTIFACTS_DIR` or a temporary directory).
@discardableResult
public func expectNoLeaks(
    in heap: ManagedHeap, allowing allowedTypes: Set<String> = [], tolerance: Int = 0,
    pictures: PictureOptions = .default, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) rethrows -> LeakReport {
    let report = try heap.leakReport(
        options: HeapCheckOptions(allowedTypes: allowedTypes, tolerance: tolerance, pictures: pictures),
        fileID: sourceLocation.fileID, line: sourceLocation.line, during: body)
    record(report, at: sourceLocation)
    return report
}

/// Expects no instance of the type named `typeName` to be alive now (garbage that a collection
/// would free does not count); otherwise reports each survivor's site and the chain keeping it alive.
@discardableResult
public func expectNoInstances(
    of typeName: String, in heap: ManagedHeap, tolerance: Int = 0, pictures: PictureOptions = .default,
    sourceLocation: SourceLocation = #_sourceLocation
) -> SurvivorReport {
    let report = heap.survivorReport(
        ofType: typeName, options: HeapCheckOptions(tolerance: tolerance, pictures: pictures),
        fileID: sourceLocation.fileID, line: sourceLocation.line)
    record(report, at: sourceLocation)
    return report
}

/// Expects no instance of `type` to be alive now; records an issue (and returns nil) when `type` is
/// not registered in `heap`.
@discardableResult
public func expectNoInstances(
    of type: TypeID, in heap: ManagedHeap, tolerance: Int = 0, pictures: PictureOptions = .default,
    sourceLocation: SourceLocation = #_sourceLocation
) -> SurvivorReport? {
    guard let descriptor = try? heap.descriptor(of: type) else {
        Issue.record("expectNoInstances: \(type) is not registered in this heap", sourceLocation: sourceLocation)
        return nil
    }
    return expectNoInstances(of: descriptor.name, in: heap, tolerance: tolerance, pictures: pictures, sourceLocation: sourceLocation)
}

/// Expects `body` to create no reference cycles: garbage cycles only the cycle collector could free,
/// caught before any collection hides them. Each is reported as a `leaks`-style tree with its root,
/// signature, allocation sites and a picture.
@discardableResult
public func expectNoCycles(
    in heap: ManagedHeap, allowing allowedTypes: Set<String> = [], tolerance: Int = 0,
    pictures: PictureOptions = .default, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) rethrows -> CycleReport {
    let report = try heap.cycleReport(
        options: HeapCheckOptions(allowedTypes: allowedTypes, tolerance: tolerance, pictures: pictures),
        fileID: sourceLocation.fileID, line: sourceLocation.line, during: body)
    record(report, at: sourceLocation)
    return report
}

/// Expects memory not to grow when `body` is repeated: after `warmup` runs and a baseline, `body` runs
/// `repetitions` times and a type whose live count rises in every round fails the expectation
/// (LeakCanary's rule). `body` gets the round number, from 0. Records an issue (and returns nil)
/// when `repetitions < 2` or `warmup < 0`.
@discardableResult
public func expectNoGrowth(
    in heap: ManagedHeap, repetitions: Int = 5, warmup: Int = 1, allowing allowedTypes: Set<String> = [],
    pictures: PictureOptions = .default, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (Int) throws -> Void
) rethrows -> GrowthReport? {
    if let problem = growthArgumentProblem(repetitions: repetitions, warmup: warmup) {
        Issue.record(Comment(rawValue: problem.message), sourceLocation: sourceLocation)
        return nil
    }
    let snapshots = try heap.growthSnapshots(repetitions: repetitions, warmup: warmup, body)
    let report = GrowthReport(
        validSnapshots: snapshots, options: HeapCheckOptions(allowedTypes: allowedTypes, pictures: pictures),
        origin: CheckOrigin(fileID: sourceLocation.fileID, line: sourceLocation.line))
    record(report, at: sourceLocation)
    return report
}

/// Records a failed report as an Issue at `sourceLocation` (the sync and async expectations share it).
func record(_ report: some HeapCheckReport, at sourceLocation: SourceLocation) {
    if !report.passed { Issue.record(Comment(rawValue: report.message), sourceLocation: sourceLocation) }
}
