// Text — escaping heap text for the terminal and the stable hash used by signatures.

/// `text` with control characters, backslashes and non-printing scalars written as `\u{…}` escapes,
/// so a type or field name from a heap cannot move the cursor, change colours or break a line.
func terminalEscaped(_ text: String) -> String {
    var needs = false
    for scalar in text.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\\"
        || (0x80..<0xA0).contains(scalar.value) || scalar.properties.generalCategory == .format
    {
        needs = true
        break
    }
    if !needs { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                || scalar.properties.generalCategory == .format
            {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
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
