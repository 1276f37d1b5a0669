// ArgumentProblems — what makes a check unable to judge, found before it judges: a negative tolerance,
// or a type name (allowed, or asked about) that the heap never registered — a misspelling that would
// otherwise pass silently ("Closur" for "Closure"). Such a report fails with this one line.
import HeapAnalysis
import HeapGraph

extension HeapCheckOptions {
    /// Why these options cannot judge a heap whose registered type names are `typeNames`, or nil.
    ///
    /// `check` names the check in the message (`leak check`); `checkedType` is the type a survivor
    /// check asks about; `usesTolerance` is false for the growth check, which ignores it.
    /// - Complexity: O(types + allowed types · types) for the suggestions, only when a name is unknown.
    func argumentProblem(check: String, typeNames: [String], checkedType: String? = nil, usesTolerance: Bool = true) -> String? {
        if usesTolerance && tolerance < 0 {
            return "\(check): tolerance must be 0 or more (the objects accepted before failing), got \(tolerance)."
        }
        let known = Set(typeNames)
        if let checkedType, !known.contains(checkedType) {
            return "\(check): no type named \(quoted(checkedType)) is registered in this heap\(suggestion(for: checkedType, among: typeNames))."
        }
        let unknown = allowedTypes.filter { !known.contains($0) }.sorted()
        guard let first = unknown.first else { return nil }
        let list = unknown.map(quoted).joined(separator: ", ")
        return "\(check): allowing \(list): \(unknown.count == 1 ? "no type of that name is" : "no types of those names are") registered in this heap\(suggestion(for: first, among: typeNames))."
    }

    private func quoted(_ name: String) -> String { "\"" + HeapText.terminalEscaped(name) + "\"" }

    /// ` (did you mean "Closure"?)` for the registered name nearest to `name`, or nothing.
    private func suggestion(for name: String, among typeNames: [String]) -> String {
        let lowered = name.lowercased()
        var best: (name: String, distance: Int)? = nil
        for candidate in typeNames where candidate.utf8.count <= 64 && name.utf8.count <= 64 {
            let c = candidate.lowercased()
            let distance = c == lowered ? 0 : (c.hasPrefix(lowered) || lowered.hasPrefix(c)) ? 1 : editDistance(Array(lowered.unicodeScalars), Array(c.unicodeScalars))
            guard distance <= 2 else { continue }
            if let current = best, (current.distance, current.name) <= (distance, candidate) { continue }
            best = (candidate, distance)
        }
        return best.map { " (did you mean \(quoted($0.name))?)" } ?? ""
    }

    /// Levenshtein distance, with one row of memory.
    private func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let current = row[j]
                row[j] = a[i - 1] == b[j - 1] ? previous : 1 + min(previous, row[j], row[j - 1])
                previous = current
            }
        }
        return row[b.count]
    }
}
