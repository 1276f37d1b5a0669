// LeakTriage — memlab's three-snapshot leak method over snapshots with stable ids: the objects allocated
// after BASELINE that exist in TARGET and still exist in FINAL (the action was undone, they stayed),
// grouped by the signature of their shortest retainer path from a root and ranked by retained size.
import HeapGraph

/// The objects that an undone action left behind, in groups of one retainer path each.
///
/// ```swift
/// let triage = LeakTriage(baseline: before, target: during, final: after)
/// for group in triage.groups { print(group.count, group.retainedBytes, group.path.description(in: after)) }
/// ```
public struct LeakTriage: Sendable {
    /// What counts as a leak candidate.
    public struct Options: Sendable {
        /// Objects of these types are never candidates (they are still counted in retained sizes):
        /// by default the V8 engine's own plumbing, which DevTools and memlab hide as well.
        public var ignoredTypes: Set<String>
        public init(ignoredTypes: Set<String> = LeakTriage.runtimeInternalTypes) {
            self.ignoredTypes = ignoredTypes
        }
    }

    /// The V8 engine's internal object types as heapscan names them (hidden classes, compiled code,
    /// system objects, internal arrays, synthetic roots): memory the engine keeps for itself, which an
    /// undone action leaves behind even when the program leaks nothing.
    public static let runtimeInternalTypes: Set<String> = [
        "(system)", "(compiled code)", "(object shape)", "(synthetic)", "(array)", "(hidden)",
    ]

    /// Leaks sharing one retainer path signature.
    ///
    /// A leak's *head* is a leaked object whose immediate dominator is not leaked: the top of a leaked
    /// subtree. Heads are grouped by their path; every other leaked object belongs to the group of the
    /// head that dominates it.
    public struct Group: Sendable, Hashable {
        /// 16 hex digits: FNV-1a of the path's root name, field names (indices as `[]`) and types.
        public var signature: String
        /// The shortest path from a root to the group's first head.
        public var path: ReferencePath
        /// The group's heads in FINAL, by index (one per similar leak).
        public var heads: [HeapSnapshot.ObjectIndex]
        /// Every leaked object of the group: the heads and the leaked objects they dominate, by index.
        public var objects: [HeapSnapshot.ObjectIndex]
        /// Shallow bytes of `objects`.
        public var shallowBytes: UInt64
        /// Bytes freed if the heads were freed: the sum of their retained sizes.
        public var retainedBytes: UInt64
        /// Similar leaks: the number of heads.
        public var count: Int { heads.count }
    }

    /// The FINAL snapshot, which every index refers to.
    public let snapshot: HeapSnapshot
    /// Every leak candidate, by index.
    public let leaked: [HeapSnapshot.ObjectIndex]
    /// Groups, largest retained size first (then larger count, then signature).
    public let groups: [Group]
    /// Objects new since BASELINE, in TARGET and in FINAL, but reachable from no root in FINAL: they
    /// await collection and are not leaks.
    public let unreachable: Int

    /// Compares three snapshots of one process.
    /// - Complexity: O(objects + edges) of FINAL, plus the ids of the other two.
    public init(baseline: HeapSnapshot, target: HeapSnapshot, final: HeapSnapshot, options: Options = Options()) {
        self.init(baselineIDs: baseline.ids, targetIDs: target.ids, final: final, options: options)
    }

    /// Compares FINAL with the ids of BASELINE and TARGET (sorted, as in a snapshot), so that a caller
    /// can let the first two snapshots go before reading the third.
    public init(baselineIDs: [UInt64], targetIDs: [UInt64], final: HeapSnapshot, options: Options = Options()) {
        snapshot = final
        let survivors = Self.newAndKept(final.ids, baselineIDs: baselineIDs, targetIDs: targetIDs)
        let tree = DominatorTree(final)
        let ignored = Set(final.typeNames.indices.filter { options.ignoredTypes.contains(final.typeNames[$0]) }.map(UInt32.init))
        var candidates: [HeapSnapshot.ObjectIndex] = []
        var unreachable = 0
        for o in survivors where !ignored.contains(final.typeIndices[o]) {
            if tree.isReachable(o) { candidates.append(o) } else { unreachable += 1 }
        }
        leaked = candidates
        self.unreachable = unreachable
        groups = Self.group(candidates, in: final, tree: tree)
    }

    /// Why the ids of `snapshot` cannot match objects across snapshots, or nil when they can. HPROF
    /// dumps (runtime "HotSpot …", "OpenJDK …", "JVM …", "HPROF …") name objects by address, which a
    /// moving collector changes and reuses; V8 node ids, heapscan's ids and JSON ids are stable.
    public static func whyIDsAreUnstable(_ snapshot: HeapSnapshot) -> String? {
        guard let runtime = snapshot.runtime?.lowercased() else { return nil }
        let addressBased = ["hotspot", "openjdk", "jvm", "hprof", "java"]
        guard addressBased.contains(where: { runtime.hasPrefix($0) || runtime.contains(" \($0)") }) else { return nil }
        return "its object ids are addresses (\(snapshot.runtime ?? "")): a moving collector changes and reuses them, so ids cannot match an object across snapshots"
    }

