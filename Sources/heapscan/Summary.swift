// Summary — `heapscan summary`: one screen about a dump: counts and bytes, garbage and cycles, the
// most common types, the top retainers, leak suspects and the allocator in brief.
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One screen about a dump: counts, garbage, cycles, types, retainers, allocator.",
        discussion: """
            Examples:
              heapscan summary app.heap
              heapscan summary --top 10 app.json
              heapscan summary --json app.heap | jq .garbage
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var labels: LabelOptions
    @OptionGroup var output: OutputOptions

    @Option(parsing: .unconditional, help: "Rows in each list (types, retainers, cycles); 0 for all. Leak suspects are always all listed.")
    var top = 5

    func validate() throws {
        try Range.check("--top", top, atLeast: 0, meaning: "0 shows all")
    }

    func run() throws {
        let snapshot = labels.apply(try input.load())
        Progress.shared.step("finding garbage cycles and dominators")
        // The two analyses are independent: on two cores they run side by side.
        let dominatorTree = InBackground { DominatorTree(snapshot) }
        let leaks = LeakAnalysis(snapshot)
        let dominators = dominatorTree.wait()
        let retainers = dominators.topRetainers(Range.rows(top))
        let suspects = dominators.leakSuspects()
        let report = SummaryJSON(
            snapshot, leaks: leaks, dominators: dominators, retainers: retainers, suspects: suspects, top: Range.rows(top), file: input.input)
        if output.json { return try Output.json(report) }
        try Output.write(report.text(snapshot, leaks: leaks, dominators: dominators, retainers: retainers, suspects: suspects))
    }
}

/// `summary --json`.
struct SummaryJSON: Encodable {
    var file: String
    var objects: Int
    var bytes: UInt64
    var references: Int
    var roots: Int
    var types: Int
    var heldFromOutside: Int
    /// "refcount" or "roots" (then `garbage` is what awaits collection, not leaks).
    var liveness: String
    var runtime: String?
    var live: TotalJSON
    var garbage: TotalJSON
    var cycles: Int
    var cycleRetained: UInt64
    var topCycles: [CycleJSON]
    var topTypes: [HistogramJSON]
    var topRetainers: [RetainerJSON]
    var leakSuspects: [SuspectJSON]
    /// Detached DOM nodes (V8), left out when there are none.
    var detached: [ObjectJSON]?
    var detachedCount: Int?
    var allocator: AllocatorJSON?

    init(
        _ snapshot: HeapSnapshot, leaks: LeakAnalysis, dominators: DominatorTree, retainers: [HeapSnapshot.ObjectIndex],
        suspects: [LeakSuspect], top: Int, file: String
    ) {
        self.file = file
        objects = snapshot.objectCount
        bytes = snapshot.totalBytes
        references = snapshot.edgeCount
        roots = snapshot.roots.count
        types = snapshot.typeNames.count
        heldFromOutside = snapshot.objectsHeldFromOutside().count
        liveness = snapshot.liveness.name
        runtime = snapshot.runtime
        live = TotalJSON(objects: dominators.liveCount, bytes: dominators.liveBytes)
        garbage = TotalJSON(objects: leaks.garbage.count, bytes: snapshot.bytes(of: leaks.garbage))
        cycles = leaks.cycles.count
        cycleRetained = leaks.cycles.reduce(0) { $0.addingSaturated($1.retainedBytes) }
        topCycles = leaks.cycles.prefix(top).map { CycleJSON($0, in: snapshot) }
        topTypes = snapshot.typeHistogram(orderedBy: .count).prefix(top).map(HistogramJSON.init)
        topRetainers = retainers.map { RetainerJSON($0, in: dominators) }
        leakSuspects = suspects.map { SuspectJSON($0, in: dominators) }
        let detachedObjects = snapshot.objectIndices.filter { snapshot.isDetached($0) }
        if !detachedObjects.isEmpty {
            detachedCount = detachedObjects.count
            detached = detachedObjects.prefix(top).map { ObjectJSON($0, in: snapshot) }
        }
        allocator = snapshot.allocator.map(AllocatorJSON.init)
    }

    func text(
        _ snapshot: HeapSnapshot, leaks: LeakAnalysis, dominators: DominatorTree, retainers: [HeapSnapshot.ObjectIndex],
        suspects: [LeakSuspect]
    ) -> String {
        var out = "\(HeapText.terminalEscaped(file)): \(Format.counted(objects, "object")), \(Format.bytes(bytes)), "
        out += "\(Format.counted(references, "reference")), \(Format.counted(roots, "root")), \(Format.counted(types, "type"))\n"
        let tracing = snapshot.liveness == .roots
        if tracing || runtime != nil {
            out += "from \(runtime.map { HeapText.terminalEscaped($0) } ?? "an unnamed runtime"); liveness rule \(liveness)"
            out += tracing ? ": alive = reachable from roots; the rest awaits collection (not a leak)\n" : "\n"
        }
        out += "\n"
        var totals = Table(("", .left), ("objects", .right), ("bytes", .right), ("share", .right))
        totals.append(["held from outside", Format.count(heldFromOutside), "", ""])
        totals.append(["live", Format.count(live.objects), Format.bytes(live.bytes), Format.percent(live.bytes, of: bytes)])
        totals.append([tracing ? "unreachable" : "garbage", Format.count(garbage.objects), Format.bytes(garbage.bytes), Format.percent(garbage.bytes, of: bytes)])
        totals.append(["in or held by cycles", Format.count(leaks.cycles.reduce(0) { $0 + $1.members.count + $1.hangers.count }), Format.bytes(cycleRetained), Format.percent(cycleRetained, of: bytes)])
        out += totals.render()

        out += "\n\(tracing ? "unreachable cycles (awaiting collection)" : "garbage cycles"): \(Format.count(cycles))\n"
        var cycleTable = Table(("retained", .right), ("members", .right), ("signature", .left), ("root", .left))
        for (cycle, json) in zip(leaks.cycles, topCycles) {
            cycleTable.append([Format.bytes(json.retained), Format.count(json.members.count), json.signature, snapshot.objectDescription(cycle.root)])
        }
        if cycles > 0 { out += cycleTable.render(indent: "  ") }
        out += more(cycles, shown: topCycles.count, what: "cycles", command: "cycles")

        out += "\nmost common types:\n"
        var typeTable = Table(("objects", .right), ("bytes", .right), ("type", .left))
        for entry in topTypes { typeTable.append([Format.count(entry.count), Format.bytes(entry.bytes), Format.key(entry.name)]) }
        out += typeTable.render(indent: "  ") + more(types, shown: topTypes.count, what: "types", command: "types")

        out += "\ntop retainers:\n"
        var retainerTable = Table(("retained", .right), ("share", .right), ("object", .left))
        for r in retainers {
            retainerTable.append([Format.bytes(dominators.retainedSize(of: r)), Format.percent(dominators.retainedSize(of: r), of: live.bytes), snapshot.objectDescription(r)])
        }
        out += retainerTable.render(indent: "  ")

        out += "\nleak suspects (retaining over 10% of the live heap):\(suspects.isEmpty ? " none" : "")\n"
        for s in suspects { out += "  " + SuspectJSON.line(s, in: dominators) + "\n" }
        if let detached, let detachedCount {
            out += "\ndetached DOM nodes: \(Format.count(detachedCount))\n"
            for d in detached { out += "  <\(HeapText.terminalEscaped(d.type)) #\(d.id)>\n" }
            if detachedCount > detached.count { out += "  … \(Format.count(detachedCount - detached.count)) more detached nodes\n" }
        }

        out += "\nallocator: "
        if let a = snapshot.allocator {
            out += "\(Format.counted(a.arenasCurrent, "arena")) (high water \(Format.count(a.arenasHighWater))), "
            out += "\(Format.bytes(a.bytesInAllocatedBlocks)) in blocks in use, \(Format.bytes(a.bytesInAvailableBlocks)) free in pools, "
            out += "\(Format.counted(a.largeObjects, "large object")) (\(Format.bytes(a.largeObjectBytes))); see `heapscan stats`\n"
        } else {
            out += "no statistics in this dump\n"
        }
        return out
    }

    private func more(_ total: Int, shown: Int, what: String, command: String) -> String {
        total > shown ? "  … \(Format.count(total - shown)) more \(what): heapscan \(command)\n" : ""
    }
}
