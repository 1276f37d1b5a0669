// Output — what every command prints with: terminal escaping of heap text, byte and count formatting,
// aligned tables, and JSON with sorted keys. Kept here so that every command's output looks alike.
import Foundation

/// Neutralises text that came from a heap (type, field and root names, labels, sites) before it reaches
/// a terminal, so that a hostile dump cannot move the cursor, recolour the screen or reorder a line.
/// The rules are HeapAnalysis's (its trees and paths arrive escaped), so all output reads alike.
enum TerminalText {
    /// `text` with backslashes doubled and control characters (C0, DEL, C1, so every ANSI escape),
    /// format characters (bidirectional overrides, zero-width marks) and line or paragraph
    /// separators written as visible escapes: `\n`, `\t`, `\u{1b}`.
    /// - Complexity: O(text length).
    static func escape(_ text: String) -> String {
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
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return result
    }

    /// `text` on one line for a message: control, format and separator characters escaped as by
    /// ``escape(_:)``, backslashes kept (messages quote paths and already-escaped library text).
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 != "\\" && needsEscape($0) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar == "\\" || !needsEscape(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += escape(String(scalar))
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // C0, DEL, C1 (ESC and CSI start ANSI sequences)
        case 0x5C: true  // backslash, so that an escape in the output always means an escape
        case 0x2028, 0x2029: true  // line and paragraph separators
        default: scalar.properties.generalCategory == .format  // bidi overrides, zero-width marks
        }
    }
}

/// Human-readable numbers for text output (JSON always carries the exact integers).
enum Format {
    /// `bytes` in binary units with one decimal: `48 B`, `1.5 KiB`, `12.0 MiB`.
    static func bytes(_ bytes: UInt64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.1f %@", value, units[unit])
    }

    static func bytes(_ bytes: Int) -> String { self.bytes(UInt64(max(0, bytes))) }

    /// A signed byte delta: `+1.5 KiB`, `-48 B`, `0 B`.
    static func signedBytes(_ delta: Int64) -> String {
        delta > 0 ? "+" + bytes(UInt64(delta)) : delta < 0 ? "-" + bytes(delta.magnitude) : "0 B"
    }

    /// `n` with thousands separated by commas: `1,048,576`.
    static func count<N: BinaryInteger>(_ n: N) -> String {
        let digits = String(n.magnitude)
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return n < 0 ? "-" + grouped : grouped
    }

    /// `n` and the noun, plural unless `n` is 1: `1 object`, `2,048 objects`.
    static func counted<N: BinaryInteger>(_ n: N, _ noun: String, plural: String? = nil) -> String {
        "\(count(n)) \(n == 1 ? noun : plural ?? noun + "s")"
    }

    /// A signed count: `+12`, `-3`, `0`.
    static func signedCount<N: BinaryInteger>(_ n: N) -> String {
        n > 0 ? "+" + count(n) : count(n)
    }

    /// `part` as a percentage of `whole` with one decimal, `0.0%` for an empty whole.
    static func percent(_ part: UInt64, of whole: UInt64) -> String {
        whole == 0 ? "0.0%" : String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }
}

/// Rows of cells printed in aligned columns, two spaces apart, without trailing spaces.
struct Table {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment
    }

    var columns: [Column]
    var rows: [[String]] = []

    /// A table with these column titles; numeric columns (`right`) line up on their last digit.
    init(_ columns: (String, Alignment)...) {
        self.columns = columns.map { Column(title: $0.0, alignment: $0.1) }
    }

    /// Adds one row. Cells are printed as given: heap text must come escaped (``TerminalText``).
    mutating func append(_ cells: [String]) {
        precondition(cells.count == columns.count, "a row needs one cell per column")
        rows.append(cells)
    }

    /// The table as lines, each ending in a newline; `indent` + "none" when there are no rows.
    func render(indent: String = "") -> String {
        guard !rows.isEmpty else { return indent + "none\n" }
        var widths = columns.map(\.title.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = indent
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if i > 0 { text += "  " }
                text += columns[i].alignment == .right ? pad + cell : cell + (i == cells.count - 1 ? "" : pad)
            }
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        var text = line(columns.map(\.title))
        for row in rows { text += line(row) }
        return text
    }
}

/// Standard output; every command writes through here, in a few large writes.
enum Output {
    /// Writes `text` as it is (callers escape heap text first).
    static func write(_ text: String) {
        Progress.shared.finish()
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes `text` and a newline.
    static func line(_ text: String = "") {
        write(text + "\n")
    }

    /// Writes `value` as pretty-printed JSON with sorted keys and a final newline: the same input
    /// gives the same bytes.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        Progress.shared.finish()
        FileHandle.standardOutput.write(data)
    }
}
