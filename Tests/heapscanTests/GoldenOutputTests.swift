// GoldenOutputTests — every command run on small inputs, text and JSON, compared byte for byte with
// the files in Golden/ (HEAPSCAN_UPDATE_GOLDEN=1 rewrites them), with the exit status each must give.
import Foundation
import Testing

/// One run of `heapscan` with its golden file and expected exit status.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    var golden: String
    var arguments: [String]
    var status: Int32

    init(_ golden: String, _ arguments: [String], status: Int32 = 0) {
        self.golden = golden
        self.arguments = arguments
        self.status = status
    }

    var testDescription: String { golden }
}

let inputs = "Tests/heapscanTests/Inputs"

/// The commands on the hand-written inputs, in text and in JSON.
let inputCases: [GoldenCase] = {
    let small = "\(inputs)/small.json"
    let before = "\(inputs)/before.json"
    let after = "\(inputs)/after.json"
    let hostile = "\(inputs)/hostile.json"
    var cases: [GoldenCase] = []
    func both(_ name: String, _ arguments: [String], status: Int32 = 0) {
        cases.append(GoldenCase("\(name).txt", arguments, status: status))
        cases.append(GoldenCase("\(name).json", arguments + ["--json"], status: status))
    }
    both("summary-small", ["summary", small])
    both("stats-small", ["stats", small])
    both("types-small", ["types", small])
    both("types-site-bytes-small", ["types", "--by", "site", "--sort", "bytes", "--top", "3", small])
    both("cycles-small", ["cycles", small], status: 1)
    both("cycles-before", ["cycles", before])
    cases.append(GoldenCase("cycles-by-signature-small.txt", ["cycles", "--by-signature", small], status: 1))
    both("retainers-small", ["retainers", small])
    both("path-small-4", ["path", small, "4"])
    both("path-small-garbage-23", ["path", small, "23"])
    both("path-small-to-type-entry", ["path", "--to-type", "Entry", small, "1"])
    both("diff-before-after", ["diff", before, after])
    cases.append(GoldenCase("graph-small-cycle.dot", ["graph", small]))
    cases.append(GoldenCase("graph-small-refs-1.dot", ["graph", small, "1", "--depth", "2", "--extra", "size,site"]))
    cases.append(GoldenCase("graph-small-backrefs-10.dot", ["graph", small, "10", "--backrefs"]))
    cases.append(GoldenCase("graph-small-chain-4.dot", ["graph", small, "4", "--chain"]))
    both("cycles-hostile", ["cycles", hostile], status: 1)
    both("summary-empty", ["summary", "\(inputs)/empty.json"])
    both("retainers-empty", ["retainers", "\(inputs)/empty.json"])
    cases.append(GoldenCase("types-hostile.txt", ["types", hostile]))
    both("objects-small-entry", ["objects", small, "--type", "Entry"])
    both("objects-small-garbage", ["objects", small, "--garbage"])
    both("show-small-4", ["show", small, "4"])
    both("show-small-garbage-21", ["show", small, "21"])
    both("paths-small-entry", ["paths", small, "--type", "Entry"])
    return cases
}()

