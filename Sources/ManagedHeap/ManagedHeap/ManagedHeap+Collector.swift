// ManagedHeap+Collector — the cycle collector's core, CPython's gc_collect_main: copy refcounts into
// gc scratch, subtract the references from inside the generations collected, propagate reachability
// from what still has a count (list splicing, no recursion, no per-object allocation), then PEP 442:
// clear weak references to the garbage, run its finalizers once, recompute reachability so resurrected
// objects survive, and free the rest (or keep it, with DEBUG_SAVEALL).

extension ManagedHeap {
    /// Runs a collection of `generation` (0, 1 or 2 = full) and the younger generations with it.
    ///
    /// Survivors move to the next generation (they stay in 2 after a full collection). Runs even when
    /// automatic collection is disabled, like `gc.collect()`; returns a report that did not run (`ran`
    /// false) when called while a collection is already running (from a finalizer or a callback).
    ///
    /// - Parameter report: `.cycles` (the default) groups the garbage into cycles with roots through
    ///   `LeakAnalysis`; `.counts` only counts, for hot paths.
    /// - Complexity: O(objects in the generations collected + their references); with `.cycles` and
    ///   garbage, O(g log g) more for g garbage objects.
    @discardableResult
    public func collect(generation: Int = 2, report detail: CollectionReport.Detail = .cycles) throws(HeapError)
        -> CollectionReport
    {
        guard (0...2).contains(generation) else {
            throw HeapError(.invalidArgument, "collect(generation: \(generation)): the generation must be 0, 1 or 2")
        }
        return runCollection(generation: generation, detail: detail)
    }

    /// The collector's state, created on first use.
    var collectorState: CollectorState {
        if let s = gc.storage { return unsafeDowncast(s, to: CollectorState.self) }
        let s = CollectorState()
        gc.storage = s
        return s
    }

    /// One collection with callbacks and statistics (CPython's gc_collect_with_callback + gc_collect_main).
    func runCollection(generation g: Int, detail: CollectionReport.Detail) -> CollectionReport {
        var report = CollectionReport(generation: g, detail: detail)
        guard !gc.collecting else { return report }
        let clock = ContinuousClock()
        let started = clock.now
        let state = collectorState
        gc.collecting = true
        defer { gc.collecting = false }
        notifyCallbacks(state, .start, CollectionInfo(generation: g))

        // Counters first, as CPython does: an allocation in a finalizer counts for the next collection.
        if g < 2 { setCount(g + 1, count(g + 1) + 1) }
        for i in 0...g { setCount(i, 0) }

        let young = generationLists[g]
        for i in 0..<g { young.appendAll(from: generationLists[i]) }  // renumbered by the walk below
        let old = g < 2 ? generationLists[g + 1] : young
        let survivorGeneration = UInt8(g < 2 ? g + 1 : 2)
        let unreachable = state.unreachable

        // Each walk below is passed `layouts` when it starts: a finalizer may register a type, which moves it.
        collectGarbage: do {
            let found = deduceUnreachable(
                young, into: unreachable, members: .generationAtMost(UInt8(g)), survivorGeneration: survivorGeneration,
                layouts)
            report.examined = found.examined
            let survivors = found.examined - found.unreachable
            if young.head != old.head {
                if g == 1 { gc.longLivedPending += survivors }
                old.appendAll(from: young)
                report.promoted = survivors
            } else {
                gc.longLivedPending = 0
                gc.longLivedTotal = survivors
            }
            guard found.unreachable > 0 else { break collectGarbage }

            // PEP 442: weak references to all the garbage are cleared before any finalizer runs, so a
            // finalizer never reaches a half-freed object through one.
            var pendingFinalizers = 0
            var o = unreachable.head.pointee.gcNext.unsafelyUnwrapped
            while o != unreachable.head {
                clearWeakReferences(o)
                if o.pointee.flags & ObjectFlags.finalized.rawValue == 0 { pendingFinalizers += 1 }
                o = o.pointee.gcNext.unsafelyUnwrapped
            }
            if pendingFinalizers > 0 {
                report.finalizersRun = finalizeGarbage(unreachable, state.finalizing)
                // Finalizers ran user code: whatever they stored the garbage into keeps it (and what it
                // reaches) alive. Reachability within the garbage is computed again.
                let still = state.stillUnreachable
                let again = deduceUnreachable(
                    unreachable, into: still, members: .anyOnList, survivorGeneration: survivorGeneration, layouts)
                report.resurrected = again.examined - again.unreachable
                old.appendAll(from: unreachable)
                unreachable.appendAll(from: still)
            }

            // What is left is garbage for good: count it, describe it, then free or keep it.
            o = unreachable.head.pointee.gcNext.unsafelyUnwrapped
            while o != unreachable.head {
                let bytes = byteCount(of: o)
                let from = Int(o.pointee.generation)
                report.collected += 1
                report.collectedBytes += bytes
                if from < 3 {
                    report.collectedByGeneration[from] += 1
                    report.bytesByGeneration[from] += bytes
                }
                o = o.pointee.gcNext.unsafelyUnwrapped
            }
            #if HEAPSCAN_CHECKS
            checkFinalUnreachable(unreachable)
            #endif
            if detail == .cycles && report.collected > 0 {
                report.leaks = analyseGarbage(unreachable, count: report.collected)
            }
            if state.debugSaveAll {
                report.saved = saveGarbage(unreachable, into: old, generation: survivorGeneration, state)
            } else {
                let untracked = deleteGarbage(unreachable, layouts, survivorsTo: old, generation: survivorGeneration)
                report.untrackedFreed = untracked.objects
                report.untrackedFreedBytes = untracked.bytes
            }
        }
        // A full collection is where memory is expected back: the allocator's caches of recently
        // freed blocks would otherwise keep emptied pools, and so their arenas, from the OS.
        if g == 2 { allocator.flushCaches() }
        state.statistics[g].collections += 1
        state.statistics[g].collected += report.collected
        state.statistics[g].uncollectable += report.uncollectable
        report.ran = true
        report.seconds = Self.seconds(clock.now - started)
        notifyCallbacks(
            state, .stop,
            CollectionInfo(
                generation: g, collected: report.collected, uncollectable: report.uncollectable,
                collectedBytes: report.collectedBytes, resurrected: report.resurrected))
        return report
    }

