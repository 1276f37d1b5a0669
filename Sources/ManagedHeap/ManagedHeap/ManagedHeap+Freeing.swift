// ManagedHeap+Freeing — what happens when a refcount reaches zero: the finalizer (once, PEP 442
// resurrection honoured), then the references are released and the block returned. Iterative: objects
// reaching zero go on a work list drained by one loop, so a ten-million-long chain frees in constant stack.

extension ManagedHeap {
    /// Drops one count held by a reference cell (a field or slot that no longer names `o`).
    @inlinable @inline(__always) func dropInternalReference(_ o: ObjectPointer) {
        o.pointee.refcount &-= 1
        if o.pointee.refcount == 0 { deallocate(o) }
    }

    /// Marks `o` as queued for freeing: flag `deallocating` and the directory entry's tag, so handles
    /// and weak references to it stop working at once.
    @inline(__always) func markDeallocating(_ o: ObjectPointer) {
        o.setFlag(.deallocating)
        directory.setDeallocating(o.pointee.id, true)
    }

    /// Undoes `markDeallocating` (for a finalizer's run, and when it resurrects the object).
    @inline(__always) func unmarkDeallocating(_ o: ObjectPointer) {
        o.clearFlag(.deallocating)
        directory.setDeallocating(o.pointee.id, false)
    }

    /// Frees `o`, whose refcount just reached zero, and everything only it kept alive.
    ///
    /// Called inside the drain loop (a finalizer or a cleared field dropped the last count), it only queues.
    @usableFromInline func deallocate(_ o: ObjectPointer) {
        if isFreeing {
            markDeallocating(o)
            pendingFrees.append(o)
        } else if o.has(.finalized) {
            // The common case, freed at once: no user code runs before `freeBlock` takes `o` out of the
            // directory, so nothing can see it in between and it needs no "queued" mark.
            var next: ObjectPointer? = nil
            freeBlock(o, next: &next)
            // (`deferringFrees` restarts through here with the rest of its queue still pending.)
            // (`isEmpty` first: `popLast()` is an out-of-line call.)
            if let next = next ?? (pendingFrees.isEmpty ? nil : pendingFrees.removeLast()) { drainFrees(startingWith: next) }
        } else {
            markDeallocating(o)
            drainFrees(startingWith: o)
        }
    }

    /// Frees `first` and every object queued meanwhile, queuing the objects whose last count they held
    /// (CPython's trashcan, without the nesting limit: only the work list grows, and a chain — one
    /// referent reaching zero per object — does not even touch it).
    private func drainFrees(startingWith first: ObjectPointer) {
        isFreeing = true
        var current: ObjectPointer? = first
        while let o = current {
            var next: ObjectPointer? = nil
            if o.has(.finalized) || !runFinalizerForDeallocation(o) {
                freeBlock(o, next: &next)
            }
            current = next ?? (pendingFrees.isEmpty ? nil : pendingFrees.removeLast())
        }
        isFreeing = false
    }

    /// Runs `o`'s finalizer while it is held by one temporary count; true when the finalizer stored the
    /// object somewhere (its refcount is above zero afterwards), in which case it stays alive.
    private func runFinalizerForDeallocation(_ o: ObjectPointer) -> Bool {
        o.setFlag(.finalized)
        unmarkDeallocating(o)
        o.pointee.refcount = 1  // the finalizer call's own count: neither a field nor an external count
        let ref = ObjectRef(o)
        if let finalizer = types[Int(o.pointee.typeIndex)].descriptor.finalizer {
            finalizer(self, ref)
        }
        o.pointee.refcount &-= 1
        if o.pointee.refcount > 0 { return true }
        markDeallocating(o)
        return false
    }

    /// Frees `o` (refcount zero, finalizer done or not wanted) at once: releases its references (freeing
    /// what reaches zero, or queuing it inside a drain or `deferringFrees`), unlinks it everywhere and
    /// returns its block. For the collector, which decides itself when an object dies.
    func freeBlock(_ o: ObjectPointer) {
        var next: ObjectPointer? = nil
        freeBlock(o, next: &next)
        if let next {
            if isFreeing { pendingFrees.append(next) } else { drainFrees(startingWith: next) }
        }
    }

    /// Releases `o`'s references, takes it off every list and table, and returns its block.
    /// `o` has refcount zero and its finalizer has run. The first referent whose refcount reaches zero
    /// goes to `next`, the others onto the work list.
    @inline(__always) private func freeBlock(_ o: ObjectPointer, next: inout ObjectPointer?) {
        let layout = layouts + Int(o.pointee.typeIndex)
        let count = layout.pointee.fieldCount &+ Int(o.pointee.slotCount)
        let cells = o.references(count: count)
        for i in 0..<count {
            guard let target = cells[i] else { continue }
            cells[i] = nil
            liveReferenceCount &-= 1
            target.pointee.refcount &-= 1
            if target.pointee.refcount == 0 {
                markDeallocating(target)
                if next == nil { next = target } else { pendingFrees.append(target) }
            }
        }
        if o.has(.tracked) {
            // Unlink from whichever generation list holds it (the block is returned below, so its own
            // links need no clearing).
            let previous = o.pointee.gcPrev.unsafelyUnwrapped, following = o.pointee.gcNext.unsafelyUnwrapped
            previous.pointee.gcNext = following
            following.pointee.gcPrev = previous
            if gc.counts.0 > 0 { gc.counts.0 &-= 1 }
        }
        if layout.pointee.isListed { layout.pointee.objects.unlink(o) }
        let bytes = layout.pointee.blockBytes(slots: Int(o.pointee.slotCount))
        layout.pointee.liveBytes &-= bytes
        layout.pointee.freedTotal &+= 1
        let id = o.pointee.id
        if o.pointee.flags & (ObjectFlags.hasLabel.rawValue | ObjectFlags.hasRootName.rawValue) != 0 {
            labels[id] = nil
            rootNames[id] = nil
        }
        directory.remove(id)
        #if HEAPSCAN_CHECKS
        o.pointee.id = 0  // a stale raw pointer reads as "no object"
        #endif
        allocator.deallocate(UnsafeMutableRawPointer(o))
    }
}
