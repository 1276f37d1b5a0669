// CollectorReport — the values the cycle collector hands out: the report of one collection (counts,
// bytes, and the garbage as cycles with their roots), per-generation statistics, and callback info.
import HeapAnalysis
import HeapGraph

/// What one collection found and freed.
///
/// Counts follow CPython's `gc.collect()`: `collected` is the garbage that was still garbage after
/// finalizers ran (resurrected objects are not counted), freed or, with `debugSaveAll`, kept in
/// ``CycleCollector/garbage``. Objects that only garbage kept alive outside the generations collected
/// are freed by plain reference counting afterwards and are not counted, as in CPython.
public struct CollectionReport: Sendable, CustomStringConvertible {
    /// How much a collection describes its garbage.
    public enum Detail: Sendable, Hashable {
        /// Counts and bytes only: no allocation beyond the collector's own lists. For hot paths,
        /// automatic collections and benchmarks.
        case counts
        /// Counts, bytes and the garbage as cycles with roots (a snapshot of the garbage subgraph
        /// analysed by `LeakAnalysis`). Costs O(garbage log garbage) when there is garbage, nothing
        /// more when there is none.
        case cycles
    }

    /// The generation collected (0, 1 or 2 = full); the younger ones were collected with it.
    public var generation: Int
    /// False when the collection did not run because another one was already running (for example
    /// `collect` called from a finalizer or a callback); every count is then zero.
    public var ran: Bool
    /// Tracked objects examined (the generations collected).
    public var examined: Int
    /// Garbage objects collected: freed, or saved under `debugSaveAll`.
    public var collected: Int
    /// Bytes of the collected objects (header, references and payload).
    public var collectedBytes: Int
    /// `collected` split by the generation each object was in when the collection started (3 entries).
    public var collectedByGeneration: [Int]
    /// `collectedBytes` split the same way (3 entries).
    public var bytesByGeneration: [Int]
    /// Untracked objects (types that cannot hold references: on no generation list, like CPython's
    /// atomic objects) that only the garbage referred to, freed with it by reference counting. Not part
    /// of `collected` (CPython does not count them either), but part of the cycles' hangers in `leaks`,
    /// as in an offline analysis. Zero under `debugSaveAll`.
    public var untrackedFreed: Int
    /// Bytes of `untrackedFreed`.
    public var untrackedFreedBytes: Int
    /// Garbage that could not be collected. Always 0 here: every finalizer is a PEP 442 finalizer,
    /// there are no legacy `__del__`-style objects that CPython would leave in `gc.garbage`.
    public var uncollectable: Int
    /// Garbage whose finalizers made it (or something it reaches) reachable again: it survived and
    /// was moved to the oldest generation collected's successor.
    public var resurrected: Int
    /// Finalizers run on garbage in this collection (each object's finalizer runs at most once ever).
    public var finalizersRun: Int
    /// Collected objects kept alive in ``CycleCollector/garbage`` because `debugSaveAll` was on.
    public var saved: Int
    /// Survivors promoted to the next generation (0 after a full collection, where they stay).
    public var promoted: Int
    /// Wall-clock seconds the collection took, report included.
    public var seconds: Double
    /// The detail asked for.
    public var detail: Detail
    /// With detail `.cycles` and some garbage: the analysis of the garbage subgraph (a snapshot of the
    /// collected objects only, with their ids, types, sizes, sites, labels and field names, no roots and
    /// no refcounts). Its `report()` prints the cycles as Apple's `leaks` does.
    public var leaks: LeakAnalysis?

    /// The collected garbage as cycles with their roots and hangers, by object id, ranked by the bytes
    /// they retain (largest first). Empty with detail `.counts`.
    public var cycles: [CollectedCycle] {
        guard let leaks else { return [] }
        let ids = leaks.snapshot.ids
        return leaks.cycles.map { c in
            CollectedCycle(
                root: ids[c.root], members: c.members.map { ids[$0] }, hangers: c.hangers.map { ids[$0] },
                retainedBytes: c.retainedBytes, signature: c.signature)
        }
    }

    /// Ids of the collected objects and of the untracked objects freed with them, increasing. Empty
    /// with detail `.counts`.
    public var garbageIDs: [UInt64] { leaks?.snapshot.ids ?? [] }

