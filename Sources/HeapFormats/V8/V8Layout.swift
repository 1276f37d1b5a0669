// V8Layout — the `snapshot` member of a .heapsnapshot: its `meta` schema (which field sits where in the
// flat node, edge and location arrays, and the names of the node and edge types) and the announced
// counts. Nothing about the layout is assumed: a field the reader needs and the meta lacks is an error.
import HeapGraph

/// Where each needed field sits in the flat arrays, read from `snapshot.meta`.
struct V8Layout {
    /// Integers per node, per edge, per location.
    var nodeFieldCount = 0, edgeFieldCount = 0, locationFieldCount = 0
    /// Offsets inside one node's fields.
    var nodeType = 0, nodeName = 0, nodeID = 0, nodeSelfSize = 0, nodeEdgeCount = 0
    /// Offset of `detachedness`, when the producer writes it.
    var nodeDetachedness: Int?
    /// Offsets inside one edge's fields.
    var edgeType = 0, edgeNameOrIndex = 0, edgeToNode = 0
    /// Offsets inside one location's fields, when the meta has `location_fields`.
    var locationObject = 0, locationScript = 0, locationLine = 0, locationColumn = 0
    var hasLocationFields = false
    /// Node type names by their number (`hidden`, `array`, `string`, `object`, …).
    var nodeTypes: [String] = []
    /// Edge type names by their number (`context`, `element`, `property`, …).
    var edgeTypes: [String] = []
    /// Counts announced in `snapshot`, checked against the arrays.
    var nodeCount = 0, edgeCount = 0
    /// The synthetic root's node position (`snapshot.root_index` divided by the node width; 0 by default).
    var rootNodeOffset = 0

    /// Reads the `snapshot` object at the scanner's position.
    static func read(_ scanner: inout V8ByteScanner) throws(DumpError) -> V8Layout {
        var layout = V8Layout()
        var meta: [String: [[String]]]?
        var counts: [String: UInt64] = [:]
        let metaOffset = scanner.offset
        if try scanner.openObject("snapshot") {
            repeat {
                let k = try scanner.key()
                switch k {
                case "meta": meta = try readMeta(&scanner)
                case "node_count", "edge_count", "root_index": counts[k] = try scanner.unsignedInteger()
                default: try scanner.skipValue()
                }
            } while try scanner.continues(closing: UInt8(ascii: "}"))
        }
        guard let meta else {
            throw DumpError(.jsonShape, file: scanner.path, offset: metaOffset, "snapshot has no \"meta\" describing the arrays")
        }
        try layout.apply(meta, file: scanner.path, offset: metaOffset)
        layout.nodeCount = Int(clamping: counts["node_count"] ?? 0)
        layout.edgeCount = Int(clamping: counts["edge_count"] ?? 0)
        guard counts["node_count"] != nil, counts["edge_count"] != nil else {
            throw DumpError(.jsonShape, file: scanner.path, offset: metaOffset, "snapshot lacks \"node_count\" or \"edge_count\"")
        }
        let root = Int(clamping: counts["root_index"] ?? 0)
        guard root % layout.nodeFieldCount == 0 else {
            throw DumpError(.jsonShape, file: scanner.path, offset: metaOffset, "snapshot.root_index \(root) is not a multiple of \(layout.nodeFieldCount) node fields")
        }
        layout.rootNodeOffset = root / layout.nodeFieldCount
        return layout
    }

    /// `meta` as lists: a member whose value is `["a", ["b", "c"]]` becomes `[["a"], ["b", "c"]]`;
    /// other shapes are skipped (they describe arrays this reader does not use).
    private static func readMeta(_ scanner: inout V8ByteScanner) throws(DumpError) -> [String: [[String]]] {
        var meta: [String: [[String]]] = [:]
        guard try scanner.openObject("snapshot.meta") else { return meta }
        repeat {
            let k = try scanner.key()
            guard try scanner.peekToken() == UInt8(ascii: "[") else { try scanner.skipValue(); continue }
            var entries: [[String]] = []
            if try scanner.openArray("snapshot.meta.\(k)") {
                repeat {
                    switch try scanner.peekToken() {
                    case UInt8(ascii: "\""): entries.append([try scanner.string()])
                    case UInt8(ascii: "["):
                        var names: [String] = []
                        if try scanner.openArray("snapshot.meta.\(k)[\(entries.count)]") {
                            repeat { names.append(try scanner.string()) } while try scanner.continues(closing: UInt8(ascii: "]"))
                        }
                        entries.append(names)
                    default:
                        try scanner.skipValue()
                        entries.append([])
                    }
                } while try scanner.continues(closing: UInt8(ascii: "]"))
            }
            meta[k] = entries
        } while try scanner.continues(closing: UInt8(ascii: "}"))
        return meta
    }

    /// Finds every needed field in `meta`.
    private mutating func apply(_ meta: [String: [[String]]], file: String?, offset: Int) throws(DumpError) {
        func fail(_ why: String) -> DumpError { DumpError(.jsonShape, file: file, offset: offset, "snapshot.meta: \(why)") }
        func fields(_ key: String) throws(DumpError) -> [String] {
            guard let entries = meta[key] else { throw fail("no \"\(key)\"") }
            return entries.map { $0.first ?? "" }
        }
        func position(_ name: String, in list: [String], of key: String) throws(DumpError) -> Int {
            guard let i = list.firstIndex(of: name) else { throw fail("\"\(key)\" has no \"\(name)\" field") }
            return i
        }
        let node = try fields("node_fields")
        nodeFieldCount = node.count
        nodeType = try position("type", in: node, of: "node_fields")
        nodeName = try position("name", in: node, of: "node_fields")
        nodeID = try position("id", in: node, of: "node_fields")
        nodeSelfSize = try position("self_size", in: node, of: "node_fields")
        nodeEdgeCount = try position("edge_count", in: node, of: "node_fields")
        nodeDetachedness = node.firstIndex(of: "detachedness")
        let edge = try fields("edge_fields")
        edgeFieldCount = edge.count
        edgeType = try position("type", in: edge, of: "edge_fields")
        edgeNameOrIndex = try position("name_or_index", in: edge, of: "edge_fields")
        edgeToNode = try position("to_node", in: edge, of: "edge_fields")
        guard let nodeTypeList = meta["node_types"], nodeType < nodeTypeList.count, !nodeTypeList[nodeType].isEmpty else {
            throw fail("\"node_types\" lacks the list of node type names")
        }
        nodeTypes = nodeTypeList[nodeType]
        guard let edgeTypeList = meta["edge_types"], edgeType < edgeTypeList.count, !edgeTypeList[edgeType].isEmpty else {
            throw fail("\"edge_types\" lacks the list of edge type names")
        }
        edgeTypes = edgeTypeList[edgeType]
        if meta["location_fields"] != nil {
            let location = try fields("location_fields")
            locationFieldCount = location.count
            locationObject = try position("object_index", in: location, of: "location_fields")
            locationScript = try position("script_id", in: location, of: "location_fields")
            locationLine = try position("line", in: location, of: "location_fields")
            locationColumn = try position("column", in: location, of: "location_fields")
            hasLocationFields = true
        }
    }
}
