// ObjectHeader — the 72 bytes in front of every object, and the intrusive lists that thread through them.
// Laid out for the cycle collector: CPython-style generation lists (prev/next), a gc_refs scratch word,
// the generation number and flags live in the header, so a collection allocates nothing per object.

/// A pointer to an object's header: the heap's internal name for an object.
@usableFromInline typealias ObjectPointer = UnsafeMutablePointer<ObjectHeader>

/// The header at the start of every object block. Reference fields, then variable slots, then weak
/// cells, then the raw payload follow it in the same block (see ``ManagedHeap`` for the layout).
///
/// Invariants (checked by `ManagedHeap.verifyIntegrity()`):
/// - `id` is the object's key in the heap's directory, and the directory maps it back to this header;
/// - `refcount > 0` for every live object outside a deallocation in progress;
/// - a tracked object (flag `tracked`) is on exactly one generation list, `generation` names it;
///   an untracked object has `gcPrev == gcNext == nil` and `generation == ObjectHeader.untracked`;
/// - every object of a listed type (`TypeLayout.isListed`) is on its type's list (`typePrev`/`typeNext`), others on none.
@usableFromInline struct ObjectHeader {
    /// Previous object on the generation list this object is on (circular, with a sentinel head).
    @usableFromInline var gcPrev: ObjectPointer?
    /// Next object on the generation list.
    @usableFromInline var gcNext: ObjectPointer?
    /// Previous object of the same type (circular list with the type's sentinel), in allocation order.
    @usableFromInline var typePrev: ObjectPointer?
    /// Next object of the same type.
    @usableFromInline var typeNext: ObjectPointer?
    /// Stable id, unique for the heap's whole life, increasing in allocation order.
    @usableFromInline var id: UInt64
    /// Collector scratch (CPython's gc_refs). Meaningless outside a collection; the heap never reads it
    /// except `snapshot()`, which borrows it only when no collection is running.
    @usableFromInline var gcRefs: Int32
    /// References held to this object: by other objects' fields and slots, and from outside the heap.
    /// At most `ManagedHeap.maximumRefcount` so that `gcRefs` can copy it.
    @usableFromInline var refcount: UInt32
    /// The part of `refcount` held from outside the heap (handles, explicit `retain`); the rest comes
    /// from fields and slots. Lets `release` refuse to take away a count that a field holds, and lets
    /// `snapshot()` name the roots exactly.
    @usableFromInline var externalCount: UInt32
    /// Index of the object's type in the heap's type table.
    @usableFromInline var typeIndex: UInt32
    /// Index of the allocation site in the heap's site table.
    @usableFromInline var siteIndex: UInt32
    /// Number of variable reference slots after the fixed fields (0 for types without slots).
    @usableFromInline var slotCount: UInt32
    /// Bumped when weak references to the object are cleared; a weak reference is valid only while
    /// the epoch it was made with is current (so a resurrected object's cleared weak refs stay nil).
    @usableFromInline var weakEpoch: UInt16
    /// 0, 1, 2 young to old, 3 permanent (frozen), `untracked` for objects the collector ignores.
    @usableFromInline var generation: UInt8
    /// `ObjectFlags` bits.
    @usableFromInline var flags: UInt8
    /// Second collector scratch word (for example a position in the collector's own tables); the heap
    /// never reads it.
    @usableFromInline var gcScratch: UInt32

    @inlinable init(
        gcPrev: ObjectPointer?, gcNext: ObjectPointer?, typePrev: ObjectPointer?, typeNext: ObjectPointer?, id: UInt64,
        gcRefs: Int32, refcount: UInt32, externalCount: UInt32, typeIndex: UInt32, siteIndex: UInt32, slotCount: UInt32,
        weakEpoch: UInt16, generation: UInt8, flags: UInt8, gcScratch: UInt32
    ) {
        self.gcPrev = gcPrev
        self.gcNext = gcNext
        self.typePrev = typePrev
        self.typeNext = typeNext
        self.id = id
        self.gcRefs = gcRefs
        self.refcount = refcount
        self.externalCount = externalCount
        self.typeIndex = typeIndex
        self.siteIndex = siteIndex
        self.slotCount = slotCount
        self.weakEpoch = weakEpoch
        self.generation = generation
        self.flags = flags
        self.gcScratch = gcScratch
    }

