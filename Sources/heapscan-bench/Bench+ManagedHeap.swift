// Bench+ManagedHeap — the managed heap against CPython on the same workloads (scripts/peers/cpython_heap.py):
// allocate + initialise (both fields) + release of small objects, field stores, and the O(heap) referrers scan
// against gc.get_referrers. Objects have two reference fields, like the peer's `__slots__ = ("a", "b")`.
import Foundation
import ManagedHeap

func benchManagedHeap() throws {
    try benchHeapAllocation()
    try benchHeapStores()
    try benchHeapReferrers()
}

/// `o = Node(x, x)` (an `__init__` storing both fields) with the previous `o` freed: one allocation, two
/// stores and one free per object.
private func benchHeapAllocation() throws {
    let count = 5_000_000
    let heap = ManagedHeap()
    let node = try heap.register(ObjectType(name: "Node", fields: ["a", "b"]))
    let a = try heap.field("a", of: node), b = try heap.field("b", of: node)
    let x = try heap.make(node)
    var failure: (any Error)?
    let ours = bestOf(3) {
        do {
            for _ in 0..<count {
                let o = try heap.allocate(node)
                try heap.store(x.ref, into: o, a)
                try heap.store(x.ref, into: o, b)
                try heap.release(o)
            }
        } catch { failure = error }
    } / Double(count) * 1e9
    if let failure { throw failure }
    let peer = try runPeer("cpython_heap.py", ["alloc", "\(count)"])
    guard let peerNs = peerValue(peer, "alloc_ns") else { throw BenchError("cpython_heap.py alloc printed no alloc_ns: \(peer)") }
    report("heap-alloc", ours: ours, peer: peerNs, unit: "ns/object", extra: "objects=\(count)")
}

/// `o.a = x; o.a = y` alternately: every store retains the new target and releases the old one.
private func benchHeapStores() throws {
    let count = 20_000_000
    let heap = ManagedHeap()
    let node = try heap.register(ObjectType(name: "Node", fields: ["a", "b"]))
    let a = try heap.field("a", of: node)
    let o = try heap.make(node), x = try heap.make(node), y = try heap.make(node)
    var failure: (any Error)?
    let ours = bestOf(3) {
        do {
            for _ in 0..<count / 2 {
                try heap.store(x.ref, into: o.ref, a)
                try heap.store(y.ref, into: o.ref, a)
            }
        } catch { failure = error }
    } / Double(count) * 1e9
    if let failure { throw failure }
    let peer = try runPeer("cpython_heap.py", ["store", "\(count / 4)"])
    guard let peerNs = peerValue(peer, "store_ns") else { throw BenchError("cpython_heap.py store printed no store_ns: \(peer)") }
    report("heap-store", ours: ours, peer: peerNs, unit: "ns/store", extra: "stores=\(count)")
}

/// `referrers(of:)` keeps no reverse index: it scans every reference, like `gc.get_referrers`.
private func benchHeapReferrers() throws {
    let count = 1_000_000
    let heap = try QuadHeap(objects: count)
    let target = heap.objects[count / 2]
    var found = 0
    var failure: (any Error)?
    let ours = bestOf(3) {
        do { found = try heap.heap.referrers(of: target).count } catch { failure = error }
    }
    if let failure { throw failure }
    let peer = try runPeer("cpython_heap.py", ["referrers", "\(count)"])
    guard let peerSeconds = peerValue(peer, "referrers_s") else {
        throw BenchError("cpython_heap.py referrers printed no referrers_s: \(peer)")
    }
    report("heap-referrers-1m", ours: ours, peer: peerSeconds, unit: "s", extra: "objects=\(count) referrers=\(found)")
}

/// `objects` objects with four reference fields each: c0 links object i to i + 1 (so every object is
/// reachable from object 0, the only one with an external count), c1...c3 point to random objects.
/// 4 × objects references in all, the shape of the snapshot benchmark.
final class QuadHeap {
    let heap = ManagedHeap()
    /// Every object, borrowed (all alive through the c0 chain from `objects[0]`).
    let objects: [ObjectRef]

    init(objects count: Int, seed: UInt64 = 1) throws {
        let heap = self.heap
        heap.collector.disable()
        let quad = try heap.register(ObjectType(name: "Quad", fields: ["c0", "c1", "c2", "c3"], payloadSize: 8))
        let fields = try ["c0", "c1", "c2", "c3"].map { try heap.field($0, of: quad) }
        var objects: [ObjectRef] = []
        objects.reserveCapacity(count)
        for _ in 0..<count { objects.append(try heap.allocate(quad)) }
        var state = seed
        func next() -> Int {  // SplitMix64, so every run builds the same graph
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) % UInt64(count))
        }
        for i in 0..<count {
            if i + 1 < count { try heap.store(objects[i + 1], into: objects[i], fields[0]) }
            for f in 1..<4 { try heap.store(objects[next()], into: objects[i], fields[f]) }
        }
        for o in objects.dropFirst() { try heap.release(o) }
        self.objects = objects
    }

    deinit { try? heap.release(objects[0]) }
}
