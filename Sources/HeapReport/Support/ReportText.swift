// ReportText — the two ways heap text is written into the report: escaped for HTML (text and
// attribute values) and as JSON strings safe inside a <script> data block. One implementation each.

/// Escaping of heap text for the page.
enum ReportText {
    /// `text` for HTML text or a quoted attribute value: `& < > " '` as character references, and
    /// C0 controls other than tab and newline (which HTML forbids) as U+FFFD.
    /// - Complexity: O(length of `text`).
    static func html(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A) })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default: if scalar.value < 0x20 { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// Compact JSON text written into a byte buffer, for the report's embedded data.
///
/// Strings escape `"` `\` and control characters as JSON requires, and also `<`, `>`, `&`, U+2028 and
/// U+2029 as `\u` escapes, so the text can sit inside `<script type="application/json">`: no
/// `</script>` or `<!--` can appear in it, and it stays valid JavaScript source as well.
struct JSONBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func number(_ value: some BinaryInteger) {
        if value >= 0 && value < 10 {
            bytes.append(0x30 + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// An object id: a number when JavaScript holds it exactly (below 2^53), else a string of digits.
    mutating func id(_ value: UInt64) {
        if value < 1 << 53 { number(value) } else { string(String(value)) }
    }

    mutating func decimal(_ value: Double) {
        bytes.append(contentsOf: (value.isFinite ? String((value * 10_000).rounded() / 10_000) : "0").utf8)
    }

    mutating func string(_ text: String) {
        bytes.append(0x22)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x09: bytes += [0x5C, 0x74]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x00..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029, 0x7F: unicodeEscape(UInt16(scalar.value))
            default:
                if scalar.isASCII { bytes.append(UInt8(scalar.value)) } else { UTF8.encode(scalar) { bytes.append($0) } }
            }
        }
        bytes.append(0x22)
    }

    private mutating func unicodeEscape(_ unit: UInt16) {
        let hex = Array("0123456789abcdef".utf8)
        bytes += [0x5C, 0x75, hex[Int(unit >> 12)], hex[Int(unit >> 8 & 15)], hex[Int(unit >> 4 & 15)], hex[Int(unit & 15)]]
    }

    /// `[a,b,c]` from `values`, each written by `write`.
    mutating func array<C: Collection>(_ values: C, _ write: (inout JSONBuffer, C.Element) -> Void) {
        bytes.append(0x5B)
        var first = true
        for v in values {
            if !first { bytes.append(0x2C) }
            first = false
            write(&self, v)
        }
        bytes.append(0x5D)
    }

    /// `"key":` (keys are the report's own ASCII names).
    mutating func key(_ name: StaticString) {
        bytes.append(0x22)
        raw(name)
        bytes += [0x22, 0x3A]
    }

    mutating func comma() { bytes.append(0x2C) }
}
