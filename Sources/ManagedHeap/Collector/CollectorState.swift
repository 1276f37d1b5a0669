// CollectorState — what the cycle collector keeps between collections beyond the heap's `GCState`
// counters: per-generation statistics, callbacks, the DEBUG_SAVEALL switch and list, and the sentinels
// of its temporary lists (allocated once, so a collection allocates nothing per object).

/// The collector's private state, stored in `ManagedHeap.gc.storage` and created on first use.
final class CollectorState {
    /// Indexed by generation 0...2 (CPython's `gc.get_stats()`).
    var statistics = [GenerationStatistics](repeating: GenerationStatistics(), count: 3)
    /// Called at the start and the stop of every collection, in registration order.
    var callbacks: [(id: Int, body: CollectionCallback)] = []
    /// Next identifier handed out by `addCallback`; never reused.
    var nextCallbackID = 0
    /// DEBUG_SAVEALL: garbage is kept (one external count each) in `savedGarbage` instead of freed.
    var debugSaveAll = false
    /// Garbage kept by DEBUG_SAVEALL; each entry holds one external count on its object.
    var savedGarbage: [ObjectRef] = []

    /// CPython's "unreachable" list: objects found unreachable (tentatively, then finally).
    /// Invariant: empty outside a collection.
    let unreachable = ObjectList(links: .generation)
    /// CPython's "still_unreachable": the second reachability pass after finalizers moves what is
    /// still garbage here. Invariant: empty outside a collection.
    let stillUnreachable = ObjectList(links: .generation)
    /// CPython's "seen" list of `finalize_garbage`: objects whose finalizer turn has come.
    /// Invariant: empty outside a collection.
    let finalizing = ObjectList(links: .generation)

    deinit {
        unreachable.deallocateSentinel()
        stillUnreachable.deallocateSentinel()
        finalizing.deallocateSentinel()
    }
}

/// Flag bits the collector uses in `ObjectHeader.flags`, as raw bits for the hot loops.
/// Both are clear on every object outside a collection.
enum CollectorFlags {
    /// In the set being collected and not yet proven reachable (CPython's PREV_MASK_COLLECTING).
    static let collecting = ObjectFlags.collectorA.rawValue
    /// On the unreachable list (CPython's NEXT_MASK_UNREACHABLE).
    static let unreachable = ObjectFlags.collectorB.rawValue
    static let deallocating = ObjectFlags.deallocating.rawValue
}
