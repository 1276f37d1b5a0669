// ManagedHeap+Weak — weak references: an id and a weak epoch, resolved through the directory, so they
// cost the heap nothing per reference and can never observe a freed or half-freed object. Held by Swift
// code (`WeakRef`) or by objects, in weak fields (a packed id and epoch per cell, never counted).

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
        resolveWeak(id: weak.id, epoch: weak.epoch).map { ObjectRef($0, id: weak.id) }
    }

    /// Makes every existing weak reference to `o` read nil from now on, even if `o` stays alive
    /// (the collector does this to garbage before running finalizers, PEP 442). Weak fields included:
    /// their cells keep the old epoch.
    func clearWeakReferences(_ o: ObjectPointer) {
        o.pointee.weakEpoch &+= 1
    }

    /// The live object named by weak reference (`id`, `epoch`): in the directory, not queued for freeing,
    /// its weak references not cleared since.
    @inline(__always) func resolveWeak(id: UInt64, epoch: UInt16) -> ObjectPointer? {
        let entry = directory.entry(id)
        guard entry & 1 == 0, let o = ObjectPointer(bitPattern: entry), o.pointee.weakEpoch == epoch else { return nil }
        return o
    }

    // MARK: Weak fields

    /// Largest id a weak field can name: a cell packs the id into 48 bits above the 16-bit weak epoch.
    /// (2⁴⁸ allocations take months at the heap's allocation rate.)
    public static let maximumWeakTargetID: UInt64 = (1 << 48) - 1

    /// The cell value of a weak reference to `o`: `id << 16 | weakEpoch`, never 0 (ids start at 1).
    @inline(__always) static func packWeak(_ o: ObjectPointer) -> UInt64 {
        o.pointee.id << 16 | UInt64(o.pointee.weakEpoch)
    }

    /// The live object a weak cell names, or nil for an empty cell or a dead or cleared target.
    @inline(__always) func resolveWeakCell(_ cell: UInt64) -> ObjectPointer? {
        guard cell != 0 else { return nil }
        return resolveWeak(id: cell >> 16, epoch: UInt16(truncatingIfNeeded: cell))
    }

    /// The weak cells of `o`, `layouts[type].weakFieldCount` long (after the fields and slots).
    @inline(__always) func weakCells(of o: ObjectPointer) -> UnsafeMutableBufferPointer<UInt64> {
        let layout = layouts + Int(o.pointee.typeIndex)
        let strong = layout.pointee.fieldCount &+ Int(o.pointee.slotCount)
        return UnsafeMutableBufferPointer(start: o.weakCells(after: strong), count: layout.pointee.weakFieldCount)
    }

    /// Makes weak field `field` of `object` name `target` (nil to clear). No count changes hands: the
    /// field never keeps `target` alive and reads nil once `target` is freed, or once the collector
    /// cleared weak references to it.
    ///
    /// Throws ``HeapError/Kind/freedObject`` for a freed or dying `object` or `target`, and
    /// ``HeapError/Kind/unknownField`` for a weak field of another type.
    /// - Complexity: O(1).
    public func storeWeak(_ target: ObjectRef?, into field: WeakField, of object: ObjectRef) throws(HeapError) {
        let o = try live(object, "store weak into weak field #\(field.index)")
        guard field.type.index == o.pointee.typeIndex else { throw wrongWeakFieldError(o, field, "store weak into") }
        try storeWeakCell(target, into: o, index: field.index)
    }

    /// Stores into the weak field named `name` (a hash lookup; prefer a resolved ``WeakField`` in loops).
    public func storeWeak(_ target: ObjectRef?, into name: String, of object: ObjectRef) throws(HeapError) {
        let o = try live(object, "store weak into weak field '\(name)'")
        let field = try weakField(name, of: TypeID(index: o.pointee.typeIndex))
        try storeWeakCell(target, into: o, index: field.index)
    }

    /// The object weak field `field` of `object` names, borrowed, or nil: empty, or its target was freed
    /// (or is being freed), or the collector cleared weak references to it — like `load(_: WeakRef)`.
    /// - Complexity: O(1).
    public func loadWeak(_ field: WeakField, of object: ObjectRef) throws(HeapError) -> ObjectRef? {
        let o = try live(object, "load weak field #\(field.index)")
        guard field.type.index == o.pointee.typeIndex else { throw wrongWeakFieldError(o, field, "load") }
        return loadWeakCell(o, index: field.index)
    }

    /// The object in the weak field named `name`, borrowed, or nil.
    public func loadWeak(_ name: String, of object: ObjectRef) throws(HeapError) -> ObjectRef? {
        let o = try live(object, "load weak field '\(name)'")
        let field = try weakField(name, of: TypeID(index: o.pointee.typeIndex))
        return loadWeakCell(o, index: field.index)
    }

    /// The live weak references of `object` with their field names, in declaration order (empty and
    /// dead ones left out).
    /// - Complexity: O(weak fields).
    public func namedWeakReferents(of object: ObjectRef) throws(HeapError) -> [(name: String, target: ObjectRef)] {
        let o = try live(object, "namedWeakReferents")
        let names = types[Int(o.pointee.typeIndex)].descriptor.weakFields
        var result: [(name: String, target: ObjectRef)] = []
        for (i, cell) in weakCells(of: o).enumerated() {
            guard let target = resolveWeakCell(cell) else { continue }
            result.append((names[i], ObjectRef(target)))
        }
        return result
    }

    private func storeWeakCell(_ target: ObjectRef?, into o: ObjectPointer, index: Int) throws(HeapError) {
        var cell: UInt64 = 0
        if let target {
            let t = try live(target, "store weak \(target) into \(describe(o))")
            guard t.pointee.id <= Self.maximumWeakTargetID else {
                throw HeapError(
                    .invalidArgument,
                    "store weak into \(describe(o)): \(describe(t)) has an id above \(Self.maximumWeakTargetID), the largest a weak field holds")
            }
            cell = Self.packWeak(t)
        }
        weakCells(of: o)[index] = cell
    }

    private func loadWeakCell(_ o: ObjectPointer, index: Int) -> ObjectRef? {
        let cell = weakCells(of: o)[index]
        return resolveWeakCell(cell).map { ObjectRef($0, id: cell >> 16) }
    }

    @inline(never) private func wrongWeakFieldError(_ o: ObjectPointer, _ field: WeakField, _ verb: String) -> HeapError {
        let owner = Int(field.type.index) < types.count ? types[Int(field.type.index)] : nil
        let fieldName = owner.map { field.index < $0.descriptor.weakFields.count ? "'\($0.descriptor.weakFields[field.index])'" : "#\(field.index)" } ?? "#\(field.index)"
        let ownerName = owner?.descriptor.name ?? "\(field.type)"
        return HeapError(
            .unknownField,
            "\(verb) weak field \(fieldName): \(describe(o)) has no such weak field (the field belongs to type '\(ownerName)')")
    }
}
