// JSONShapes — the pieces of JSON output several commands share: an object, a byte total, the
// allocator statistics. Field names are part of the interface (docs/cli.md); ids are the objects'
// 64-bit ids, never positions in the snapshot. Absent optional fields are left out.
import HeapAnalysis
import HeapArena
import HeapGraph

/// One object: `{"id", "type", "size", "label"?, "site"?}`.
struct ObjectJSON: Encodable {
    var id: UInt64
    var type: String
    var size: UInt64
    var label: String?
    var site: String?

    init(_ object: HeapSnapshot.ObjectIndex, in snapshot: HeapSnapshot) {
        id = snapshot.ids[object]
        type = snapshot.typeName(of: object)
        size = snapshot.sizes[object]
        label = snapshot.label(of: object)
        site = snapshot.site(of: object)
    }
}

/// A number of objects and their shallow bytes: `{"objects", "bytes"}`.
struct TotalJSON: Encodable {
    var objects: Int
    var bytes: UInt64
}

/// `AllocatorStatistics` field for field (the text form is `report()`).
struct AllocatorJSON: Encodable {
    struct SizeClassJSON: Encodable {
        var index: Int
        var blockSize: Int
        var pools: Int
        var blocksInUse: Int
        var blocksAvailable: Int
    }

    var alignment: Int
    var poolSize: Int
    var arenaSize: Int
    var smallRequestThreshold: Int
    var sizeClasses: [SizeClassJSON]
    var arenasAllocatedTotal: Int
    var arenasReclaimed: Int
    var arenasHighWater: Int
    var arenasCurrent: Int
    var bytesInAllocatedBlocks: Int
    var bytesInAvailableBlocks: Int
    var unusedPools: Int
    var bytesLostToPoolHeaders: Int
    var bytesLostToQuantization: Int
    var bytesLostToArenaAlignment: Int
    var largeObjects: Int
    var largeObjectBytes: Int

    init(_ s: AllocatorStatistics) {
        alignment = s.alignment
        poolSize = s.poolSize
        arenaSize = s.arenaSize
        smallRequestThreshold = s.smallRequestThreshold
        sizeClasses = s.sizeClasses.map {
            SizeClassJSON(
                index: $0.index, blockSize: $0.blockSize, pools: $0.pools, blocksInUse: $0.blocksInUse,
                blocksAvailable: $0.blocksAvailable)
        }
        arenasAllocatedTotal = s.arenasAllocatedTotal
        arenasReclaimed = s.arenasReclaimed
        arenasHighWater = s.arenasHighWater
        arenasCurrent = s.arenasCurrent
        bytesInAllocatedBlocks = s.bytesInAllocatedBlocks
        bytesInAvailableBlocks = s.bytesInAvailableBlocks
        unusedPools = s.unusedPools
        bytesLostToPoolHeaders = s.bytesLostToPoolHeaders
        bytesLostToQuantization = s.bytesLostToQuantization
        bytesLostToArenaAlignment = s.bytesLostToArenaAlignment
        largeObjects = s.largeObjects
        largeObjectBytes = s.largeObjectBytes
    }
}

/// One row of a histogram: `{"name", "count", "bytes"}` (a type name or an allocation site).
struct HistogramJSON: Encodable {
    var name: String
    var count: Int
    var bytes: UInt64

    init(_ entry: HistogramEntry) {
        name = entry.key
        count = entry.count
        bytes = entry.bytes
    }
}

/// A cycle in short: `{"root", "rootType", "members", "hangers", "retained", "signature"}`, with ids.
struct CycleJSON: Encodable {
    var root: UInt64
    var rootType: String
    var members: [UInt64]
    var hangers: [UInt64]
    var retained: UInt64
    var signature: String
    /// The `leaks`-style tree (escaped for a terminal), when asked for.
    var tree: String?

    init(_ cycle: GarbageCycle, in snapshot: HeapSnapshot, tree: String? = nil) {
        root = snapshot.ids[cycle.root]
        rootType = snapshot.typeName(of: cycle.root)
        members = cycle.members.map { snapshot.ids[$0] }
        hangers = cycle.hangers.map { snapshot.ids[$0] }
        retained = cycle.retainedBytes
        signature = cycle.signature
        self.tree = tree
    }
}