    /// CPython's deduce_unreachable: moves the objects of `young` that nothing outside `young` reaches
    /// to `unreachable` (flags `collecting` and `unreachable` set, `gcRefs` 0); the rest stays in
    /// `young`, in the order reached, with both flags clear and `generation = survivorGeneration`.
    ///
    /// 1. `gcRefs = refcount` for every object (flag `collecting`);
    /// 2. every reference from an object of `young` to an object of `young` takes one off;
    /// 3. one walk of `young`: an object with `gcRefs > 0` is referenced from outside, so reachable;
    ///    its referents get `gcRefs >= 1` (and come back from `unreachable` to the end of `young` if
    ///    the walk had already moved them there), so the walk reaches them later. An object with
    ///    `gcRefs == 0` is moved to `unreachable` for now.
    ///
    /// `members` says how to recognise an object of `young` among referents: for the generation lists,
    /// `.generationAtMost(g)` (the header's generation number; steps 1 and 2 then share one walk);
    /// for a list of garbage being checked again, `.anyOnList` (every object of `young` is first
    /// flagged in a walk of its own).
    ///
    /// Objects queued for freeing (refcount zero, inside a drain of frees) are treated as referenced
    /// from outside: their references still count, and the drain frees them afterwards.
    /// - Complexity: O(objects + references of `young`); iterative, allocates nothing.
    func deduceUnreachable(
        _ young: ObjectList, into unreachable: ObjectList, members: Membership, survivorGeneration: UInt8,
        _ layouts: UnsafeMutablePointer<TypeLayout>
    ) -> (examined: Int, unreachable: Int) {
        let examined: Int
        switch members {
        case .generationAtMost(let g): examined = initializeAndSubtract(young, generationAtMost: g, layouts)
        case .anyOnList: examined = initializeThenSubtract(young, layouts)
        }
        return (examined, moveUnreachable(young, into: unreachable, survivorGeneration: survivorGeneration, layouts))
    }

    /// How `deduceUnreachable` tells the objects of the list it examines.
    enum Membership {
        /// The list holds exactly the tracked objects whose generation number is at most this.
        case generationAtMost(UInt8)
        /// Any list: members are flagged in a walk of their own first.
        case anyOnList
    }

    /// Steps 1 and 2 in one walk for generation lists: an object's `gcRefs` is initialised the first
    /// time it is met, as a source or as a referent. Returns the number of objects walked.
    /// Invariant on entry: no object has flag `collecting` or `unreachable`.
    private func initializeAndSubtract(_ young: ObjectList, generationAtMost g: UInt8, _ layouts: UnsafeMutablePointer<TypeLayout>) -> Int {
        let collecting = CollectorFlags.collecting, deallocating = CollectorFlags.deallocating
        let head = young.head
        var examined = 0
        var o = head.pointee.gcNext.unsafelyUnwrapped
        while o != head {
            examined &+= 1
            let flags = o.pointee.flags
            if flags & deallocating != 0 {
                o.pointee.gcRefs = 1  // held from outside: by the drain that will free it
            } else {
                if flags & collecting == 0 {
                    o.pointee.gcRefs = Int32(bitPattern: o.pointee.refcount)
                    o.pointee.flags = flags | collecting
                }
                let count = layouts[Int(o.pointee.typeIndex)].fieldCount &+ Int(o.pointee.slotCount)
                let cells = o.references(count: count)
                for i in 0..<count {
                    guard let t = cells[i], t.pointee.generation <= g else { continue }
                    let targetFlags = t.pointee.flags
                    if targetFlags & collecting == 0 {
                        // Referenced, so not queued for freeing: a member met first as a referent.
                        t.pointee.gcRefs = Int32(bitPattern: t.pointee.refcount) &- 1
                        t.pointee.flags = targetFlags | collecting
                    } else {
                        t.pointee.gcRefs &-= 1
                    }
                }
            }
            o = o.pointee.gcNext.unsafelyUnwrapped
        }
        return examined
    }

