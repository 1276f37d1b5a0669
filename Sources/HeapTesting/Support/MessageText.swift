// TerminalText — escaping heap text (type names, field names, sites, labels) before it goes into a
// failure message, so a name from a heap cannot move the cursor, change colours or forge a line.

/// `text` with control characters, backslashes and invisible format characters written as escapes
/// (`\n`, `\t`, `\r`, `\\`, `\u{1b}`), everything else unchanged.
func terminalEscaped(_ text: String) -> String {
    func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\\" || (0x80..<0xA0).contains(scalar.value)
            || scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .lineSeparator
            || scalar.properties.generalCategory == .paragraphSeparator
    }
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}

/// "1 object" / "3 objects": a count with its noun, singular or plural.
func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
}

/// Bytes as "48 bytes" below 10 KiB, then "12.3 KiB", "4.0 MiB": integer arithmetic, same everywhere.
func formatBytes(_ bytes: UInt64) -> String {
    if bytes < 10 * 1024 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
    let units = ["KiB", "MiB", "GiB", "TiB"]
    var scale: UInt64 = 1024
    var unit = 0
    while unit + 1 < units.count, bytes / scale >= 1024 {
        scale *= 1024
        unit += 1
    }
    var whole = bytes / scale
    var tenth = (bytes % scale * 10 + scale / 2) / scale
    if tenth == 10 {
        whole += 1
        tenth = 0
    }
    return "\(whole).\(tenth) \(units[unit])"
}

/// Every line of `text` prefixed with `prefix` (empty lines stay empty).
func indented(_ text: String, by prefix: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? "" : prefix + $0 }
        .joined(separator: "\n")
}
