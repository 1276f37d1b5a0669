// CycleCollector — `heap.collector`, the public face of the cycle collector (CPython's `gc` module):
// switches, collect, counts and thresholds, statistics, freeze, callbacks, DEBUG_SAVEALL and its list.

/// The cycle collector of one ``ManagedHeap``, reached as `heap.collector` — CPython's `gc` module.
///
/// ```swift
/// heap.collector.disable()                        // no automatic collections while building
/// ... build ...
/// heap.collector.enable()
/// let report = try heap.collector.collect()      // full collection
/// print(report)                                  // counts, then each cycle with its root
/// ```
public struct CycleCollector {
    /// The heap collected.
    public let heap: ManagedHeap

    /// Whether allocation triggers collections automatically (CPython's `gc.isenabled()`).
    public var isEnabled: Bool { heap.gc.enabled }

    /// Turns automatic collection on (`gc.enable()`).
    public func enable() { heap.gc.enabled = true }

    /// Turns automatic collection off (`gc.disable()`); explicit `collect` still works.
    public func disable() { heap.gc.enabled = false }

    /// Collects `generation` (0, 1 or 2 = full) and the younger ones (`gc.collect(generation)`).
    /// See ``ManagedHeap/collect(generation:report:)``.
    @discardableResult
    public func collect(generation: Int = 2, report: CollectionReport.Detail = .cycles) throws(HeapError)
        -> CollectionReport
    {
        try heap.collect(generation: generation, report: report)
    }

    /// `gc.get_count()`: tracked allocations minus deallocations since the last collection of
    /// generation 0; collections of generation 0 since the last of generation 1; collections of
    /// generation 1 since the last of generation 2.
    public var counts: (Int, Int, Int) { heap.gc.counts }

    /// `gc.get_threshold()`: (2000, 10, 10) by default.
    public var thresholds: (Int, Int, Int) { heap.gc.thresholds }

    /// `gc.set_threshold(t0, t1, t2)`: `t0` 0 turns automatic collection off; omitted values keep theirs.
    /// Throws ``HeapError/Kind/invalidArgument`` for a negative threshold.
    public func setThresholds(_ t0: Int, _ t1: Int? = nil, _ t2: Int? = nil) throws(HeapError) {
        let t1 = t1 ?? heap.gc.thresholds.1, t2 = t2 ?? heap.gc.thresholds.2
        guard t0 >= 0, t1 >= 0, t2 >= 0 else {
            throw HeapError(.invalidArgument, "setThresholds(\(t0), \(t1), \(t2)): thresholds must not be negative")
        }
        heap.gc.thresholds = (t0, t1, t2)
    }

    /// `gc.get_stats()`: per generation 0, 1, 2, collections, collected and uncollectable since the heap
    /// was created.
    public var statistics: [GenerationStatistics] {
        guard let s = heap.gc.storage else { return [GenerationStatistics](repeating: GenerationStatistics(), count: 3) }
        return unsafeDowncast(s, to: CollectorState.self).statistics
    }

    /// Counts the objects of the long-lived generation: (objects in generation 2 after the last full
    /// collection, objects promoted into it since). A full collection runs automatically only once the
    /// second exceeds a quarter of the first.
    public var longLived: (total: Int, pending: Int) { (heap.gc.longLivedTotal, heap.gc.longLivedPending) }

    /// `gc.freeze()`: moves every tracked object to the permanent generation, which collections never
    /// scan (after start-up, so that long-lived objects cost nothing). Frozen objects are still freed
    /// by reference counting. - Complexity: O(tracked objects).
    public func freeze() { heap.freezeAll() }

    /// `gc.unfreeze()`: moves the permanent generation back into generation 2.
    /// - Complexity: O(frozen objects).
    public func unfreeze() { heap.unfreezeAll() }

    /// `gc.get_freeze_count()`: objects in the permanent generation. - Complexity: O(frozen objects).
    public var freezeCount: Int { heap.generationList(Int(ObjectHeader.permanent)).count }

    /// `gc.get_objects(generation)`: the tracked objects of generation 0, 1, 2 or 3 (permanent), borrowed,
    /// in list order. - Complexity: O(objects of the generation).
    public func objects(inGeneration generation: Int) throws(HeapError) -> [ObjectRef] {
        guard (0...3).contains(generation) else {
            throw HeapError(.invalidArgument, "objects(inGeneration: \(generation)): the generation must be 0...3")
        }
        var result: [ObjectRef] = []
        heap.generationList(generation).forEach { o in
            if !heap.isDeallocating(o) { result.append(ObjectRef(o)) }
        }
        return result
    }

    /// `gc.is_tracked(object)`: whether the object is on a generation list (its type can hold references).
    public func isTracked(_ object: ObjectRef) throws(HeapError) -> Bool {
        try heap.live(object, "isTracked").objectFlags.contains(.tracked)
    }

    /// The generation `object` is in (0, 1, 2, 3 = permanent), or nil when it is untracked.
    public func generation(of object: ObjectRef) throws(HeapError) -> Int? {
        let o = try heap.live(object, "generation(of:)")
        return o.objectFlags.contains(.tracked) ? Int(o.pointee.generation) : nil
    }

    /// Registers `body` to be called at the start and the stop of every collection (`gc.callbacks`).
    @discardableResult
    public func addCallback(_ body: @escaping CollectionCallback) -> CollectionCallbackID {
        let state = heap.collectorState
        let id = state.nextCallbackID
        state.nextCallbackID += 1
        state.callbacks.append((id, body))
        return CollectionCallbackID(value: id)
    }

    /// Removes a callback; returns whether it was registered.
    @discardableResult
    public func removeCallback(_ id: CollectionCallbackID) -> Bool {
        let state = heap.collectorState
        guard let i = state.callbacks.firstIndex(where: { $0.id == id.value }) else { return false }
        state.callbacks.remove(at: i)
        return true
    }

    /// CPython's DEBUG_SAVEALL: when on, the garbage a collection finds is kept alive in ``garbage``
    /// (still counted as collected) instead of freed, so it can be inspected.
    public var debugSaveAll: Bool {
        get { heap.gc.storage.map { unsafeDowncast($0, to: CollectorState.self).debugSaveAll } ?? false }
        nonmutating set { heap.collectorState.debugSaveAll = newValue }
    }

    /// Garbage kept by ``debugSaveAll`` (`gc.garbage`), borrowed; each holds one external count owned by
    /// this list until ``releaseGarbage()``.
    public var garbage: [ObjectRef] {
        heap.gc.storage.map { unsafeDowncast($0, to: CollectorState.self).savedGarbage } ?? []
    }

    /// Empties ``garbage`` (`del gc.garbage[:]`), releasing the count it held on each object: the objects
    /// are garbage again and the next collection finds them (or saves them again).
    public func releaseGarbage() {
        guard let s = heap.gc.storage else { return }
        let state = unsafeDowncast(s, to: CollectorState.self)
        let saved = state.savedGarbage
        state.savedGarbage = []
        for ref in saved where heap.isLive(ref) {
            do { try heap.release(ref) } catch {
                preconditionFailure("releasing saved garbage: \(error)")  // the list owns one count of each
            }
        }
    }
}
