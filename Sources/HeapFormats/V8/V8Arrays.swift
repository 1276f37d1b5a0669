// V8Arrays — the flat integer arrays of a .heapsnapshot (`nodes`, `edges`) read straight into
// typed columns: one integer at a time from the scanner's buffer, no JSON values, nothing allocated per
// element, and capacities bounded by the bytes left in the file (each integer takes at least two bytes).
import HeapGraph

/// The nodes, one column per field the reader uses, in the file's order.
struct V8Nodes {
    var types: [UInt8] = []
    var names: [UInt32] = []
    var ids: [UInt64] = []
    var sizes: [UInt64] = []
    var edgeCounts: [UInt32] = []
    /// 0 unknown, 1 attached, 2 detached; empty when the meta has no `detachedness`.
    var detachedness: [UInt8] = []
    var count: Int { ids.count }
}

/// The edges in the file's order: each node's edges follow the previous node's.
struct V8Edges {
    var types: [UInt8] = []
    /// A string index for named edges, the element or hidden index otherwise.
    var nameOrIndex: [UInt32] = []
    /// Target node position (the file's `to_node` divided by the node width).
    var targets: [UInt32] = []
    var count: Int { targets.count }
}

extension V8ByteScanner {
    /// Reads up to `width` integers of one record into `record`; false at the array's end.
    @inline(__always) mutating func record(
        _ record: UnsafeMutableBufferPointer<UInt64>, first: inout Bool, array: String
    ) throws(DumpError) -> Bool {
        for f in 0..<record.count {
            if !first, let value = fastCommaInteger() {
                record[f] = value
                continue
            }
            if first {
                first = false
            } else if !(try continues(closing: UInt8(ascii: "]"))) {
                guard f == 0 else { throw error(.jsonShape, "\(array) ends inside a record of \(record.count) integers") }
                return false
            }
            record[f] = try unsignedInteger()
        }
        return true
    }

    /// A capacity for `announced` records of `width` integers that the bytes left can justify.
    private func capacity(_ announced: Int, width: Int) -> Int {
        min(announced, (size - offset) / max(2 * width, 1) + 1)
    }

    /// Reads the `nodes` array.
    /// - Complexity: O(array length), no allocation per node.
    mutating func readNodes(_ layout: V8Layout) throws(DumpError) -> V8Nodes {
        var nodes = V8Nodes()
        let reserve = capacity(layout.nodeCount, width: layout.nodeFieldCount)
        nodes.types.reserveCapacity(reserve); nodes.names.reserveCapacity(reserve); nodes.ids.reserveCapacity(reserve)
        nodes.sizes.reserveCapacity(reserve); nodes.edgeCounts.reserveCapacity(reserve)
        if layout.nodeDetachedness != nil { nodes.detachedness.reserveCapacity(reserve) }
        var first = true
        guard try openArray("nodes") else { return nodes }
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: layout.nodeFieldCount) { (r) throws(DumpError) in
            let typeCount = UInt64(layout.nodeTypes.count)
            while try record(r, first: &first, array: "nodes") {
                guard r[layout.nodeType] < typeCount else {
                    throw error(.outOfRange, "node \(nodes.count) has type \(r[layout.nodeType]) of \(typeCount) node types")
                }
                guard r[layout.nodeName] < UInt32.max, r[layout.nodeEdgeCount] < UInt32.max else {
                    throw error(.outOfRange, "node \(nodes.count) has a name or edge count beyond 32 bits")
                }
                nodes.types.append(UInt8(truncatingIfNeeded: r[layout.nodeType]))
                nodes.names.append(UInt32(r[layout.nodeName]))
                nodes.ids.append(r[layout.nodeID])
                nodes.sizes.append(r[layout.nodeSelfSize])
                nodes.edgeCounts.append(UInt32(r[layout.nodeEdgeCount]))
                if let d = layout.nodeDetachedness { nodes.detachedness.append(UInt8(truncatingIfNeeded: min(r[d], 255))) }
            }
        }
        guard nodes.count == layout.nodeCount else {
            throw error(.jsonShape, "nodes holds \(nodes.count) nodes, snapshot.node_count says \(layout.nodeCount)")
        }
        return nodes
    }

    /// Reads the `edges` array; `nodeCount` nodes must have been read (targets are checked against it).
    /// - Complexity: O(array length), no allocation per edge.
    mutating func readEdges(_ layout: V8Layout, nodeCount: Int) throws(DumpError) -> V8Edges {
        var edges = V8Edges()
        let reserve = capacity(layout.edgeCount, width: layout.edgeFieldCount)
        edges.types.reserveCapacity(reserve); edges.nameOrIndex.reserveCapacity(reserve); edges.targets.reserveCapacity(reserve)
        var first = true
        guard try openArray("edges") else { return edges }
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: layout.edgeFieldCount) { (r) throws(DumpError) in
            let typeCount = UInt64(layout.edgeTypes.count)
            let width = UInt64(layout.nodeFieldCount)
            let limit = UInt64(nodeCount) * width
            while try record(r, first: &first, array: "edges") {
                let to = r[layout.edgeToNode]
                guard r[layout.edgeType] < typeCount else {
                    throw error(.outOfRange, "edge \(edges.count) has type \(r[layout.edgeType]) of \(typeCount) edge types")
                }
                guard to < limit, to % width == 0 else {
                    throw error(.outOfRange, "edge \(edges.count) points to node field \(to), not the start of one of \(nodeCount) nodes")
                }
                guard r[layout.edgeNameOrIndex] < UInt32.max else {
                    throw error(.outOfRange, "edge \(edges.count) has a name or index beyond 32 bits")
                }
                edges.types.append(UInt8(truncatingIfNeeded: r[layout.edgeType]))
                edges.nameOrIndex.append(UInt32(r[layout.edgeNameOrIndex]))
                edges.targets.append(UInt32(to / width))
            }
        }
        guard edges.count == layout.edgeCount else {
            throw error(.jsonShape, "edges holds \(edges.count) edges, snapshot.edge_count says \(layout.edgeCount)")
        }
        return edges
    }
}
