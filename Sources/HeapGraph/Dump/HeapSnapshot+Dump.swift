// HeapSnapshot+Dump — the entry points for files and in-memory bytes: read a dump in either format
// (detected from its first bytes), write one (streamed into a temporary file, synced, renamed).
import Foundation

/// The two file formats a snapshot is stored in.
public enum DumpFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The binary dump, `.heap` (docs/dump-format.md): compact, checksummed, fast.
    case binary
    /// The JSON interchange format, `.json` (docs/json-format.md): what other runtimes produce.
    case json

    /// The file name extension, without the dot.
    public var fileExtension: String { self == .binary ? "heap" : "json" }

    public var description: String { self == .binary ? "binary dump (.heap)" : "heapscan JSON (.json)" }

    /// `.json` for a path ending in `.json` (any case), `.binary` otherwise.
    public static func forPath(_ path: String) -> DumpFormat {
        path.lowercased().hasSuffix(".json") ? .json : .binary
    }

    /// The format of input starting with `prefix`, or nil if it is neither: the binary magic, or a
    /// `{` after an optional UTF-8 byte order mark (only as the very first bytes, as the JSON reader
    /// takes it) and any amount of JSON whitespace.
    /// - Complexity: O(leading whitespace): only the bytes up to the first other one are looked at.
    public static func detect<Bytes: Collection<UInt8>>(prefix: Bytes) -> DumpFormat? {
        if prefix.starts(with: BinaryDump.magic) { return .binary }
        var rest = prefix[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        let first = rest.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        return first == UInt8(ascii: "{") ? .json : nil
    }
}

extension HeapSnapshot {
    // MARK: Reading

    /// Reads the dump at `url`, binary or JSON, detected from its first bytes.
    ///
    /// A JSON reference or root to an id that is not in the file throws, unless `unknownReferences`
    /// is `.drop`: then it is left out and reported in `warnings`.
    /// - Throws: ``DumpError`` naming the file, the byte offset or JSON path, and what was expected.
    /// - Complexity: O(file size); the binary format needs memory for the snapshot only.
    public static func read(
        from url: URL, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy = .reject,
        warnings: inout [DumpWarning]
    ) throws(DumpError) -> HeapSnapshot {
        let path = url.path
        let input = try FileInput(path: path)
        // Any amount of leading whitespace: the detection head skips it, however long.
        let head = try input.headForDetection(64)
        switch DumpFormat.detect(prefix: head) {
        case .binary:
            var reader = BinaryDumpReader(input: input, file: path)
            return try reader.read()
        case .json:
            // Mapped, not copied: the text is parsed in place and never held in the process's memory.
            return try input.withMappedRemaining { (buffer, releaseBefore) throws(DumpError) in
                try parseJSON(buffer, file: path, unknownReferences: unknownReferences, warnings: &warnings, releaseBefore: releaseBefore)
            }
        case nil:
            throw wrongMagic(head, file: path)
        }
    }

    /// Reads the dump at `url`, binary or JSON; see ``read(from:unknownReferences:warnings:)``.
    /// With `.drop`, dropped references are not reported.
    public static func read(
        from url: URL, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy = .reject
    ) throws(DumpError) -> HeapSnapshot {
        var ignored: [DumpWarning] = []
        return try read(from: url, unknownReferences: unknownReferences, warnings: &ignored)
    }

    /// Reads a dump held in memory, binary or JSON, detected from its first bytes.
    public init(
        data: Data, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy = .reject,
        warnings: inout [DumpWarning]
    ) throws(DumpError) {
        // The whole data: detect looks past any amount of leading whitespace, then stops.
        switch DumpFormat.detect(prefix: data) {
        case .binary: try self.init(dumpData: data)
        case .json: try self.init(jsonData: data, unknownReferences: unknownReferences, warnings: &warnings)
        case nil: throw Self.wrongMagic(Array(data.prefix(8)), file: nil)
        }
    }

    /// Reads a dump held in memory, binary or JSON; dropped references are not reported.
    public init(data: Data, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy = .reject) throws(DumpError) {
        var ignored: [DumpWarning] = []
        try self.init(data: data, unknownReferences: unknownReferences, warnings: &ignored)
    }

