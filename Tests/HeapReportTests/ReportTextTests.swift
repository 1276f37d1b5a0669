// ReportTextTests — the pieces the page's safety rests on, checked without a browser: the CSP hashes
// against Python's hashlib (run at test time), JSON escaping that cannot close the <script> block,
// HTML escaping, and a deterministic page.
import Foundation
import HeapGraph
import Testing

@testable import HeapReport

@Suite struct ReportTextTests {
    @Test func sha256MatchesKnownVectorsAndPythonsHashlib() throws {
        let hex = { (d: [UInt8]) in d.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.digest([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // The report's own script, hashed by Python (the oracle), must be what the policy names.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys,hashlib,base64; print(base64.b64encode(hashlib.sha256(sys.stdin.buffer.read()).digest()).decode())"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(ReportScript.text.utf8))
        try input.fileHandleForWriting.close()
        let python = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        #expect(SHA256.cspSource(of: ReportScript.text) == "'sha256-\(python)'")
    }

    @Test func jsonStringsCannotEndTheScriptBlock() throws {
        let nasty = "</script><!--<script>\u{2028}\u{2029}&amp;>\"\\\u{0}\u{1F}\u{7F}é🐛"
        var buffer = JSONBuffer()
        buffer.array([nasty, "plain"]) { $0.string($1) }
        let text = String(decoding: buffer.bytes, as: UTF8.self)
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] { #expect(!text.contains(forbidden)) }
        let decoded = try JSONSerialization.jsonObject(with: Data(buffer.bytes)) as? [String]
        #expect(decoded == [nasty, "plain"])
    }

    @Test func htmlEscapingCoversTextAndAttributes() {
        #expect(ReportText.html("<a href=\"x\" title='y'>&</a>") == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        #expect(ReportText.html("plain text") == "plain text")
        #expect(ReportText.html("bell\u{7}") == "bell\u{FFFD}")
    }

    @Test func pageIsDeterministicAndItsDataBlockIsInert() {
        let snapshot = ReportHeaps.app(hostile: true)
        let first = HeapReport.html(for: snapshot, options: .init(title: "x"))
        let second = HeapReport.html(for: snapshot, options: .init(title: "x"))
        #expect(first == second)
        // Exactly the page's own two scripts; no payload opened another or closed one early.
        #expect(first.components(separatedBy: "<script").count == 3)
        #expect(first.components(separatedBy: "</script>").count == 3)
        let data = first.components(separatedBy: "<script type=\"application/json\" id=\"heap-data\">")[1].components(separatedBy: "</script>")[0]
        #expect(!data.contains("<") && !data.contains(">"))
        #expect((try? JSONSerialization.jsonObject(with: Data(data.utf8))) != nil)
    }
}
