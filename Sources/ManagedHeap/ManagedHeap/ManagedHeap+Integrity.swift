// ManagedHeap+Integrity — a full check of the heap's invariants (directory, headers, counts, lists,
// statistics), for tests and for debugging a runtime built on the heap.

extension ManagedHeap {
    /// Every broken invariant found, as sentences naming the object; empty when the heap is consistent.
    ///
    /// Checks: each live object's header is where the directory says, with a registered type and site;
    /// refcount = references to it from fields and slots + external counts; tracked objects are on the
    /// generation list their header names, untracked ones on none; every object is on its type's list;
    /// per-type counts and bytes, the reference count and the byte total agree with the objects; every
    /// weak cell is empty or names an id the heap has handed out.
    /// Must not be called during a collection or inside a finalizer.
    /// - Complexity: O(objects + references), with a temporary table per object.
    public func integrityProblems() -> [String] {
        var problems: [String] = []
        var incoming: [ObjectPointer: Int] = [:]
        var objects = 0, references = 0, bytes = 0
        var perTypeCount = [Int](repeating: 0, count: types.count)
        var perTypeBytes = [Int](repeating: 0, count: types.count)
        var previousID: UInt64 = 0
        directory.forEach { o in
            objects += 1
            let h = o.pointee
            if h.id <= previousID { problems.append("object #\(h.id) comes after #\(previousID) in the directory") }
            previousID = h.id
            if directory.lookup(h.id) != o { problems.append("object #\(h.id) is not where the directory maps its id") }
            guard Int(h.typeIndex) < types.count, Int(h.siteIndex) < sites.strings.count else {
                problems.append("object #\(h.id) has type index \(h.typeIndex) / site index \(h.siteIndex) out of range")
                return
            }
            if o.has(.deallocating) { problems.append("\(describe(o)) is queued for freeing") }
            perTypeCount[Int(h.typeIndex)] += 1
            let size = byteCount(of: o)
            perTypeBytes[Int(h.typeIndex)] += size
            bytes += size
            forEachReferent(of: o) { target in
                references += 1
                incoming[target, default: 0] += 1
            }
            for (c, cell) in weakCells(of: o).enumerated() where cell != 0 {
                let id = cell >> 16
                if id == 0 || id >= directory.nextID {
                    problems.append("\(describe(o)) has weak field \(c) naming id \(id), which was never handed out")
                }
            }
        }
        if objects != directory.count { problems.append("directory counts \(directory.count) objects, holds \(objects)") }
        if references != liveReferenceCount {
            problems.append("\(references) references are stored, the heap counts \(liveReferenceCount)")
        }
        if bytes != liveBytes { problems.append("live objects take \(bytes) bytes, the heap counts \(liveBytes)") }
        directory.forEach { o in
            let h = o.pointee
            let expected = UInt64(incoming[o] ?? 0) + UInt64(h.externalCount)
            if UInt64(h.refcount) != expected {
                problems.append(
                    "\(describe(o)) has refcount \(h.refcount) but \(incoming[o] ?? 0) references and \(h.externalCount) external counts")
            }
            if h.refcount == 0 { problems.append("\(describe(o)) is live with refcount 0") }
            let tracked = o.has(.tracked)
            if tracked && !layouts[Int(h.typeIndex)].canHoldReferences {
                problems.append("\(describe(o)) is tracked but its type cannot hold references")
            }
            if tracked && (h.gcPrev == nil || h.gcNext == nil || h.generation > ObjectHeader.permanent) {
                problems.append("\(describe(o)) is tracked but on no generation list")
            }
            if !tracked && (h.gcPrev != nil || h.gcNext != nil || h.generation != ObjectHeader.untracked) {
                problems.append("\(describe(o)) is untracked but linked into a generation list")
            }
            let listed = Int(h.typeIndex) < types.count && layouts[Int(h.typeIndex)].isListed
            if listed && (h.typePrev == nil || h.typeNext == nil) { problems.append("\(describe(o)) is on no type list") }
            if !listed && (h.typePrev != nil || h.typeNext != nil) { problems.append("\(describe(o)) is on a type list its type does not keep") }
        }
        for (g, list) in generationLists.enumerated() {
            var o = list.next(list.head)
            while o != list.head {
                if Int(o.pointee.generation) != g {
                    problems.append("\(describe(o)) is on generation list \(g) but says generation \(o.pointee.generation)")
                }
                if list.next(list.previous(o)) != o { problems.append("\(describe(o)) has broken generation links") }
                o = list.next(o)
            }
        }
        for i in types.indices {
            let t = layouts[i]
            let onList = t.isListed ? t.objects.count : t.liveCount
            if onList != t.liveCount || perTypeCount[i] != t.liveCount || perTypeBytes[i] != t.liveBytes {
                problems.append(
                    "type '\(types[i].descriptor.name)' counts \(t.liveCount) objects / \(t.liveBytes) bytes; found \(perTypeCount[i]) / \(perTypeBytes[i]), \(onList) on its list")
            }
        }
        return problems
    }
}
