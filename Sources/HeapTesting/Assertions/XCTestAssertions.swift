// XCTestAssertions — the same heap assertions for XCTest: a failed check calls XCTFail with the
// report's message at the caller's file and line. Compiled only where XCTest exists.
#if canImport(XCTest)
import HeapGraph
import ManagedHeap
import XCTest

/// Fails the current XCTest test unless `body` leaves nothing alive that it created (see `expectNoLeaks`).
@discardableResult
public func XCTAssertNoLeaks(
    in heap: ManagedHeap, allowing allowedTypes: Set<String> = [], tolerance: Int = 0,
    pictures: PictureOptions = .default, file: StaticString = #filePath, fileID: String = #fileID, line: UInt = #line,
    _ body: () throws -> Void
) rethrows -> LeakReport {
    let report = try heap.leakReport(
        options: HeapCheckOptions(allowedTypes: allowedTypes, tolerance: tolerance, pictures: pictures),
        fileID: fileID, line: Int(line), during: body)
    fail(report, file: file, line: line)
    return report
}

/// Fails the current XCTest test if an instance of the type named `typeName` is alive (see `expectNoInstances`).
@discardableResult
public func XCTAssertNoInstances(
    of typeName: String, in heap: ManagedHeap, tolerance: Int = 0, pictures: PictureOptions = .default,
    file: StaticString = #filePath, fileID: String = #fileID, line: UInt = #line
) -> SurvivorReport {
    let report = heap.survivorReport(
        ofType: typeName, options: HeapCheckOptions(tolerance: tolerance, pictures: pictures), fileID: fileID, line: Int(line))
    fail(report, file: file, line: line)
    return report
}

/// Fails the current XCTest test if `body` creates reference cycles (see `expectNoCycles`).
@discardableResult
public func XCTAssertNoCycles(
    in heap: ManagedHeap, allowing allowedTypes: Set<String> = [], tolerance: Int = 0,
    pictures: PictureOptions = .default, file: StaticString = #filePath, fileID: String = #fileID, line: UInt = #line,
    _ body: () throws -> Void
) rethrows -> CycleReport {
    let report = try heap.cycleReport(
        options: HeapCheckOptions(allowedTypes: allowedTypes, tolerance: tolerance, pictures: pictures),
        fileID: fileID, line: Int(line), during: body)
    fail(report, file: file, line: line)
    return report
}

/// Fails the current XCTest test if a type grows in every one of `repetitions` rounds of `body`
/// (see `expectNoGrowth`); also fails (returning nil) for `repetitions < 2` or `warmup < 0`.
@discardableResult
public func XCTAssertNoGrowth(
    in heap: ManagedHeap, repetitions: Int = 5, warmup: Int = 1, allowing allowedTypes: Set<String> = [],
    pictures: PictureOptions = .default, file: StaticString = #filePath, fileID: String = #fileID, line: UInt = #line,
    _ body: (Int) throws -> Void
) rethrows -> GrowthReport? {
    if let problem = growthArgumentProblem(repetitions: repetitions, warmup: warmup) {
        XCTFail(problem.message, file: file, line: line)
        return nil
    }
    let snapshots = try heap.growthSnapshots(repetitions: repetitions, warmup: warmup, body)
    let report = GrowthReport(
        validSnapshots: snapshots, options: HeapCheckOptions(allowedTypes: allowedTypes, pictures: pictures),
        origin: CheckOrigin(fileID: fileID, line: Int(line)))
    fail(report, file: file, line: line)
    return report
}

private func fail(_ report: some HeapCheckReport, file: StaticString, line: UInt) {
    if !report.passed { XCTFail(report.message, file: file, line: line) }
}
#endif
