// ManagedHeap+Allocation — creating objects: a block from the allocator, a header, an id, the interned
// allocation site, the type list and (for objects that can hold references) the youngest generation.

import HeapArena

extension ManagedHeap {
    /// Allocates an object of `type` with `slots` variable reference slots, every reference nil and the
    /// payload zeroed. The caller owns the one count it comes with and must `release` it (or use ``make(_:slots:file:line:)``).
    ///
    /// `file` and `line` record the allocation site; leave them to their defaults.
    /// - Complexity: O(fields + slots + payload) to clear the block.
    public func allocate(
        _ type: TypeID, slots: Int = 0, file: StaticString = #fileID, line: UInt = #line
    ) throws(HeapError) -> ObjectRef {
        let typeIndex = Int(type.index)
        guard typeIndex < typeCount else { throw allocationError(type, slots: slots, byteCount: 0, nil) }
        let layout = layouts + typeIndex
        if slots != 0 {
            guard layout.pointee.hasVariableSlots, slots > 0, slots <= Self.maximumSlotCount else {
                throw allocationError(type, slots: slots, byteCount: 0, nil)
            }
        }
        let byteCount = layout.pointee.blockBytes(slots: slots)
        let block: UnsafeMutableRawPointer
        do { block = try allocator.allocate(byteCount: byteCount) } catch {
            throw allocationError(type, slots: slots, byteCount: byteCount, error)
        }
        let o = block.bindMemory(to: ObjectHeader.self, capacity: 1)
        let site = siteIndex(file: file, line: line)
        let tracked = layout.pointee.canHoldReferences
        // A tracked object goes at the end of generation 0: its links are written with the header.
        let youngLast = tracked ? youngHead.pointee.gcPrev : nil
        o.initialize(
            to: ObjectHeader(
                gcPrev: youngLast, gcNext: tracked ? youngHead : nil, typePrev: nil, typeNext: nil, id: 0, gcRefs: 0, refcount: 1,
                externalCount: 1, typeIndex: type.index, siteIndex: site, slotCount: UInt32(truncatingIfNeeded: slots),
                weakEpoch: 0, generation: tracked ? 0 : ObjectHeader.untracked,
                flags: (tracked ? ObjectFlags.tracked.rawValue : 0)
                    | (layout.pointee.hasFinalizer ? 0 : ObjectFlags.finalized.rawValue),
                gcScratch: 0))
        // References are nil pointers and empty weak cells 0 (all zero bits); the payload starts zeroed.
        // (A loop of word stores: inlined for the common small object, where a memset call costs more.)
        (block + ObjectHeader.size).initializeMemory(
            as: UInt.self, repeating: 0, count: (byteCount &- ObjectHeader.size) >> 3)
        let id = directory.insert(o)
        o.pointee.id = id
        if layout.pointee.isListed { layout.pointee.objects.append(o) }
        layout.pointee.liveBytes &+= byteCount
        layout.pointee.allocatedTotal &+= 1
        let live = layout.pointee.liveCount
        if live > layout.pointee.peakLiveCount { layout.pointee.peakLiveCount = live }
        if let youngLast {
            youngLast.pointee.gcNext = o
            youngHead.pointee.gcPrev = o
            gc.counts.0 &+= 1
            if gc.counts.0 > gc.thresholds.0 && gc.enabled && !gc.collecting && gc.thresholds.0 > 0 {
                triggerAutomaticCollection(keeping: o)
            }
        }
        return ObjectRef(o, id: id)
    }

    /// The error of a refused allocation: unknown type, bad slot count, or the allocator's `failure`.
    @usableFromInline @inline(never)
    func allocationError(_ type: TypeID, slots: Int, byteCount: Int, _ failure: ArenaError?) -> HeapError {
        let typeIndex = Int(type.index)
        guard typeIndex < types.count else {
            return HeapError(.invalidArgument, "allocate: \(type) is not registered in this heap")
        }
        let name = types[typeIndex].descriptor.name
        if let failure {
            return HeapError(.allocationFailed, "allocate '\(name)' (\(byteCount) bytes): \(failure)")
        }
        guard types[typeIndex].descriptor.hasVariableSlots else {
            return HeapError(.slotOutOfRange, "allocate '\(name)' with \(slots) slots: the type has no variable slots")
        }
        return HeapError(.slotOutOfRange, "allocate '\(name)': slot count \(slots) is outside 0...\(Self.maximumSlotCount)")
    }

    /// Allocates like ``allocate(_:slots:file:line:)`` and wraps the new object's count in an owning handle.
    public func make(
        _ type: TypeID, slots: Int = 0, file: StaticString = #fileID, line: UInt = #line
    ) throws(HeapError) -> Owned {
        Owned(heap: self, adopting: try allocate(type, slots: slots, file: file, line: line))
    }

    /// Runs the collector's automatic collection; `newObject` is held by its caller's count, so it survives.
    @usableFromInline @inline(never) func triggerAutomaticCollection(keeping newObject: ObjectPointer) {
        guard let collector = self as AnyObject as? any AutomaticCollection else { return }
        collector.collectAutomatically()
    }

    /// The interned index of "file:line".
    @inlinable @inline(__always) func siteIndex(file: StaticString, line: UInt) -> UInt32 {
        let key = file.hasPointerRepresentation ? UInt(bitPattern: file.utf8Start) : 1
        if key == lastSiteFile && line == lastSiteLine { return lastSiteIndex }
        let index = siteCache.lookup(file: key, line: line) ?? internSite(file: file, line: line, key: key)
        if file.hasPointerRepresentation {
            lastSiteFile = key
            lastSiteLine = line
            lastSiteIndex = index
        }
        return index
    }

    @usableFromInline @inline(never) func internSite(file: StaticString, line: UInt, key: UInt) -> UInt32 {
        let text = file.withUTF8Buffer { String(decoding: $0, as: UTF8.self) } + ":\(line)"
        let index = sites.intern(text)
        if file.hasPointerRepresentation { siteCache.insert(file: key, line: line, index: index) }
        return index
    }

    /// Shallow size of object `o` in bytes, as requested from the allocator.
    @inline(__always) func byteCount(of o: ObjectPointer) -> Int {
        let layout = layouts + Int(o.pointee.typeIndex)
        return layout.pointee.blockBytes(slots: Int(o.pointee.slotCount))
    }
}
