// heapscan-fixtures — writes the bundled example dumps (fixtures/*.heap and their .json twins).
// `swift run heapscan-fixtures fixtures/`. Each heap is built with the managed heap (ManagedHeap) as a
// small program would build it: registered types with named fields, objects allocated from the
// arena allocator, references stored in fields and slots, handles held from outside (the roots), and
// then `snapshot()`. Automatic collection is off so the leaks stay for the dumps to show. The output
// is deterministic: the same bytes on every run.
import Foundation
import HeapGraph
import ManagedHeap

/// A program's heap: types registered on first use, objects the program holds a handle to until
/// `snapshot()`, which lets go of every handle not kept as a named root.
final class ExampleHeap {
    let heap = ManagedHeap()
    private var types: [String: TypeID] = [:]
    /// Objects whose allocation count the program still holds, in allocation order.
    private var held: [ObjectRef] = []
    private var kept: Set<UInt64> = []

    init() { heap.collector.disable() }

    /// Allocates an object of type `name` (registered with `fields` and variable slots on first use);
    /// the allocation site is the caller's line.
    @discardableResult
    func new(
        _ name: String, fields: [String] = [], slots: Int = 0, payload: Int = 0, label: String? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) throws -> ObjectRef {
        let type: TypeID
        if let known = types[name] {
            type = known
        } else {
            type = try heap.register(ObjectType(name: name, fields: fields, hasVariableSlots: slots > 0, payloadSize: payload))
            types[name] = type
        }
        let object = try heap.allocate(type, slots: slots, file: file, line: line)
        if let label { try heap.setLabel(label, for: object) }
        held.append(object)
        return object
    }

    /// Stores `target` into `object`'s field `field`.
    func ref(_ object: ObjectRef, _ field: String, _ target: ObjectRef) throws {
        try heap.store(target, into: object, field: field)
    }

    /// Stores `target` into `object`'s variable slot `slot` (an unnamed reference).
    func ref(_ object: ObjectRef, slot: Int, _ target: ObjectRef) throws {
        try heap.store(target, into: object, slot: slot)
    }

    /// Keeps the program's handle to `object` under `name`: a root in the dump.
    func hold(_ object: ObjectRef, as name: String) throws {
        try heap.setRootName(name, for: object)
        kept.insert(object.id)
    }

    /// Lets go of every handle not kept (what is left unreachable is the garbage), then snapshots.
    func snapshot() throws -> HeapSnapshot {
        for object in held where !kept.contains(object.id) && heap.isLive(object) {
            try heap.release(object)
        }
        held.removeAll { !kept.contains($0.id) }
        return heap.snapshot()
    }
}

/// The application root every example has: `main.app` → App → Dict (`config`).
func application(_ heap: ExampleHeap, fields: [String] = []) throws -> ObjectRef {
    let app = try heap.new("App", fields: ["config"] + fields, label: "main app")
    let config = try heap.new("Dict", slots: 4)
    try heap.ref(app, "config", config)
    try heap.hold(app, as: "main.app")
    return app
}

/// Two objects referring to each other, reachable from nothing: the classic leaked cycle.
func twoObjectCycle() throws -> HeapSnapshot {
    let heap = ExampleHeap()
    _ = try application(heap)
    let parent = try heap.new("TreeNode", fields: ["parent", "children"], label: "parent")
    let child = try heap.new("TreeNode", fields: ["parent", "children"], label: "child")
    try heap.ref(parent, "children", child)
    try heap.ref(child, "parent", parent)
    return try heap.snapshot()
}

/// An object that refers to itself and nothing else holds it; next to a live object doing the same.
func selfLoop() throws -> HeapSnapshot {
    let heap = ExampleHeap()
    let app = try application(heap, fields: ["observer"])
    let leaked = try heap.new("Observer", fields: ["delegate"], label: "leaked")
    try heap.ref(leaked, "delegate", leaked)
    let live = try heap.new("Observer", fields: ["delegate"], label: "live")
    try heap.ref(live, "delegate", live)
    try heap.ref(app, "observer", live)
    return try heap.snapshot()
}

