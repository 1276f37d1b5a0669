// HPROFRoots — GC-root sub-records to snapshot roots: the kind of each tag (HotSpot's and Android's),
// and a name that says the thread (and frame) where the dump gives one.
import HeapGraph

extension HPROFRoot {
    /// The root kind's name (heapscan's JSON spelling) for an HPROF root tag.
    static func kindName(tag: UInt8) -> String {
        switch tag {
        case 0x01: "jni-global"
        case 0x02: "jni-local"
        case 0x03: "stack-local"
        case 0x04: "native-stack"
        case 0x05: "sticky-class"
        case 0x06: "thread-block"
        case 0x07: "monitor"
        case 0x08: "thread"
        case 0x89: "interned-string"
        case 0x8A: "finalizing"
        case 0x8B: "debugger"
        case 0x8C: "reference-cleanup"
        case 0x8D: "vm-internal"
        case 0x8E: "jni-monitor"
        case 0x90: "unreachable"
        default: "unknown"
        }
    }

    /// The root's name: its kind, then the thread (by name when the thread object has one) and frame.
    func name(threadName: (UInt32) -> String?) -> String {
        var text = Self.kindName(tag: tag)
        if let thread {
            text += threadName(thread).map { " in thread \"\($0)\"" } ?? " in thread #\(thread)"
            if let frame, frame != UInt32.max, tag == 0x03 || tag == 0x02 { text += " frame \(frame)" }
        }
        return text
    }
}

extension HPROFReader {
    /// Snapshot roots for the dump's GC roots; roots naming no object are dropped and counted.
    static func snapshotRoots(
        _ roots: [HPROFRoot], threadObjects: [UInt32: UInt64], lookup: HPROFObjectLookup,
        labels: HPROFLabelCollector, dropped: inout Int
    ) -> [HeapSnapshot.Root] {
        func threadName(_ serial: UInt32) -> String? {
            guard let id = threadObjects[serial], let p = lookup.position(of: id) else { return nil }
            let label = labels.labelIndices[p]
            return label == HeapSnapshot.none ? nil : labels.labels.strings[Int(label)]
        }
        var result: [HeapSnapshot.Root] = []
        result.reserveCapacity(roots.count)
        for root in roots {
            guard let p = lookup.position(of: root.id) else { dropped += 1; continue }
            result.append(HeapSnapshot.Root(object: UInt32(p), name: root.name(threadName: threadName)))
        }
        return result
    }
}
