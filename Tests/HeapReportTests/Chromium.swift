// Chromium — runs Browser/report_browser.py (headless Chromium through chromedriver) on a report and
// decodes the facts it reports. Screenshots are kept in the temporary folder, named after the test.
import Foundation
import Testing

/// What the browser saw on a report page.
struct PageFacts: Decodable {
    struct Census: Decodable {
        var tags: [String: Int]
        var handlerAttributes: [String]
        var violations: [String]
        var dialogs: Int
        var pwned: String?
        var title: String
    }
    struct Picture: Decodable { var decoded: Bool; var svg: Bool }
    struct Expanded: Decodable { var children: Int; var more: Int; var aria: String }
    struct Panel: Decodable { var title: String; var headings: [String]; var pathItems: Int; var links: Int }
    var painted_ms: Double
    var sections: [String]
    var text_length: Int
    var body_text: String
    var cycle_articles: Int
    var cycle_svgs: [Picture]
    var suspects: Int
    var type_rows: Int
    var site_rows: Int
    var comparison_rows: Int
    var root_nodes: Int
    var before: Census
    var expanded: Expanded
    var link_text: String
    var panel: Panel
    struct Links: Decodable { var ok: Int; var bad: [String] }
    var links_checked: Links
    struct PanelLink: Decodable { var expected: String; var got: String }
    var panel_link: PanelLink
    struct Sorted: Decodable { var descending: [Int]; var ascending: [Int] }
    var sorted: Sorted
    var panel_closed: Bool
    var filtered_rows: Int
    var after: Census
}

enum Chromium {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Browser/report_browser.py")
    static let screenshots = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-report-screenshots")

    /// Writes `html` to a temporary file, opens it in headless Chromium and returns what it saw; the
    /// screenshot goes to `screenshots/<name>.png`.
    static func inspect(_ html: String, name: String) throws -> (facts: PageFacts, screenshot: URL) {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for tool in ["chromium", "chromedriver"] {
            try #require(
                path.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") },
                "\(tool) is not on PATH: scripts/setup installs chromium and chromium-driver")
        }
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let page = screenshots.appendingPathComponent("\(name).html")
        let shot = screenshots.appendingPathComponent("\(name).png")
        try Data(html.utf8).write(to: page)
        try? FileManager.default.removeItem(at: shot)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "inspect", page.path, shot.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "report_browser.py failed: \(String(decoding: errors, as: UTF8.self).suffix(2000))")
        return (try JSONDecoder().decode(PageFacts.self, from: data), shot)
    }
}
