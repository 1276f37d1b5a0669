// Bench+CommandLine — `heapscan summary` on a 1M-object dump, timed from process start to exit, against
// `wc -c` of the same file (reading every byte: the I/O floor) in the same run. Target: at most 2 s.
// The dump is heap-shaped (a tree with cross references, 10% garbage in rings with hangers) and is
// written with the HeapGraph writer into a temporary folder. `HEAPSCAN_BIN` names the binary
// (scripts/bench exports it); otherwise the `heapscan` beside this benchmark is used.
import Foundation
import HeapGraph

func benchCommandLine() throws {
    let objects = 1_000_000
    let binary = ProcessInfo.processInfo.environment["HEAPSCAN_BIN"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("heapscan")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw BenchError("no heapscan binary at \(binary.path): build it (-c release) or set HEAPSCAN_BIN")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-bench-cli-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    // HEAPSCAN_BENCH_KEEP=1 leaves the dump in place (its path is printed) for profiling.
    let keep = ProcessInfo.processInfo.environment["HEAPSCAN_BENCH_KEEP"] != nil
    defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
    let dump = directory.appendingPathComponent("1m.heap")
    let snapshot = try commandLineHeap(objects: objects, references: 4 * objects, seed: 0xC0FFEE)
    try snapshot.write(to: dump)
    let byteCount = try FileManager.default.attributesOfItem(atPath: dump.path)[.size] as? Int ?? 0
    if keep { print("heapscan-summary-1m: dump kept at \(dump.path)") }

    // A first run checks the command works (and warms the page cache for both sides alike).
    let check = try runToExit(binary, ["summary", dump.path], keepOutput: true)
    guard check.status == 0, check.output.contains("1,000,000 objects") else {
        throw BenchError("heapscan summary failed (status \(check.status)): \(check.output.prefix(200))")
    }
    let wc = URL(fileURLWithPath: "/usr/bin/wc")
    var ours = Double.infinity, peer = Double.infinity
    for _ in 0..<3 {
        ours = min(ours, try seconds { _ = try runToExit(binary, ["summary", dump.path]) })
        peer = min(peer, try seconds { _ = try runToExit(wc, ["-c", dump.path]) })
    }
    report(
        "heapscan-summary-1m", ours: ours, peer: peer, unit: "s",
        extra: "objects=\(objects) edges=\(snapshot.edgeCount) bytes=\(byteCount) peer=wc-c target<=2s")
}

/// Runs `executable arguments…` to completion; stdout and stderr are discarded unless `keepOutput`.
private func runToExit(_ executable: URL, _ arguments: [String], keepOutput: Bool = false) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = keepOutput ? pipe : FileHandle.nullDevice
    process.standardError = keepOutput ? pipe : FileHandle.nullDevice
    try process.run()
    let data = keepOutput ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A heap-shaped snapshot: 8 named roots; 90% of the objects alive through a random tree (a third of
/// parents the previous object, so long chains exist) and cross references; 10% garbage in rings of
/// 2–32 members, a fifth of it hanging off the rings. 24 types, 300 sites, refcounts equal to the
/// references in, a label on every 100th object.
private func commandLineHeap(objects n: Int, references m: Int, seed: UInt64) throws -> HeapSnapshot {
    var random = SplitMix64(state: seed)
    var live: [Int] = []
    var garbage: [Int] = []
    for v in 0..<n {
        if v >= 8 && random.below(10) == 0 { garbage.append(v) } else { live.append(v) }
    }
    var sources: [UInt32] = [], targets: [UInt32] = []
    sources.reserveCapacity(m)
    targets.reserveCapacity(m)
    for k in 8..<live.count {
        sources.append(UInt32(random.below(3) == 0 ? live[k - 1] : live[random.below(k)]))
        targets.append(UInt32(live[k]))
    }
    let hangers = garbage.count / 5
    var rings: [Range<Int>] = []  // positions in `garbage`
    var start = hangers
    while start < garbage.count {
        let ring = start..<min(start + 2 + random.below(31), garbage.count)
        for p in ring {
            sources.append(UInt32(garbage[p]))
            targets.append(UInt32(garbage[p + 1 == ring.upperBound ? ring.lowerBound : p + 1]))
        }
        rings.append(ring)
        start = ring.upperBound
    }
    for h in garbage[..<hangers] {
        let ring = rings[random.below(rings.count)]
        sources.append(UInt32(garbage[ring.lowerBound + random.below(ring.count)]))
        targets.append(UInt32(h))
    }
    while sources.count < m {  // garbage may point at live objects, never the reverse
        sources.append(UInt32(random.below(n)))
        targets.append(UInt32(live[random.below(live.count)]))
    }
    var starts = [UInt32](repeating: 0, count: n + 1)
    var refcounts = [UInt32](repeating: 0, count: n)
    for s in sources { starts[Int(s) + 1] += 1 }
    for t in targets { refcounts[Int(t)] += 1 }
    for i in 0..<n { starts[i + 1] += starts[i] }
    var fill = starts
    var edgeTargets = [UInt32](repeating: 0, count: sources.count)
    var edgeNames = [UInt32](repeating: 0, count: sources.count)
    for e in sources.indices {
        let s = Int(sources[e])
        let slot = Int(fill[s])
        edgeTargets[slot] = targets[e]
        edgeNames[slot] = min(UInt32(slot) - starts[s], 7)
        fill[s] += 1
    }
    for r in 0..<8 { refcounts[r] += 1 }  // the roots' handles
    var typeIndices: [UInt32] = [], sizes: [UInt64] = [], generations: [UInt8] = [], siteIndices: [UInt32] = []
    for _ in 0..<n {
        typeIndices.append(UInt32(random.below(24)))
        sizes.append(UInt64(16 * (1 + random.below(32))))
        generations.append(UInt8(random.below(3)))
        siteIndices.append(UInt32(random.below(300)))
    }
    return try buildSnapshot(
        ids: (0..<n).map { 0x1000 + UInt64($0) * 16 }, typeIndices: typeIndices, sizes: sizes, refcounts: refcounts,
        generations: generations, siteIndices: siteIndices,
        labelIndices: (0..<n).map { $0 % 100 == 0 ? UInt32($0 / 100) : HeapSnapshot.none },
        edgeStarts: starts, edgeTargets: edgeTargets, edgeNames: edgeNames,
        typeNames: (0..<24).map { "app.Type\($0)" }, sites: (0..<300).map { "app/module\($0 % 17).swift:\($0 + 10)" },
        fieldNames: (0..<8).map { "field\($0)" }, labels: (0..<(n + 99) / 100).map { "object \($0 * 100)" },
        roots: (0..<8).map { (object: Int($0), name: "main.root\($0)") as (object: Int, name: String) })
}

/// SplitMix64: seeded, fast, the same on every platform.
private struct SplitMix64 {
    var state: UInt64

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
