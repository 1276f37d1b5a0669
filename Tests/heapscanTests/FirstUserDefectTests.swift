// FirstUserDefectTests — what a first-time user tripped over (issue 18): `--top 0` is "all" in every
// command and never cuts the leak suspects; byte totals saturate instead of wrapping; empty type
// names are visible; negative and out-of-range option values get range errors; `path --to-type` of a
// type the dump lacks is an error; a long chain prints its ends unless `--all-steps`.
import Foundation
import Testing

@Suite struct FirstUserDefectTests {
    let leaking = "fixtures/leak-from-cycle.heap"

    /// Writes `text` to a fresh scratch file and returns its path; the folder is removed by `cleanUp`.
    final class Scratch {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-user-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        func file(_ name: String, _ text: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    @Test func topZeroMeansAllEverywhere() throws {
        let json = { (arguments: [String]) throws -> [String: Any] in
            let result = try Heapscan.run(arguments + ["--json"])
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }
        let summary = try json(["summary", "--top", "0", leaking])
        #expect((summary["topCycles"] as? [Any])?.count == 1)
        #expect((summary["topTypes"] as? [Any])?.count == summary["types"] as? Int)
        #expect(((summary["topRetainers"] as? [Any])?.count ?? 0) > 0)
        #expect(((summary["leakSuspects"] as? [Any])?.count ?? 0) > 0, "suspects are never cut by --top")
        let text = try Heapscan.run(["summary", "--top", "0", leaking]).stdout
        #expect(!text.contains("garbage cycles: 1\n  none") && text.contains("<Session #3>"))
        let retainers = try json(["retainers", "--top", "0", "fixtures/growth-after.heap"])
        let all = try json(["retainers", "--top", "100000", "fixtures/growth-after.heap"])
        #expect((retainers["retainers"] as? [Any])?.count == (all["retainers"] as? [Any])?.count)
        #expect(((retainers["retainers"] as? [Any])?.count ?? 0) > 20)
        // Suspects in `summary` are the same whatever --top says.
        let one = try json(["summary", "--top", "1", "fixtures/diamond.heap"])
        let many = try json(["summary", "--top", "0", "fixtures/diamond.heap"])
        #expect((one["leakSuspects"] as? [Any])?.count == (many["leakSuspects"] as? [Any])?.count)
    }

    @Test func byteTotalsSaturate() throws {
        let scratch = try Scratch()
        let file = try scratch.file("huge.json", #"""
            {"heapscan":1,"objects":[
             {"id":1,"type":"Outer","size":18446744073709551615,"refcount":1,"refs":[{"to":2,"name":"inner"}]},
             {"id":2,"type":"Inner","size":18446744073709551615}]}
            """#)
        let result = try Heapscan.run(["retainers", "--json", file])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let live = try #require(json["live"] as? [String: Any])
        #expect(live["bytes"] as? UInt64 == UInt64.max, "saturated, not wrapped to 2^64 - 2")
        let retainers = try #require(json["retainers"] as? [[String: Any]])
        #expect(retainers.first?["id"] as? Int == 1, "the dominator ranks first")
        #expect(retainers.first?["retained"] as? UInt64 == UInt64.max)
        let summary = try Heapscan.run(["summary", file]).stdout
        #expect(summary.contains("2 objects, 16.0 EiB"))
    }

    @Test func emptyTypeNamesAreVisible() throws {
        let scratch = try Scratch()
        let file = try scratch.file("empty.json", #"{"heapscan":1,"objects":[{"id":10,"type":"","size":8,"refcount":1}]}"#)
        let types = try Heapscan.run(["types", file])
        #expect(types.stdout.contains("100.0%  (empty type name)\n"))
        let path = try Heapscan.run(["path", file, "10"])
        #expect(path.stdout == "held from outside (refcount) → <(empty type name) #10>\n")
        let json = try Heapscan.run(["types", "--json", file])
        #expect(json.stdout.contains(#""name" : """#), "JSON keeps the name exactly")
    }

    @Test(arguments: [
        (["summary", "--top", "-1"], "--top must be 0 or more (0 shows all), got -1"),
        (["types", "--top", "-3"], "--top must be 0 or more (0 shows all), got -3"),
        (["cycles", "--max-lines", "0"], "--max-lines must be 1 or more, got 0"),
        (["path", "--count", "-2"], "--count must be 1 or more, got -2"),
        (["retainers", "--threshold", "-0.1"], "--threshold must be from 0 to 1"),
        (["retainers", "--threshold", "1.5"], "--threshold must be from 0 to 1"),
        (["graph", "--depth", "-1"], "--depth must be 0 or more, got -1"),
    ])
    func outOfRangeValuesAreNamed(_ arguments: [String], _ says: String) throws {
        var full = arguments + [leaking]
        if arguments[0] == "path" { full.append("1") }
        let result = try Heapscan.run(full)
        #expect(result.status == 64)
        #expect(result.stderr.contains(says), "\(result.stderr)")
        #expect(!result.stderr.contains("Missing value"))
    }

    @Test func thresholdBoundsAreInclusive() throws {
        #expect(try Heapscan.run(["retainers", "--threshold", "0", leaking]).status == 0)
        #expect(try Heapscan.run(["retainers", "--threshold", "1", leaking]).status == 0)
    }

    @Test func pathToAnAbsentTypeIsAnError() throws {
        let result = try Heapscan.run(["path", "--to-type", "Nope", leaking, "1"])
        #expect(result.status == 2)
        #expect(result.stderr == "heapscan: \(leaking): no type named \"Nope\" in the dump (heapscan types lists them)\n")
    }

    @Test func longPathsAreShortenedInTheMiddle() throws {
        let short = try Heapscan.run(["path", "fixtures/long-chain.heap", "5002"])
        let lines = short.stdout.split(separator: "\n")
        #expect(lines.count == 1 + 10 + 1 + 10)
        #expect(lines[11] == "  ... 4980 more references ...")
        #expect(lines.last?.contains("#5002") == true)
        let full = try Heapscan.run(["path", "--all-steps", "fixtures/long-chain.heap", "5002"])
        #expect(full.stdout.split(separator: "\n").count == 5001, "the origin line and 5,000 steps")
        let json = try Heapscan.run(["path", "--json", "fixtures/long-chain.heap", "5002"])
        #expect(json.stdout.components(separatedBy: "\"field\"").count - 1 == 5000, "JSON lists every step")
    }
}
