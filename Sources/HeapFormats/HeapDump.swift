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

        public var description: String {
            switch self {
            case .heapscanBinary: DumpFormat.binary.description
            case .heapscanJSON: DumpFormat.json.description
            }
        }
    }

    /// The format of input starting with `prefix`, or nil when no reader recognises it.
    public static func detect<Bytes: Collection<UInt8>>(prefix: Bytes) -> Format? {
        switch DumpFormat.detect(prefix: prefix) {
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
        try HeapSnapshot.read(from: url, unknownReferences: options.unknownReferences, warnings: &warnings)
    }

    /// Reads the dump at `url`; warnings are dropped.
    public static func read(from url: URL, options: Options = Options()) throws(DumpError) -> HeapSnapshot {
        var ignored: [DumpWarning] = []
        return try read(from: url, options: options, warnings: &ignored)
    }
}
