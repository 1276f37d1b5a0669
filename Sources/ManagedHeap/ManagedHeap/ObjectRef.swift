// ObjectRef, Owned, WeakRef — the three ways Swift code names a heap object:
// borrowed (no count), owned (one count, released when the handle goes away), weak (no count, nil once freed).

/// A borrowed reference to an object: it holds no count, so it stays valid only while something else
/// keeps the object alive. Every heap operation checks it (by id, without reading freed memory) and
/// throws ``HeapError/Kind/freedObject`` when the object is gone.
///
/// Reading a field gives an `ObjectRef`; to keep the object, `retain` it (and later `release`) or take
/// an ``Owned`` handle with ``ManagedHeap/own(_:)``.
public struct ObjectRef: Hashable, CustomStringConvertible {
    /// The object's header. Never dereferenced before the id has been checked against the directory.
    @usableFromInline let address: ObjectPointer
    /// The object's stable id.
    public let id: UInt64

    @inlinable @inline(__always) init(_ address: ObjectPointer, id: UInt64) {
        self.address = address
        self.id = id
    }

    @inlinable @inline(__always) init(_ address: ObjectPointer) {
        self.address = address
        self.id = address.pointee.id
    }

    public static func == (a: ObjectRef, b: ObjectRef) -> Bool { a.id == b.id && a.address == b.address }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    public var description: String { "object #\(id)" }
}

/// An owning handle: holds one count of its object (an external reference, like a Python variable)
/// and releases it when the handle goes away. Not copyable, so the count can be neither lost nor
/// released twice; `retainedCopy()` makes a second owner and `take()` hands the count to the caller.
///
/// ```swift
/// do {
///     let node = try heap.make(nodeType)      // refcount 1, owned by `node`
///     try heap.store(other.ref, into: node.ref, next)
/// }                                           // released here
/// ```
public struct Owned: ~Copyable {
    /// The heap, retained by hand so that the handle stays trivially destroyable (for `take()`).
    private let heapReference: Unmanaged<ManagedHeap>
    /// The object, borrowed for the handle's lifetime.
    public let ref: ObjectRef

    /// The heap the count belongs to (kept alive by the handle).
    public var heap: ManagedHeap { heapReference.takeUnretainedValue() }

    /// Takes over one count of `ref` that the caller already holds.
    init(heap: ManagedHeap, adopting ref: ObjectRef) {
        self.heapReference = Unmanaged.passRetained(heap)
        self.ref = ref
    }

    /// Another owner of the same object (retains it).
    public func retainedCopy() throws(HeapError) -> Owned {
        try heap.retain(ref)
        return Owned(heap: heap, adopting: ref)
    }

    /// Gives the count to the caller without releasing it; the caller must `release` it later.
    public consuming func take() -> ObjectRef {
        let r = ref
        let h = heapReference
        discard self
        h.release()
        return r
    }

    deinit {
        heapReference.takeUnretainedValue().releaseOwned(ref)
        heapReference.release()
    }
}

/// A copyable owning handle: a class instance that holds one count of its object and releases it in
/// `deinit`, for code that keeps owners in arrays or dictionaries (where ``Owned`` cannot go).
/// Costs one small Swift allocation per handle; prefer ``Owned`` or explicit counts in hot paths.
public final class ObjectHandle: Hashable, CustomStringConvertible {
    public let heap: ManagedHeap
    public let ref: ObjectRef

    /// Takes over one count of `ref` that the caller already holds.
    init(heap: ManagedHeap, adopting ref: ObjectRef) {
        self.heap = heap
        self.ref = ref
    }

    deinit { heap.releaseOwned(ref) }

    public static func == (a: ObjectHandle, b: ObjectHandle) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    public var description: String { "handle to \(ref)" }
}

/// A weak reference: never keeps its object alive and reads as nil once the object is freed, or once
/// the cycle collector has cleared weak references to it as garbage (even if a finalizer resurrected it).
public struct WeakRef: Hashable, Sendable, CustomStringConvertible {
    /// Id of the object it named.
    public let id: UInt64
    /// The object's weak epoch when the reference was made.
    let epoch: UInt16
    public var description: String { "weak reference to object #\(id)" }
}