    /// Steps 1 and 2 for any list: flag every member, then subtract. Returns the number of objects.
    private func initializeThenSubtract(_ young: ObjectList, _ layouts: UnsafeMutablePointer<TypeLayout>) -> Int {
        let collecting = CollectorFlags.collecting, isUnreachable = CollectorFlags.unreachable
        let deallocating = CollectorFlags.deallocating
        let head = young.head
        var examined = 0
        var o = head.pointee.gcNext.unsafelyUnwrapped
        while o != head {
            examined &+= 1
            if o.pointee.flags & deallocating != 0 {
                o.pointee.gcRefs = 1
                o.pointee.flags &= ~(collecting | isUnreachable)
            } else {
                o.pointee.gcRefs = Int32(bitPattern: o.pointee.refcount)
                o.pointee.flags = (o.pointee.flags | collecting) & ~isUnreachable
            }
            o = o.pointee.gcNext.unsafelyUnwrapped
        }
        o = head.pointee.gcNext.unsafelyUnwrapped
        while o != head {
            if o.pointee.flags & collecting != 0 {
                let count = layouts[Int(o.pointee.typeIndex)].fieldCount &+ Int(o.pointee.slotCount)
                let cells = o.references(count: count)
                for i in 0..<count {
                    if let t = cells[i], t.pointee.flags & collecting != 0 { t.pointee.gcRefs &-= 1 }
                }
            }
            o = o.pointee.gcNext.unsafelyUnwrapped
        }
        return examined
    }

    /// Step 3, CPython's move_unreachable. Returns the number of objects left on `unreachable`.
    private func moveUnreachable(
        _ young: ObjectList, into unreachable: ObjectList, survivorGeneration: UInt8, _ layouts: UnsafeMutablePointer<TypeLayout>
    ) -> Int {
        let collecting = CollectorFlags.collecting, isUnreachable = CollectorFlags.unreachable
        let head = young.head
        var unreachableCount = 0
        var o = head.pointee.gcNext.unsafelyUnwrapped
        while o != head {
            if o.pointee.gcRefs != 0 {
                #if HEAPSCAN_CHECKS
                precondition(o.pointee.gcRefs > 0, "collector: \(describe(o)) has more references from the heap than its refcount")
                #endif
                let count = layouts[Int(o.pointee.typeIndex)].fieldCount &+ Int(o.pointee.slotCount)
                let cells = o.references(count: count)
                for i in 0..<count {
                    guard let t = cells[i] else { continue }
                    let flags = t.pointee.flags
                    guard flags & collecting != 0 else { continue }
                    if flags & isUnreachable != 0 {
                        // Already moved as tentatively unreachable: back to the end of young, reachable.
                        young.move(t)
                        t.pointee.flags = flags & ~isUnreachable
                        t.pointee.gcRefs = 1
                        unreachableCount &-= 1
                    } else if t.pointee.gcRefs == 0 {
                        t.pointee.gcRefs = 1  // ahead in the walk: will be handled as reachable
                    }
                }
                o.pointee.flags &= ~collecting
                o.pointee.generation = survivorGeneration
                // Read after the referents: if `o` was last, what was just appended follows it now.
                o = o.pointee.gcNext.unsafelyUnwrapped
            } else {
                let following = o.pointee.gcNext.unsafelyUnwrapped
                unreachable.move(o)
                o.pointee.flags |= isUnreachable
                unreachableCount &+= 1
                o = following
            }
        }
        return unreachableCount
    }

    /// CPython's finalize_garbage: runs the finalizer of every object of `unreachable` that has one not
    /// yet run, each with the object held by a temporary count. A finalizer may free other garbage (it
    /// leaves every list when freed), so objects are taken one at a time from the front of
    /// `unreachable` into `seen`, then put back. Returns the number of finalizers run.
    func finalizeGarbage(_ unreachable: ObjectList, _ seen: ObjectList) -> Int {
        var ran = 0
        while let o = unreachable.first {
            seen.move(o)
            if o.pointee.flags & ObjectFlags.finalized.rawValue == 0, runFinalizer(o) { ran += 1 }
        }
        unreachable.appendAll(from: seen)
        return ran
    }

