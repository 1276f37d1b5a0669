// ManagedHeap+Types — registering object types (validated once) and resolving their fields by name.

extension ManagedHeap {
    /// Registers `type` and returns its id.
    ///
    /// Throws ``HeapError/Kind/invalidType`` for an empty or already registered name, an empty or
    /// repeated field name, more than ``maximumFieldCount`` fields, or a payload size outside
    /// `0...maximumPayloadSize`.
    public func register(_ type: ObjectType) throws(HeapError) -> TypeID {
        func refuse(_ why: String) -> HeapError { HeapError(.invalidType, "register type '\(type.name)': \(why)") }
        guard !type.name.isEmpty else { throw HeapError(.invalidType, "register type: the type name is empty") }
        guard typeIndexByName[type.name] == nil else { throw refuse("a type with this name is already registered") }
        guard type.fields.count <= Self.maximumFieldCount else {
            throw refuse("\(type.fields.count) fields exceed the limit of \(Self.maximumFieldCount)")
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
                fieldCount: type.fields.count, payloadSize: type.payloadSize,
                roundedPayload: (type.payloadSize + 7) & ~7, hasVariableSlots: type.hasVariableSlots,
                hasFinalizer: type.finalizer != nil, canHoldReferences: !type.fields.isEmpty || type.hasVariableSlots,
                objects: ObjectList(links: .type)))
        types.append(
            RegisteredType(
                descriptor: type, fieldNameIndices: type.fields.map { fieldNames.intern($0) },
                fieldIndexByName: byName, fieldCount: type.fields.count))
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
            throw HeapError(
                .unknownField,
                "field '\(name)': type '\(t.descriptor.name)' has no such field (fields: \(t.descriptor.fields.joined(separator: ", ")))")
        }
        return Field(type: type, index: i)
    }

    /// The type registered under `type`, or an error naming `operation`.
    @inline(__always) func registered(_ type: TypeID, _ operation: @autoclosure () -> String) throws(HeapError) -> RegisteredType {
        guard Int(type.index) < types.count else {
            throw HeapError(.invalidArgument, "\(operation()): \(type) is not registered in this heap")
        }
        return types[Int(type.index)]
    }
}
