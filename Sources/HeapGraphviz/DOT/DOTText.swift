// DOTText — escaping heap text (type names, field names, labels) for DOT. Everything from a heap goes
// through here: HTML-like label markup is escaped, and invisible or reordering characters are shown.

/// Escaping of untrusted text for DOT output.
public enum DOTText {
    /// `text` made safe and visible: control characters become `\n`, `\t`, `\r` or `\u{XX}`, and
    /// the bidirectional-override characters (which could reverse the rest of a label, as in "Trojan
    /// Source") become `\u{202E}` and the like. Right-to-left letters and emoji are kept as they are.
    /// Longer text is cut to `limit` characters (grapheme clusters, so an emoji is never split), the
    /// last being "…".
    /// - Complexity: O(text length).
    public static func visible(_ text: String, limit: Int = .max) -> String {
        let cut = limit > 0 && text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
        var out = ""
        out.reserveCapacity(cut.utf8.count)
        for scalar in cut.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.properties.generalCategory == .control || isBidiControl(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `text` as the content of a DOT HTML-like label: `visible` text with `&`, `<`, `>`, `"` and `'`
    /// written as entities, so no heap text can open markup or end the label, and `\` doubled:
    /// Graphviz expands `\N`, `\G`, `\l`... even inside HTML-like labels (after decoding entities,
    /// so `&#92;` would not help).
    public static func html(_ text: String, limit: Int = .max) -> String {
        var out = ""
        for scalar in visible(text, limit: limit).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\\": out += "\\\\"
            // Graphviz 2.42/2.43's HTML lexer rejects a text run that starts with "]" (a syntax error,
            // and the label silently becomes the node name); character references always pass.
            case "[": out += "&#91;"
            case "]": out += "&#93;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` as a DOT double-quoted string, quotes included: `\` and `"` escaped, `visible` applied.
    /// Backslashes are doubled so that Graphviz's label escapes (`\N`, `\l`, ...) cannot be formed.
    public static func quoted(_ text: String, limit: Int = .max) -> String {
        var out = "\""
        for scalar in visible(text, limit: limit).unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Whether `text` is a DOT identifier that needs no quoting (ASCII letters, digits, `_`, not
    /// starting with a digit, not a keyword).
    public static func isPlainIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        let keywords: Set<String> = ["node", "edge", "graph", "digraph", "subgraph", "strict"]
        guard !keywords.contains(text.lowercased()) else { return false }
        return text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    /// Characters that change the display order of the text around them.
    private static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
