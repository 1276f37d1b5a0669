// ReportPage — the HTML text of the report: the head with its Content-Security-Policy, the sections
// written here (overview, cycles with their pictures) and the containers the script fills, then the
// data block and the script. Heap text is escaped with ReportText.html; nothing else writes markup.
import Foundation
import HeapAnalysis
import HeapGraph

struct ReportPage {
    let html: String

    init(_ analyses: Analyses, selection: ObjectSelection, options: HeapReport.Options, pictures: [CyclePicture], data: String) {
        let script = ReportScript.text
        let style = ReportStyle.text
        // Only this script and this style run; images only from data: URLs (the cycle pictures); no
        // connection, frame, font, form or base URL of any kind.
        let policy = "default-src 'none'; script-src \(SHA256.cspSource(of: script)); style-src \(SHA256.cspSource(of: style)); "
            + "img-src data:; base-uri 'none'; form-action 'none'"
        let page = PageBuilder(analyses, selection: selection, options: options)
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(policy)">
            <meta name="referrer" content="no-referrer">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>heapscan report: \(ReportText.html(options.title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><h1>heapscan report</h1><p class="file">\(ReportText.html(options.title))</p>
            <nav>\(page.navigation)</nav></header>
            <main>

            """
        out += page.overview
        out += page.section("suspects", "Leak suspects", intro: page.suspectsIntro)
        out += page.cycles(pictures)
        out += page.section("dominators", "Dominator tree", intro: page.dominatorIntro)
        out += page.section("types", "Types", intro: "<p>Objects of each type; retained: what freeing every live object of the type would free. Click a heading to sort.</p>")
        out += page.section("sites", "Allocation sites", intro: "<p>Objects by the place that allocated them.</p>")
        if options.baseline != nil {
            out += page.section("comparison", "Comparison with \(ReportText.html(options.baselineTitle))", intro: "")
        }
        out += """
            </main>
            <aside id="panel" hidden><button type="button" id="panel-close" title="Close">×</button><div id="panel-body"></div></aside>
            <footer>Written by heapscan. Self-contained: no network, no other script (Content-Security-Policy).</footer>
            <script type="application/json" id="heap-data">\(data)</script>
            <script>\(script)</script>
            </body>
            </html>

            """
        html = out
    }
}

/// The sections written as HTML by Swift.
private struct PageBuilder {
    let analyses: Analyses
    let selection: ObjectSelection
    let options: HeapReport.Options
    var snapshot: HeapSnapshot { analyses.snapshot }

    init(_ analyses: Analyses, selection: ObjectSelection, options: HeapReport.Options) {
        self.analyses = analyses
        self.selection = selection
        self.options = options
    }

    var navigation: String {
        var items = [("overview", "Overview"), ("suspects", "Leak suspects"), ("cycles", "Cycles"), ("dominators", "Dominator tree"),
                     ("types", "Types"), ("sites", "Sites")]
        if options.baseline != nil { items.append(("comparison", "Comparison")) }
        return items.map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined(separator: " ")
    }

    func section(_ id: String, _ title: String, intro: String) -> String {
        "<section id=\"\(id)\"><h2>\(title)</h2>\(intro)<div class=\"content\" id=\"\(id)-content\"></div></section>\n"
    }

    var suspectsIntro: String {
        "<p>Objects retaining more than \(Self.percent(options.suspectThreshold)) of the live heap (Eclipse MAT's leak suspects); "
            + "the accumulation point is where the bytes spread over many smaller objects.</p>"
    }

    var dominatorIntro: String {
        var text = "<p>Who keeps whom alive: each object under the one every chain from a root passes through. "
            + "Children by retained size, with the share of the whole heap (\(HeapText.bytes(snapshot.totalBytes))). Click ▸ to expand.</p>"
        if !selection.complete {
            text += "<p class=\"note\">This dump has \(Self.count(snapshot.objectCount)) objects: the report embeds the "
                + "\(Self.count(options.detailedObjects)) largest retainers with their details, and counts the rest.</p>"
        }
        return text
    }

    /// A link to embedded object `v`, or its plain description if it is not embedded.
    func link(_ v: Int, brackets: Bool = false) -> String {
        let text = ReportText.html(Self.describe(v, in: snapshot))
        let (open, close) = brackets ? ("&lt;", "&gt;") : ("", "")
        guard selection.localNumber(of: v) != nil else { return "\(open)<span class=\"o\">\(text)</span>\(close)" }
        return "\(open)<a class=\"o\" href=\"#o-\(snapshot.ids[v])\">\(text)</a>\(close)"
    }

    static func describe(_ v: Int, in snapshot: HeapSnapshot) -> String {
        var text = "\(snapshot.typeName(of: v)) #\(snapshot.ids[v])"
        if let label = snapshot.label(of: v) { text += " \"\(label)\"" }
        return text
    }

    var overview: String {
        let s = snapshot
        let d = analyses.dominators
        let leaks = analyses.leaks
        let total = s.totalBytes
        let garbageBytes = s.bytes(of: leaks.garbage)
        let inCycles = leaks.cycles.reduce(0) { $0 + $1.members.count + $1.hangers.count }
        let cycleBytes = leaks.cycles.reduce(UInt64(0)) { $0 &+ $1.retainedBytes }
        func row(_ name: String, _ count: Int, _ bytes: UInt64?, id: String) -> String {
            let b = bytes.map { "<td class=\"num\">\(HeapText.bytes($0))</td><td class=\"num\">\(Self.percent($0, of: total))</td>" } ?? "<td></td><td></td>"
            return "<tr id=\"overview-\(id)\"><th scope=\"row\">\(name)</th><td class=\"num\">\(Self.count(count))</td>\(b)</tr>"
        }
        var out = "<section id=\"overview\"><h2>Overview</h2>\n<table class=\"overview\"><thead><tr><th></th><th>objects</th><th>bytes</th><th>share</th></tr></thead><tbody>"
        out += row("all objects", s.objectCount, total, id: "all")
        out += row("live", d.liveCount, d.liveBytes, id: "live")
        out += row(ReportText.html(analyses.garbageWord), leaks.garbage.count, garbageBytes, id: "garbage")
        out += row("in or kept alive by cycles", inCycles, cycleBytes, id: "cycles")
        out += row("held from outside (roots)", selection.held.reduce(0) { $0 + ($1 ? 1 : 0) }, nil, id: "held")
        out += "</tbody></table>\n<p>"
        if let runtime = s.runtime { out += "Runtime: \(ReportText.html(runtime)). " }
        out += "Liveness rule: \(s.liveness == .roots ? "reachable from roots (a tracing runtime)" : "held from outside by roots or refcounts (CPython's)"). "
        out += "\(Self.count(s.edgeCount)) retaining and \(Self.count(s.weakEdgeCount)) non-retaining references, \(Self.count(s.roots.count)) roots, "
        out += "\(Self.count(s.typeNames.count)) types, \(Self.count(s.sites.count)) allocation sites; "
        out += "\(Self.count(leaks.cycles.count)) \(leaks.cycles.count == 1 ? "cycle" : "cycles"), "
        out += "\(Self.count(analyses.suspects.count)) leak \(analyses.suspects.count == 1 ? "suspect" : "suspects").</p>"
        if analyses.garbageWord != "garbage" {
            out += "<p class=\"note\">This runtime traces from its roots: what no root reaches is unreachable, awaiting collection — not a leak.</p>"
        }
        return out + "</section>\n"
    }

    func cycles(_ pictures: [CyclePicture]) -> String {
        let leaks = analyses.leaks
        let word = analyses.garbageWord
        var out = "<section id=\"cycles\"><h2>\(word == "garbage" ? "Garbage cycles" : "Unreachable cycles (awaiting collection)")</h2>\n"
        let members = leaks.cycles.reduce(0) { $0 + $1.members.count }
        out += "<p>\(Self.count(leaks.cycles.count)) \(leaks.cycles.count == 1 ? "cycle" : "cycles") of \(Self.count(members)) objects, "
        out += "ranked by the bytes they keep alive; \(Self.count(leaks.garbage.count - members)) \(ReportText.html(word)) objects are outside cycles."
        if !pictures.isEmpty { out += " The largest \(pictures.count) are drawn as <code>heapscan graph --cycle N</code> draws them." }
        out += "</p>\n<div class=\"content\" id=\"cycles-content\">"
        for (i, p) in pictures.enumerated() {
            let c = p.cycle
            out += "<article class=\"cycle\" id=\"cycle-\(i + 1)\"><h3>Cycle \(i + 1) of \(Self.count(leaks.cycles.count)): "
            out += "\(Self.count(c.members.count)) members, \(Self.count(c.hangers.count)) kept alive, \(HeapText.bytes(c.retainedBytes)) retained</h3>\n"
            out += "<p>Root: \(link(c.root)) · signature <code>\(ReportText.html(c.signature))</code></p>\n"
            if let svg = p.svg {
                out += "<figure><img class=\"cycle-svg\" alt=\"Cycle \(i + 1): \(p.drawnObjects) objects\" src=\"data:image/svg+xml;base64,\(Base64.encode(svg))\"></figure>\n"
            } else {
                out += "<p class=\"note\">No picture: \(ReportText.html(p.failure ?? "rendering failed"))</p>\n"
            }
            var tree = p.tree.map { ReportText.html($0.before) + link($0.line.object, brackets: true) + ReportText.html($0.after) }
            if p.treeLinesOmitted > 0 { tree.append("... \(p.treeLinesOmitted) more lines (heapscan cycles --max-lines N)") }
            out += "<details open><summary>Tree, as <code>leaks</code> prints it</summary><pre class=\"tree\">\(tree.joined(separator: "\n"))</pre></details>\n"
            let shown = c.members.prefix(40)
            out += "<p class=\"members\">Members: " + shown.map { link($0) }.joined(separator: ", ")
            if c.members.count > shown.count { out += ", … \(Self.count(c.members.count - shown.count)) more" }
            out += "</p></article>\n"
        }
        if leaks.cycles.count > pictures.count && !pictures.isEmpty {
            out += "<p>… \(Self.count(leaks.cycles.count - pictures.count)) more cycles: <code>heapscan cycles</code> lists them all.</p>"
        }
        return out + "</div></section>\n"
    }

    /// `1,234,567`.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    static func percent(_ part: UInt64, of whole: UInt64) -> String {
        whole == 0 ? "—" : String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }

    static func percent(_ share: Double) -> String { String(format: "%g%%", share * 100) }
}