    /// Indices into `ids` (sorted) of the ids not in `baselineIDs` and in `targetIDs` (both sorted).
    /// - Complexity: O(all ids), a merge.
    static func newAndKept(_ ids: [UInt64], baselineIDs: [UInt64], targetIDs: [UInt64]) -> [HeapSnapshot.ObjectIndex] {
        var result: [HeapSnapshot.ObjectIndex] = []
        var b = 0, t = 0
        for (i, id) in ids.enumerated() {
            while b < baselineIDs.count && baselineIDs[b] < id { b += 1 }
            if b < baselineIDs.count && baselineIDs[b] == id { continue }
            while t < targetIDs.count && targetIDs[t] < id { t += 1 }
            if t < targetIDs.count && targetIDs[t] == id { result.append(i) }
        }
        return result
    }

    /// Groups the heads among `objects` by the signature of their shortest path from a root, ranked.
    static func group(_ objects: [HeapSnapshot.ObjectIndex], in snapshot: HeapSnapshot, tree: DominatorTree) -> [Group] {
        let headOf = heads(of: objects, in: snapshot, tree: tree)
        let heads = objects.filter { headOf[$0] == UInt32($0) }
        let paths = snapshot.shortestPathsFromOutside(to: heads)
        var groupOfSignature: [String: Int] = [:]
        var groups: [Group] = []
        var groupOfHead: [HeapSnapshot.ObjectIndex: Int] = [:]
        for (head, path) in zip(heads, paths) {
            guard let path else { continue }
            let signature = Self.signature(of: path, in: snapshot)
            let g: Int
            if let known = groupOfSignature[signature] {
                g = known
            } else {
                g = groups.count
                groupOfSignature[signature] = g
                groups.append(Group(signature: signature, path: path, heads: [], objects: [], shallowBytes: 0, retainedBytes: 0))
            }
            groups[g].heads.append(head)
            groups[g].retainedBytes &+= tree.retainedSize(of: head)
            groupOfHead[head] = g
        }
        for o in objects {
            guard let g = groupOfHead[Int(headOf[o])] else { continue }
            groups[g].objects.append(o)
            groups[g].shallowBytes &+= snapshot.sizes[o]
        }
        return groups.sorted {
            ($0.retainedBytes, $0.count, $1.signature) > ($1.retainedBytes, $1.count, $0.signature)
        }
    }

    /// For each of `objects` (leak candidates), the head that dominates it: itself when its immediate
    /// dominator is not a candidate, else its immediate dominator's head. Other entries: `none`.
    /// - Complexity: O(objects) amortized (each chain of candidates is walked once), iterative.
    static func heads(of objects: [HeapSnapshot.ObjectIndex], in snapshot: HeapSnapshot, tree: DominatorTree) -> [UInt32] {
        let unknown = HeapSnapshot.none - 1
        var headOf = [UInt32](repeating: HeapSnapshot.none, count: snapshot.objectCount)
        for o in objects { headOf[o] = unknown }
        var chain: [HeapSnapshot.ObjectIndex] = []
        for o in objects where headOf[o] == unknown {
            var v = o
            var head: UInt32
            while true {
                chain.append(v)
                guard let d = tree.immediateDominator(of: v), headOf[d] != HeapSnapshot.none else { head = UInt32(v); break }
                if headOf[d] != unknown { head = headOf[d]; break }
                v = d
            }
            for c in chain { headOf[c] = head }
            chain.removeAll(keepingCapacity: true)
        }
        return headOf
    }

    /// The signature of a retainer path: FNV-1a (64 bits) over the root's name, then each step's field
    /// name (an index `[12]` as `[]`, so that the n-th and m-th element of one array agree) and the type
    /// it reaches.
    public static func signature(of path: ReferencePath, in snapshot: HeapSnapshot) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01B3
        }
        switch path.origin {
        case .root(let name, _): mix("root:" + name)
        case .heldByRefcount: mix("refcount")
        case .object: mix("object")
        }
        mix(snapshot.typeName(of: path.origin.object))
        for step in path.steps {
            mix(normalizedField(step.field))
            mix(snapshot.typeName(of: step.object))
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// An index, `[12]` or a bare `12` (V8 names some internal slots by number), as `[]`; anything
    /// else unchanged.
    static func normalizedField(_ field: String?) -> String {
        guard let field else { return "[]" }
        var digits = field.utf8[...]
        if digits.count >= 3, digits.first == UInt8(ascii: "["), digits.last == UInt8(ascii: "]") {
            digits = digits.dropFirst().dropLast()
        }
        return !digits.isEmpty && digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? "[]" : field
    }
}
