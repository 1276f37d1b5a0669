// V8Reader — reads a V8 heap snapshot (.heapsnapshot: Node, Chrome, Electron, Deno, Bun) into a
// HeapSnapshot: the top-level JSON object's members in one pass (snapshot, nodes, edges, locations,
// strings; the rest skipped), then V8SnapshotAssembly turns the columns into objects, references and roots.
import HeapGraph

/// The V8 heap snapshot reader.
public enum V8HeapSnapshot {
    /// Whether `prefix` starts a JSON object whose first key is `snapshot` (what V8 writes first).
    public static func matches<Bytes: Collection<UInt8>>(prefix: Bytes) -> Bool {
        var rest = prefix[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        func skipSpace() { while let b = rest.first, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { rest = rest.dropFirst() } }
        skipSpace()
        guard rest.first == UInt8(ascii: "{") else { return false }
        rest = rest.dropFirst()
        skipSpace()
        return rest.starts(with: Array("\"snapshot\"".utf8))
    }

    /// Reads the snapshot at `path`.
    /// - Throws: ``DumpError`` naming the file, the byte offset and what was expected.
    /// - Complexity: O(file size); memory: the columns of the file's arrays plus one read buffer.
    public static func read(
        path: String, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy = .reject
    ) throws(DumpError) -> HeapSnapshot {
        var scanner = try V8ByteScanner(path: path)
        return try read(&scanner, unknownReferences: unknownReferences)
    }

    /// Reads a snapshot held in memory (tests, fuzzing).
    public static func read(bytes: [UInt8]) throws(DumpError) -> HeapSnapshot {
        var scanner = V8ByteScanner(bytes: bytes)
        return try read(&scanner, unknownReferences: .reject)
    }

    static func read(
        _ scanner: inout V8ByteScanner, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy
    ) throws(DumpError) -> HeapSnapshot {
        let contents = try readMembers(&scanner)
        do {
            return try V8SnapshotAssembly.build(contents, unknownReferences: unknownReferences)
        } catch {
            var located = error
            if located.file == nil { located.file = scanner.path }
            throw located
        }
    }

    /// The members of the top-level object, checked against one another.
    static func readMembers(_ scanner: inout V8ByteScanner) throws(DumpError) -> V8Contents {
        var contents = V8Contents()
        var layout: V8Layout?
        guard try scanner.openObject("the heap snapshot") else {
            throw scanner.error(.jsonShape, "an empty JSON object is not a V8 heap snapshot")
        }
        repeat {
            let keyOffset = scanner.offset
            let key = try scanner.key()
            if key == "snapshot" {
                layout = try V8Layout.read(&scanner)
                continue
            }
            guard ["nodes", "edges", "locations", "strings"].contains(key) else { try scanner.skipValue(); continue }
            guard let layout else {
                throw DumpError(.jsonShape, file: scanner.path, offset: keyOffset, "\"\(key)\" comes before \"snapshot\", which describes it")
            }
            switch key {
            case "nodes": contents.nodes = try scanner.readNodes(layout)
            case "edges":
                guard let nodes = contents.nodes else {
                    throw DumpError(.jsonShape, file: scanner.path, offset: keyOffset, "\"edges\" comes before \"nodes\"")
                }
                contents.edges = try scanner.readEdges(layout, nodeCount: nodes.count)
            case "locations": contents.locations = try scanner.readLocations(layout, nodeCount: layout.nodeCount)
            default: contents.strings = try scanner.readStrings()
            }
        } while try scanner.continues(closing: UInt8(ascii: "}"))
        if let trailing = try scanner.peekToken() {
            throw scanner.error(.malformed, "unexpected \(V8ByteScanner.describe(trailing)) after the snapshot's closing brace")
        }
        guard let layout else { throw scanner.error(.jsonShape, "no \"snapshot\" member") }
        contents.layout = layout
        try contents.check(file: scanner.path)
        return contents
    }
}

/// Everything read from the file, before it becomes a HeapSnapshot.
struct V8Contents {
    var layout = V8Layout()
    var nodes: V8Nodes?
    var edges: V8Edges?
    var locations = V8Locations()
    var strings: [String]?

    /// Checks what the arrays say about one another: edge counts add up, names index the strings.
    func check(file: String?) throws(DumpError) {
        func fail(_ kind: DumpError.Kind, _ why: String) -> DumpError { DumpError(kind, file: file, why) }
        guard let nodes else { throw fail(.jsonShape, "no \"nodes\" array") }
        guard let edges else { throw fail(.jsonShape, "no \"edges\" array") }
        guard let strings else { throw fail(.jsonShape, "no \"strings\" array") }
        let total = nodes.edgeCounts.reduce(0) { $0 + Int($1) }
        guard total == edges.count else {
            throw fail(.jsonShape, "the nodes' edge counts add up to \(total), but \"edges\" holds \(edges.count)")
        }
        guard nodes.count == 0 || layout.rootNodeOffset < nodes.count else {
            throw fail(.outOfRange, "snapshot.root_index names node \(layout.rootNodeOffset) of \(nodes.count)")
        }
        let stringCount = UInt32(clamping: strings.count)
        if let bad = nodes.names.firstIndex(where: { $0 >= stringCount }) {
            throw fail(.outOfRange, "node \(bad) has name \(nodes.names[bad]) of \(strings.count) strings")
        }
        let named = V8Naming.namedEdgeTypes(layout.edgeTypes)
        for e in 0..<edges.count where named[Int(edges.types[e])] && edges.nameOrIndex[e] >= stringCount {
            throw fail(.outOfRange, "edge \(e) has name \(edges.nameOrIndex[e]) of \(strings.count) strings")
        }
    }
}
