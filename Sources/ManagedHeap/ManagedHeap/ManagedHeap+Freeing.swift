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
        o.objectFlags.insert(.deallocating)
        pendingFrees.append(o)
        if !isFreeing { drainFrees() }
    }

    /// Frees every queued object, queuing the objects whose last count they held (CPython's trashcan,
    /// without the nesting limit: the work list is the only thing that grows).
    private func drainFrees() {
        isFreeing = true
        defer { isFreeing = false }
        while let o = pendingFrees.popLast() {
            if !o.objectFlags.contains(.finalized) {
                if runFinalizerForDeallocation(o) { continue }  // resurrected
            }
            freeBlock(o)
        }
    }

    /// Runs `o`'s finalizer while it is held by one temporary count; true when the finalizer stored the
    /// object somewhere (its refcount is above zero afterwards), in which case it stays alive.
    private func runFinalizerForDeallocation(_ o: ObjectPointer) -> Bool {
        var flags = o.objectFlags
        flags.insert(.finalized)
        flags.remove(.deallocating)
        o.objectFlags = flags
        o.pointee.refcount = 1  // the finalizer call's own count: neither a field nor an external count
        let ref = ObjectRef(o)
        if let finalizer = types[Int(o.pointee.typeIndex)].descriptor.finalizer {
            finalizer(self, ref)
        }
        o.pointee.refcount &-= 1
        if o.pointee.refcount > 0 { return true }
        o.objectFlags.insert(.deallocating)
        return false
    }

    /// Releases `o`'s references, takes it off every list and table, and returns its block.
    /// `o` has refcount zero and its finalizer has run.
    func freeBlock(_ o: ObjectPointer) {
        let t = Int(o.pointee.typeIndex)
        let count = types[t].fieldCount + Int(o.pointee.slotCount)
        let cells = o.references(count: count)
        for i in 0..<count {
            guard let target = cells[i] else { continue }
            cells[i] = nil
            liveReferenceCount &-= 1
            target.pointee.refcount &-= 1
            if target.pointee.refcount == 0 {
                target.objectFlags.insert(.deallocating)
                pendingFrees.append(target)
            }
        }
        let flags = o.objectFlags
        if flags.contains(.tracked) {
            generationLists[0].unlink(o)  // unlinks from whichever generation list holds it
            if gc.counts.0 > 0 { gc.counts.0 &-= 1 }
        }
        types[t].objects.unlink(o)
        let bytes = types[t].referenceBytes(slots: Int(o.pointee.slotCount)) + types[t].roundedPayload
        types[t].liveCount &-= 1
        types[t].liveBytes &-= bytes
        types[t].freedTotal &+= 1
        liveBytes &-= bytes
        let id = o.pointee.id
        if flags.contains(.hasLabel) { labels[id] = nil }
        if flags.contains(.hasRootName) { rootNames[id] = nil }
        directory.remove(id)
        #if HEAPSCAN_CHECKS
        o.pointee.id = 0  // a stale raw pointer reads as "no object"
        #endif
        allocator.deallocate(UnsafeMutableRawPointer(o))
    }
}