    /// `generation` of an object that is on no generation list.
    @inlinable static var untracked: UInt8 { 255 }
    /// Generation number of the permanent (frozen) generation.
    static let permanent: UInt8 = 3
    /// Bytes of the header; the first reference field starts here.
    @inlinable static var size: Int { MemoryLayout<ObjectHeader>.stride }
}

/// Flag bits in `ObjectHeader.flags`.
@usableFromInline struct ObjectFlags: OptionSet, Sendable {
    @usableFromInline var rawValue: UInt8
    @inlinable init(rawValue: UInt8) { self.rawValue = rawValue }
    /// On a generation list (the type can hold references).
    @inlinable static var tracked: ObjectFlags { ObjectFlags(rawValue: 1 << 0) }
    /// Its finalizer has run (or it has none that may still run): never run it again (PEP 442).
    @inlinable static var finalized: ObjectFlags { ObjectFlags(rawValue: 1 << 1) }
    /// Has an entry in the heap's label table.
    @inlinable static var hasLabel: ObjectFlags { ObjectFlags(rawValue: 1 << 2) }
    /// Has an entry in the heap's root-name table.
    @inlinable static var hasRootName: ObjectFlags { ObjectFlags(rawValue: 1 << 3) }
    /// Queued for deallocation (refcount reached zero); set while on the free work list.
    @inlinable static var deallocating: ObjectFlags { ObjectFlags(rawValue: 1 << 4) }
    /// Free for the collector's own use (for example "unreachable", "reachable"), cleared by it.
    @inlinable static var collectorA: ObjectFlags { ObjectFlags(rawValue: 1 << 5) }
    /// Free for the collector's own use.
    @inlinable static var collectorB: ObjectFlags { ObjectFlags(rawValue: 1 << 6) }
    /// Free for the collector's own use.
    @inlinable static var collectorC: ObjectFlags { ObjectFlags(rawValue: 1 << 7) }
}

extension UnsafeMutablePointer where Pointee == ObjectHeader {
    /// The header's flags as an option set.
    @inline(__always) var objectFlags: ObjectFlags {
        get { ObjectFlags(rawValue: pointee.flags) }
        nonmutating set { pointee.flags = newValue.rawValue }
    }

    /// Whether flag `flag` is set (raw bit test: cheap in debug builds too, unlike OptionSet algebra).
    @inlinable @inline(__always) func has(_ flag: ObjectFlags) -> Bool { pointee.flags & flag.rawValue != 0 }
    /// Sets flag `flag`.
    @inlinable @inline(__always) func setFlag(_ flag: ObjectFlags) { pointee.flags |= flag.rawValue }
    /// Clears flag `flag`.
    @inlinable @inline(__always) func clearFlag(_ flag: ObjectFlags) { pointee.flags &= ~flag.rawValue }

    /// The reference cells (fields then slots), `count` long.
    @inlinable @inline(__always) func references(count: Int) -> UnsafeMutablePointer<ObjectPointer?> {
        UnsafeMutableRawPointer(self).advanced(by: ObjectHeader.size).assumingMemoryBound(to: ObjectPointer?.self)
    }

    /// The weak reference cells, which follow the `strongCount` strong cells (fields and slots): each a
    /// packed (id, weak epoch) of its target or 0 (`ManagedHeap.packWeak`). Never counted in refcounts,
    /// never seen by the collector, freeing or the strong-reference walks.
    @inlinable @inline(__always) func weakCells(after strongCount: Int) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutableRawPointer(self).advanced(by: ObjectHeader.size &+ strongCount &* 8).assumingMemoryBound(to: UInt64.self)
    }
}

