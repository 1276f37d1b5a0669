// HeapSnapshot+ShortLabels — the same snapshot with every overlong label cut and marked, so that a
// report over a hostile dump (a 1 MB label on 2,000 objects) stays small in text, JSON and pictures.

extension HeapSnapshot {
    /// Longest label, in UTF-8 bytes, that reports show whole by default.
    public static let shownLabelBytes = 80

    /// `label` cut to at most `maxBytes` UTF-8 bytes on a character boundary, followed by
    /// `…(N bytes)` with its full length; `label` itself when it fits.
    /// - Complexity: O(maxBytes).
    public static func shortened(label: String, toBytes maxBytes: Int = shownLabelBytes) -> String {
        let length = label.utf8.count
        guard length > maxBytes else { return label }
        var kept = ""
        var bytes = 0
        for character in label {
            let width = character.utf8.count
            if bytes + width > maxBytes { break }
            kept.append(character)
            bytes += width
        }
        return kept + "…(\(length) bytes)"
    }

    /// This snapshot with every label longer than `maxBytes` shortened (``shortened(label:toBytes:)``);
    /// everything else is shared with `self`. Labels are only text for people: no analysis reads them,
    /// so every result is the same, only printed shorter.
    /// - Complexity: O(labels) when none is too long; O(objects + references) to copy the columns otherwise.
    public func shorteningLabels(toBytes maxBytes: Int = shownLabelBytes) -> HeapSnapshot {
        guard labels.contains(where: { $0.utf8.count > maxBytes }) else { return self }
        var c = Columns()
        c.ids = ids
        c.typeIndices = typeIndices
        c.sizes = sizes
        c.refcounts = refcounts
        c.generations = generations
        c.siteIndices = siteIndices
        c.labelIndices = labelIndices
        c.edgeStarts = edgeStarts
        c.edgeTargets = edgeTargets
        c.edgeNames = edgeNames
        c.edgeKinds = edgeKinds
        c.weakEdgeStarts = weakEdgeStarts
        c.weakEdgeTargets = weakEdgeTargets
        c.weakEdgeNames = weakEdgeNames
        c.weakEdgeKinds = weakEdgeKinds
        c.objectFlags = objectFlags
        c.typeNames = typeNames
        c.sites = sites
        c.fieldNames = fieldNames
        c.labels = labels.map { Self.shortened(label: $0, toBytes: maxBytes) }
        c.roots = roots
        c.allocator = allocator
        c.liveness = liveness
        c.runtime = runtime
        do {
            return try HeapSnapshot(c)
        } catch {
            // Only label texts changed, never an index: a failure is a bug here, not bad input.
            preconditionFailure("shorteningLabels: the copy of a valid snapshot is inconsistent: \(error)")
        }
    }
}