    /// Ids of collected garbage that no cycle keeps alive (acyclic garbage hanging from several cycles
    /// at once, or from none), increasing. Empty with detail `.counts`.
    public var acyclicGarbageIDs: [UInt64] {
        guard let leaks else { return [] }
        return leaks.acyclicGarbage.map { leaks.snapshot.ids[$0] }
    }

    /// One line of counts, then (with detail `.cycles`) the cycles as trees.
    public var description: String {
        var line = "gc: generation \(generation): \(collected) collected (\(collectedBytes) bytes) of \(examined) examined"
        if resurrected > 0 { line += ", \(resurrected) resurrected" }
        if saved > 0 { line += ", \(saved) saved" }
        if !ran { line = "gc: generation \(generation): not run (a collection was already running)" }
        line += "\n"
        if let leaks { line += leaks.report() }
        return line
    }

    init(generation: Int, detail: Detail) {
        self.generation = generation
        ran = false
        examined = 0
        collected = 0
        collectedBytes = 0
        collectedByGeneration = [0, 0, 0]
        bytesByGeneration = [0, 0, 0]
        untrackedFreed = 0
        untrackedFreedBytes = 0
        uncollectable = 0
        resurrected = 0
        finalizersRun = 0
        saved = 0
        promoted = 0
        seconds = 0
        self.detail = detail
        leaks = nil
    }
}

/// One garbage cycle of a ``CollectionReport``, by object id: the same cycle, root, members, hangers and
/// signature that `LeakAnalysis` names on a dump of the heap taken before the collection.
public struct CollectedCycle: Sendable, Hashable {
    /// Id of the member to blame (rule: ``LeakAnalysis``).
    public var root: UInt64
    /// Ids of the members, root first, then depth-first order from it.
    public var members: [UInt64]
    /// Ids of the acyclic garbage only this cycle keeps alive, increasing.
    public var hangers: [UInt64]
    /// Bytes of the members and hangers.
    public var retainedBytes: UInt64
    /// Stable hash of the cycle's shape (type and field names), equal across runs and dumps.
    public var signature: String

    public init(root: UInt64, members: [UInt64], hangers: [UInt64], retainedBytes: UInt64, signature: String) {
        self.root = root
        self.members = members
        self.hangers = hangers
        self.retainedBytes = retainedBytes
        self.signature = signature
    }
}

/// Totals of one generation since the heap was created (CPython's `gc.get_stats()` entry).
public struct GenerationStatistics: Sendable, Hashable {
    /// Collections of this generation (a collection of generation 2 counts only for 2).
    public var collections = 0
    /// Objects collected by those collections.
    public var collected = 0
    /// Objects found uncollectable by them (always 0, see ``CollectionReport/uncollectable``).
    public var uncollectable = 0

    public init(collections: Int = 0, collected: Int = 0, uncollectable: Int = 0) {
        self.collections = collections
        self.collected = collected
        self.uncollectable = uncollectable
    }
}

/// When a collection callback is called.
public enum CollectionPhase: Sendable, Hashable {
    /// Before the collection examines anything.
    case start
    /// After the garbage has been freed.
    case stop
}

/// What a callback learns about the collection it is called for (CPython's callback `info` dict, with
/// bytes and resurrections added). At `.start` every count is zero.
public struct CollectionInfo: Sendable, Hashable {
    public var generation: Int
    public var collected: Int
    public var uncollectable: Int
    public var collectedBytes: Int
    public var resurrected: Int

    public init(generation: Int, collected: Int = 0, uncollectable: Int = 0, collectedBytes: Int = 0, resurrected: Int = 0) {
        self.generation = generation
        self.collected = collected
        self.uncollectable = uncollectable
        self.collectedBytes = collectedBytes
        self.resurrected = resurrected
    }
}

/// A function called at the start and the stop of every collection (CPython's `gc.callbacks`). It runs
/// while the collection is in progress: it may read the heap, but a `collect` from inside it does not run.
public typealias CollectionCallback = (CollectionPhase, CollectionInfo) -> Void

/// Names a registered callback, to remove it.
public struct CollectionCallbackID: Sendable, Hashable {
    let value: Int
}
