// SwiftHeap — the public face of HeapscanSwift: install the allocation hook, mark a point in time, and
// take a HeapSnapshot of the live Swift objects (class instances, closure contexts, boxes) registered
// since install. The reading itself is in SwiftHeapReader.
import CHeapscanSwift
import HeapGraph

/// The Swift objects of this process, seen through the runtime's allocation hook (Linux, glibc).
///
/// ```swift
/// try SwiftHeap.install()              // before the objects you want to see are allocated
/// let snapshot = SwiftHeap.snapshot()  // every analysis of HeapAnalysis works on it
/// ```
public enum SwiftHeap {
    /// The toolchain whose runtime layouts this build was checked against; `install()` refuses others.
    public static let supportedRuntime = "Swift 6.3"

    /// The runtime name put into snapshots.
    public static var runtimeName: String {
        #if compiler(>=6.3.1)
        "Swift 6.3.1"
        #else
        "Swift 6.3"
        #endif
    }

    /// Whether this build's toolchain is the one the hook, the free interposer and the layouts are
    /// pinned to (Swift 6.3.x on Linux with glibc).
    public static var isSupported: Bool {
        #if os(Linux) && canImport(Glibc) && compiler(>=6.3) && !compiler(>=6.4)
        true
        #else
        false
        #endif
    }

    /// Whether the Swift 6.3 runtime workaround (clearing the instrumentation flag that setting the
    /// hook turns on, whose retain path crashes on tagged pointers) is needed by this toolchain.
    public static var needsInstrumentationFlagWorkaround: Bool {
        #if compiler(>=6.3) && !compiler(>=6.4)
        true
        #else
        false
        #endif
    }

    /// Installs the allocation hook; objects allocated from now on are registered until freed.
    /// Calling it again does nothing. With `HEAPSCAN_DUMP=path` set, the live objects are written to
    /// `path` at exit (binary dump, or JSON for `.json`), for `heapscan`.
    /// - Throws: ``SwiftHeapError`` when the toolchain is not the supported one or the hook is taken.
    public static func install() throws(SwiftHeapError) {
        guard isSupported else {
            throw SwiftHeapError(
                "HeapscanSwift supports \(supportedRuntime) on Linux with glibc only; this build's toolchain is not it")
        }
        switch hs_install(needsInstrumentationFlagWorkaround ? 1 : 0) {
        case 1: break
        case -1:
            throw SwiftHeapError(
                "HeapscanSwift: the loaded libswiftCore is not the Swift 6.3.1 x86_64 build its 6.3 workaround was verified on")
        default: throw SwiftHeapError("HeapscanSwift: the Swift runtime's allocation hook is already taken")
        }
        _ = dumpAtExitRegistration
    }

    /// Whether the hook is installed.
    public static var isInstalled: Bool { hs_installed() != 0 }

    /// For benchmarks only: turns the installed hook off (objects allocated meanwhile are not
    /// registered) and on again, so one process can time both.
    public static func _setHookEnabledForBenchmark(_ enabled: Bool) { hs_set_hook_enabled(enabled ? 1 : 0) }

    /// Registered objects not yet freed.
    public static var registeredObjectCount: Int { Int(hs_live_count()) }

    /// A point in allocation order: objects allocated after `mark()` belong to it and later marks.
    public struct Mark: Sendable, Hashable {
        let epoch: UInt32
    }

    /// Starts a new allocation epoch and returns it: a snapshot `since:` it sees only objects allocated
    /// from now on.
    public static func mark() -> Mark { Mark(epoch: hs_next_epoch()) }

    /// A snapshot of the live registered Swift objects (all of them, or those allocated since `mark`):
    /// type names as Swift prints them, sizes, exact strong counts as refcounts, references named by
    /// stored property (closure captures by position), collections read by element type. Liveness is
    /// `.refcount`: an object whose strong count exceeds the references found is held from outside.
    /// Objects not in the snapshot (older than `mark`, allocated before install, or — with
    /// `allocatedOnThisThread` — allocated by other threads) hold nothing here, so what they reference
    /// counts as held from outside. Other threads must be quiet while it reads: an object another
    /// thread frees during the read is read after its free (docs/swift-objects.md); restricting to this
    /// thread's objects keeps a test process's other threads out of the read.
    /// - Complexity: O(registered objects + their fields and elements).
    public static func snapshot(since mark: Mark? = nil, allocatedOnThisThread: Bool = false) -> HeapSnapshot {
        hs_set_suspended(1)
        defer { hs_set_suspended(0) }
        var reader = SwiftHeapReader(minimumEpoch: mark?.epoch ?? 0, thisThreadOnly: allocatedOnThisThread)
        return reader.read()
    }
}

/// Why HeapscanSwift cannot run here.
public struct SwiftHeapError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
