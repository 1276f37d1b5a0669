// ManagedHeap+Freeing — what happens when a refcount reaches zero: the finalizer (once, PEP 442
// resurrection honoured), then the references are released and the block returned. Iterative: objects
// reaching zero go on a work list drained by one loop, so a ten-million-long chain frees in constant stack.

extension ManagedHeap {
    /// Drops one count held by a reference cell (a field or slot that no longer names `o`).
    @inline(__always) func dropInternalReference(_ o: ObjectPointer) {
        o.pointee.refcount &-= 1
        if o.pointee.refcount == 0 { deallocate(o) }
    }

    /// Frees `o`, whose refcount just reached zero, and everything only it kept alive.
    ///
    /// Called inside `drainFrees()` (a finalizer or a cleared field dropped the last count), it only queues.
    func deallocate(_ o: ObjectPointer) {
        o.setFlag(.deallocating)
        pendingFrees.append(o)
        if !isFreeing { drainFrees() }
    }

    /// Frees every queued object, queuing the objects whose last count they held (CPython's trashcan,
    /// without the nesting limit: the work list is the only thing that grows).
    private func drainFrees() {
        isFreeing = true
        defer { isFreeing = false }
        while let o = pendingFrees.popLast() {
            if !o.has(.finalized) {
                if runFinalizerForDeallocation(o) { continue }  // resurrected
            }
            freeBlock(o)
        }
    }

    /// Runs `o`'s finalizer while it is held by one temporary count; true when the finalizer stored the
    /// object somewhere (its refcount is above zero afterwards), in which case it stays alive.
    private func runFinalizerForDeallocation(_ o: ObjectPointer) -> Bool {
        o.setFlag(.finalized)
        o.clearFlag(.deallocating)
        o.pointee.refcount = 1  // the finalizer call's own count: neither a field nor an external count
        let ref = ObjectRef(o)
        if let finalizer = types[Int(o.pointee.typeIndex)].descriptor.finalizer {
            finalizer(self, ref)
        }
        o.pointee.refcount &-= 1
        if o.pointee.refcount > 0 { return true }
        o.setFlag(.deallocating)
        return false
    }

    /// Releases `o`'s references, takes it off every list and table, and returns its block.
    /// `o` has refcount zero and its finalizer has run.
    func freeBlock(_ o: ObjectPointer) {
        let layout = layouts + Int(o.pointee.typeIndex)
        let count = layout.pointee.fieldCount &+ Int(o.pointee.slotCount)
        let cells = o.references(count: count)
        for i in 0..<count {
            guard let target = cells[i] else { continue }
            cells[i] = nil
            liveReferenceCount &-= 1
            target.pointee.refcount &-= 1
            if target.pointee.refcount == 0 {
                target.setFlag(.deallocating)
                pendingFrees.append(target)
            }
        }
        if o.has(.tracked) {
            generationLists[0].unlink(o)  // unlinks from whichever generation list holds it
            if gc.counts.0 > 0 { gc.counts.0 &-= 1 }
        }
        layout.pointee.objects.unlink(o)
        let bytes = layout.pointee.referenceBytes(slots: Int(o.pointee.slotCount)) &+ layout.pointee.roundedPayload
        layout.pointee.liveCount &-= 1
        layout.pointee.liveBytes &-= bytes
        layout.pointee.freedTotal &+= 1
        liveBytes &-= bytes
        let id = o.pointee.id
        if o.has(.hasLabel) { labels[id] = nil }
        if o.has(.hasRootName) { rootNames[id] = nil }
        directory.remove(id)
        #if HEAPSCAN_CHECKS
        o.pointee.id = 0  // a stale raw pointer reads as "no object"
        #endif
        allocator.deallocate(UnsafeMutableRawPointer(o))
    }
}
