// LeakReport+Message — the text of a leak report: a summary line, then per group the type, site,
// count and the chain of references that keeps it alive, then the picture's path.
import HeapAnalysis
import HeapGraph

extension LeakReport {
    static func message(
        leaks: [ObjectGroup], allowed: [ObjectGroup], leaked: Set<HeapSnapshot.ObjectIndex>, leakedObjects: Int, leakedBytes: UInt64, snapshot: HeapSnapshot,
        options: HeapCheckOptions, pictures: [PictureOutcome]
    ) -> String {
        var lines: [String] = []
        let passed = leakedObjects <= options.tolerance
        if leakedObjects == 0 {
            lines.append("No leaks: every object the block created was freed or is collectable garbage.")
        } else if passed {
            lines.append("\(counted(leakedObjects, "object")) leaked (\(HeapText.bytes(leakedBytes, style: .exactBelow10KiB))), within the tolerance of \(options.tolerance).")
        } else {
            var head = "Leaked \(counted(leakedObjects, "object")) (\(HeapText.bytes(leakedBytes, style: .exactBelow10KiB))) in \(counted(leaks.count, "group"))"
            head += ": created by the block and still reachable after collection"
            if options.tolerance > 0 { head += " (tolerance \(options.tolerance))" }
            lines.append(head + ".")
        }
        if !allowed.isEmpty {
            var perType: [String: Int] = [:]
            for group in allowed { perType[group.type, default: 0] += group.objects.count }
            let list = perType.sorted { $0.key < $1.key }.map { "\(HeapText.terminalEscaped($0.key)) ×\($0.value)" }
            lines.append("Allowed types, not counted: " + list.joined(separator: ", ") + ".")
        }
        guard !passed else { return lines.joined(separator: "\n") }
        let shown = leaks.prefix(max(options.detailLimit, 0))
        for (i, group) in shown.enumerated() {
            lines.append("")
            lines.append("\(i + 1). \(group.headline())")
            if let sample = group.sampleLine(in: snapshot, prefix: "   ") { lines.append(sample) }
            lines.append(group.chainText(in: snapshot, prefix: "   ", isFlagged: leaked.contains))
        }
        if leaks.count > shown.count {
            let rest = leaks[shown.count...]
            let objects = rest.reduce(0) { $0 + $1.objects.count }
            lines.append("")
            lines.append("... and \(counted(rest.count, "more group")) (\(counted(objects, "object"))) not shown.")
        }
        if !pictures.isEmpty { lines.append("") }
        for picture in pictures { lines.append(picture.messageLine) }
        return lines.joined(separator: "\n")
    }
}
