// ManagedHeap+GCPrimitives — the internal operations the cycle collector is built from: walking
// generation lists and referents, moving objects between lists, the gc scratch words, running finalizers
// and freeing what the collector releases. None allocates.
// docs/managed-heap.md ("Internals for the collector") describes how they fit together.

extension ManagedHeap {
    /// The generation list `generation` (0, 1, 2, or 3 = permanent).
    @inline(__always) func generationList(_ generation: Int) -> ObjectList { generationLists[generation] }

    /// The reference cells of `o`: its fields, then its slots. Nil cells are empty.
    @inline(__always) func referenceCells(of o: ObjectPointer) -> UnsafeMutableBufferPointer<ObjectPointer?> {
        let count = layouts[Int(o.pointee.typeIndex)].fieldCount &+ Int(o.pointee.slotCount)
        return UnsafeMutableBufferPointer(start: o.references(count: count), count: count)
    }

    /// Calls `body` with every object `o` refers to (once per non-nil field or slot, so a target named
    /// twice comes twice), fields first in declaration order, then slots.
    @inline(__always) func forEachReferent(of o: ObjectPointer, _ body: (ObjectPointer) throws -> Void) rethrows {
        let count = layouts[Int(o.pointee.typeIndex)].fieldCount &+ Int(o.pointee.slotCount)
        guard count > 0 else { return }
        let cells = o.references(count: count)
        for i in 0..<count {
            if let target = cells[i] { try body(target) }
        }
    }

    /// Appends all of generation `source` to generation `destination` (O(1) splice) and renumbers the
    /// moved objects (O(moved)).
    func mergeGeneration(_ source: Int, into destination: Int) {
        guard source != destination else { return }
        let g = UInt8(truncatingIfNeeded: destination)
        generationLists[source].forEach { $0.pointee.generation = g }
        generationLists[destination].appendAll(from: generationLists[source])
    }

    /// Runs `o`'s finalizer if it has one that has not run yet, with `o` held by a temporary count for
    /// the call; marks it finalized either way. Returns whether a finalizer ran. The collector checks
    /// resurrection afterwards by recomputing reachability (PEP 442).
    @discardableResult
    func runFinalizer(_ o: ObjectPointer) -> Bool {
        guard !o.has(.finalized) else { return false }
        o.setFlag(.finalized)
        guard let finalizer = types[Int(o.pointee.typeIndex)].descriptor.finalizer else { return false }
        o.pointee.refcount &+= 1
        finalizer(self, ObjectRef(o))
        o.pointee.refcount &-= 1
        // The temporary count cannot have been the last: the caller's view of `o` keeps its own counts.
        if o.pointee.refcount == 0 { deallocate(o) }
        return true
    }

    /// Runs `body` with frees queued instead of performed, then frees everything queued. Inside,
    /// an object whose refcount reaches zero keeps its block and list links (flag `deallocating`)
    /// until `body` returns, so the collector can keep walking its lists.
    func deferringFrees(_ body: () -> Void) {
        if isFreeing { body(); return }
        isFreeing = true
        body()
        isFreeing = false
        if let o = pendingFrees.popLast() { deallocate(o) }  // restarts the drain with the rest queued
    }

    /// Whether `o` has been queued for freeing (its refcount reached zero).
    @inline(__always) func isDeallocating(_ o: ObjectPointer) -> Bool { o.has(.deallocating) }
}
