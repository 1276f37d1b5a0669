// CommandBehaviourTests — what the goldens do not show: the content of `cycles --json` against the
// hand-worked answer for small.json, exit statuses for CI, conversion round trips, rendering through
// the worker process, help and completion scripts, and that hostile heap text never reaches the terminal raw.
import Foundation
import Testing

@Suite struct CommandBehaviourTests {
    let small = "\(inputs)/small.json"

    /// small.json by hand: 1 (root) → 2 → 10, 11 and 1 → 3 ⇄ 4 and 1 → 50 are alive; 20 → 21 → 20,
    /// 21 → 22 → 20 is a garbage cycle keeping 23 alive; 30 refers to itself; 40 has refcount 0.
    @Test func cyclesJSONNamesGarbageAndCyclesByID() throws {
        let result = try Heapscan.run(["cycles", "--json", small])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["garbage"] as? [UInt64]) == [20, 21, 22, 23, 30, 40])
        let cycles = try #require(json["cycles"] as? [[String: Any]])
        #expect(cycles.count == 2)
        #expect(Set(cycles[0]["members"] as? [UInt64] ?? []) == [20, 21, 22])
        #expect(cycles[0]["hangers"] as? [UInt64] == [23])
        #expect(cycles[0]["retained"] as? UInt64 == 128 + 64 + 64 + 1024)
        #expect((cycles[0]["members"] as? [UInt64])?.first == cycles[0]["root"] as? UInt64)
        #expect(cycles[1]["members"] as? [UInt64] == [30] && cycles[1]["root"] as? UInt64 == 30)
        for cycle in cycles { #expect((cycle["signature"] as? String)?.count == 16) }
        #expect(json["acyclicGarbage"] as? [UInt64] == [40])
    }

    @Test func cyclesExitStatusGatesCI() throws {
        #expect(try Heapscan.run(["cycles", small]).status == 1)
        #expect(try Heapscan.run(["cycles", "\(inputs)/before.json"]).status == 0)
        #expect(try Heapscan.run(["cycles", "--json", "\(inputs)/before.json"]).status == 0)
    }

    @Test func convertRoundTripsThroughBothFormats() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("small.heap").path
        let json = folder.appendingPathComponent("again.json").path
        let toBinary = try Heapscan.run(["convert", small, binary])
        #expect(toBinary.status == 0 && toBinary.stdout.contains("13 objects, 13 references"))
        #expect(try Heapscan.run(["convert", binary, json]).status == 0)
        let forced = folder.appendingPathComponent("forced.data").path
        #expect(try Heapscan.run(["convert", "--to", "json", binary, forced]).status == 0)
        #expect(try String(contentsOfFile: forced, encoding: .utf8).hasPrefix("{"))
        // The same report from the original, the binary dump and the JSON written back.
        let reports = try [small, binary, json].map { try Heapscan.run(["cycles", "--json", $0]).stdout }
        #expect(reports[0] == reports[1] && reports[1] == reports[2])
    }

    @Test func graphRendersSVGInTheWorkerProcess() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("cycle.svg").path
        let result = try Heapscan.run(["graph", small, "-o", svg, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("<svg") && text.contains("</svg>"))
        for id in ["#20", "#21", "#22", "#23"] { #expect(text.contains(id), "node \(id) drawn") }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["format"] as? String == "svg" && json["nodes"] as? Int == 4)
    }

    @Test func renderWorkerReadsDOTFromStdin() throws {
        let result = try Heapscan.run(["render-worker"], stdin: Data("digraph { a -> b }".utf8))
        #expect(result.status == 0)
        #expect(result.stdout.contains("<svg"))
        let broken = try Heapscan.run(["render-worker"], stdin: Data("digraph { a -> ".utf8))
        #expect(broken.status != 0 && !broken.stderr.isEmpty)
    }

    /// The tail of the 5,000-object chain (App → 5,000 list nodes): a path of 5,000 steps and a drawing of its chain, with no
    /// recursion anywhere to overflow.
    @Test func longChainsAreWalkedIteratively() throws {
        let tail = fixtureID("long-chain", label: "tail")
        let path = try Heapscan.run(["path", "--json", "fixtures/long-chain.heap", tail])
        #expect(path.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(path.stdout.utf8)) as? [String: Any])
        let steps = try #require((json["paths"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]])
        #expect(steps.count == 5_000)
        #expect((steps.last?["id"] as? UInt64).map(String.init) == tail)
        let dot = try Heapscan.run(["graph", "fixtures/long-chain.heap", tail, "--chain"])
        #expect(dot.status == 0 && dot.stdout.hasPrefix("// heapscan: 5001 nodes"), "\(dot.stdout.prefix(80))")
    }

    /// Ids are 64-bit: the largest one survives into JSON digit for digit and is accepted in hex.
    @Test func largestIDIsKeptExactly() throws {
        let result = try Heapscan.run(["cycles", "--json", "\(inputs)/max-id.json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"garbage\" : [\n    18446744073709551615\n  ]"))
        let path = try Heapscan.run(["path", "\(inputs)/max-id.json", "0xffffffffffffffff"])
        #expect(path.status == 0 && path.stdout.hasPrefix("<A #18446744073709551615> is garbage"))
    }

    @Test func graphWithoutCyclesOrIDsSaysWhatToDo() throws {
        let result = try Heapscan.run(["graph", "\(inputs)/before.json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no garbage cycles to draw"))
    }

    @Test func hostileHeapTextNeverReachesTheTerminalRaw() throws {
        for command in ["summary", "types", "cycles", "retainers"] {
            let result = try Heapscan.run([command, "\(inputs)/hostile.json"])
            let bytes = Array(result.stdout.utf8)
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x0D), "no ESC or CR in \(command)")
            #expect(!result.stdout.unicodeScalars.contains("\u{202E}"), "no bidi override in \(command)")
            // Every line is one the command wrote: the newline inside the site did not start a line.
            #expect(!result.stdout.contains("\nFAKE LINE"))
        }
    }

    /// The graph caption holds raw heap text, escaped once where it is written: DOT for the picture,
    /// JSON for `--json` (a terminal-escaped caption would show `\\u{1B}` in both).
    @Test func graphCaptionIsEscapedOnceWhereWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-caption-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dot = folder.appendingPathComponent("hostile.dot").path
        let result = try Heapscan.run(["graph", "\(inputs)/hostile.json", "7", "--depth", "1", "-o", dot, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let caption = try #require(json["caption"] as? String)
        #expect(caption.hasPrefix("References from <Evil\u{1B}[31mRed\u{1B}[0m #7 \"\u{202E}gnp.exe\">"), "\(caption)")
        let text = try String(contentsOfFile: dot, encoding: .utf8)
        #expect(text.contains("References from &lt;Evil\\\\u{1B}&#91;31mRed"), "DOT caption escaped once")
        #expect(!text.contains("\\\\\\\\u{1B}"), "DOT caption not escaped twice")
    }

    @Test func helpHasExamplesAndCompletionScriptsExist() throws {
        let help = try Heapscan.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("Examples:") && help.stdout.contains("cycles"))
        for command in ["summary", "stats", "types", "cycles", "retainers", "path", "diff", "graph", "convert"] {
            let sub = try Heapscan.run([command, "--help"])
            #expect(sub.status == 0 && sub.stdout.contains("Examples:"), "\(command) --help")
        }
        #expect(!help.stdout.contains("render-worker"), "the worker command is hidden")
        for shell in ["bash", "zsh", "fish"] {
            let script = try Heapscan.run(["--generate-completion-script", shell])
            #expect(script.status == 0 && script.stdout.contains("heapscan") && script.stdout.contains("cycles"), "\(shell)")
        }
        #expect(try Heapscan.run(["--version"]).stdout == "0.1.0\n")
    }
}
