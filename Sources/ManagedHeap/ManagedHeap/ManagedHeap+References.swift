// ManagedHeap+References — reading and writing reference fields and slots, and the external counts
// (retain, release, owning handles). Every entry point checks its handles against the directory first.

extension ManagedHeap {
    // MARK: Checking handles

    /// The header of `ref` when it names a live object of this heap, else an error naming `operation`.
    ///
    /// Checked in every build: the id is looked up in the directory and must map to the same header, so
    /// a freed object's block (possibly reused, possibly returned to the OS) is never read.
    @inlinable @inline(__always) func live(_ ref: ObjectRef, _ operation: @autoclosure () -> String) throws(HeapError) -> ObjectPointer {
        let o = ref.address
        guard directory.entry(ref.id) == UInt(bitPattern: o) else { throw deadError(ref, operation()) }
        #if HEAPSCAN_CHECKS
        checkHeader(o, operation())
        #endif
        return o
    }

    /// The error for a handle whose directory entry does not match: freed, dying, or from another heap.
    @usableFromInline @inline(never) func deadError(_ ref: ObjectRef, _ operation: String) -> HeapError {
        if directory.lookup(ref.id) == ref.address && ref.address.has(.deallocating) {
            return beingFreedError(ref.address, operation)
        }
        return freedError(ref, operation)
    }

    @inline(never) func freedError(_ ref: ObjectRef, _ operation: String) -> HeapError {
        HeapError(.freedObject, "\(operation): object #\(ref.id) was already freed (or belongs to another heap)")
    }

    @inline(never) func beingFreedError(_ o: ObjectPointer, _ operation: String) -> HeapError {
        HeapError(.freedObject, "\(operation): \(describe(o)) is being freed (its refcount reached zero)")
    }

    /// "object #12 (Node, allocated at App/Main.swift:40)" for a live object.
    @usableFromInline func describe(_ o: ObjectPointer) -> String {
        let t = Int(o.pointee.typeIndex)
        let name = t < types.count ? types[t].descriptor.name : "?"
        let s = Int(o.pointee.siteIndex)
        let site = s < sites.strings.count ? sites.strings[s] : "?"
        return "object #\(o.pointee.id) (\(name), allocated at \(site))"
    }

    /// A description of `ref` for messages: type and allocation site when live.
    public func describe(_ ref: ObjectRef) -> String {
        directory.lookup(ref.id) == ref.address ? describe(ref.address) : "object #\(ref.id) (freed)"
    }

    #if HEAPSCAN_CHECKS
    /// Debug-build sanity check of a header reached through a handle.
    @usableFromInline func checkHeader(_ o: ObjectPointer, _ operation: @autoclosure () -> String) {
        precondition(Int(o.pointee.typeIndex) < types.count, "\(operation()): header of object #\(o.pointee.id) has a bad type index")
        precondition(o.pointee.refcount >= o.pointee.externalCount, "\(operation()): \(describe(o)) has more external counts than counts")
        precondition(o.pointee.refcount > 0, "\(operation()): \(describe(o)) is live with refcount 0")
    }
    #endif

    // MARK: Fields and slots

    /// Stores `value` (nil to clear) into `field` of `object`: retains the new target, releases the old one
    /// (which may free it and what only it held).
    @inlinable @inline(__always) public func store(_ value: ObjectRef?, into object: ObjectRef, _ field: Field) throws(HeapError) {
        let o = try live(object, "store into field #\(field.index)")
        guard field.type.index == o.pointee.typeIndex else { throw wrongFieldError(o, field, "store into") }
        try storeReference(value, into: o, cell: field.index, field: field)
    }

    /// Stores into the field named `name` (a hash lookup; prefer a resolved ``Field`` in loops).
    public func store(_ value: ObjectRef?, into object: ObjectRef, field name: String) throws(HeapError) {
        let o = try live(object, "store into field '\(name)'")
        let field = try self.field(name, of: TypeID(index: o.pointee.typeIndex))
        try storeReference(value, into: o, cell: field.index, field: field)
    }

    /// Stores into variable slot `slot` of `object`.
    public func store(_ value: ObjectRef?, into object: ObjectRef, slot: Int) throws(HeapError) {
        let o = try live(object, "store into slot \(slot)")
        let cell = try slotCell(o, slot, "store into")
        try storeReference(value, into: o, cell: cell, field: nil)
    }

    /// The object in `field` of `object`, borrowed (no count), or nil.
    @inlinable @inline(__always) public func load(_ object: ObjectRef, _ field: Field) throws(HeapError) -> ObjectRef? {
        let o = try live(object, "load field #\(field.index)")
        guard field.type.index == o.pointee.typeIndex else { throw wrongFieldError(o, field, "load") }
        return o.references(count: field.index + 1)[field.index].map { ObjectRef($0) }
    }

    /// The object in the field named `name`, borrowed, or nil.
    public func load(_ object: ObjectRef, field name: String) throws(HeapError) -> ObjectRef? {
        let o = try live(object, "load field '\(name)'")
        let field = try self.field(name, of: TypeID(index: o.pointee.typeIndex))
        return o.references(count: field.index + 1)[field.index].map { ObjectRef($0) }
    }

