// XCTestAssertionTests — the XCTest flavour: a failing assertion calls XCTFail with the report's
// message at the caller's file and line (captured by overriding recordFailure), a passing one does not.
#if canImport(XCTest)
import HeapTesting
import ManagedHeap
import XCTest

final class XCTestAssertionTests: XCTestCase {
    /// Failures recorded while `capturing` is on, instead of failing the test.
    private var captured: [(message: String, file: String, line: Int)] = []
    private var capturing = false

    #if os(Linux)
    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int, expected: Bool) {
        if capturing {
            captured.append((description, filePath, lineNumber))
        } else {
            super.recordFailure(withDescription: description, inFile: filePath, atLine: lineNumber, expected: expected)
        }
    }
    #endif

    func testLeakFailsAtCallerLineAndCleanCodePasses() throws {
        #if os(Linux)
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        capturing = true
        let line = #line + 1
        let report = try XCTAssertNoLeaks(in: heap, pictures: .disabled) { try app.openAndCloseScreen(unsubscribe: false) }
        try XCTAssertNoLeaks(in: heap, pictures: .disabled) { try app.openAndCloseScreen(unsubscribe: true) }
        let survivorLine = #line + 1
        XCTAssertNoInstances(of: "Screen", in: heap, pictures: .disabled)
        XCTAssertNoGrowth(in: heap, repetitions: 1) { _ in }
        capturing = false
        XCTAssertEqual(captured.count, 3)
        XCTAssertTrue(captured.first?.message.hasSuffix(report.message) ?? false)
        XCTAssertEqual(captured.first?.line, line)
        XCTAssertTrue(captured.first?.file.hasSuffix("XCTestAssertionTests.swift") ?? false)
        XCTAssertEqual(captured.dropFirst().first?.line, survivorLine)
        XCTAssertTrue(captured.last?.message.contains("repetitions must be at least 2") ?? false)
        #endif
    }

    func testCyclesAndGrowth() throws {
        #if os(Linux)
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        let cache = try CacheScenario(heap, capacity: nil)
        capturing = true
        try XCTAssertNoCycles(in: heap, pictures: .disabled) { _ = try tree.makeTree(children: 1) }
        try XCTAssertNoGrowth(in: heap, repetitions: 3, pictures: .disabled) { _ in try cache.lookUpNewKey() }
        try XCTAssertNoCycles(in: heap, pictures: .disabled) { _ = try tree.makeTree(children: 1, weakParents: true) }
        capturing = false
        XCTAssertEqual(captured.count, 2)
        XCTAssertTrue(captured.first?.message.contains("Created 1 reference cycle (2 objects") == true)
        XCTAssertTrue(captured.last?.message.contains("Memory grows: 2 types grew in every one of 3 rounds") == true)
        #endif
    }
}
#endif
