// ManagedHeap+Types — registering object types (validated once) and resolving their fields by name.

extension ManagedHeap {
    /// Registers `type` and returns its id.
    ///
    /// Throws ``HeapError/Kind/invalidType`` for an empty or already registered name, an empty or
    /// repeated field name (strong and weak fields share one name space), more than
    /// ``maximumFieldCount`` fields or weak fields, or a payload size outside `0...maximumPayloadSize`.
    public func register(_ type: ObjectType) throws(HeapError) -> TypeID {
        func refuse(_ why: String) -> HeapError { HeapError(.invalidType, "register type '\(type.name)': \(why)") }
        guard !type.name.isEmpty else { throw HeapError(.invalidType, "register type: the type name is empty") }
        guard typeIndexByName[type.name] == nil else { throw refuse("a type with this name is already registered") }
        guard type.fields.count <= Self.maximumFieldCount else {
            throw refuse("\(type.fields.count) fields exceed the limit of \(Self.maximumFieldCount)")
        }
        guard type.weakFields.count <= Self.maximumFieldCount else {
            throw refuse("\(type.weakFields.count) weak fields exceed the limit of \(Self.maximumFieldCount)")
        }
        guard type.payloadSize >= 0, type.payloadSize <= Self.maximumPayloadSize else {
            throw refuse("payload size \(type.payloadSize) is outside 0...\(Self.maximumPayloadSize)")
        }
        guard types.count < Int(UInt32.max) - 1 else { throw refuse("too many types") }
        var byName: [String: Int] = [:]
        for (i, f) in type.fields.enumerated() {
            guard !f.isEmpty else { throw refuse("field \(i) has an empty name") }
            guard byName[f] == nil else { throw refuse("field '\(f)' is declared twice") }
            byName[f] = i
        }
        var weakByName: [String: Int] = [:]
        for (i, f) in type.weakFields.enumerated() {
            guard !f.isEmpty else { throw refuse("weak field \(i) has an empty name") }
            guard byName[f] == nil else { throw refuse("weak field '\(f)' is also declared as a field") }
            guard weakByName[f] == nil else { throw refuse("weak field '\(f)' is declared twice") }
            weakByName[f] = i
        }
        let index = UInt32(types.count)
        if types.count == layoutCapacity {
            let bigger = UnsafeMutablePointer<TypeLayout>.allocate(capacity: layoutCapacity * 2)
            bigger.moveInitialize(from: layouts, count: types.count)
            layouts.deallocate()
            layouts = bigger
            layoutCapacity *= 2
        }
        (layouts + types.count).initialize(
            to: TypeLayout(
                fieldCount: type.fields.count, weakFieldCount: type.weakFields.count, payloadSize: type.payloadSize,
                trailingBytes: type.weakFields.count * 8 + ((type.payloadSize + 7) & ~7), hasVariableSlots: type.hasVariableSlots,
                hasFinalizer: type.finalizer != nil, canHoldReferences: !type.fields.isEmpty || type.hasVariableSlots,
                objects: ObjectList(links: .type)))
        types.append(
            RegisteredType(
                descriptor: type, fieldNameIndices: type.fields.map { fieldNames.intern($0) },
                fieldIndexByName: byName, fieldCount: type.fields.count,
                weakFieldNameIndices: type.weakFields.map { fieldNames.intern($0) }, weakFieldIndexByName: weakByName))
        typeIndexByName[type.name] = index
        typeCount = types.count
        return TypeID(index: index)
    }

    /// The registered type named `name`, if any.
    public func type(named name: String) -> TypeID? { typeIndexByName[name].map { TypeID(index: $0) } }

    /// The descriptor `type` was registered with.
    public func descriptor(of type: TypeID) throws(HeapError) -> ObjectType {
        try registered(type, "descriptor").descriptor
    }

    /// All registered types, in registration order.
    public var registeredTypes: [TypeID] { (0..<types.count).map { TypeID(index: UInt32($0)) } }

    /// The field of `type` named `name`; resolve once and reuse it for stores and loads.
    public func field(_ name: String, of type: TypeID) throws(HeapError) -> Field {
        let t = try registered(type, "field '\(name)'")
        guard let i = t.fieldIndexByName[name] else {
            if t.weakFieldIndexByName[name] != nil {
                throw HeapError(
                    .unknownField,
                    "field '\(name)': '\(name)' is a weak field of type '\(t.descriptor.name)'; resolve it with weakField(_:of:)")
            }
            throw HeapError(
                .unknownField,
                "field '\(name)': type '\(t.descriptor.name)' has no such field (fields: \(t.descriptor.fields.joined(separator: ", ")))")
        }
        return Field(type: type, index: i)
    }

    /// The weak field of `type` named `name`; resolve once and reuse it for `storeWeak` and `loadWeak`.
    public func weakField(_ name: String, of type: TypeID) throws(HeapError) -> WeakField {
        let t = try registered(type, "weak field '\(name)'")
        guard let i = t.weakFieldIndexByName[name] else {
            if t.fieldIndexByName[name] != nil {
                throw HeapError(
                    .unknownField,
                    "weak field '\(name)': '\(name)' is a strong field of type '\(t.descriptor.name)'; resolve it with field(_:of:)")
            }
            throw HeapError(
                .unknownField,
                "weak field '\(name)': type '\(t.descriptor.name)' has no such weak field (weak fields: \(t.descriptor.weakFields.joined(separator: ", ")))")
        }
        return WeakField(type: type, index: i)
    }

    /// The type registered under `type`, or an error naming `operation`.
    @inline(__always) func registered(_ type: TypeID, _ operation: @autoclosure () -> String) throws(HeapError) -> RegisteredType {
        guard Int(type.index) < types.count else {
            throw HeapError(.invalidArgument, "\(operation()): \(type) is not registered in this heap")
        }
        return types[Int(type.index)]
    }
}