    /// CPython's delete_garbage: breaks every reference of the garbage (its counts all come from other
    /// garbage, so each falls to zero), then frees the blocks. A reference to an object outside the
    /// garbage is dropped through the heap's normal path (that object may be freed in turn, after).
    /// A reference to other garbage only lowers its count: the second walk frees it, so nothing is
    /// released twice. Anything still referenced afterwards (never expected) moves to `survivorsTo`.
    /// Returns the untracked objects (and their bytes) that only the garbage referred to, freed with it.
    func deleteGarbage(
        _ unreachable: ObjectList, _ layouts: UnsafeMutablePointer<TypeLayout>, survivorsTo old: ObjectList, generation: UInt8
    ) -> (objects: Int, bytes: Int) {
        let isUnreachable = CollectorFlags.unreachable, tracked = ObjectFlags.tracked.rawValue
        var untrackedFreed = 0, untrackedBytes = 0
        let clear = ~(CollectorFlags.collecting | CollectorFlags.unreachable)
        deferringFrees {
            var o = unreachable.head.pointee.gcNext.unsafelyUnwrapped
            while o != unreachable.head {
                let count = layouts[Int(o.pointee.typeIndex)].fieldCount + Int(o.pointee.slotCount)
                let cells = o.references(count: count)
                for i in 0..<count {
                    guard let t = cells[i] else { continue }
                    cells[i] = nil
                    liveReferenceCount &-= 1
                    if t.pointee.flags & isUnreachable != 0 {
                        t.pointee.refcount &-= 1
                    } else {
                        if t.pointee.refcount == 1 && t.pointee.flags & tracked == 0 {
                            untrackedFreed += 1
                            untrackedBytes += byteCount(of: t)
                        }
                        dropInternalReference(t)
                    }
                }
                o = o.pointee.gcNext.unsafelyUnwrapped
            }
            while let o = unreachable.first {
                o.pointee.flags &= clear
                if o.pointee.refcount == 0 {
                    freeBlock(o)
                } else {
                    old.move(o)
                    o.pointee.generation = generation
                }
            }
        }
        return (untrackedFreed, untrackedBytes)
    }

    /// DEBUG_SAVEALL: keeps every garbage object alive with one external count in the saved list, and
    /// moves it to `old` as CPython moves it to the older generation. Returns the number saved.
    func saveGarbage(_ unreachable: ObjectList, into old: ObjectList, generation: UInt8, _ state: CollectorState) -> Int {
        var saved = 0
        let clear = ~(CollectorFlags.collecting | CollectorFlags.unreachable)
        while let o = unreachable.first {
            o.pointee.flags &= clear
            old.move(o)
            o.pointee.generation = generation
            guard o.pointee.refcount < Self.maximumRefcount else { continue }  // stays garbage, unsaved
            o.pointee.refcount &+= 1
            o.pointee.externalCount &+= 1
            state.savedGarbage.append(ObjectRef(o))
            saved += 1
        }
        return saved
    }

    #if HEAPSCAN_CHECKS
    /// Every final garbage object is referenced only by other garbage: its refcount equals the
    /// references to it from the unreachable list, and it holds no external count.
    func checkFinalUnreachable(_ unreachable: ObjectList) {
        var o = unreachable.head.pointee.gcNext.unsafelyUnwrapped
        while o != unreachable.head {
            precondition(o.pointee.externalCount == 0, "collector: garbage \(describe(o)) has external counts")
            precondition(o.pointee.flags & CollectorFlags.unreachable != 0, "collector: \(describe(o)) lost its mark")
            o.pointee.gcRefs = Int32(bitPattern: o.pointee.refcount)
            o = o.pointee.gcNext.unsafelyUnwrapped
        }
        o = unreachable.head.pointee.gcNext.unsafelyUnwrapped
        while o != unreachable.head {
            forEachReferent(of: o) { t in
                if t.pointee.flags & CollectorFlags.unreachable != 0 { t.pointee.gcRefs &-= 1 }
            }
            o = o.pointee.gcNext.unsafelyUnwrapped
        }
        o = unreachable.head.pointee.gcNext.unsafelyUnwrapped
        while o != unreachable.head {
            precondition(o.pointee.gcRefs == 0, "collector: garbage \(describe(o)) is referenced from outside the garbage")
            o = o.pointee.gcNext.unsafelyUnwrapped
        }
    }
    #endif

    func notifyCallbacks(_ state: CollectorState, _ phase: CollectionPhase, _ info: CollectionInfo) {
        guard !state.callbacks.isEmpty else { return }
        for callback in state.callbacks { callback.body(phase, info) }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
