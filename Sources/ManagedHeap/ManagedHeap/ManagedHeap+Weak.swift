// ManagedHeap+Weak — weak references: an id and a weak epoch, resolved through the directory, so they
// cost the heap nothing per reference and can never observe a freed or half-freed object.

extension ManagedHeap {
    /// A weak reference to `object`: it never keeps the object alive.
    public func weakReference(to object: ObjectRef) throws(HeapError) -> WeakRef {
        let o = try live(object, "weakReference")
        return WeakRef(id: o.pointee.id, epoch: o.pointee.weakEpoch)
    }

    /// The object `weak` names, borrowed, or nil once it has been freed (or is being freed), or once the
    /// collector cleared weak references to it.
    /// - Complexity: O(1).
    public func load(_ weak: WeakRef) -> ObjectRef? {
        let entry = directory.entry(weak.id)
        guard entry & 1 == 0, let o = ObjectPointer(bitPattern: entry), o.pointee.weakEpoch == weak.epoch
        else { return nil }
        return ObjectRef(o, id: weak.id)
    }

    /// Makes every existing weak reference to `o` read nil from now on, even if `o` stays alive
    /// (the collector does this to garbage before running finalizers, PEP 442).
    func clearWeakReferences(_ o: ObjectPointer) {
        o.pointee.weakEpoch &+= 1
    }
}