/// The commands on the bundled fixtures (fixtures/README.md says what each shows).
let fixtureCases: [GoldenCase] = {
    var cases: [GoldenCase] = []
    func both(_ name: String, _ arguments: [String], status: Int32 = 0) {
        cases.append(GoldenCase("\(name).txt", arguments, status: status))
        cases.append(GoldenCase("\(name).json", arguments + ["--json"], status: status))
    }
    let leaking: Set = ["two-object-cycle", "self-loop", "leak-from-cycle"]
    for fixture in ["two-object-cycle", "self-loop", "leak-from-cycle", "diamond", "long-chain", "growth-after"] {
        let heap = "fixtures/\(fixture).heap"
        both("fixture-summary-\(fixture)", ["summary", heap])
        both("fixture-cycles-\(fixture)", ["cycles", heap], status: leaking.contains(fixture) ? 1 : 0)
    }
    both("fixture-summary-leaky-service-hprof", ["summary", "fixtures/leaky-service.hprof.gz"])
    both("fixture-stats-growth-after", ["stats", "fixtures/growth-after.heap"])
    both("fixture-types-growth-after", ["types", "--sort", "bytes", "fixtures/growth-after.heap"])
    both("fixture-retainers-diamond", ["retainers", "fixtures/diamond.heap"])
    both("fixture-retainers-growth-after", ["retainers", "--top", "5", "fixtures/growth-after.heap"])
    both("fixture-diff-growth", ["diff", "--top", "5", "fixtures/growth-before.heap", "fixtures/growth-after.heap"])
    both("fixture-path-diamond-bottom", ["path", "--count", "3", "fixtures/diamond.heap", fixtureID("diamond", label: "bottom")])
    both("fixture-path-leak-from-cycle-buffer", ["path", "fixtures/leak-from-cycle.heap", fixtureID("leak-from-cycle", label: "chunk 0")])
    cases.append(GoldenCase("fixture-graph-leak-from-cycle.dot", ["graph", "fixtures/leak-from-cycle.heap"]))
    cases.append(GoldenCase("fixture-graph-diamond-backrefs.dot", ["graph", "fixtures/diamond.heap", fixtureID("diamond", label: "bottom"), "--backrefs"]))
    cases.append(GoldenCase("fixture-graph-long-chain-collapsed.dot", ["graph", "fixtures/long-chain.heap", fixtureID("long-chain", label: "main app"), "--depth", "6", "--collapse"]))
    return cases
}()

/// The id of the object labelled `label` in a fixture, read from its JSON twin, so that the cases
/// follow the fixtures when they are regenerated; "0" (no such object) when it is not found.
func fixtureID(_ fixture: String, label: String) -> String {
    let url = Heapscan.repositoryRoot.appendingPathComponent("fixtures/\(fixture).json")
    guard let data = try? Data(contentsOf: url),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let objects = json["objects"] as? [[String: Any]],
        let object = objects.first(where: { $0["label"] as? String == label }),
        let id = object["id"] as? UInt64
    else { return "0" }
    return String(id)
}

@Suite struct GoldenOutputTests {
    @Test(arguments: fixtureCases)
    func fixtureOutputMatchesGolden(_ c: GoldenCase) throws {
        try commandOutputMatchesGolden(c)
    }

    /// A dump and its JSON twin are the same graph, so every report on them is the same.
    @Test(arguments: ["two-object-cycle", "self-loop", "leak-from-cycle", "diamond", "long-chain", "growth-before", "growth-after"])
    func binaryAndJSONTwinsGiveTheSameReports(_ fixture: String) throws {
        for command in [["cycles", "--json"], ["retainers", "--json"], ["types", "--by", "site"]] {
            let heap = try Heapscan.run(command + ["fixtures/\(fixture).heap"])
            let json = try Heapscan.run(command + ["fixtures/\(fixture).json"])
            #expect(heap.status == json.status && heap.stdout == json.stdout, "\(command) on \(fixture)")
        }
    }

    @Test(arguments: inputCases)
    func commandOutputMatchesGolden(_ c: GoldenCase) throws {
        let result = try Heapscan.run(c.arguments)
        #expect(result.status == c.status, "exit status of heapscan \(c.arguments.joined(separator: " ")); stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty, "stderr: \(result.stderr)")
        try Golden.check(result.stdout, c.golden)
        if c.golden.hasSuffix(".json") {
            #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "output is JSON")
        }
    }

    @Test func sameInputGivesSameBytes() throws {
        let first = try Heapscan.run(["cycles", "--json", "\(inputs)/small.json"])
        let second = try Heapscan.run(["cycles", "--json", "\(inputs)/small.json"])
        #expect(first.stdout == second.stdout)
    }
}
