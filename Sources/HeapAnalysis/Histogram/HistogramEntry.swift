// HistogramEntry — objects counted and sized by type or by allocation site (objgraph's
// show_most_common_types, tracemalloc's statistics('lineno')).
import HeapGraph

/// Objects sharing a key (a type name or an allocation site): how many and how many bytes.
public struct HistogramEntry: Sendable, Hashable {
    public var key: String
    public var count: Int
    public var bytes: UInt64

    public init(key: String, count: Int, bytes: UInt64) {
        self.key = key
        self.count = count
        self.bytes = bytes
    }
}

/// How a histogram is ordered.
public enum HistogramOrder: Sendable, Hashable {
    /// Most objects first, then most bytes, then key (objgraph's most_common_types).
    case count
    /// Most bytes first, then most objects, then key (tracemalloc's statistics).
    case bytes
}

/// The key used for objects whose allocation site was not recorded.
public let unknownSiteKey = "<unknown>"

extension HeapSnapshot {
    /// Objects per type name, most common first by default.
    /// - Complexity: O(objects + types · log types).
    public func typeHistogram(orderedBy order: HistogramOrder = .count) -> [HistogramEntry] {
        var counts = [Int](repeating: 0, count: typeNames.count)
        var bytes = [UInt64](repeating: 0, count: typeNames.count)
        for v in objectIndices {
            counts[Int(typeIndices[v])] += 1
            bytes[Int(typeIndices[v])].addSaturated(sizes[v])
        }
        return Self.entries(keys: typeNames, counts: counts, bytes: bytes, order: order)
    }

    /// Objects per allocation site ("file:line", or `<unknown>`), most bytes first by default.
    /// - Complexity: O(objects + sites · log sites).
    public func siteHistogram(orderedBy order: HistogramOrder = .bytes) -> [HistogramEntry] {
        var counts = [Int](repeating: 0, count: sites.count + 1)
        var bytes = [UInt64](repeating: 0, count: sites.count + 1)
        for v in objectIndices {
            let s = siteIndices[v] == Self.none ? sites.count : Int(siteIndices[v])
            counts[s] += 1
            bytes[s].addSaturated(sizes[v])
        }
        return Self.entries(keys: sites + [unknownSiteKey], counts: counts, bytes: bytes, order: order)
    }

    /// Entries with at least one object, merged by key (a table may repeat a string), ordered.
    static func entries(keys: [String], counts: [Int], bytes: [UInt64], order: HistogramOrder) -> [HistogramEntry] {
        var merged: [String: HistogramEntry] = [:]
        for i in keys.indices where counts[i] > 0 {
            merged[keys[i], default: HistogramEntry(key: keys[i], count: 0, bytes: 0)].count += counts[i]
            merged[keys[i]]!.bytes.addSaturated(bytes[i])
        }
        return merged.values.sorted { a, b in
            switch order {
            case .count:
                if a.count != b.count { return a.count > b.count }
                if a.bytes != b.bytes { return a.bytes > b.bytes }
            case .bytes:
                if a.bytes != b.bytes { return a.bytes > b.bytes }
                if a.count != b.count { return a.count > b.count }
            }
            return a.key < b.key
        }
    }
}
