// heapscan-fixtures — writes the bundled example dumps (fixtures/*.heap and their .json twins).
// `swift run heapscan-fixtures fixtures/`. Each heap is a small program's object graph: objects with
// types, sizes, allocation sites, reference counts that follow CPython's rule, and the blocks really
// allocated from a HeapArena allocator so the dumps carry real allocator statistics. The output is
// deterministic: the same bytes on every run.
import Foundation
import HeapArena
import HeapGraph

/// A tiny program heap: objects with reference counts kept as CPython keeps them (one per reference
/// from another object, one per external handle), each backed by a real arena block.
final class ExampleHeap {
    private var builder = HeapSnapshotBuilder()
    private var objects: [(id: UInt64, type: String, size: UInt64, site: String, label: String?, generation: UInt8)] = []
    private var refcounts: [UInt64: UInt32] = [:]
    private var nextID: UInt64
    private let allocator: ArenaAllocator?
    private var blocks: [UnsafeMutableRawPointer] = []

    /// Ids start at `firstID` and step by 16, like addresses of 16-byte aligned blocks.
    init(firstID: UInt64 = 0x1000) {
        nextID = firstID
        allocator = try? ArenaAllocator()
    }

    deinit {
        for block in blocks { allocator?.deallocate(block) }
    }

    /// Allocates an object; `line` is its allocation site in the example program.
    @discardableResult
    func new(_ type: String, size: UInt64, line: Int, label: String? = nil, generation: UInt8 = 0) -> UInt64 {
        let id = nextID
        nextID += 16 * ((size + 15) / 16)
        objects.append((id, type, size, "example.swift:\(line)", label, generation))
        refcounts[id] = 0
        if let allocator, let block = try? allocator.allocate(byteCount: Int(size)) { blocks.append(block) }
        return id
    }

    /// A reference from one object's field to another.
    func ref(_ from: UInt64, _ to: UInt64, _ field: String?) {
        builder.reference(from: from, to: to, name: field)
        refcounts[to, default: 0] += 1
    }

    /// An external handle (a global, a stack variable): a root in the dump.
    func hold(_ id: UInt64, as name: String) {
        builder.root(id, name: name)
        refcounts[id, default: 0] += 1
    }

    /// The snapshot, with the allocator's statistics at this moment.
    func snapshot() -> HeapSnapshot {
        var b = builder
        for o in objects {
            b.add(id: o.id, type: o.type, size: o.size, refcount: refcounts[o.id], generation: o.generation, site: o.site, label: o.label)
        }
        b.allocator = allocator?.statistics
        return b.build()
    }
}

/// A heap everyone holds through `main.app`: an App object with a config dictionary.
func application(_ heap: ExampleHeap) -> UInt64 {
    let app = heap.new("App", size: 64, line: 3, label: "main app", generation: 2)
    let config = heap.new("Dict", size: 112, line: 4, generation: 2)
    heap.ref(app, config, "config")
    heap.hold(app, as: "main.app")
    return app
}

/// Two objects referring to each other, reachable from nothing: the classic leaked cycle.
func twoObjectCycle() -> HeapSnapshot {
    let heap = ExampleHeap()
    _ = application(heap)
    let parent = heap.new("TreeNode", size: 48, line: 20, label: "parent")
    let child = heap.new("TreeNode", size: 48, line: 21, label: "child")
    heap.ref(parent, child, "children[0]")
    heap.ref(child, parent, "parent")
    return heap.snapshot()
}

/// An object that refers to itself and nothing else holds it; next to a live object doing the same.
func selfLoop() -> HeapSnapshot {
    let heap = ExampleHeap()
    let app = application(heap)
    let leaked = heap.new("Observer", size: 32, line: 30, label: "leaked")
    heap.ref(leaked, leaked, "delegate")
    let live = heap.new("Observer", size: 32, line: 31, label: "live")
    heap.ref(live, live, "delegate")
    heap.ref(app, live, "observer")
    return heap.snapshot()
}

