// HeapDump — the one entry point that opens any heap dump heapscan reads: heapscan's own binary and
// JSON formats (HeapGraph), and the foreign formats whose readers live in this module's folders
// (one folder per format). The format is detected from the first bytes, never from the file name.
import Foundation
import HeapGraph

/// Opens heap dumps of every format heapscan reads.
public enum HeapDump {
    /// How a dump is read.
    public struct Options: Sendable {
        /// What happens to a reference or root naming an object that is not in the dump.
        public var unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy
        public init(unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy = .reject) {
            self.unknownReferences = unknownReferences
        }
    }

    /// Every format this entry point recognises.
    public enum Format: String, Sendable, CaseIterable, CustomStringConvertible {
        /// heapscan's binary dump (`.heap`).
        case heapscanBinary
        /// heapscan's JSON interchange format.
        case heapscanJSON
        /// A V8 heap snapshot (`.heapsnapshot`: Node, Chrome, Electron, Deno, Bun).
        case v8HeapSnapshot

        public var description: String {
            switch self {
            case .heapscanBinary: DumpFormat.binary.description
            case .heapscanJSON: DumpFormat.json.description
            case .v8HeapSnapshot: "V8 heap snapshot"
            }
        }
    }

    /// The format of input starting with `prefix`, or nil when no reader recognises it.
    public static func detect<Bytes: Collection<UInt8>>(prefix: Bytes) -> Format? {
        // Before heapscan's JSON: both are JSON objects; V8's first key is "snapshot".
        if V8HeapSnapshot.matches(prefix: prefix) { return .v8HeapSnapshot }
        return switch DumpFormat.detect(prefix: prefix) {
        case .binary: .heapscanBinary
        case .json: .heapscanJSON
        case nil: nil
        }
    }

    /// Reads the dump at `url`, in any format heapscan reads (detected from its content).
    /// - Throws: ``DumpError`` naming the file, the byte offset and what was expected.
    public static func read(
        from url: URL, options: Options = Options(), warnings: inout [DumpWarning]
    ) throws(DumpError) -> HeapSnapshot {
        if try detect(prefix: head(of: url)) == .v8HeapSnapshot {
            return try V8HeapSnapshot.read(path: url.path, unknownReferences: options.unknownReferences)
        }
        return try HeapSnapshot.read(from: url, unknownReferences: options.unknownReferences, warnings: &warnings)
    }

    /// The first bytes of the file at `url` (fewer when it is shorter; empty when it cannot be read,
    /// so that the format's own reader reports why).
    static func head(of url: URL) throws(DumpError) -> [UInt8] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: 64)) ?? Data())
    }

    /// Reads the dump at `url`; warnings are dropped.
    public static func read(from url: URL, options: Options = Options()) throws(DumpError) -> HeapSnapshot {
        var ignored: [DumpWarning] = []
        return try read(from: url, options: options, warnings: &ignored)
    }
}
