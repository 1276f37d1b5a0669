// ReportCommandTests — `heapscan report` as a user runs it: it writes one HTML page (with its policy
// and sections), adds the comparison with --baseline, and fails with one line and status 2 on bad input.
// What the page does in a browser is tested in Tests/HeapReportTests.
import Foundation
import Testing

@Suite struct ReportCommandTests {
    private func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func writesOnePageWithItsPolicyAndSections() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html").path
        let result = try Heapscan.run(["report", "\(inputs)/small.json", "-o", page])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("wrote \(page): "))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-"))
        for id in ["overview", "suspects", "cycles", "dominators", "types", "sites"] { #expect(html.contains("<section id=\"\(id)\">")) }
        #expect(!html.contains("<section id=\"comparison\">"))
        #expect(html.contains("data:image/svg+xml;base64,"))
        // Nothing that fetches: no http(s) URL anywhere in the page.
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test func cyclePictureIsWhatGraphDraws() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html").path
        let svg = folder.appendingPathComponent("cycle.svg").path
        #expect(try Heapscan.run(["report", "\(inputs)/small.json", "-o", page]).status == 0)
        #expect(try Heapscan.run(["graph", "\(inputs)/small.json", "-o", svg]).status == 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let prefix = "src=\"data:image/svg+xml;base64,"
        let start = try #require(html.range(of: prefix)).upperBound
        let end = try #require(html[start...].firstIndex(of: "\""))
        let embedded = try #require(Data(base64Encoded: String(html[start..<end])))
        #expect(embedded == (try Data(contentsOf: URL(fileURLWithPath: svg))))
    }

    @Test func baselineAddsTheComparison() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("growth.html").path
        let result = try Heapscan.run(["report", "\(inputs)/after.json", "--baseline", "\(inputs)/before.json", "-o", page])
        #expect(result.status == 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<section id=\"comparison\"><h2>Comparison with before.json</h2>"))
    }

    @Test func badInputIsOneLineAndStatus2() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("x.html").path
        for arguments in [
            ["report", "\(inputs)/missing.json", "-o", page],
            ["report", "\(inputs)/small.json", "--baseline", "\(inputs)/wrong-shape.json", "-o", page],
            ["report", "\(inputs)/small.json", "-o", folder.appendingPathComponent("no/such/dir/x.html").path],
        ] {
            let result = try Heapscan.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: page))
    }
}
