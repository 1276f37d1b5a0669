// Output — what every command prints with: count and percentage formatting, aligned tables, and JSON
// with sorted keys. Heap text and byte counts are written by HeapAnalysis's `HeapText`, so the CLI,
// the analyzer's trees and paths, test messages and pictures all read alike.
import Foundation
import HeapAnalysis

/// Human-readable numbers for text output (JSON always carries the exact integers).
enum Format {
    /// `bytes` in binary units with one decimal: `48 B`, `1.5 KiB`, `12.0 MiB` (``HeapText/bytes(_:style:)``).
    static func bytes(_ bytes: UInt64) -> String { HeapText.bytes(bytes) }

    static func bytes(_ bytes: Int) -> String { self.bytes(UInt64(max(0, bytes))) }

    /// A type name or allocation site for a table cell, escaped; visible when empty (`(empty type name)`,
    /// `(empty site)`), where it would otherwise be a blank cell.
    static func key(_ key: String, isSite: Bool = false) -> String {
        isSite ? (key.isEmpty ? "(empty site)" : HeapText.terminalEscaped(key)) : HeapText.typeName(key)
    }

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

    /// Adds one row. Cells are printed as given: heap text must come escaped (`HeapText.terminalEscaped`).
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
///
/// A failed write throws a ``CommandFailure`` (one line on stderr, exit 2); a closed pipe ends the
/// output quietly (``Streams/writeOutput(_:)``).
enum Output {
    /// Writes `text` as it is (callers escape heap text first).
    static func write(_ text: String) throws(CommandFailure) {
        Progress.shared.finish()
        try Streams.writeOutput(text)
    }

    /// Writes `text` and a newline.
    static func line(_ text: String = "") throws(CommandFailure) {
        try write(text + "\n")
    }

    /// Writes `value` as pretty-printed JSON with sorted keys and a final newline: the same input
    /// gives the same bytes.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        try write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
