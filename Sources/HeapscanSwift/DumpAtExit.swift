// DumpAtExit — `HEAPSCAN_DUMP=path`: a program linked with HeapscanSwift that calls `SwiftHeap.install()`
// writes its live Swift objects to `path` at exit (binary, or JSON for `.json`), for `heapscan`.
import Foundation
import HeapGraph

extension SwiftHeap {
    /// The environment variable naming the file written at exit.
    public static let dumpEnvironmentVariable = "HEAPSCAN_DUMP"

    /// Registers the exit-time dump when `HEAPSCAN_DUMP` is set; `install()` evaluates it once.
    static let dumpAtExitRegistration: Void = {
        guard DumpAtExit.path != nil else { return }
        atexit { DumpAtExit.write() }  // the path is read again at exit
    }()

    /// Writes a snapshot of the live registered objects to `path` (binary, or JSON for `.json`).
    /// - Throws: `DumpError` when the file cannot be written.
    public static func writeSnapshot(to path: String) throws(DumpError) {
        try snapshot().write(to: URL(fileURLWithPath: path))
    }
}

enum DumpAtExit {
    /// `HEAPSCAN_DUMP`, when set and not empty.
    static var path: String? {
        guard let path = ProcessInfo.processInfo.environment[SwiftHeap.dumpEnvironmentVariable], !path.isEmpty
        else { return nil }
        return path
    }

    static func write() {
        guard let path else { return }
        do { try SwiftHeap.writeSnapshot(to: path) } catch {
            FileHandle.standardError.write(Data("heapscan: \(SwiftHeap.dumpEnvironmentVariable)=\(path): \(error)\n".utf8))
        }
    }
}
