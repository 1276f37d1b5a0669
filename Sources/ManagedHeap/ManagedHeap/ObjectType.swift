// ObjectType — what a runtime builder registers: a type's name, named reference fields, named weak
// fields, optional variable reference slots, a raw payload and a finalizer; and the handles (TypeID,
// Field, WeakField) that name a registered type and one of its fields afterwards.

/// Describes one kind of object. Register it once with ``ManagedHeap/register(_:)``.
///
/// An object of this type is laid out as the header, then `fields.count` reference fields, then (when
/// `hasVariableSlots`) the number of reference slots chosen at allocation, then `weakFields.count` weak
/// reference cells, then `payloadSize` raw bytes that the heap never interprets (zeroed at allocation).
public struct ObjectType {
    /// Runs once before an object of the type is freed, with the object still intact and borrowed.
    /// Storing the object somewhere (a field, or `retain`) keeps it alive: PEP 442 resurrection.
    public typealias Finalizer = (ManagedHeap, ObjectRef) -> Void

    /// Unique, non-empty.
    public var name: String
    /// Names of the reference fields, unique and non-empty, at most ``ManagedHeap/maximumFieldCount``.
    public var fields: [String]
    /// Names of the weak reference fields: they never keep their target alive and read nil once it is
    /// freed (or its weak references were cleared by the collector). Unique among all the type's field
    /// names, at most ``ManagedHeap/maximumFieldCount``.
    public var weakFields: [String]
    /// Whether objects carry a number of reference slots fixed at allocation (arrays, dictionaries).
    public var hasVariableSlots: Bool
    /// Raw bytes after the references and weak cells, at most ``ManagedHeap/maximumPayloadSize``.
    public var payloadSize: Int
    /// Called once before an object is freed; nil for none.
    public var finalizer: Finalizer?

    public init(
        name: String, fields: [String] = [], weakFields: [String] = [], hasVariableSlots: Bool = false,
        payloadSize: Int = 0, finalizer: Finalizer? = nil
    ) {
        self.name = name
        self.fields = fields
        self.weakFields = weakFields
        self.hasVariableSlots = hasVariableSlots
        self.payloadSize = payloadSize
        self.finalizer = finalizer
    }
}

/// A registered type of one heap.
public struct TypeID: Hashable, Sendable, CustomStringConvertible {
    /// Position in the heap's type table; also the type's index in that heap's snapshots.
    public let index: UInt32
    public var description: String { "type #\(index)" }
}

/// A reference field of a registered type, resolved once by name with ``ManagedHeap/field(_:of:)``.
public struct Field: Hashable, Sendable {
    /// The type the field belongs to.
    public let type: TypeID
    /// Position among the type's fields.
    public let index: Int
}

/// A weak field of a registered type, resolved once by name with ``ManagedHeap/weakField(_:of:)``;
/// read and written with ``ManagedHeap/loadWeak(_:of:)`` and ``ManagedHeap/storeWeak(_:into:of:)``.
public struct WeakField: Hashable, Sendable {
    /// The type the field belongs to.
    public let type: TypeID
    /// Position among the type's weak fields.
    public let index: Int
}

/// A registered type as the heap keeps it: the descriptor and the name tables (cold data).
struct RegisteredType {
    let descriptor: ObjectType
    /// Snapshot field-name indices, one per field (into the heap's interned field-name table).
    let fieldNameIndices: [UInt32]
    let fieldIndexByName: [String: Int]
    let fieldCount: Int
    /// Snapshot field-name indices of the weak fields, one per weak field.
    let weakFieldNameIndices: [UInt32]
    let weakFieldIndexByName: [String: Int]
}

/// The numbers the hot paths need about a type, trivially copyable and kept in one unsafe buffer
/// (`ManagedHeap.layouts`) so that allocation and freeing touch no reference-counted storage.
@usableFromInline struct TypeLayout {
    @usableFromInline let fieldCount: Int
    /// Weak reference cells per object (after the strong cells, before the payload).
    @usableFromInline let weakFieldCount: Int
    /// Payload size as declared.
    @usableFromInline let payloadSize: Int
    /// Bytes after the strong reference cells: 8 per weak cell, then the payload rounded up to 8 (so
    /// blocks stay 8-aligned).
    @usableFromInline let trailingBytes: Int
    @usableFromInline let hasVariableSlots: Bool
    @usableFromInline let hasFinalizer: Bool
    /// Whether objects can hold strong references and so go on a generation list (weak fields do not
    /// count: the collector never follows them).
    @usableFromInline let canHoldReferences: Bool
    /// Sentinel of the list of the type's live objects, in allocation order; kept only while `isListed`.
    @usableFromInline let objects: ObjectList
    /// Bytes before the weak cells start for an object with `slots` slots: header + strong references.
    @inlinable @inline(__always) func referenceBytes(slots: Int) -> Int { ObjectHeader.size &+ (fieldCount &+ slots) &* 8 }
    /// Bytes before the payload starts for an object with `slots` slots: header + strong and weak references.
    @inlinable @inline(__always) func payloadOffset(slots: Int) -> Int { referenceBytes(slots: slots) &+ weakFieldCount &* 8 }
    /// Bytes of the whole block of an object with `slots` slots (what is requested from the allocator).
    @inlinable @inline(__always) func blockBytes(slots: Int) -> Int { referenceBytes(slots: slots) &+ trailingBytes }

    /// Whether `objects` lists every live object of the type. Off until the first `objects(ofType:)`
    /// (which builds the list with one directory scan), so types nobody lists cost no list upkeep.
    @usableFromInline var isListed = false

    // Statistics, updated on every allocation and free.
    /// Live objects (derived, so allocation and freeing each update one counter fewer).
    @inlinable var liveCount: Int { allocatedTotal &- freedTotal }
    @usableFromInline var liveBytes = 0
    @usableFromInline var allocatedTotal = 0
    @usableFromInline var freedTotal = 0
    @usableFromInline var peakLiveCount = 0
}

/// Counts and bytes of one type, like one row of objgraph's `show_most_common_types` plus totals.
public struct TypeStatistics: Hashable, Sendable {
    public var type: TypeID
    public var name: String
    /// Live objects.
    public var count: Int
    /// Bytes of the live objects (header, references and payload, as requested from the allocator).
    public var bytes: Int
    /// Objects allocated since the heap was created.
    public var allocatedTotal: Int
    /// Objects freed since the heap was created.
    public var freedTotal: Int
    /// Most live objects at one time.
    public var peakCount: Int
}
