// HPROFRoots — GC-root sub-records to snapshot roots: the kind of each tag (HotSpot's and Android's),
// and a name that says the thread (and frame) where the dump gives one.
import HeapGraph

extension HPROFRoot {
    /// The root's name: its kind, then the thread (by name when the thread object has one) and frame.
    func name(threadName: (UInt32) -> String?) -> String {
        var text = kind.name
        if let thread {
            text += threadName(thread).map { " in thread \"\($0)\"" } ?? " in thread #\(thread)"
            if let frame, frame != UInt32.max, tag == 0x03 || tag == 0x02 { text += " frame \(frame)" }
        }
        return text
    }
}

extension HPROFRoot {
    /// heapscan's root kind for an HPROF root tag (HotSpot's 0x01-0x08 and 0xFF, Android's 0x89-0x90).
    var kind: RootKind {
        switch tag {
        case 0x01: .jniGlobal
        case 0x02: .jniLocal
        case 0x03: .stackLocal
        case 0x04: .nativeStack
        case 0x05: .stickyClass
        case 0x06: .threadBlock
        case 0x07: .monitor
        case 0x08: .thread
        case 0x89: .internedString
        case 0x8A: .finalizing
        case 0x8B: .debugger
        case 0x8C: .referenceCleanup
        case 0x8D: .vmInternal
        case 0x8E: .jniMonitor
        case 0x90: .unreachable
        default: .unknown
        }
    }
}

extension HPROFReader {
    /// Adds the dump's GC roots to `builder`; roots naming no object are dropped and counted.
    /// A root's name is its kind, then its thread ("in thread \"main\"") and frame where given.
    static func addRoots(
        _ roots: [HPROFRoot], threadObjects: [UInt32: UInt64], lookup: HPROFObjectLookup,
        threadLabel: (Int) -> String?, to builder: inout HeapSnapshot.Builder, dropped: inout Int
    ) {
        func threadName(_ serial: UInt32) -> String? {
            threadObjects[serial].flatMap { lookup.position(of: $0) }.flatMap(threadLabel)
        }
        for root in roots {
            guard let p = lookup.position(of: root.id) else { dropped += 1; continue }
            builder.addRoot(p, kind: root.kind, name: root.name(threadName: threadName))
        }
    }
}
