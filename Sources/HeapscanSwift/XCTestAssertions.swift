// XCTestAssertions — `XCTAssertNoLeaks { }` for plain Swift objects: the XCTest twin of `expectNoLeaks`,
// failing with the same CycleReport message. Compiled only where XCTest exists.
#if canImport(XCTest)
import HeapTesting
import XCTest

/// Fails the current XCTest test when `body` leaves Swift objects alive only through cycles among
/// themselves (see `expectNoLeaks`); also fails when the hook cannot be installed.
@discardableResult
public func XCTAssertNoLeaks(
    allowing allowedTypes: Set<String> = [], tolerance: Int = 0, pictures: PictureOptions = .default,
    file: StaticString = #filePath, fileID: String = #fileID, line: UInt = #line, _ body: () throws -> Void
) rethrows -> CycleReport? {
    do { try SwiftHeap.install() } catch {
        XCTFail(error.message, file: file, line: line)
        return nil
    }
    let report = try SwiftHeap.blockReport(
        options: HeapCheckOptions(allowedTypes: allowedTypes, tolerance: tolerance, pictures: pictures),
        origin: CheckOrigin(fileID: fileID, line: Int(line)), during: body)
    if !report.passed { XCTFail(report.message, file: file, line: line) }
    return report
}
#endif
