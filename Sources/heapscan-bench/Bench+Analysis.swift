// Bench+Analysis — the analyzer on a generated heap-shaped graph (1M objects, 4M references, a few
// roots, mostly a tree with cross references, 10% garbage in cycles) against igraph (SCC + dominator
// tree, C) and scipy (strong components), the same graph handed to them in the same run; checks
// that the dominator trees and components agree and prints our peak memory.
import Foundation
import HeapAnalysis
import HeapGraph

func benchAnalysis() throws {
    let objects = 1_000_000
    let references = 4_000_000
    let snapshot = try heapShapedSnapshot(objects: objects, references: references, seed: 0x5EED)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-bench-analysis-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let graphPath = directory.appendingPathComponent("graph.csr").path
    try writeCSR(snapshot, to: graphPath)

    // Peak memory of one full analysis, results included, above what the snapshot already takes.
    let baseline = residentBytes()
    resetPeakResident()
    var leaks: LeakAnalysis? = LeakAnalysis(snapshot)
    var labels: ComponentLabels? = ComponentLabels(snapshot)
    var tree: DominatorTree? = DominatorTree(snapshot)
    let peak = peakResidentBytes().map { $0 - min($0, baseline ?? 0) }
    let cycles = leaks?.cycles.count ?? 0
    let garbage = leaks?.garbage.count ?? 0
    leaks = nil; labels = nil; tree = nil

    let ours = bestOf(3) {
        leaks = nil; labels = nil; tree = nil
        leaks = LeakAnalysis(snapshot)
        labels = ComponentLabels(snapshot)
        tree = DominatorTree(snapshot)
    }
    let oursSCC = bestOf(3) { _ = ComponentLabels(snapshot) }
    guard let labels, let tree else { throw BenchError("analysis produced nothing") }
    let ourComponents = canonicalComponents(labels)
    let ourDominators = (0..<objects).map { v -> Int32 in
        switch tree.dominators[v] {
        case DominatorTree.virtualRoot: -1
        case DominatorTree.unreachable: -2
        case let d: Int32(d)
        }
    }

    let prefix = directory.appendingPathComponent("peer").path
    let budget = 64 * objects + 12 * references
    let memory = peak.map {
        "peak=\($0)B (\(String(format: "%.1f", Double($0) / Double(objects)))B per object, references included) "
            + "budget=\(budget)B (64B/object+12B/reference) \($0 <= budget ? "within" : "OVER")"
    } ?? "peak=unknown"
    let shape = "garbage=\(garbage) cycles=\(cycles) components=\(labels.count) \(memory)"
    do {
        let igraph = try runPeer("igraph_analyze.py", [graphPath, prefix + "-igraph"])
        let igraphComponents = try readInt32s(prefix + "-igraph.components", count: objects)
        let igraphDominators = try readInt32s(prefix + "-igraph.dominators", count: objects)
        let agreeDominators = igraphDominators == ourDominators
        let agreeComponents = igraphComponents == ourComponents
        report(
            "analyze-1m", ours: ours, peer: peerValue(igraph, "seconds") ?? .nan, unit: "s",
            extra: "peer=igraph dominators=\(agreeDominators ? "agree" : "DISAGREE") components=\(agreeComponents ? "agree" : "DISAGREE") "
                + shape)
    } catch {
        report("analyze-1m", ours: ours, peer: .nan, unit: "s", extra: "peer=igraph UNAVAILABLE (\(error)) " + shape)
    }

    let scipy = try runPeer("analysis_scipy_scc.py", [graphPath, prefix + "-scipy"])
    let scipyComponents = try readInt32s(prefix + "-scipy.components", count: objects)
    report(
        "scc-1m", ours: oursSCC, peer: peerValue(scipy, "seconds") ?? .nan, unit: "s",
        extra: "peer=scipy components=\(scipyComponents == ourComponents ? "agree" : "DISAGREE") count=\(labels.count)")
}

