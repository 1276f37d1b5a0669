// HeapDump — the one entry point that opens any heap dump heapscan reads: heapscan's own binary and
// JSON formats (HeapGraph), and the foreign formats whose readers live in this module's folders
// (one folder per format: HPROF). The format is detected from the first bytes, never from the file
// name; a gzip-compressed dump of any format is decompressed to a temporary file first.
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
        /// A JVM heap dump (`JAVA PROFILE 1.0.1`, `1.0.2`, `1.0.3`).
        case hprof
        /// gzip-compressed: the format inside is detected after decompression.
        case gzip
        /// A V8 heap snapshot (`.heapsnapshot`: Node, Chrome, Electron, Deno, Bun).
        case v8HeapSnapshot

        public var description: String {
            switch self {
            case .heapscanBinary: DumpFormat.binary.description
            case .heapscanJSON: DumpFormat.json.description
            case .hprof: "HPROF (JVM heap dump)"
            case .gzip: "gzip-compressed dump"
            case .v8HeapSnapshot: "V8 heap snapshot"
            }
        }
    }

    /// The format of input starting with `prefix`, or nil when no reader recognises it.
    public static func detect<Bytes: Collection<UInt8>>(prefix: Bytes) -> Format? {
        if prefix.starts(with: GzipInflater.magic) { return .gzip }
        if HPROFReader.matches(prefix: prefix) { return .hprof }
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
        try read(path: url.path, shownAs: url.path, options: options, warnings: &warnings, compressed: false)
    }

    /// Reads `path`; errors name `shownAs` (the compressed file, for a decompressed copy).
    private static func read(
        path: String, shownAs: String, options: Options, warnings: inout [DumpWarning], compressed: Bool
    ) throws(DumpError) -> HeapSnapshot {
        switch try detect(file: path) {
        case .gzip where !compressed:
            let inner = try GzipInflater.inflate(file: path)
            defer { try? FileManager.default.removeItem(atPath: inner) }
            return try read(path: inner, shownAs: "\(shownAs) (decompressed)", options: options, warnings: &warnings, compressed: true)
        case .hprof:
            let file = try MappedFile(path: path)
            do {
                return try HPROFReader.read(bytes: file.bytes, warnings: &warnings, release: file.release).snapshot
            } catch {
                var named = error
                named.file = shownAs
                throw named
            }
        case .v8HeapSnapshot:
            do {
                return try V8HeapSnapshot.read(path: path, unknownReferences: options.unknownReferences)
            } catch {
                var named = error
                if compressed { named.file = shownAs }
                throw named
            }
        default:
            do {
                return try HeapSnapshot.read(from: URL(fileURLWithPath: path), unknownReferences: options.unknownReferences, warnings: &warnings)
            } catch {
                var named = error
                if compressed { named.file = shownAs }
                throw named
            }
        }
    }

    /// The format of the file at `path` from its first bytes, or nil.
    static func detect(file path: String) throws(DumpError) -> Format? {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DumpError(.io, file: path, "cannot open: \(MappedFile.systemError())")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64)) ?? Data()
        return detect(prefix: [UInt8](head))
    }

    /// Reads the dump at `url`; warnings are dropped.
    public static func read(from url: URL, options: Options = Options()) throws(DumpError) -> HeapSnapshot {
        var ignored: [DumpWarning] = []
        return try read(from: url, options: options, warnings: &ignored)
    }
}
