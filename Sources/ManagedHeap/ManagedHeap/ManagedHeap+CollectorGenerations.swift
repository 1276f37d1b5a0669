// ManagedHeap+CollectorGenerations — CPython's generational policy around the collector's core: the
// automatic trigger (allocations minus deallocations above threshold 0 collect generation 0; every
// threshold-1 young collections generation 1; generation 2 only when its pending objects exceed 25% of
// the long-lived ones), counts, thresholds, freeze/unfreeze, statistics, callbacks, DEBUG_SAVEALL.

extension ManagedHeap: AutomaticCollection {
    /// CPython's gc_collect_generations: collects the oldest generation whose count exceeds its
    /// threshold, skipping a full collection while fewer than a quarter of the long-lived objects are
    /// new since the last one (so building a large structure costs linear time, not quadratic).
    func collectAutomatically() {
        guard gc.enabled, !gc.collecting else { return }
        for g in stride(from: 2, through: 0, by: -1) where count(g) > threshold(g) {
            if g == 2 && gc.longLivedPending < gc.longLivedTotal / 4 { continue }
            _ = runCollection(generation: g, detail: .counts)
            return
        }
    }
}

extension ManagedHeap {
    /// The collector of this heap: switches, thresholds, statistics, callbacks, freezing, saved garbage.
    /// A view with no state of its own (like CPython's `gc` module for one interpreter).
    public var collector: CycleCollector { CycleCollector(heap: self) }

    @inline(__always) func count(_ g: Int) -> Int {
        switch g {
        case 0: gc.counts.0
        case 1: gc.counts.1
        default: gc.counts.2
        }
    }

    @inline(__always) func setCount(_ g: Int, _ value: Int) {
        switch g {
        case 0: gc.counts.0 = value
        case 1: gc.counts.1 = value
        default: gc.counts.2 = value
        }
    }

    @inline(__always) func threshold(_ g: Int) -> Int {
        switch g {
        case 0: gc.thresholds.0
        case 1: gc.thresholds.1
        default: gc.thresholds.2
        }
    }

    /// CPython's gc.freeze: moves every tracked object to the permanent generation, which no collection
    /// scans; the young count restarts at 0.
    /// - Complexity: O(tracked objects) (their generation numbers are rewritten).
    func freezeAll() {
        for g in 0...2 { mergeGeneration(g, into: Int(ObjectHeader.permanent)) }
        gc.counts.0 = 0
    }

    /// CPython's gc.unfreeze: moves the permanent generation back into the oldest one.
    /// - Complexity: O(frozen objects).
    func unfreezeAll() {
        mergeGeneration(Int(ObjectHeader.permanent), into: 2)
    }
}