    /// The object in variable slot `slot`, borrowed, or nil.
    public func load(_ object: ObjectRef, slot: Int) throws(HeapError) -> ObjectRef? {
        let o = try live(object, "load slot \(slot)")
        let cell = try slotCell(o, slot, "load")
        return o.references(count: cell + 1)[cell].map { ObjectRef($0) }
    }

    /// Number of variable slots of `object`.
    public func slotCount(of object: ObjectRef) throws(HeapError) -> Int {
        Int(try live(object, "slotCount").pointee.slotCount)
    }

    /// The reference cell of slot `slot`, after checking the range.
    @inline(__always) private func slotCell(_ o: ObjectPointer, _ slot: Int, _ verb: String) throws(HeapError) -> Int {
        guard slot >= 0, slot < Int(o.pointee.slotCount) else {
            throw HeapError(
                .slotOutOfRange,
                "\(verb) slot \(slot): \(describe(o)) has \(o.pointee.slotCount) slots")
        }
        return layouts[Int(o.pointee.typeIndex)].fieldCount &+ slot
    }

    @usableFromInline @inline(never) func wrongFieldError(_ o: ObjectPointer, _ field: Field, _ verb: String) -> HeapError {
        let owner = Int(field.type.index) < types.count ? types[Int(field.type.index)] : nil
        let fieldName = owner.map { field.index < $0.fieldCount ? "'\($0.descriptor.fields[field.index])'" : "#\(field.index)" } ?? "#\(field.index)"
        let ownerName = owner?.descriptor.name ?? "\(field.type)"
        return HeapError(
            .unknownField,
            "\(verb) field \(fieldName): \(describe(o)) has no such field (the field belongs to type '\(ownerName)')")
    }

    /// Writes `value` into reference cell `cell` of `o`, adjusting both counts.
    @inlinable @inline(__always) func storeReference(
        _ value: ObjectRef?, into o: ObjectPointer, cell: Int, field: Field?
    ) throws(HeapError) {
        var target: ObjectPointer? = nil
        if let value {
            let t = try live(value, "store \(value) into \(describe(o))")
            guard t.pointee.refcount < Self.refcountLimit else { throw overflowError(t, "store into \(describe(o))") }
            t.pointee.refcount &+= 1
            target = t
        }
        let cells = o.references(count: cell + 1)
        let old = cells[cell]
        cells[cell] = target
        // One update of the edge count: +1 for a new reference, -1 for a dropped one.
        liveReferenceCount &+= (target == nil ? 0 : 1) &- (old == nil ? 0 : 1)
        if let old { dropInternalReference(old) }
    }

    @usableFromInline @inline(never) func overflowError(_ o: ObjectPointer, _ operation: String) -> HeapError {
        HeapError(.refcountOverflow, "\(operation): \(describe(o)) would exceed the maximum refcount")
    }

    @usableFromInline @inline(never) func releaseBelowZeroError(_ o: ObjectPointer) -> HeapError {
        HeapError(
            .releaseBelowZero,
            "release: \(describe(o)) has no external count left to release (refcount \(o.pointee.refcount), all held by references from other objects)")
    }

    // MARK: External counts

    /// Adds one external count to `object` (the caller now owns it and must `release` it).
    @inlinable public func retain(_ object: ObjectRef) throws(HeapError) {
        let o = try live(object, "retain")
        guard o.pointee.refcount < Self.refcountLimit else { throw overflowError(o, "retain") }
        o.pointee.refcount &+= 1
        o.pointee.externalCount &+= 1
    }

    /// Gives back one external count of `object`; at zero counts the object is finalized and freed.
    ///
    /// Throws ``HeapError/Kind/releaseBelowZero`` when no external count is left: the remaining counts
    /// belong to fields that name the object, and taking one would leave a field pointing at freed memory.
    @inlinable @inline(__always) public func release(_ object: ObjectRef) throws(HeapError) {
        let o = try live(object, "release")
        guard o.pointee.externalCount > 0 else { throw releaseBelowZeroError(o) }
        o.pointee.externalCount &-= 1
        o.pointee.refcount &-= 1
        if o.pointee.refcount == 0 { deallocate(o) }
    }

    /// Retains `object` and returns a handle that owns the new count.
    public func own(_ object: ObjectRef) throws(HeapError) -> Owned {
        try retain(object)
        return Owned(heap: self, adopting: object)
    }

    /// Retains `object` and returns a class-based handle that owns the new count (storable in arrays).
    public func handle(_ object: ObjectRef) throws(HeapError) -> ObjectHandle {
        try retain(object)
        return ObjectHandle(heap: self, adopting: object)
    }

    /// Release for ``Owned``'s deinit, which cannot throw: a failure there is a bug in code that
    /// released the handle's count behind its back, and stops the program with the reason.
    func releaseOwned(_ object: ObjectRef) {
        do { try release(object) } catch { preconditionFailure("releasing an Owned handle: \(error)") }
    }

    /// The refcount of `object`: references from fields and slots plus external counts.
    public func refcount(of object: ObjectRef) throws(HeapError) -> Int {
        Int(try live(object, "refcount").pointee.refcount)
    }

    /// The external counts of `object` (handles and explicit retains).
    public func externalCount(of object: ObjectRef) throws(HeapError) -> Int {
        Int(try live(object, "externalCount").pointee.externalCount)
    }

    /// Whether `object` is still live.
    @inlinable public func isLive(_ object: ObjectRef) -> Bool {
        directory.entry(object.id) == UInt(bitPattern: object.address)
    }
}
