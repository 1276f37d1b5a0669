// CycleReport+Message — the text of a cycle report: per cycle its signature, its root and where it was
// allocated, the `leaks`-style tree, the types and sites of its objects, and its picture.
import HeapAnalysis
import HeapGraph

extension CycleReport {
    static func message(
        cycles: [GarbageCycle], analysis: LeakAnalysis, objects: Int, bytes: UInt64, options: HeapCheckOptions,
        pictures: [PictureOutcome?]
    ) -> String {
        let snapshot = analysis.snapshot
        if cycles.isEmpty { return "No reference cycles created." }
        let summary = "\(counted(cycles.count, "reference cycle")) (\(counted(objects, "object")), \(HeapText.bytes(bytes, style: .exactBelow10KiB)))"
        if objects <= options.tolerance {
            return "Created \(summary), within the tolerance of \(options.tolerance) objects."
        }
        // Only a heap with a cycle collector (heapscan's managed heap) ever frees such a cycle; plain
        // Swift objects (HeapscanSwift) have none, so there the cycle stays forever.
        let freedBy = snapshot.runtime?.hasPrefix("Swift") == true
            ? "that nothing frees (Swift has no cycle collector)" : "that only the cycle collector can free"
        var lines = ["Created \(summary) \(freedBy):"]
        let shown = cycles.prefix(max(options.detailLimit, 0))
        for (i, cycle) in shown.enumerated() {
            lines.append("")
            lines.append(
                "\(i + 1). Cycle \(cycle.signature): \(counted(cycle.members.count, "member")), "
                    + "\(counted(cycle.hangers.count, "hanger")), \(HeapText.bytes(cycle.retainedBytes, style: .exactBelow10KiB))")
            let site = snapshot.site(of: cycle.root).map { ", allocated at \(HeapText.terminalEscaped($0))" } ?? ""
            lines.append("   root (the member to look at first): \(snapshot.objectDescription(cycle.root))\(site)")
            lines.append(indented(analysis.tree(of: cycle, limit: options.treeLineLimit).trimmingSuffixNewlines(), by: "   "))
            let groups = ObjectGroup.grouping(cycle.members + cycle.hangers, in: snapshot, withPaths: 0)
            lines.append("   objects: " + groups.map { $0.headline() }.joined(separator: "; "))
            lines.append("   Break one reference marked CYCLE BACK TO (clear it when done, or make it weak).")
            if i < pictures.count, let picture = pictures[i] { lines.append("   " + picture.messageLine) }
        }
        if cycles.count > shown.count {
            lines.append("")
            lines.append("... and \(counted(cycles.count - shown.count, "more cycle")) not shown.")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The text without trailing newlines.
    func trimmingSuffixNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}
