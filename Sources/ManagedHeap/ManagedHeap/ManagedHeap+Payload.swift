// ManagedHeap+Payload — reading and writing an object's raw payload bytes, with the size checked
// against the type's declared payload on every access (release builds too).

extension ManagedHeap {
    /// The payload of `object` as a value of `T`, whose size must equal the type's payload size.
    public func payload<T: BitwiseCopyable>(of object: ObjectRef, as _: T.Type = T.self) throws(HeapError) -> T {
        let (start, size) = try payloadRegion(object, "read payload as \(T.self)")
        guard MemoryLayout<T>.size == size else { throw payloadSizeError(object, T.self, size, "read payload") }
        return start.loadUnaligned(as: T.self)
    }

    /// Writes `value` as the payload of `object`; its size must equal the type's payload size.
    public func setPayload<T: BitwiseCopyable>(_ value: T, of object: ObjectRef) throws(HeapError) {
        let (start, size) = try payloadRegion(object, "write payload as \(T.self)")
        guard MemoryLayout<T>.size == size else { throw payloadSizeError(object, T.self, size, "write payload") }
        start.storeBytes(of: value, as: T.self)
    }

    /// Reads a `T` at byte `offset` of the payload; the bytes must lie inside it.
    public func payload<T: BitwiseCopyable>(of object: ObjectRef, at offset: Int, as _: T.Type = T.self) throws(HeapError) -> T {
        let (start, size) = try payloadRegion(object, "read payload at \(offset) as \(T.self)")
        try checkRange(object, offset, T.self, size, "read payload")
        return (start + offset).loadUnaligned(as: T.self)
    }

    /// Writes a `T` at byte `offset` of the payload; the bytes must lie inside it.
    public func setPayload<T: BitwiseCopyable>(_ value: T, of object: ObjectRef, at offset: Int) throws(HeapError) {
        let (start, size) = try payloadRegion(object, "write payload at \(offset) as \(T.self)")
        try checkRange(object, offset, T.self, size, "write payload")
        (start + offset).storeBytes(of: value, as: T.self)
    }

    /// Calls `body` with the payload bytes of `object` (valid only during the call).
    public func withPayload<R>(
        of object: ObjectRef, _ body: (UnsafeMutableRawBufferPointer) -> R
    ) throws(HeapError) -> R {
        let (start, size) = try payloadRegion(object, "withPayload")
        return body(UnsafeMutableRawBufferPointer(start: start, count: size))
    }

    private func payloadRegion(_ object: ObjectRef, _ operation: @autoclosure () -> String) throws(HeapError) -> (UnsafeMutableRawPointer, Int) {
        let o = try live(object, operation())
        let layout = layouts + Int(o.pointee.typeIndex)
        let start = UnsafeMutableRawPointer(o) + layout.pointee.payloadOffset(slots: Int(o.pointee.slotCount))
        return (start, layout.pointee.payloadSize)
    }

    private func payloadSizeError<T>(_ object: ObjectRef, _: T.Type, _ size: Int, _ verb: String) -> HeapError {
        HeapError(
            .payloadSize,
            "\(verb) as \(T.self) (\(MemoryLayout<T>.size) bytes): \(describe(object)) has a payload of \(size) bytes")
    }

    private func checkRange<T>(_ object: ObjectRef, _ offset: Int, _: T.Type, _ size: Int, _ verb: String) throws(HeapError) {
        guard offset >= 0, offset <= size, MemoryLayout<T>.size <= size - offset else {
            throw HeapError(
                .payloadSize,
                "\(verb) at offset \(offset) as \(T.self) (\(MemoryLayout<T>.size) bytes): \(describe(object)) has a payload of \(size) bytes")
        }
    }
}