    /// Reads a binary dump held in memory.
    public init(dumpData: Data) throws(DumpError) {
        let result: Result<HeapSnapshot, DumpError> = dumpData.withUnsafeBytes { raw in
            var reader = BinaryDumpReader(input: MemoryInput(raw), file: nil)
            do throws(DumpError) { return .success(try reader.read()) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// Reads the JSON interchange format held in memory.
    public init(
        jsonData: Data, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy = .reject,
        warnings: inout [DumpWarning]
    ) throws(DumpError) {
        // Parsed in place: copying the text into an array first doubled the memory of a large import.
        var collected: [DumpWarning] = []
        let result: Result<HeapSnapshot, DumpError> = jsonData.withUnsafeBytes { raw in
            do throws(DumpError) {
                return .success(
                    try Self.parseJSON(
                        raw.bindMemory(to: UInt8.self), file: nil, unknownReferences: unknownReferences,
                        warnings: &collected))
            } catch {
                return .failure(error)
            }
        }
        warnings += collected
        self = try result.get()
    }

    /// Reads the JSON interchange format held in memory; dropped references are not reported.
    public init(jsonData: Data, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy = .reject) throws(DumpError) {
        var ignored: [DumpWarning] = []
        try self.init(jsonData: jsonData, unknownReferences: unknownReferences, warnings: &ignored)
    }

    /// Parses the JSON text in `bytes` (valid for the call only) into a snapshot.
    static func parseJSON(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String?, unknownReferences: HeapSnapshotBuilder.UnknownReferencePolicy,
        warnings: inout [DumpWarning], releaseBefore: ((Int) -> Void)? = nil
    ) throws(DumpError) -> HeapSnapshot {
        var collected: [DumpWarning] = []
        defer { warnings += collected }
        // Three steps, each testable alone: the byte scanner under the schema, then id resolution.
        var parser = JSONGraphParser(bytes: bytes, file: file)
        parser.releaseBefore = releaseBefore
        try parser.parse()
        return try parser.document.snapshot(unknownReferences: unknownReferences, warnings: &collected, scan: parser.scan)
    }

    private static func wrongMagic<Bytes: Collection<UInt8>>(_ head: Bytes, file: String?) -> DumpError {
        if head.isEmpty { return DumpError(.truncated, file: file, offset: 0, "the input is empty, expected a heap dump") }
        // The detection head reduces leading whitespace to one space (FileInput.headForDetection).
        let afterBOM = head.starts(with: [0xEF, 0xBB, 0xBF]) ? head.dropFirst(3) : head[...]
        if afterBOM.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return DumpError(.truncated, file: file, offset: 0, "the input is only whitespace, expected a heap dump")
        }
        if afterBOM.first == 0x20, afterBOM.dropFirst().starts(with: [0xEF, 0xBB, 0xBF]) {
            return DumpError(
                .wrongMagic, file: file, offset: 0,
                "a UTF-8 byte order mark after whitespace: it may only be the very first bytes of a JSON graph")
        }
        let shown = head.prefix(8).map { b in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0\(h)" : h
        }.joined(separator: " ")
        return DumpError(
            .wrongMagic, file: file, offset: 0,
            "not a heap dump: starts with \(shown), expected the binary magic 89 48 45 41 50 0d 0a 1a or a JSON object")
    }

    // MARK: Writing

    /// Writes this snapshot to `url` in `format` (by default chosen from the extension: `.json` is
    /// JSON, anything else binary). The bytes go to a temporary file in the same directory, which is
    /// synced and then renamed over `url`: a crash mid-write leaves any previous file intact.
    /// - Complexity: O(objects + edges + string bytes), streamed with O(1) extra memory.
    public func write(to url: URL, format: DumpFormat? = nil) throws(DumpError) {
        let path = url.path
        let out = try DumpOutput(path: path)
        switch format ?? DumpFormat.forPath(path) {
        case .binary: writeBinary(to: out)
        case .json: writeJSON(to: out)
        }
        try out.finish()
    }

    /// The binary dump of this snapshot, in memory.
    public func dumpData() -> Data {
        let out = DumpOutput()
        writeBinary(to: out)
        return Data(out.takeBytes())
    }

    /// The JSON form of this snapshot, in memory.
    public func jsonData() -> Data {
        let out = DumpOutput()
        writeJSON(to: out)
        return Data(out.takeBytes())
    }
}
