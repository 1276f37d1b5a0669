// TestSupport — a picture directory per test and helpers to read what an expectation recorded.
import Foundation
import HeapTesting
import Testing

/// A fresh directory for one test's pictures, removed by `remove()`.
struct PictureDirectory {
    let path: String

    init(_ name: String = #function) {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "heapscan-testing-\(safe)-\(UUID().uuidString)"
    }

    var options: PictureOptions { PictureOptions(directory: path) }

    /// The message with this directory written as `<pictures>`, so expected texts stay fixed.
    func normalized(_ message: String) -> String {
        message.replacingOccurrences(of: path, with: "<pictures>")
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension Issue {
    /// The text the heap expectation recorded.
    var message: String { comments.map(\.rawValue).joined(separator: "\n") }
}

/// Whether `text` has no raw control character other than newline (so it prints safely).
func isTerminalSafe(_ text: String) -> Bool {
    !text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F }
}
