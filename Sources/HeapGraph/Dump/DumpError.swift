// DumpError — the one error every dump reader and writer throws: what went wrong, in which file,
// at which byte offset or JSON path, and what was expected there.

/// Why a heap dump (binary `.heap` or JSON) could not be read or written.
///
/// `description` is one line: `file: at byte 1234 ($.objects[3].refs[0].to): what was expected`.
public struct DumpError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers and tests that branch on it.
    public enum Kind: Hashable, Sendable {
        /// The file could not be opened, read, written, synced or renamed; `message` holds the system's reason.
        case io
        /// The input ends before the structure it announced.
        case truncated
        /// The first bytes are neither the binary magic nor a JSON object.
        case wrongMagic
        /// A binary dump of a version this reader does not know, or a JSON `heapscan` value other than 1.
        case unsupportedVersion(UInt64)
        /// A section's CRC32 does not match its payload.
        case checksumMismatch(section: String)
        /// A count or length announces more bytes than are left in the file.
        case countTooLarge
        /// Two objects share an id.
        case duplicateID(UInt64)
        /// An index (edge target, type, site, label, field name, string, root) is outside its table.
        case outOfRange
        /// A JSON reference or root names an id that is not an object in the file.
        case unknownReference(UInt64)
        /// A string's bytes are not valid UTF-8.
        case invalidUTF8
        /// The JSON text is not well-formed JSON.
        case jsonSyntax
        /// Well-formed JSON, but not the shape of a heapscan graph (missing key, wrong type, bad number).
        case jsonShape
        /// Any other structural inconsistency (sections out of order, ids not increasing, trailing bytes).
        case malformed
    }

    /// What failed.
    public var kind: Kind
    /// The file's path, or nil for in-memory data.
    public var file: String?
    /// Byte offset from the start of the input where the problem was found, when known.
    public var offset: Int?
    /// JSON path of the offending value (`$.objects[3].refs[0].to`), for JSON input.
    public var jsonPath: String?
    /// What was found and what was expected, in words.
    public var message: String

    public init(_ kind: Kind, file: String? = nil, offset: Int? = nil, jsonPath: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.offset = offset
        self.jsonPath = jsonPath
        self.message = message
    }

    /// One line: where, then what.
    public var description: String {
        var location: [String] = []
        if let offset { location.append("at byte \(offset)") }
        if let jsonPath { location.append(offset == nil ? jsonPath : "(\(jsonPath))") }
        let place = location.joined(separator: " ")
        let prefix = [file, place.isEmpty ? nil : place].compactMap { $0 }.joined(separator: ": ")
        // What came from the input (a 10-million-digit "id") is quoted by at most 40 bytes a word; an
        // I/O error's words are the system's and the user's paths, kept whole.
        let shown = kind == .io ? message : message.shorteningLongWords(toBytes: Self.quotedBytes)
        let text = prefix.isEmpty ? shown : "\(prefix): \(shown)"
        // One line, whatever the message quoted.
        return text.replacingNewlines()
    }

    /// Most bytes of one word of the message (a token quoted from the input) that `description` shows.
    public static let quotedBytes = 40

    /// The same error, naming `file`.
    func inFile(_ path: String?) -> DumpError {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }
}

/// A reference or root left out of a JSON graph because its target is not in the file
/// (only with `unknownReferences: .drop`).
public struct DumpWarning: Hashable, Sendable, CustomStringConvertible {
    /// JSON path of the dropped reference or root (`$.objects[3].refs[0]`).
    public var jsonPath: String
    /// The id that was not found.
    public var missingID: UInt64
    /// How many further references were dropped without their own warning (only on the last warning).
    public var alsoDropped: Int

    public init(jsonPath: String, missingID: UInt64, alsoDropped: Int) {
        self.jsonPath = jsonPath
        self.missingID = missingID
        self.alsoDropped = alsoDropped
    }

    public var description: String {
        let more = alsoDropped > 0 ? " (and \(alsoDropped) more dropped references)" : ""
        return "warning: dropped \(jsonPath): object \(missingID) is not in the file\(more)"
    }
}

extension String {
    /// Every space-separated word longer than `limit` UTF-8 bytes cut to its first `limit` bytes (on a
    /// character boundary) and marked `…(N bytes)`; shorter text is returned as it is.
    /// - Complexity: O(bytes).
    func shorteningLongWords(toBytes limit: Int) -> String {
        guard utf8.count > limit else { return self }
        let words = utf8.split(separator: 0x20, omittingEmptySubsequences: false)
        guard words.contains(where: { $0.count > limit }) else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(Swift.min(utf8.count, 4096))
        for (k, word) in words.enumerated() {
            if k > 0 { out.append(0x20) }
            guard word.count > limit else {
                out.append(contentsOf: word)
                continue
            }
            var end = word.index(word.startIndex, offsetBy: limit)
            // Back up to the start of a character (never end inside a UTF-8 sequence).
            while end > word.startIndex && (word[end] & 0xC0) == 0x80 { end = word.index(before: end) }
            out.append(contentsOf: word[word.startIndex..<end])
            out.append(contentsOf: "…(\(word.count) bytes)".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Control characters shown as escapes so that a message stays on one line.
    func replacingNewlines() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
