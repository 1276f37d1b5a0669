// Expectations — `expectNoLeaks { }` for plain Swift objects (Swift Testing) and the report behind it:
// snapshot the objects allocated in the block, and report the cycles nothing outside holds, through
// HeapTesting's CycleReport (same text, tree, signature and picture as the ManagedHeap checks).
import HeapGraph
import HeapTesting
import Testing

extension SwiftHeap {
    /// Runs `body` and reports the objects it allocated that are alive only through reference cycles
    /// among themselves (strong counts all explained by references inside the cycle and its hangers).
    /// Installs the hook if needed.
    /// - Throws: ``SwiftHeapError`` when the hook cannot be installed, or what `body` throws.
    public static func leakReport(
        options: HeapCheckOptions = .default, fileID: String = #fileID, line: Int = #line, during body: () throws -> Void
    ) throws -> CycleReport {
        try install()
        return try blockReport(options: options, origin: CheckOrigin(fileID: fileID, line: line), during: body)
    }

    /// The report of `body` with the hook installed: a mark, the block, a snapshot of what it allocated
    /// on this thread that is still alive, and a new mark so later objects are not the block's.
    static func blockReport(options: HeapCheckOptions, origin: CheckOrigin, during body: () throws -> Void) rethrows -> CycleReport {
        let mark = mark()
        try body()
        let after = snapshot(since: mark, allocatedOnThisThread: true)
        _ = SwiftHeap.mark()
        return CycleReport(before: emptySnapshot, after: after, options: options, origin: origin)
    }

    /// An empty snapshot under the same liveness rule: nothing was garbage before the block.
    static var emptySnapshot: HeapSnapshot {
        var builder = HeapSnapshot.Builder()
        builder.liveness = .refcount
        builder.runtime = runtimeName
        do { return try builder.build(unknownReferences: .drop) } catch {
            preconditionFailure("HeapscanSwift: an empty snapshot cannot fail: \(error)")
        }
    }
}

/// Expects `body` to leave no Swift objects alive only through cycles among themselves — a parent and
/// child holding each other, a stored closure capturing `self` — once it returns. Objects the block
/// allocated that something outside still holds (a local, a global, an older object) are not leaks.
///
/// ```swift
/// @Test func closeDoesNotLeak() {
///     expectNoLeaks {
///         let connection = Connection()
///         connection.onClose = { [weak connection] in connection?.log("closed") }
///     }
/// }
/// ```
/// Records an issue when the hook cannot be installed (unsupported toolchain or platform).
/// - Parameters:
///   - allowedTypes: type names whose cycles are not counted.
///   - tolerance: leaked objects accepted before the expectation fails.
@discardableResult
public func expectNoLeaks(
    allowing allowedTypes: Set<String> = [], tolerance: Int = 0, pictures: PictureOptions = .default,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) rethrows -> CycleReport? {
    do {
        try SwiftHeap.install()
    } catch {
        Issue.record(Comment(rawValue: error.message), sourceLocation: sourceLocation)
        return nil
    }
    let report = try SwiftHeap.blockReport(
        options: HeapCheckOptions(allowedTypes: allowedTypes, tolerance: tolerance, pictures: pictures),
        origin: CheckOrigin(fileID: sourceLocation.fileID, line: sourceLocation.line), during: body)
    if !report.passed { Issue.record(Comment(rawValue: report.message), sourceLocation: sourceLocation) }
    return report
}
