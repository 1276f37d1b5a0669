// RandomSnapshots — seeded random heaps for the property-based round-trip tests: sparse ids, hostile
// strings, self-loops, unnamed references, duplicate edges, optional fields, allocator statistics.
import HeapArena
import HeapGraph
import HeapscanTestSupport

/// Text that breaks naive writers: quotes, backslashes, control characters, NUL, emoji, RTL, JSON
/// and Graphviz syntax, lone combining marks, the line separators JavaScript chokes on.
let hostileStrings: [String] = [
    "Node", "", "quote\"inside", "back\\slash", "new\nline", "tab\tand\rcarriage", "nul\u{0}byte",
    "emoji 🧵🐍👩‍👩‍👧", "RTL \u{202E}txet\u{202C} עברית العربية", "{\"json\": [1, 2]}", "</script>", "\u{2028}\u{2029}",
    "e\u{301}", "\u{7F}\u{1}\u{1F}", "日本語の型名", "a:b:12", String(repeating: "long", count: 100),
]

/// A random snapshot from `seed`; `maxObjects` bounds its size.
func randomSnapshot(seed: UInt64, maxObjects: Int = 40, allocator: Bool = true) -> HeapSnapshot {
    var rng = SplitMix64(seed: seed)
    var b = HeapSnapshotBuilder()
    let n = Int.random(in: 0...maxObjects, using: &rng)
    var ids = Set<UInt64>()
    while ids.count < n {
        // Mix small, clustered and huge ids.
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: ids.insert(UInt64.random(in: 0...UInt64(4 * maxObjects), using: &rng))
        case 1: ids.insert(0x7F00_0000_0000 + 16 * UInt64.random(in: 0...10_000, using: &rng))
        default: ids.insert(UInt64.random(in: 0...UInt64.max, using: &rng))
        }
    }
    let idList = Array(ids).shuffled(using: &rng)
    func pick() -> String { hostileStrings.randomElement(using: &rng) ?? "" }
    for id in idList {
        b.add(
            id: id, type: pick(), size: Bool.random(using: &rng) ? UInt64.random(in: 0...512, using: &rng) : .random(in: 0...UInt64.max, using: &rng),
            refcount: Bool.random(using: &rng) ? UInt32.random(in: 0...(UInt32.max - 1), using: &rng) : nil,
            generation: Bool.random(using: &rng) ? UInt8.random(in: 0...3, using: &rng) : nil,
            site: Bool.random(using: &rng) ? pick() : nil, label: Int.random(in: 0..<4, using: &rng) == 0 ? pick() : nil)
    }
    if n > 0 {
        for _ in 0..<Int.random(in: 0...(3 * n), using: &rng) {
            let from = idList.randomElement(using: &rng) ?? 0
            let to = Int.random(in: 0..<6, using: &rng) == 0 ? from : (idList.randomElement(using: &rng) ?? 0)
            // Mostly strong; every kind appears, the first reference included.
            let kind = Int.random(in: 0..<3, using: &rng) == 0 ? (ReferenceKind.allCases.randomElement(using: &rng) ?? .strong) : .strong
            b.reference(from: from, to: to, name: Bool.random(using: &rng) ? pick() : nil, kind: kind)
        }
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            b.root(idList.randomElement(using: &rng) ?? 0, name: pick(), kind: RootKind.allCases.randomElement(using: &rng) ?? .unknown)
        }
        for _ in 0..<Int.random(in: 0...2, using: &rng) { b.setDetached(Int.random(in: 0..<n, using: &rng)) }
    }
    if Bool.random(using: &rng) { b.liveness = .roots }
    if Bool.random(using: &rng) { b.runtime = pick() }
    if allocator && Bool.random(using: &rng) {
        b.allocator = AllocatorStatistics(
            sizeClasses: (0..<Int.random(in: 0...4, using: &rng)).map { i in
                .init(index: i, blockSize: 16 * (i + 1), pools: .random(in: 0...9, using: &rng), blocksInUse: .random(in: 0...999, using: &rng), blocksAvailable: -1)
            }, arenasAllocatedTotal: .random(in: 0...9, using: &rng), largeObjects: Int.min, largeObjectBytes: Int.max)
    }
    return b.build()
}
