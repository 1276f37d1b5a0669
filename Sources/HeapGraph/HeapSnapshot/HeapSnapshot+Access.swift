// HeapSnapshot+Access — reading one object or reference by position; the vocabulary analyses use.

extension HeapSnapshot {
    /// Number of objects.
    @inlinable public var objectCount: Int { ids.count }
    /// Number of references between objects.
    @inlinable public var edgeCount: Int { edgeTargets.count }
    /// All object positions, in increasing id order.
    @inlinable public var objectIndices: Range<Int> { 0..<ids.count }

    /// The position of the object with `id`, or nil.
    /// - Complexity: O(log objects).
    public func index(ofID id: UInt64) -> ObjectIndex? {
        var low = 0
        var high = ids.count
        while low < high {
            let mid = (low + high) / 2
            if ids[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    /// The positions of `object`'s references in the edge columns.
    @inlinable public func edgeRange(of object: ObjectIndex) -> Range<Int> {
        Int(edgeStarts[object])..<Int(edgeStarts[object + 1])
    }

    /// Type name of `object`.
    @inlinable public func typeName(of object: ObjectIndex) -> String { typeNames[Int(typeIndices[object])] }

    /// Allocation site of `object` ("file:line"), if recorded.
    public func site(of object: ObjectIndex) -> String? {
        let s = siteIndices[object]
        return s == Self.none ? nil : sites[Int(s)]
    }

    /// Label of `object`, if recorded.
    public func label(of object: ObjectIndex) -> String? {
        let l = labelIndices[object]
        return l == Self.none ? nil : labels[Int(l)]
    }

    /// Reference count of `object`, if recorded.
    public func refcount(of object: ObjectIndex) -> UInt32? {
        let r = refcounts[object]
        return r == Self.none ? nil : r
    }

    /// Field name of the reference at edge position `edge`, if named.
    public func fieldName(ofEdge edge: Int) -> String? {
        let f = edgeNames[edge]
        return f == Self.none ? nil : fieldNames[Int(f)]
    }

    /// Sum of shallow sizes, saturating at `UInt64.max` (never wrapping).
    /// - Complexity: O(objects).
    public var totalBytes: UInt64 { sizes.reduce(0) { $0.addingSaturated($1) } }

    /// Sum of the shallow sizes of `objects`, saturating at `UInt64.max` (never wrapping).
    /// - Complexity: O(`objects.count`).
    public func bytes(of objects: [ObjectIndex]) -> UInt64 {
        objects.reduce(0) { $0.addingSaturated(sizes[$1]) }
    }
}

// MARK: Reference kinds, non-retaining references, flags

extension HeapSnapshot {
    /// The kind of the retaining reference at edge position `edge`: `strong` or `internal`.
    @inlinable public func kind(ofEdge edge: Int) -> ReferenceKind {
        edgeKinds.isEmpty ? .strong : edgeKinds[edge]
    }

    /// Whether the snapshot holds any weak or shortcut reference.
    @inlinable public var hasNonRetainingReferences: Bool { !weakEdgeTargets.isEmpty }

    /// Number of non-retaining (weak, shortcut) references.
    @inlinable public var weakEdgeCount: Int { weakEdgeTargets.count }

    /// The positions of `object`'s non-retaining references in the `weakEdge` columns.
    @inlinable public func weakEdgeRange(of object: ObjectIndex) -> Range<Int> {
        weakEdgeStarts.isEmpty ? 0..<0 : Int(weakEdgeStarts[object])..<Int(weakEdgeStarts[object + 1])
    }

    /// Field name of the non-retaining reference at `edge`, if named.
    public func weakFieldName(ofEdge edge: Int) -> String? {
        let f = weakEdgeNames[edge]
        return f == Self.none ? nil : fieldNames[Int(f)]
    }

    /// Kind of the non-retaining reference at `edge`: `weak` or `shortcut`.
    @inlinable public func weakKind(ofEdge edge: Int) -> ReferenceKind { weakEdgeKinds[edge] }

    /// One reference of an object, retaining or not.
    public struct Reference: Sendable, Hashable {
        /// The object referred to.
        public var target: ObjectIndex
        /// The field name, if any.
        public var name: String?
        public var kind: ReferenceKind
    }

    /// Every reference of `object`: the retaining ones in field order, then the non-retaining ones.
    /// - Complexity: O(references of `object`).
    public func references(of object: ObjectIndex) -> [Reference] {
        edgeRange(of: object).map { Reference(target: Int(edgeTargets[$0]), name: fieldName(ofEdge: $0), kind: kind(ofEdge: $0)) }
            + weakEdgeRange(of: object).map {
                Reference(target: Int(weakEdgeTargets[$0]), name: weakFieldName(ofEdge: $0), kind: weakEdgeKinds[$0])
            }
    }

    /// The flags of `object`.
    @inlinable public func flags(of object: ObjectIndex) -> ObjectFlags {
        objectFlags.isEmpty ? [] : ObjectFlags(rawValue: objectFlags[object])
    }

    /// Whether `object` is a detached DOM node (V8 detachedness); false when the producer did not say.
    @inlinable public func isDetached(_ object: ObjectIndex) -> Bool { flags(of: object).contains(.detached) }
}
