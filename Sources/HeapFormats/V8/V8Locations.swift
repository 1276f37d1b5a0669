// V8Locations — the `locations` array of a .heapsnapshot: where each function node's code starts
// (script id, line, column), laid out by `snapshot.meta.location_fields`.
import HeapGraph

/// Script positions of functions: `(node position, script id, line, column)`, zero-based as V8 writes them.
struct V8Locations {
    var nodes: [UInt32] = []
    var scripts: [UInt32] = []
    var lines: [UInt32] = []
    var columns: [UInt32] = []
}

extension V8ByteScanner {
    /// Reads the `locations` array; entries naming a node that does not exist are an error.
    mutating func readLocations(_ layout: V8Layout, nodeCount: Int) throws(DumpError) -> V8Locations {
        var locations = V8Locations()
        guard layout.hasLocationFields else {
            try skipValue()
            return locations
        }
        var first = true
        guard try openArray("locations") else { return locations }
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: layout.locationFieldCount) { (r) throws(DumpError) in
            let width = UInt64(layout.nodeFieldCount)
            while try record(r, first: &first, array: "locations") {
                let object = r[layout.locationObject]
                guard object % width == 0, object / width < UInt64(nodeCount) else {
                    throw error(.outOfRange, "location \(locations.nodes.count) names node field \(object), not the start of one of \(nodeCount) nodes")
                }
                locations.nodes.append(UInt32(object / width))
                locations.scripts.append(UInt32(clamping: r[layout.locationScript]))
                locations.lines.append(UInt32(clamping: r[layout.locationLine]))
                locations.columns.append(UInt32(clamping: r[layout.locationColumn]))
            }
        }
        return locations
    }
}
