// Bench — the shared pieces of every benchmark: a monotonic clock, the BENCH line, and running a
// peer (a Python script in scripts/peers/) in the same run.
import HeapGraph
import Foundation

/// Seconds taken by `body`, on the monotonic clock.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The best of `runs` timings of `body`, in seconds: the least disturbed run.
func bestOf(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<runs { best = min(best, try seconds(body)) }
    return best
}

/// Prints the one line every comparison produces.
func report(_ name: String, ours: Double, peer: Double, unit: String, extra: String = "") {
    let ratio = peer > 0 ? ours / peer : .infinity
    let line = "BENCH \(name) ours=\(format(ours)) peer=\(format(peer)) ratio=\(String(format: "%.3f", ratio)) unit=\(unit)"
    print(extra.isEmpty ? line : "\(line) \(extra)")
    fflush(nil)
}

func format(_ x: Double) -> String {
    x >= 100 ? String(format: "%.1f", x) : x >= 1 ? String(format: "%.3f", x) : String(format: "%.6f", x)
}

/// The repository's root, found from this file's location at build time or the working directory.
let repositoryRoot: URL = {
    let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    if FileManager.default.fileExists(atPath: fromSource.appendingPathComponent("Package.swift").path) {
        return fromSource
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}()

/// Runs `scripts/peers/<script>` with python3 and returns its standard output.
func runPeer(_ script: String, _ arguments: [String] = []) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", repositoryRoot.appendingPathComponent("scripts/peers/\(script)").path] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchError("peer \(script) exited with status \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
}

/// Reads `key=value` pairs from a peer's output line.
func peerValue(_ output: String, _ key: String) -> Double? {
    for token in output.split(whereSeparator: { $0 == " " || $0 == "\n" }) where token.hasPrefix("\(key)=") {
        return Double(token.dropFirst(key.count + 1))
    }
    return nil
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// SplitMix64: a seeded, fast generator, so every bench graph (analysis, render) is the same in
/// every run and on every machine.
struct BenchRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// A snapshot from generated columns, through the snapshot builder like every producer: objects in
/// order, each row of references in source order, the tables interned in order (their indices kept).
func buildSnapshot(
    ids: [UInt64], typeIndices: [UInt32], sizes: [UInt64], refcounts: [UInt32], generations: [UInt8],
    siteIndices: [UInt32], labelIndices: [UInt32], edgeStarts: [UInt32], edgeTargets: [UInt32], edgeNames: [UInt32],
    typeNames: [String], sites: [String], fieldNames: [String], labels: [String], roots: [(object: Int, name: String)]
) throws -> HeapSnapshot {
    var b = HeapSnapshot.Builder(objectCapacity: ids.count, referenceCapacity: edgeTargets.count)
    for t in typeNames { _ = b.internType(t) }
    for s in sites { _ = b.internSite(s) }
    for f in fieldNames { _ = b.internFieldName(f) }
    for l in labels { _ = b.internLabel(l) }
    for i in ids.indices {
        b.addObject(
            id: ids[i], typeIndex: typeIndices[i], size: sizes[i], refcount: refcounts[i], generation: generations[i],
            siteIndex: siteIndices[i], labelIndex: labelIndices[i])
        for e in Int(edgeStarts[i])..<Int(edgeStarts[i + 1]) {
            b.addReference(from: i, to: Int(edgeTargets[e]), nameIndex: edgeNames[e])
        }
    }
    for r in roots { b.addRoot(r.object, kind: .global, name: r.name) }
    return try b.build(unknownReferences: .reject)
}