/// A heap-shaped graph: `objects` objects of 20 types, 8 roots; 90% live, reached by a random tree
/// (30% of parents the previous object, so there are long chains) plus cross references among live
/// objects; 10% garbage, in rings of 2–64 members with chords inside each ring and references out to
/// live objects, and a fifth of the garbage hanging off the rings. References per object in field
/// order named f0…f7.
func heapShapedSnapshot(objects n: Int, references m: Int, seed: UInt64) throws -> HeapSnapshot {
    var rng = BenchRandom(seed: seed)
    var isGarbage = [Bool](repeating: false, count: n)
    var live: [Int] = []
    var garbage: [Int] = []
    live.reserveCapacity(n)
    for v in 0..<n {
        if v >= 8 && rng.below(10) == 0 { isGarbage[v] = true; garbage.append(v) } else { live.append(v) }
    }
    var sources: [UInt32] = []
    var targets: [UInt32] = []
    sources.reserveCapacity(m); targets.reserveCapacity(m)
    func edge(_ a: Int, _ b: Int) { sources.append(UInt32(a)); targets.append(UInt32(b)) }
    for k in 8..<live.count {
        let parent = rng.below(10) < 3 ? live[k - 1] : live[rng.below(k)]
        edge(parent, live[k])
    }
    // Garbage: shuffle, cut into rings, keep a fifth as hangers.
    for i in stride(from: garbage.count - 1, to: 0, by: -1) { garbage.swapAt(i, rng.below(i + 1)) }
    let hangerCount = garbage.count / 5
    let ringed = garbage[hangerCount...]
    var ringOf = [Int32](repeating: -1, count: n)
    var rings: [ArraySlice<Int>] = []
    var start = ringed.startIndex
    while start < ringed.endIndex {
        let size = min(2 + rng.below(63), ringed.endIndex - start)
        let ring = ringed[start..<(start + size)]
        for (i, v) in ring.enumerated() {
            edge(v, ring[ring.startIndex + (i + 1) % ring.count])
            ringOf[v] = Int32(rings.count)
        }
        rings.append(ring)
        start += size
    }
    for h in garbage[..<hangerCount] {
        let ring = rings[rng.below(rings.count)]
        edge(ring[ring.startIndex + rng.below(ring.count)], h)
    }
    // Cross references up to m.
    while sources.count < m {
        let v = rng.below(n)
        if !isGarbage[v] {
            edge(v, live[rng.below(live.count)])
        } else if ringOf[v] >= 0 && rng.below(4) == 0 {
            let ring = rings[Int(ringOf[v])]
            edge(v, ring[ring.startIndex + rng.below(ring.count)])
        } else {
            edge(v, live[rng.below(live.count)])
        }
    }
    // CSR by counting sort on the source.
    var starts = [UInt32](repeating: 0, count: n + 1)
    for s in sources { starts[Int(s) + 1] += 1 }
    for i in 0..<n { starts[i + 1] += starts[i] }
    var fill = starts
    var edgeTargets = [UInt32](repeating: 0, count: m)
    var edgeNames = [UInt32](repeating: 0, count: m)
    for e in 0..<m {
        let s = Int(sources[e])
        let slot = Int(fill[s])
        edgeTargets[slot] = targets[e]
        edgeNames[slot] = min(UInt32(slot) - starts[s], 7)
        fill[s] += 1
    }
    sources = []; targets = []
    let typeNames = (0..<20).map { "Type\($0)" }
    return try buildSnapshot(
        ids: (0..<n).map { UInt64($0) * 2 + 1 }, typeIndices: (0..<n).map { _ in UInt32(rng.below(20)) },
        sizes: (0..<n).map { _ in UInt64(16 * (1 + rng.below(16))) },
        refcounts: [UInt32](repeating: HeapSnapshot.none, count: n), generations: [UInt8](repeating: 255, count: n),
        siteIndices: [UInt32](repeating: HeapSnapshot.none, count: n),
        labelIndices: [UInt32](repeating: HeapSnapshot.none, count: n), edgeStarts: starts,
        edgeTargets: edgeTargets, edgeNames: edgeNames, typeNames: typeNames, sites: [],
        fieldNames: (0..<8).map { "f\($0)" }, labels: [],
        roots: (0..<8).map { (object: Int($0), name: "root\($0)") as (object: Int, name: String) })
}

/// Writes the graph for the Python peers (layout in scripts/peers/analysis_csr.py).
func writeCSR(_ s: HeapSnapshot, to path: String) throws {
    var data = Data("HSCSR1\0\0".utf8)
    func append<T>(_ values: [T]) { values.withUnsafeBytes { data.append(contentsOf: $0) } }
    append([Int64(s.objectCount).littleEndian, Int64(s.edgeCount).littleEndian, Int64(s.roots.count).littleEndian])
    append(s.edgeStarts.map(\.littleEndian))
    append(s.edgeTargets.map(\.littleEndian))
    append(s.roots.map { UInt32($0.object).littleEndian })
    try data.write(to: URL(fileURLWithPath: path))
}

func readInt32s(_ path: String, count: Int) throws -> [Int32] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard data.count == 4 * count else { throw BenchError("\(path): \(data.count) bytes, expected \(4 * count)") }
    return data.withUnsafeBytes { raw in (0..<count).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) } }
}

/// Each object's component named by its smallest member, as the peers write it.
func canonicalComponents(_ labels: ComponentLabels) -> [Int32] {
    var smallest = [Int32](repeating: -1, count: labels.count)
    for (v, c) in labels.component.enumerated() where smallest[Int(c)] < 0 { smallest[Int(c)] = Int32(v) }
    return labels.component.map { smallest[Int($0)] }
}

/// Current resident set size (Linux /proc), nil elsewhere.
func residentBytes() -> Int? { procStatus("VmRSS:") }
/// Peak resident set size since the last reset (Linux /proc), nil elsewhere.
func peakResidentBytes() -> Int? { procStatus("VmHWM:") }
/// Resets the peak resident set size (Linux: writing 5 to /proc/self/clear_refs).
func resetPeakResident() {
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
    handle.write(Data("5".utf8))
    try? handle.close()
}

func procStatus(_ key: String) -> Int? {
    // /proc files report size 0, so read them as a stream.
    guard let handle = FileHandle(forReadingAtPath: "/proc/self/status") else { return nil }
    defer { try? handle.close() }
    let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    for line in text.split(separator: "\n") where line.hasPrefix(key) {
        let kilobytes = line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        return kilobytes.map { $0 * 1024 }
    }
    return nil
}
