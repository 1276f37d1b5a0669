// heapscan-example — a small document server written on ManagedHeap that leaks the way real programs
// do, then dumps its heap for `heapscan` (the README's `make demo` runs it).
//
//   heapscan-example [--early PATH] [PATH]      (PATH defaults to out/example.heap)
//
// The three leaks, each a classic:
// 1. Closed documents: a document and its pages point at each other (`pages`, `next`, and the strong
//    back pointer `document`). Closing a document only drops it from the open-document list, so each
//    closed document is a garbage cycle holding its pages' text buffers. (`heapscan cycles`)
// 2. An observer list never cleared: every request handler subscribes to the event bus and never
//    unsubscribes, so the bus keeps every handler and its scratch state alive. (`heapscan retainers`)
// 3. A cache that never evicts: every response is cached forever. (`heapscan retainers`, `diff`)
import Foundation
import HeapGraph
import ManagedHeap

var outputPath = "out/example.heap"
var earlyPath: String? = nil
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--early":
        guard let path = arguments.popFirst() else { fail("--early needs a path") }
        earlyPath = path
    case "-h", "--help":
        print("usage: heapscan-example [--early PATH] [PATH]   (PATH defaults to out/example.heap)")
        exit(0)
    default:
        outputPath = argument
    }
}

do {
    let server = try DocumentServer()
    for name in ["report.txt", "notes.md", "draft.md", "todo.txt", "slides.key"] {
        try server.open(name, pages: name.hasSuffix(".md") ? 5 : 3)
    }
    for request in 0..<100 { try server.handle(request) }
    if let earlyPath { try dump(server.heap, to: earlyPath) }
    for request in 100..<200 { try server.handle(request) }
    // The user closes three documents; the server only forgets them in its open list.
    for name in ["notes.md", "draft.md", "slides.key"] { try server.close(name) }
    try dump(server.heap, to: outputPath)
    print("heapscan-example: \(server.summary)")
} catch {
    fail("\(error)")
}

/// Writes the heap's snapshot to `path`, creating the folder.
func dump(_ heap: ManagedHeap, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let snapshot = heap.snapshot()
    try snapshot.write(to: url)
    print("heapscan-example: dumped \(snapshot.objectCount) objects (\(snapshot.totalBytes) bytes) to \(path)")
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("heapscan-example: \(message)\n".utf8))
    exit(1)
}