/// A circular doubly linked list of objects threaded through one pair of header links, with a sentinel
/// header that is never an object. Generation lists use `gcPrev`/`gcNext`; type lists use
/// `typePrev`/`typeNext`. Moving an object between lists is O(1) and allocates nothing.
@usableFromInline struct ObjectList {
    /// Which pair of links the list uses.
    @usableFromInline enum Links { case generation, type }

    /// The sentinel: `head.next` is the first object, `head.prev` the last; an empty list points to itself.
    @usableFromInline let head: ObjectPointer
    @usableFromInline let links: Links

    /// Allocates a sentinel; `deallocateSentinel()` frees it.
    init(links: Links) {
        head = ObjectPointer.allocate(capacity: 1)
        head.initialize(
            to: ObjectHeader(
                gcPrev: nil, gcNext: nil, typePrev: nil, typeNext: nil, id: 0, gcRefs: 0, refcount: 0, externalCount: 0,
                typeIndex: .max, siteIndex: .max, slotCount: 0, weakEpoch: 0, generation: ObjectHeader.untracked,
                flags: 0, gcScratch: 0))
        switch links {
        case .generation: head.pointee.gcPrev = head; head.pointee.gcNext = head
        case .type: head.pointee.typePrev = head; head.pointee.typeNext = head
        }
        self.links = links
    }

    func deallocateSentinel() { head.deallocate() }

    @inlinable @inline(__always) func next(_ o: ObjectPointer) -> ObjectPointer {
        switch links {
        case .generation: o.pointee.gcNext.unsafelyUnwrapped
        case .type: o.pointee.typeNext.unsafelyUnwrapped
        }
    }

    @inlinable @inline(__always) func previous(_ o: ObjectPointer) -> ObjectPointer {
        switch links {
        case .generation: o.pointee.gcPrev.unsafelyUnwrapped
        case .type: o.pointee.typePrev.unsafelyUnwrapped
        }
    }

    @inlinable @inline(__always) func link(_ a: ObjectPointer, _ b: ObjectPointer) {
        switch links {
        case .generation: a.pointee.gcNext = b; b.pointee.gcPrev = a
        case .type: a.pointee.typeNext = b; b.pointee.typePrev = a
        }
    }

    var isEmpty: Bool { next(head) == head }
    /// The first object, or nil when empty.
    var first: ObjectPointer? { let f = next(head); return f == head ? nil : f }

    /// Appends `o`, which must be on no list of this kind.
    @inlinable @inline(__always) func append(_ o: ObjectPointer) {
        let last = previous(head)
        link(last, o)
        link(o, head)
    }

    /// Takes `o` off whatever list of this kind it is on (it need not be this one) and clears its links.
    @inlinable @inline(__always) func unlink(_ o: ObjectPointer) {
        link(previous(o), next(o))
        switch links {
        case .generation: o.pointee.gcPrev = nil; o.pointee.gcNext = nil
        case .type: o.pointee.typePrev = nil; o.pointee.typeNext = nil
        }
    }

    /// Moves `o` from whatever list it is on to the end of this one.
    @inline(__always) func move(_ o: ObjectPointer) {
        link(previous(o), next(o))
        append(o)
    }

    /// Appends every object of `other` to this list, in order, and leaves `other` empty. O(1).
    func appendAll(from other: ObjectList) {
        guard !other.isEmpty, other.head != head else { return }
        let firstOther = other.next(other.head), lastOther = other.previous(other.head)
        link(previous(head), firstOther)
        link(lastOther, head)
        link(other.head, other.head)
    }

    /// Number of objects. O(n).
    var count: Int {
        var n = 0
        var o = next(head)
        while o != head { n += 1; o = next(o) }
        return n
    }

    /// Calls `body` with every object in order. `body` may unlink or free the object it is given, but
    /// no other object of this list.
    @inline(__always) func forEach(_ body: (ObjectPointer) throws -> Void) rethrows {
        var o = next(head)
        while o != head {
            let following = next(o)
            try body(o)
            o = following
        }
    }
}
