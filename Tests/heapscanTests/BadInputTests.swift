// BadInputTests — unreadable input ends with exit status 2 and exactly one line on stderr that names
// the file; usage mistakes with ArgumentParser's status 64; never a crash or a partial report.
import Foundation
import Testing

@Suite struct BadInputTests {
    struct BadInput: Sendable, CustomTestStringConvertible {
        var path: String
        /// Text the error line must contain.
        var says: String
        var testDescription: String { path }
    }

    static let cases: [BadInput] = [
        BadInput(path: "\(inputs)/no-such-file.heap", says: "no such file"),
        BadInput(path: inputs, says: "is a directory"),
        BadInput(path: "\(inputs)/random.bin", says: "not a heap dump"),
        BadInput(path: "\(inputs)/wrong-shape.json", says: "$.objects"),
        BadInput(path: "\(inputs)/unknown-ref.json", says: "99"),
    ]

    @Test(arguments: cases, ["summary", "stats", "types", "cycles", "retainers", "convert"])
    func unreadableInputIsOneLineAndStatus2(_ bad: BadInput, command: String) throws {
        var arguments = [command, bad.path]
        if command == "convert" { arguments.append(FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-never-written.json").path) }
        let result = try Heapscan.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "exactly one line: \(result.stderr)")
        #expect(result.stderr.hasPrefix("heapscan: \(bad.path): "), "names the file as given: \(result.stderr)")
        #expect(result.stderr.contains(bad.says), "\(result.stderr)")
    }

    @Test func bothInputsOfDiffAreChecked() throws {
        let result = try Heapscan.run(["diff", "\(inputs)/before.json", "\(inputs)/random.bin"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("heapscan: \(inputs)/random.bin: "))
    }

    @Test func droppingUnknownReferencesWarnsAndReads() throws {
        let result = try Heapscan.run(["types", "--drop-unknown-refs", "\(inputs)/unknown-ref.json"])
        #expect(result.status == 0)
        #expect(result.stderr == "heapscan: \(inputs)/unknown-ref.json: warning: dropped $.objects[0].refs[0]: object 99 is not in the file\n")
        #expect(result.stdout.contains("1 type, 1 object"))
    }

    @Test func unknownIDIsStatus2() throws {
        let result = try Heapscan.run(["path", "\(inputs)/small.json", "999"])
        #expect(result.status == 2)
        #expect(result.stderr == "heapscan: \(inputs)/small.json: no object with id 999\n")
    }

    @Test(arguments: [
        ["types", "--top", "-1", "\(inputs)/small.json"],
        ["path", "\(inputs)/small.json", "not-an-id"],
        ["graph", "\(inputs)/small.json", "-o", "picture.jpeg"],
        ["graph", "\(inputs)/small.json", "1", "4", "--chain"],
        ["no-such-command"],
    ])
    func usageMistakesAreStatus64(_ arguments: [String]) throws {
        let result = try Heapscan.run(arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

/// Error lines quote at most 40 bytes of a token from the input (issue 19.5).
@Suite struct BoundedErrorLineTests {
    @Test func hugeNumbersAndNamesAreQuotedShort() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-bounded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let digits = String(repeating: "7", count: 1_000_000)
        let cases: [(String, String)] = [
            ("id", #"{"heapscan":1,"objects":[{"id":\#(digits),"type":"A","size":1}]}"#),
            ("to", #"{"heapscan":1,"objects":[{"id":1,"type":"A","size":1,"refs":[{"to":\#(digits)}]}]}"#),
            ("size", #"{"heapscan":1,"objects":[{"id":1,"type":"A","size":\#(digits)}]}"#),
        ]
        for (name, text) in cases {
            let file = folder.appendingPathComponent("\(name).json")
            try Data(text.utf8).write(to: file)
            let result = try Heapscan.run(["summary", file.path])
            #expect(result.status == 2)
            #expect(result.stderr.utf8.count < 300 + file.path.utf8.count, "bounded: \(result.stderr.utf8.count) bytes")
            #expect(result.stderr.contains("…(1000000 bytes)"), "\(result.stderr.prefix(300))")
            #expect(result.stderr.contains(String(repeating: "7", count: 40)) && !result.stderr.contains(String(repeating: "7", count: 41)))
        }
    }
}

/// Format detection looks past any amount of leading whitespace (issue 19.7).
@Suite struct LeadingWhitespaceTests {
    @Test(arguments: [0, 1, 63, 64, 65, 70_000, 200_000])
    func jsonAfterAnyWhitespaceIsRead(_ blanks: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-blank-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = try Data(contentsOf: Heapscan.repositoryRoot.appendingPathComponent("\(inputs)/small.json"))
        let expected = try Heapscan.run(["summary", "--json", "\(inputs)/small.json"]).stdout
        let whitespace = Data((0..<blanks).map { [0x20, 0x0A, 0x09, 0x0D][$0 % 4] })
        for (name, bytes) in [("plain", whitespace + small), ("bom", Data([0xEF, 0xBB, 0xBF]) + whitespace + small)] {
            let file = folder.appendingPathComponent("\(name).json")
            try bytes.write(to: file)
            let result = try Heapscan.run(["summary", "--json", file.path])
            #expect(result.status == 0, "\(name) after \(blanks) blanks: \(result.stderr)")
            #expect(result.stdout.replacingOccurrences(of: file.path, with: "\(inputs)/small.json") == expected)
        }
        // Whitespace alone, or whitespace before a byte order mark (which is only allowed first): one line.
        for (name, bytes) in [("blank", whitespace), ("late-bom", whitespace + Data([0xEF, 0xBB, 0xBF]) + small)] where blanks > 0 {
            let file = folder.appendingPathComponent("\(name).json")
            try bytes.write(to: file)
            let result = try Heapscan.run(["summary", file.path])
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("heapscan: \(file.path): ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }
}
