// HeapError — every misuse of the heap, as a thrown value whose text names the object and the operation.

/// What went wrong, with enough context to find the offending call.
///
/// The `description` names the operation ("store into field 'next'") and the object (id, type and
/// allocation site when it is still live), for example:
/// `store into field 'next': object #12 was already freed`.
public struct HeapError: Error, Hashable, CustomStringConvertible {
    /// The category, for code that reacts to errors.
    public enum Kind: Hashable, Sendable {
        /// Type registration refused (empty or duplicate names, too many fields, bad payload size).
        case invalidType
        /// A handle to an object that has been freed (or that belongs to another heap).
        case freedObject
        /// A release that would take a refcount below zero.
        case releaseBelowZero
        /// A retain past ``ManagedHeap/maximumRefcount``.
        case refcountOverflow
        /// A field name the type does not have, or a field of another type.
        case unknownField
        /// A variable slot index out of range, or slots on a type without them.
        case slotOutOfRange
        /// A payload read or write whose size differs from the type's payload.
        case payloadSize
        /// The allocator refused the request.
        case allocationFailed
        /// An argument outside its documented range.
        case invalidArgument
    }

    public let kind: Kind
    /// The full message.
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
