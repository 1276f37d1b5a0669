// HeapText — how heap text and sizes are written for people, shared by every module that prints:
// terminal escaping of type, field and root names, labels and sites, and byte counts. Also the
// stable hash behind cycle signatures.

/// Text for a terminal: heap strings escaped and byte counts in binary units, so that HeapAnalysis's
/// trees and paths, HeapTesting's failure messages, HeapGraphviz's pictures and the CLI read alike.
public enum HeapText {
    /// How ``bytes(_:style:)`` writes a byte count.
    public enum ByteStyle: Sendable {
        /// `48 B` below 1 KiB, then `1.5 KiB`, `12.0 MiB`: short, for tables and pictures.
        case compact
        /// `1 byte`, `48 bytes`, exact below 10 KiB, then `12.3 KiB`: for messages where a reader
        /// compares the number with object sizes.
        case exactBelow10KiB
    }

    /// `text` with every character that could act on a terminal written as a visible escape:
    /// control characters (C0, DEL and C1, so every ANSI escape sequence), format characters
    /// (bidirectional overrides, zero-width marks) and line and paragraph separators. `\n`, `\t` and
    /// `\r` keep their short form; the others become `\u{1b}`. Backslashes are doubled, so an escape
    /// in the output always means an escape, unless `escapingBackslashes` is false (for messages that
    /// quote already-escaped text or file paths).
    ///
    /// A type or field name from a heap therefore cannot move the cursor, recolour the screen,
    /// reorder a line or forge a new one.
    /// - Complexity: O(length of `text`); `text` itself is returned when nothing needs escaping.
    public static func terminalEscaped(_ text: String, escapingBackslashes: Bool = true) -> String {
        func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\\" ? escapingBackslashes : isTerminalUnsafe(scalar)
        }
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return result
    }

    /// A type name for a terminal: ``terminalEscaped(_:escapingBackslashes:)``, and `(empty type name)`
    /// for the empty string, which would otherwise print as nothing (`< #10>`, a blank cell).
    public static func typeName(_ name: String) -> String {
        name.isEmpty ? emptyTypeName : terminalEscaped(name)
    }

    /// What ``typeName(_:)`` shows for a type without a name.
    public static let emptyTypeName = "(empty type name)"

    /// Whether `scalar` is one ``terminalEscaped(_:escapingBackslashes:)`` writes as an escape
    /// (the backslash aside).
    private static func isTerminalUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // C0, DEL, C1 (ESC and CSI start ANSI sequences)
        case 0x2028, 0x2029: true  // line and paragraph separators
        default: scalar.properties.generalCategory == .format  // bidi overrides, zero-width marks
        }
    }

    /// `bytes` in binary units with one decimal (`1.5 KiB`, `3.2 MiB`, up to EiB), rounded half
    /// up with integer arithmetic only, so the text is the same on every machine; below the first
    /// unit as `style` says.
    /// - Complexity: O(1).
    public static func bytes(_ bytes: UInt64, style: ByteStyle = .compact) -> String {
        switch style {
        case .compact:
            if bytes < 1024 { return "\(bytes) B" }
        case .exactBelow10KiB:
            if bytes < 10 * 1024 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var scale: UInt64 = 1024
        var unit = 0
        while unit + 1 < units.count, bytes / scale >= 1024 {
            scale *= 1024
            unit += 1
        }
        // scale <= 2^60 and remainder < scale, so remainder * 10 + scale / 2 < 2^64.
        var whole = bytes / scale
        var tenth = (bytes % scale * 10 + scale / 2) / scale
        if tenth == 10 {
            whole += 1
            tenth = 0
        }
        return "\(whole).\(tenth) \(units[unit])"
    }
}

/// 64-bit FNV-1a over the UTF-8 bytes of `text`: the same on every run and platform, unlike `Hasher`.
func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return hash
}

/// `value` as 16 lowercase hex digits.
func hex16(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
