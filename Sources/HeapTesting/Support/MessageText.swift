// MessageText — small wording helpers for failure messages (counts with their noun, indented blocks).
// Heap text and byte counts are written with HeapAnalysis's `HeapText`, as everywhere else.

/// "1 object" / "3 objects": a count with its noun, singular or plural.
func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
}

/// Every line of `text` prefixed with `prefix` (empty lines stay empty).
func indented(_ text: String, by prefix: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? "" : prefix + $0 }
        .joined(separator: "\n")
}
