// JSONReaderStepTests — the JSON reader's three steps, each alone: the byte scanner, the schema
// (file-order columns, ids unresolved) and id resolution (positions, duplicates, unknown ids).
import Foundation
@testable import HeapGraph
import Testing

@Suite struct JSONReaderStepTests {
    func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try Array(text.utf8).withUnsafeBufferPointer(body)
    }

    @Test func scannerReadsTokensAndSkipsNestedValuesWithoutRecursion() throws {
        try withBytes(#"  "a\u00e9\n" 18446744073709551615 [1, {"k": [true, null]}, -2.5e3] null"#) { bytes in
            var scan = JSONScanner(bytes: bytes, file: nil)
            #expect(try scan.stringValue("s") == "aé\n")
            #expect(try scan.integer("n") == UInt64.max)
            try scan.skipValue()
            #expect(try scan.isNull())
            scan.skipWhitespace()
            #expect(scan.i == bytes.count)
        }
        let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        try withBytes(deep) { bytes in
            var scan = JSONScanner(bytes: bytes, file: nil)
            try scan.skipValue()
            #expect(scan.i == bytes.count)
        }
    }

    @Test func scannerErrorsSayWhereAndWhat() {
        withBytes(#"{"x": "\ud800"}"#) { bytes in
            var scan = JSONScanner(bytes: bytes, file: "f.json")
            scan.location.top = "x"
            let error = #expect(throws: DumpError.self) { try scan.skipValue() }
            #expect(error?.offset == 7 && error?.jsonPath == "$.x" && error?.kind == .jsonSyntax)
        }
        withBytes("18446744073709551616") { bytes in
            var scan = JSONScanner(bytes: bytes, file: nil)
            let error = #expect(throws: DumpError.self) { _ = try scan.integer("id") }
            #expect(error?.kind == .jsonShape && error?.offset == 0)
        }
    }

    @Test func schemaFillsFileOrderColumnsWithIdsUnresolved() throws {
        let text = #"{"heapscan": 1, "liveness": "roots", "objects": [{"id": 9, "type": "A", "size": 1, "refs": [{"to": 3, "kind": "weak"}, {"to": 77}]}, {"id": 3, "type": "B", "size": 2, "detached": true}], "roots": [{"to": 9, "kind": "thread"}]}"#
        try withBytes(text) { bytes in
            var parser = JSONGraphParser(bytes: bytes, file: nil)
            try parser.parse()
            let d = parser.document
            #expect(d.ids == [9, 3] && d.refTargets == [3, 77] && d.fileEdgeStarts == [0, 2, 2])
            #expect(d.refKinds == [.weak, .strong] && d.rootKinds == [.thread] && d.liveness == .roots)
            #expect(d.detachedObjects == [1])
        }
    }

    @Test func resolutionReportsUnknownIdsAtTheirPathOrDropsThem() throws {
        let text = #"{"heapscan": 1, "objects": [{"id": 9, "type": "A", "size": 1, "refs": [{"to": 3}, {"to": 77}]}, {"id": 3, "type": "B", "size": 2}]}"#
        try withBytes(text) { bytes in
            var parser = JSONGraphParser(bytes: bytes, file: nil)
            try parser.parse()
            var warnings: [DumpWarning] = []
            let error = #expect(throws: DumpError.self) {
                try parser.document.snapshot(unknownReferences: .reject, warnings: &warnings, scan: parser.scan)
            }
            #expect(error?.jsonPath == "$.objects[0].refs[1].to" && error?.kind == .unknownReference(77))
            let s = try parser.document.snapshot(unknownReferences: .drop, warnings: &warnings, scan: parser.scan)
            #expect(s.ids == [3, 9] && s.edgeCount == 1 && warnings.count == 1)
        }
    }
}
