// MappedJSONTests — a JSON file larger than the reader's release step (16 MiB) is read from the
// mapped file, its pages given back behind the parser, and an error near its end is still located
// exactly (locating re-reads the text from the start).
import Foundation
import HeapGraph
import Testing

@Suite struct MappedJSONTests {
    @Test func largeFileReadsAndLocatesLateErrors() throws {
        let n = 120_000
        let label = String(repeating: "x", count: 150)
        var text = "{\"heapscan\": 1, \"objects\": [\n"
        for i in 1...n {
            text += "{\"id\": \(i), \"type\": \"T\(i % 7)\", \"size\": 16, \"label\": \"\(label)\", \"refs\": [{\"to\": \(i % n + 1), \"name\": \"next\"}]},\n"
        }
        let good = text + "{\"id\": \(n + 1), \"type\": \"End\", \"size\": 1}]}\n"
        let bad = text + "{\"id\": \(n + 1), \"type\": \"End\", \"size\": 1, \"refs\": [{\"to\": 999999999}]}]}\n"
        #expect(good.utf8.count > 1 << 24)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let goodURL = folder.appendingPathComponent("good.json"), badURL = folder.appendingPathComponent("bad.json")
        try Data(good.utf8).write(to: goodURL)
        try Data(bad.utf8).write(to: badURL)
        let s = try HeapSnapshot.read(from: goodURL)
        #expect(s.objectCount == n + 1 && s.edgeCount == n && s.label(of: n - 1) == label)
        let error = #expect(throws: DumpError.self) { try HeapSnapshot.read(from: badURL) }
        #expect(error?.kind == .unknownReference(999_999_999))
        #expect(error?.jsonPath == "$.objects[\(n)].refs[0].to")
        let offset = try #require(error?.offset)
        #expect(Array(Array(bad.utf8)[offset..<(offset + 9)]) == Array("999999999".utf8))
    }
}