/// A leaked cycle (Session ↔ Connection) with a chain of buffers hanging from it: the buffers are
/// garbage only because the cycle is; the cycle is the root cause to report.
func leakFromCycle() -> HeapSnapshot {
    let heap = ExampleHeap()
    _ = application(heap)
    let session = heap.new("Session", size: 80, line: 40)
    let connection = heap.new("Connection", size: 96, line: 41)
    heap.ref(session, connection, "connection")
    heap.ref(connection, session, "owner")
    var previous = session
    for k in 0..<4 {
        let buffer = heap.new("Buffer", size: 256, line: 44, label: "chunk \(k)")
        heap.ref(previous, buffer, k == 0 ? "pending" : "next")
        previous = buffer
    }
    let bytes = heap.new("Bytes", size: 512, line: 47)
    heap.ref(previous, bytes, "storage")
    return heap.snapshot()
}

/// top → left, top → right, left → bottom, right → bottom; everything alive, bottom reached twice
/// (so top, not left or right, dominates it).
func diamond() -> HeapSnapshot {
    let heap = ExampleHeap()
    let app = application(heap)
    let top = heap.new("Node", size: 48, line: 50, label: "top")
    let left = heap.new("Node", size: 48, line: 51, label: "left")
    let right = heap.new("Node", size: 48, line: 52, label: "right")
    let bottom = heap.new("Node", size: 48, line: 53, label: "bottom")
    heap.ref(app, top, "graph")
    heap.ref(top, left, "left")
    heap.ref(top, right, "right")
    heap.ref(left, bottom, "next")
    heap.ref(right, bottom, "next")
    return heap.snapshot()
}

/// A linked list of 5,000 nodes held by its head, ending in a node that points back to the head
/// through an unnamed reference; walks of this must iterate, not recurse.
func longChain() -> HeapSnapshot {
    let heap = ExampleHeap()
    let app = application(heap)
    let head = heap.new("ListNode", size: 32, line: 60, label: "head")
    heap.ref(app, head, "list")
    var previous = head
    for _ in 1..<5_000 {
        let node = heap.new("ListNode", size: 32, line: 62)
        heap.ref(previous, node, "next")
        previous = node
    }
    heap.ref(previous, head, nil)
    return heap.snapshot()
}

/// One program at two moments: a request cache that never evicts. `after` is the same heap (same ids
/// for the objects that survived) with 40 more cached responses and their headers.
func growth() -> (before: HeapSnapshot, after: HeapSnapshot) {
    func program(requests: Int) -> HeapSnapshot {
        let heap = ExampleHeap()
        let app = application(heap)
        let cache = heap.new("ResponseCache", size: 64, line: 70, label: "responses", generation: 2)
        let table = heap.new("Dict", size: 1184, line: 71, generation: 2)
        heap.ref(app, cache, "cache")
        heap.ref(cache, table, "table")
        let server = heap.new("Server", size: 96, line: 73, generation: 2)
        heap.hold(server, as: "main.server")
        for r in 0..<requests {
            let generation: UInt8 = r < 20 ? 2 : 0
            let response = heap.new("Response", size: 80, line: 80, label: "GET /item/\(r)", generation: generation)
            let headers = heap.new("Headers", size: 144, line: 81, generation: generation)
            let body = heap.new("Bytes", size: 496, line: 82, generation: generation)
            heap.ref(table, response, "[\"/item/\(r)\"]")
            heap.ref(response, headers, "headers")
            heap.ref(response, body, "body")
        }
        return heap.snapshot()
    }
    return (program(requests: 20), program(requests: 60))
}

// MARK: Writing

let arguments = CommandLine.arguments.dropFirst()
let directory = URL(fileURLWithPath: arguments.first ?? "fixtures", isDirectory: true)
do {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let (before, after) = growth()
    let fixtures: [(String, HeapSnapshot)] = [
        ("two-object-cycle", twoObjectCycle()), ("self-loop", selfLoop()), ("leak-from-cycle", leakFromCycle()),
        ("diamond", diamond()), ("long-chain", longChain()), ("growth-before", before), ("growth-after", after),
    ]
    for (name, snapshot) in fixtures {
        for format in DumpFormat.allCases {
            let url = directory.appendingPathComponent("\(name).\(format.fileExtension)")
            try snapshot.write(to: url, format: format)
            print("wrote \(url.path): \(snapshot.objectCount) objects, \(snapshot.edgeCount) references")
        }
    }
} catch {
    FileHandle.standardError.write(Data("heapscan-fixtures: \(error)\n".utf8))
    exit(1)
}
