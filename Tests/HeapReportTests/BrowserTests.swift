// BrowserTests — reports opened in a real browser (headless Chromium from Debian, driven through
// chromedriver): the page paints, has its sections and one SVG per drawn cycle, its dominator tree
// expands, its links open objects; and names that are script or markup payloads run nothing and add
// no element. Serialized: one Chromium at a time on two cores.
import Foundation
import HeapAnalysis
import HeapGraph
import HeapReport
import Testing

@Suite(.serialized) struct BrowserTests {
    @Test func reportPaintsItsSectionsPicturesAndExpandableTree() throws {
        let snapshot = ReportHeaps.app(hostile: false)
        let leaks = LeakAnalysis(snapshot)
        let html = HeapReport.html(for: snapshot, options: .init(title: "app.heap"))
        let (facts, shot) = try Chromium.inspect(html, name: "app")

        #expect(facts.sections == ["overview", "suspects", "cycles", "dominators", "types", "sites"])
        #expect(facts.text_length > 1_000)
        // Not blank: a screenshot of text and pictures compresses far worse than an empty page.
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 30_000, "screenshot \(shot.path) is \(png.count) bytes: blank?")
        // One decoded SVG picture per drawn cycle.
        #expect(leaks.cycles.count == 2)
        #expect(facts.cycle_articles == 2)
        #expect(facts.cycle_svgs.count == 2)
        #expect(facts.cycle_svgs.allSatisfy { $0.decoded && $0.svg })
        #expect(facts.suspects >= 1)
        #expect(facts.type_rows == Set(snapshot.typeIndices).count)
        #expect(facts.site_rows == 3)  // two sites and "no site recorded"
        #expect(facts.filtered_rows == 0)
        #expect(facts.panel_closed)
        // A click on a heading sorts by that column; a second click reverses it.
        #expect(facts.sorted.descending.count == facts.type_rows)
        #expect(facts.sorted.descending == facts.sorted.descending.sorted(by: >))
        #expect(facts.sorted.ascending == facts.sorted.descending.reversed())
        // Expanding the first node of the dominator tree shows its children.
        #expect(facts.root_nodes >= 1)
        #expect(facts.expanded.children >= 1)
        #expect(facts.expanded.aria == "true")
        // A link opens the object's facts, fields, referrers and path from a root.
        #expect(facts.panel.title == facts.link_text)
        #expect(facts.panel.headings.contains { $0.hasPrefix("Fields") })
        #expect(facts.panel.headings.contains { $0.hasPrefix("Referrers") })
        #expect(facts.panel.headings.contains("Path from a root"))
        #expect(facts.panel.pathItems >= 2)
        // Every object link opens the panel on that object.
        #expect(facts.links_checked.ok > 20)
        #expect(facts.panel_link.got == facts.panel_link.expected)
        #expect(facts.links_checked.bad.isEmpty)
        // The page ran its own script only: nothing was blocked, nothing asked for.
        #expect(facts.after.violations.isEmpty)
        #expect(facts.after.dialogs == 0)
        #expect(facts.after.tags["script"] == 2)
    }

    @Test func namesThatAreMarkupRunNothingAndAddNoElement() throws {
        let plain = try Chromium.inspect(HeapReport.html(for: ReportHeaps.app(hostile: false), options: .init(title: "app.heap")), name: "plain")
        let title = ReportHeaps.payloads[0]
        let hostile = try Chromium.inspect(HeapReport.html(for: ReportHeaps.app(hostile: true), options: .init(title: title)), name: "hostile")
        let facts = hostile.facts
        for census in [facts.before, facts.after] {
            #expect(census.pwned == nil)
            #expect(census.dialogs == 0)
            #expect(census.violations.isEmpty, "blocked: \(census.violations)")
            #expect(census.handlerAttributes.isEmpty)
        }
        // The same shape with plain names gives exactly the same elements, before and after the
        // tree is expanded, an object opened and a table filtered.
        #expect(facts.before.tags == plain.facts.before.tags)
        #expect(facts.after.tags == plain.facts.after.tags)
        #expect(facts.after.tags["iframe"] == nil && facts.after.tags["b"] == nil)
        #expect(facts.after.tags["img"] == 2)  // the two cycle pictures
        #expect(facts.cycle_svgs.allSatisfy { $0.decoded && $0.svg })
        #expect(facts.after.title == "heapscan report: " + title)
        // The payloads are on the page as text, exactly as the heap spells them.
        for payload in ReportHeaps.payloads {
            #expect(facts.body_text.contains(payload), "\(payload) not shown as text")
        }
        #expect(facts.panel.headings.contains("Path from a root"))
        #expect(facts.links_checked.bad.isEmpty && facts.links_checked.ok == plain.facts.links_checked.ok)
    }

    @Test func baselineAddsTheComparison() throws {
        let html = HeapReport.html(
            for: ReportHeaps.app(hostile: false),
            options: .init(title: "after.heap", baseline: ReportHeaps.earlierApp(), baselineTitle: "before.heap"))
        let (facts, _) = try Chromium.inspect(html, name: "comparison")
        #expect(facts.sections.last == "comparison")
        #expect(facts.comparison_rows > 0)
        #expect(facts.body_text.contains("Against before.heap"))
        #expect(facts.body_text.contains("1 freed"))
        #expect(facts.after.violations.isEmpty)
    }

    @Test func largeDumpEmbedsItsLargestRetainersAndStaysWorking() throws {
        let snapshot = ReportHeaps.app(hostile: false, extraObjects: 30_000)
        let html = HeapReport.html(for: snapshot, options: .init(title: "big.heap", detailedObjects: 200))
        #expect(html.contains("the report embeds the 200 largest retainers"))
        let (facts, _) = try Chromium.inspect(html, name: "large")
        #expect(facts.expanded.children >= 1)
        #expect(facts.panel.headings.contains("Path from a root"))
        #expect(facts.links_checked.bad.isEmpty)
        #expect(facts.after.violations.isEmpty)
    }

    @Test func unreachableObjectsOfATracingRuntimeAreNotCalledGarbage() throws {
        let snapshot = ReportHeaps.app(hostile: false, liveness: .roots)
        let (facts, _) = try Chromium.inspect(HeapReport.html(for: snapshot, options: .init(title: "v8.heapsnapshot")), name: "roots")
        #expect(facts.body_text.contains("unreachable, awaiting collection"))
        #expect(facts.body_text.contains("Unreachable cycles (awaiting collection)"))
        #expect(!facts.body_text.contains("Garbage cycles"))
    }
}
