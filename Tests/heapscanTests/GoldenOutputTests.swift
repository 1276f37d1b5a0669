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
    both("diff-before-after", ["diff", before, after])
    cases.append(GoldenCase("graph-small-cycle.dot", ["graph", small]))
    cases.append(GoldenCase("graph-small-refs-1.dot", ["graph", small, "1", "--depth", "2", "--extra", "size,site"]))
    cases.append(GoldenCase("graph-small-backrefs-10.dot", ["graph", small, "10", "--backrefs"]))
    cases.append(GoldenCase("graph-small-chain-4.dot", ["graph", small, "4", "--chain"]))
    both("cycles-hostile", ["cycles", hostile], status: 1)
    cases.append(GoldenCase("types-hostile.txt", ["types", hostile]))
    return cases
}()

@Suite struct GoldenOutputTests {
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
