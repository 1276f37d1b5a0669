// HeapSnapshot+Kinds — the vocabulary every runtime's heap is described in: what kind a reference is
// (does it keep its target alive?), what kind a root is, and which liveness rule a snapshot follows.

/// What a reference is, and whether it keeps its target alive.
///
/// Only retaining references (``strong`` and ``internal``) are followed by garbage, dominators,
/// retained sizes, cycles, suspects and paths to roots; the others stay in the snapshot for pictures,
/// `show` and paths asked to go through them.
public enum ReferenceKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// An ordinary reference: keeps its target alive (the default).
    case strong = 0
    /// Never keeps its target alive: V8 weak edges, `java.lang.ref.Reference.referent`, CPython
    /// `weakref`, ManagedHeap weak fields.
    case weak = 1
    /// Keeps its target alive, but is the runtime's own plumbing rather than a field a programmer
    /// wrote (V8 `internal` and `hidden` edges).
    case `internal` = 2
    /// V8's `shortcut` edges: a convenience link (a bound function to its target, the synthetic
    /// root to a global) that DevTools does not count for retention; neither does heapscan.
    case shortcut = 3

    /// Whether the reference keeps its target alive.
    @inlinable public var retains: Bool { self == .strong || self == .internal }

    /// The spelling in JSON and in text output.
    public var name: String {
        switch self {
        case .strong: "strong"
        case .weak: "weak"
        case .internal: "internal"
        case .shortcut: "shortcut"
        }
    }

    /// The kind spelled `name`, or nil.
    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    public var description: String { name }
}

/// What holds a root: the runtime's own categories, so a user sees "JNI global" or "module", not "root".
public enum RootKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Not said by the producer (version 1 dumps, JSON without `kind`).
    case unknown = 0
    /// heapscan: an external count (`Owned`, `ObjectHandle`, `retain`), named or not.
    case handle
    /// A global variable or a named root of the application (V8 globals, JSON producers).
    case global
    /// A local variable of a running frame (JVM Java frame, V8 stack roots).
    case stackLocal
    /// A reference from native code's stack (JVM native stack).
    case nativeStack
    /// JVM: a JNI global reference.
    case jniGlobal
    /// JVM: a JNI local reference.
    case jniLocal
    /// JVM: a system class (sticky class).
    case stickyClass
    /// JVM: referenced from a thread block.
    case threadBlock
    /// JVM: an object used as a monitor (synchronized).
    case monitor
    /// A thread object.
    case thread
    /// Android: an interned string.
    case internedString
    /// Android: an object waiting for its finalizer.
    case finalizing
    /// Android: held by the debugger.
    case debugger
    /// Android: reference cleanup.
    case referenceCleanup
    /// The virtual machine's own roots (Android VM internal, V8 `(GC roots)` categories).
    case vmInternal
    /// Android: a JNI monitor.
    case jniMonitor
    /// Android: listed as a root but unreachable.
    case unreachable
    /// CPython: a module in `sys.modules`.
    case module
    /// CPython: a running frame.
    case frame

    /// The spelling in JSON and in text output.
    public var name: String {
        switch self {
        case .unknown: "unknown"
        case .handle: "handle"
        case .global: "global"
        case .stackLocal: "stack-local"
        case .nativeStack: "native-stack"
        case .jniGlobal: "jni-global"
        case .jniLocal: "jni-local"
        case .stickyClass: "sticky-class"
        case .threadBlock: "thread-block"
        case .monitor: "monitor"
        case .thread: "thread"
        case .internedString: "interned-string"
        case .finalizing: "finalizing"
        case .debugger: "debugger"
        case .referenceCleanup: "reference-cleanup"
        case .vmInternal: "vm-internal"
        case .jniMonitor: "jni-monitor"
        case .unreachable: "unreachable"
        case .module: "module"
        case .frame: "frame"
        }
    }

    /// The kind spelled `name`, or nil.
    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    public var description: String { name }
}

/// How a snapshot decides which objects are alive.
public enum Liveness: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// CPython's rule (heapscan's managed heap, CPython dumps): an object is held from outside when it
    /// is a root or its recorded refcount exceeds the retaining references to it in the snapshot; what
    /// nothing held reaches is garbage — a leak under reference counting.
    case refcount = 0
    /// Tracing runtimes (JVM, V8): alive = reachable from a root through retaining references;
    /// refcounts are not used. What is unreachable awaits the next collection: it is not a leak.
    case roots = 1

    /// The spelling in JSON and in text output.
    public var name: String { self == .refcount ? "refcount" : "roots" }

    /// The rule spelled `name`, or nil.
    public init?(name: String) {
        switch name {
        case "refcount": self = .refcount
        case "roots": self = .roots
        default: return nil
        }
    }

    public var description: String { name }
}
