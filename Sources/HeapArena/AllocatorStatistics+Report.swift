// AllocatorStatistics+Report — the text rendering, laid out like CPython's `sys._debugmallocstats()` so a
// reader of that output recognises it; `heapscan stats` prints it for a dump, the live allocator too.

extension AllocatorStatistics {
    /// The statistics as text: the per-class table (class / size / num pools / blocks in use / avail
    /// blocks), then arena counts and the byte breakdown whose total is the arena memory, then the
    /// large objects and the fragmentation ratio (both beyond what CPython prints).
    /// - Complexity: O(size classes).
    public func report() -> String {
        var lines: [String] = []
        lines.append("Small block threshold = \(smallRequestThreshold), in \(sizeClassCount) size classes.")
        lines.append("")
        lines.append("class   size   num pools   blocks in use  avail blocks")
        lines.append("-----   ----   ---------   -------------  ------------")
        for sizeClass in sizeClasses {
            lines.append(
                Self.pad(sizeClass.index, 5) + " " + Self.pad(sizeClass.blockSize, 6) + " "
                    + Self.pad(sizeClass.pools, 11) + " " + Self.pad(sizeClass.blocksInUse, 15) + " "
                    + Self.pad(sizeClass.blocksAvailable, 13))
        }
        lines.append("")
        lines.append(Self.line("# arenas allocated total", arenasAllocatedTotal))
        lines.append(Self.line("# arenas reclaimed", arenasReclaimed))
        lines.append(Self.line("# arenas highwater mark", arenasHighWater))
        lines.append(Self.line("# arenas allocated current", arenasCurrent))
        lines.append(Self.line("\(arenasCurrent) arenas * \(arenaSize) bytes/arena", bytesInArenas))
        lines.append("")
        lines.append(Self.line("# bytes in allocated blocks", bytesInAllocatedBlocks))
        lines.append(Self.line("# bytes in available blocks", bytesInAvailableBlocks))
        lines.append(Self.line("\(unusedPools) unused pools * \(poolSize) bytes", bytesInUnusedPools))
        lines.append(Self.line("# bytes lost to pool headers", bytesLostToPoolHeaders))
        lines.append(Self.line("# bytes lost to quantization", bytesLostToQuantization))
        lines.append(Self.line("# bytes lost to arena alignment", bytesLostToArenaAlignment))
        lines.append(Self.line("Total", bytesAccounted))
        lines.append("")
        lines.append(Self.line("# large objects (system allocator)", largeObjects))
        lines.append(Self.line("# bytes in large objects", largeObjectBytes))
        lines.append(Self.text("fragmentation (free / usable)", Self.percent(fragmentation)))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `value` right-aligned in `width` columns.
    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// CPython's `printone`: the label padded to 35 columns, `=`, the value with thousands separators
    /// right-aligned in 21 columns.
    static func line(_ label: String, _ value: Int) -> String { text(label, grouped(value)) }

    static func text(_ label: String, _ value: String) -> String {
        let left = label.count < 35 ? label + String(repeating: " ", count: 35 - label.count) : label
        return left + "=" + String(repeating: " ", count: max(1, 21 - value.count)) + value
    }

    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var out: [Character] = []
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + String(out)
    }

    static func percent(_ ratio: Double) -> String {
        guard ratio.isFinite, ratio >= 0, ratio <= 1 else { return "n/a" }
        let tenths = Int((ratio * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