/// A leaked cycle (Session ↔ Connection) with a chain of buffers hanging from it: the buffers are
/// garbage only because the cycle is; the cycle is the root cause to report.
func leakFromCycle() throws -> HeapSnapshot {
    let heap = ExampleHeap()
    _ = try application(heap)
    let session = try heap.new("Session", fields: ["connection", "pending"])
    let connection = try heap.new("Connection", fields: ["owner"], payload: 24)
    try heap.ref(session, "connection", connection)
    try heap.ref(connection, "owner", session)
    var previous = session
    for k in 0..<4 {
        let buffer = try heap.new("Buffer", fields: ["next", "storage"], payload: 184, label: "chunk \(k)")
        try heap.ref(previous, k == 0 ? "pending" : "next", buffer)
        previous = buffer
    }
    let bytes = try heap.new("Bytes", payload: 440)
    try heap.ref(previous, "storage", bytes)
    return try heap.snapshot()
}

/// top → left, top → right, left → bottom, right → bottom; everything alive, bottom reached twice
/// (so top, not left or right, dominates it).
func diamond() throws -> HeapSnapshot {
    let heap = ExampleHeap()
    let app = try application(heap, fields: ["graph"])
    let node = ["left", "right", "next"]
    let top = try heap.new("Node", fields: node, label: "top")
    let left = try heap.new("Node", fields: node, label: "left")
    let right = try heap.new("Node", fields: node, label: "right")
    let bottom = try heap.new("Node", fields: node, label: "bottom")
    try heap.ref(app, "graph", top)
    try heap.ref(top, "left", left)
    try heap.ref(top, "right", right)
    try heap.ref(left, "next", bottom)
    try heap.ref(right, "next", bottom)
    return try heap.snapshot()
}

/// A linked list of 5,000 nodes held by the app, the last one pointing back to the head through an
/// unnamed slot; walks of this must iterate, not recurse.
func longChain() throws -> HeapSnapshot {
    let heap = ExampleHeap()
    let app = try application(heap, fields: ["list"])
    let head = try heap.new("ListNode", fields: ["next"], label: "head")
    try heap.ref(app, "list", head)
    var previous = head
    for _ in 1..<4_999 {
        let node = try heap.new("ListNode", fields: ["next"])
        try heap.ref(previous, "next", node)
        previous = node
    }
    let last = try heap.new("ListTail", slots: 1, label: "tail")
    try heap.ref(previous, "next", last)
    try heap.ref(last, slot: 0, head)
    return try heap.snapshot()
}

/// One program at two moments: a request cache that never evicts. The first dump is taken after 20
/// requests and a young-generation collection (they are now generation 1); the second, of the same
/// heap, after 40 more (generation 0). Objects keep their ids across the two dumps.
func growth() throws -> (before: HeapSnapshot, after: HeapSnapshot) {
    let heap = ExampleHeap()
    let app = try application(heap, fields: ["cache"])
    let cache = try heap.new("ResponseCache", fields: ["table"], label: "responses")
    let table = try heap.new("Dict", slots: 64)
    try heap.ref(app, "cache", cache)
    try heap.ref(cache, "table", table)
    let server = try heap.new("Server", fields: ["cache"], payload: 32)
    try heap.ref(server, "cache", cache)
    try heap.hold(server, as: "main.server")
    func serve(_ r: Int) throws {
        let response = try heap.new("Response", fields: ["headers", "body"], label: "GET /item/\(r)")
        let headers = try heap.new("Headers", slots: 8)
        let body = try heap.new("Bytes", payload: 424)
        try heap.ref(table, slot: r, response)
        try heap.ref(response, "headers", headers)
        try heap.ref(response, "body", body)
    }
    for r in 0..<20 { try serve(r) }
    _ = try heap.snapshot()
    try heap.heap.collect(generation: 0)
    let before = try heap.snapshot()
    for r in 20..<60 { try serve(r) }
    return (before, try heap.snapshot())
}

// MARK: Writing

let arguments = CommandLine.arguments.dropFirst()
let directory = URL(fileURLWithPath: arguments.first ?? "fixtures", isDirectory: true)
do {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let (before, after) = try growth()
    let fixtures: [(String, HeapSnapshot)] = [
        ("two-object-cycle", try twoObjectCycle()), ("self-loop", try selfLoop()), ("leak-from-cycle", try leakFromCycle()),
        ("diamond", try diamond()), ("long-chain", try longChain()), ("growth-before", before), ("growth-after", after),
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
