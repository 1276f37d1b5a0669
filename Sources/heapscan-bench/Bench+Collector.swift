// Bench+Collector — the cycle collector against CPython's gc: the same heap shape (1M objects, a live
// tree of four-slot containers, 10% garbage in rings of 2–10 with acyclic chains hanging off them) built
// in a ManagedHeap and by scripts/peers/cpython_gc.py with automatic collection off, then one full
// collection timed on each side; both must collect the same number of objects.
import Foundation
import ManagedHeap

/// A ManagedHeap holding the collector benchmark's shape (see scripts/peers/cpython_gc.py for the
/// exact rules, which this follows object for object). Reusable by other benchmarks (the snapshot
/// benchmark takes one full collection of this heap as a reference point).
final class CollectorBenchHeap {
    let heap: ManagedHeap
    /// The live tree's root, holding one external count (released by `deinit`).
    let root: ObjectRef
    /// Objects that are garbage (a full collection must collect exactly these).
    let garbage: Int
    let objects: Int

    /// Builds `objects` objects of which `garbagePercent` percent are cyclic garbage, with automatic
    /// collection disabled (left disabled).
    init(objects: Int = 1_000_000, garbagePercent: Int = 10) throws {
        heap = ManagedHeap()
        heap.collector.disable()
        self.objects = objects
        garbage = objects * garbagePercent / 100
        let node = try heap.register(ObjectType(name: "Node", fields: ["c0", "c1", "c2", "c3"]))
        let fields = [
            try heap.field("c0", of: node), try heap.field("c1", of: node), try heap.field("c2", of: node),
            try heap.field("c3", of: node),
        ]
        let live = objects - garbage
        var nodes: [ObjectRef] = []
        nodes.reserveCapacity(live)
        for i in 0..<live {
            let o = try heap.allocate(node)
            if i > 0 {
                try heap.store(o, into: nodes[(i - 1) / 4], fields[(i - 1) % 4])
                try heap.release(o)  // the parent's field holds it now
            }
            nodes.append(o)
        }
        root = nodes[0]
        var remaining = garbage, group = 0
        var members: [ObjectRef] = []
        while remaining > 0 {
            var k = 2 + group % 9, h = group % 4
            if k + h > remaining {
                k = min(k, remaining)
                h = remaining - k
            }
            members.removeAll(keepingCapacity: true)
            for _ in 0..<k { members.append(try heap.allocate(node)) }
            for j in 0..<k { try heap.store(members[(j + 1) % k], into: members[j], fields[0]) }
            var holder = members[0], field = fields[1]
            for _ in 0..<h {
                let hanger = try heap.allocate(node)
                try heap.store(hanger, into: holder, field)
                try heap.release(hanger)
                holder = hanger
                field = fields[0]
            }
            try heap.store(nodes[group % live], into: members[0], fields[2])
            for m in members { try heap.release(m) }
            remaining -= k + h
            group += 1
        }
    }

    deinit { try? heap.release(root) }
}

func benchCollector() throws {
    let objects = 1_000_000
    let runs = 3
    let peerOutput = try runPeer("cpython_gc.py", ["\(objects)", "10", "\(runs)"])
    guard let peerSeconds = peerValue(peerOutput, "seconds"), let peerCollected = peerValue(peerOutput, "collected") else {
        throw BenchError("cpython_gc.py printed no timing: \(peerOutput)")
    }
    var best = Double.infinity, collected = -1, build = 0.0
    for _ in 0..<runs {
        var shape: CollectorBenchHeap? = nil
        build = try seconds { shape = try CollectorBenchHeap(objects: objects) }
        guard let shape else { throw BenchError("collector benchmark heap was not built") }
        var report: CollectionReport? = nil
        best = min(best, try seconds { report = try shape.heap.collect(report: .counts) })
        guard let report, report.collected == shape.garbage else {
            throw BenchError("full collection collected \(report?.collected ?? -1), expected \(shape.garbage)")
        }
        collected = report.collected
    }
    report(
        "gc-full-1m", ours: best, peer: peerSeconds, unit: "s",
        extra: "collected=\(collected) peer_collected=\(Int(peerCollected)) build_s=\(format(build))")
    guard collected == Int(peerCollected) else {
        throw BenchError("collected \(collected) objects but gc.collect() found \(Int(peerCollected))")
    }
    // The same collection with the garbage grouped into cycles with roots (the report users read).
    let shape = try CollectorBenchHeap(objects: objects)
    var withCycles: CollectionReport? = nil
    let cyclesSeconds = try seconds { withCycles = try shape.heap.collect(report: .cycles) }
    report(
        "gc-full-1m-cycles-report", ours: cyclesSeconds, peer: peerSeconds, unit: "s",
        extra: "collected=\(withCycles?.collected ?? -1) cycles=\(withCycles?.cycles.count ?? -1)")
}
