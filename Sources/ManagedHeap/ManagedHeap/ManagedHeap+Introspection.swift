// ManagedHeap+Introspection — what CPython's gc module and objgraph answer, without a full-heap scan
// where an index exists: referents, referrers (the one O(heap) scan), objects and counts per type,
// lookup by id, statistics, labels and root names.

extension ManagedHeap {
    // MARK: One object

    /// The objects `object` refers to (borrowed), fields then slots, one entry per non-nil cell.
    /// - Complexity: O(fields + slots).
    public func referents(of object: ObjectRef) throws(HeapError) -> [ObjectRef] {
        let o = try live(object, "referents")
        var result: [ObjectRef] = []
        forEachReferent(of: o) { result.append(ObjectRef($0)) }
        return result
    }

    /// The references of `object` with their names: the field name, or "[i]" for slot `i`.
    /// - Complexity: O(fields + slots).
    public func namedReferents(of object: ObjectRef) throws(HeapError) -> [(name: String, target: ObjectRef)] {
        let o = try live(object, "namedReferents")
        let t = types[Int(o.pointee.typeIndex)]
        var result: [(name: String, target: ObjectRef)] = []
        for (i, cell) in referenceCells(of: o).enumerated() {
            guard let target = cell else { continue }
            let name = i < t.fieldCount ? t.descriptor.fields[i] : "[\(i - t.fieldCount)]"
            result.append((name, ObjectRef(target)))
        }
        return result
    }

    /// The objects that refer to `object` (each once, in id order).
    ///
    /// The heap keeps no reverse index (it would cost every field store a hash-table update), so this
    /// scans every reference in the heap, like CPython's `gc.get_referrers`. Use `snapshot()` and its
    /// analyses to ask many such questions at once.
    /// - Complexity: O(objects + references).
    public func referrers(of object: ObjectRef) throws(HeapError) -> [ObjectRef] {
        let target = try live(object, "referrers")
        var result: [ObjectRef] = []
        directory.forEach { o in
            let cells = referenceCells(of: o)
            for cell in cells where cell == target {
                result.append(ObjectRef(o))
                break
            }
        }
        return result
    }

    /// The type of `object`.
    public func type(of object: ObjectRef) throws(HeapError) -> TypeID {
        TypeID(index: try live(object, "type").pointee.typeIndex)
    }

    /// The name of the type of `object`.
    public func typeName(of object: ObjectRef) throws(HeapError) -> String {
        types[Int(try live(object, "typeName").pointee.typeIndex)].descriptor.name
    }

    /// Where `object` was allocated, "file:line".
    public func allocationSite(of object: ObjectRef) throws(HeapError) -> String {
        sites.strings[Int(try live(object, "allocationSite").pointee.siteIndex)]
    }

    /// Bytes of `object`: header, reference cells and payload, as requested from the allocator.
    public func byteCount(of object: ObjectRef) throws(HeapError) -> Int {
        byteCount(of: try live(object, "byteCount"))
    }

    /// The live object with `id`, borrowed, or nil.
    /// - Complexity: O(1).
    public func object(withID id: UInt64) -> ObjectRef? {
        let entry = directory.entry(id)
        guard entry & 1 == 0, let o = ObjectPointer(bitPattern: entry) else { return nil }
        return ObjectRef(o, id: id)
    }

    // MARK: Whole heap

    /// Live objects.
    public var objectCount: Int { directory.count }

    /// Bytes of live objects (as requested from the allocator).
    /// - Complexity: O(registered types).
    public var totalBytes: Int { liveBytes }

    /// References currently stored in fields and slots.
    public var referenceCount: Int { liveReferenceCount }

    /// Every live object, borrowed, in increasing id (allocation) order.
    /// - Complexity: O(objects).
    public var allObjects: [ObjectRef] {
        var result: [ObjectRef] = []
        result.reserveCapacity(directory.count)
        directory.forEach { o in
            if !o.has(.deallocating) { result.append(ObjectRef(o)) }
        }
        return result
    }

    /// The live objects of `type`, borrowed, in allocation order (from the type's own list).
    ///
    /// The list is kept from the first call on: that call builds it with one scan of the directory
    /// (O(all objects), once per type), so allocation of types nobody lists pays no list upkeep.
    /// - Complexity: O(objects of the type) after the first call for the type.
    public func objects(ofType type: TypeID) throws(HeapError) -> [ObjectRef] {
        _ = try registered(type, "objects(ofType:)")
        let list = layouts[Int(type.index)].objects
        if !layouts[Int(type.index)].isListed {
            // The directory is in id order, which is allocation order: the list comes out in order.
            let typeIndex = type.index
            directory.forEach { o in
                if o.pointee.typeIndex == typeIndex { list.append(o) }
            }
            layouts[Int(type.index)].isListed = true
        }
        var result: [ObjectRef] = []
        result.reserveCapacity(layouts[Int(type.index)].liveCount)
        list.forEach { o in
            if !o.has(.deallocating) { result.append(ObjectRef(o)) }
        }
        return result
    }

    /// Live objects of `type`.
    /// - Complexity: O(1).
    public func count(ofType type: TypeID) throws(HeapError) -> Int {
        _ = try registered(type, "count(ofType:)")
        return layouts[Int(type.index)].liveCount
    }

    /// Counts and bytes of `type`.
    /// - Complexity: O(1).
    public func statistics(of type: TypeID) throws(HeapError) -> TypeStatistics {
        let name = try registered(type, "statistics").descriptor.name
        let t = layouts[Int(type.index)]
        return TypeStatistics(
            type: type, name: name, count: t.liveCount, bytes: t.liveBytes,
            allocatedTotal: t.allocatedTotal, freedTotal: t.freedTotal, peakCount: t.peakLiveCount)
    }

    /// Statistics of every registered type, most live objects first (objgraph's most common types),
    /// ties by name.
    public var typeStatistics: [TypeStatistics] {
        types.indices.map { i in
            let t = layouts[i]
            return TypeStatistics(
                type: TypeID(index: UInt32(i)), name: types[i].descriptor.name, count: t.liveCount, bytes: t.liveBytes,
                allocatedTotal: t.allocatedTotal, freedTotal: t.freedTotal, peakCount: t.peakLiveCount)
        }.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
    }

    /// Every interned allocation site, "file:line".
    public var allocationSites: [String] { sites.strings }

    // MARK: Labels and root names

    /// Attaches a short label to `object` (shown in snapshots, reports and pictures); nil removes it.
    public func setLabel(_ label: String?, for object: ObjectRef) throws(HeapError) {
        let o = try live(object, "setLabel")
        labels[o.pointee.id] = label
        if label == nil { o.clearFlag(.hasLabel) } else { o.setFlag(.hasLabel) }
    }

    /// The label of `object`, if any.
    public func label(of object: ObjectRef) throws(HeapError) -> String? {
        let o = try live(object, "label")
        return o.has(.hasLabel) ? labels[o.pointee.id] : nil
    }

    /// Names the external references of `object` (for example "globals.cache"): the name its root gets
    /// in snapshots while it has external counts. Nil removes the name (the root is then "handle").
    public func setRootName(_ name: String?, for object: ObjectRef) throws(HeapError) {
        let o = try live(object, "setRootName")
        rootNames[o.pointee.id] = name
        if name == nil { o.clearFlag(.hasRootName) } else { o.setFlag(.hasRootName) }
    }

    /// The root name of `object`, if one was set.
    public func rootName(of object: ObjectRef) throws(HeapError) -> String? {
        let o = try live(object, "rootName")
        return o.has(.hasRootName) ? rootNames[o.pointee.id] : nil
    }
}
