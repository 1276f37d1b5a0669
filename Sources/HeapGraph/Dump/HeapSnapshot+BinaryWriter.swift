// HeapSnapshot+BinaryWriter — streams a snapshot into the binary `.heap` dump format
// (docs/dump-format.md), version 2: a header, then nine sections each with its length and CRC32.
// Columns are written straight from the snapshot's arrays; nothing is copied or re-encoded.
import HeapArena

/// Constants of the binary dump format, versions 1 and 2.
enum BinaryDump {
    /// `89 48 45 41 50 0D 0A 1A`: a high byte (catches 7-bit transfers), "HEAP", CR LF (catches newline
    /// conversion) and ^Z (stops `type` on DOS), as in PNG.
    static let magic: [UInt8] = [0x89, 0x48, 0x45, 0x41, 0x50, 0x0D, 0x0A, 0x1A]
    /// The magic as the little-endian `UInt64` a reader loads.
    static let magicValue: UInt64 = magic.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    /// The version written.
    static let version: UInt32 = 2
    /// The versions read.
    static let versions: ClosedRange<UInt32> = 1...2
    /// Magic, version, section count.
    static let headerSize = 16
    /// Tag (4) and payload length (8) before each payload; the CRC32 (4) follows it.
    static let sectionHeaderSize = 12
    static let sectionTrailerSize = 4
    /// The sections of a version, in the order they must appear. Version 2 adds WEAK (non-retaining
    /// references) and META (liveness, runtime, object flags), and kinds on references and roots.
    static func sectionTags(version: UInt32) -> [String] {
        version == 1
            ? ["STRS", "TYPE", "SITE", "OBJS", "EDGE", "ROOT", "ALOC"]
            : ["STRS", "TYPE", "SITE", "OBJS", "EDGE", "WEAK", "ROOT", "META", "ALOC"]
    }
    /// Bytes per object across the object columns: id 8, type 4, size 8, refcount 4, generation 1,
    /// site 4, label 4.
    static let bytesPerObject = 33
    /// Scalar fields of `AllocatorStatistics` stored, and fields per size class.
    static let allocatorScalarCount = 16
    static let sizeClassFieldCount = 5

    /// The four ASCII bytes of a tag as the little-endian `UInt32` stored in the file.
    static func tagValue(_ tag: String) -> UInt32 {
        var value: UInt32 = 0
        for (i, byte) in tag.utf8.prefix(4).enumerated() { value |= UInt32(byte) << (8 * UInt32(i)) }
        return value
    }
}

extension HeapSnapshot {
    /// Streams the binary dump of this snapshot into `out`.
    /// - Complexity: O(objects + edges + string bytes); memory O(1) beyond the output buffer.
    func writeBinary(to out: DumpOutput) {
        // Root names, then the runtime's name, close the pool.
        let rootNames = roots.map(\.name) + (runtime.map { [$0] } ?? [])
        // The string pool is every table in turn; each table section lists its strings' pool indices.
        let typeBase = 0
        let siteBase = typeBase + typeNames.count
        let fieldBase = siteBase + sites.count
        let labelBase = fieldBase + fieldNames.count
        let rootBase = labelBase + labels.count
        let poolCount = rootBase + rootNames.count
        func utf8Bytes<S: Sequence<String>>(_ strings: S) -> Int { strings.reduce(0) { $0 + $1.utf8.count } }
        let poolBytes = utf8Bytes(typeNames) + utf8Bytes(sites) + utf8Bytes(fieldNames) + utf8Bytes(labels)
            + utf8Bytes(rootNames)

        for byte in BinaryDump.magic { out.appendByte(byte) }
        out.append(BinaryDump.version)
        out.append(UInt32(BinaryDump.sectionTags(version: BinaryDump.version).count))

        section("STRS", length: 8 + 8 * poolCount + poolBytes, out) {
            out.append(UInt64(poolCount))
            var end: UInt64 = 0
            for table in [typeNames, sites, fieldNames, labels] {
                for s in table {
                    end += UInt64(s.utf8.count)
                    out.append(end)
                }
            }
            for s in rootNames {
                end += UInt64(s.utf8.count)
                out.append(end)
            }
            for table in [typeNames, sites, fieldNames, labels] {
                for s in table { out.append(utf8: s) }
            }
            for s in rootNames { out.append(utf8: s) }
        }
        section("TYPE", length: 8 + 4 * typeNames.count, out) {
            writeIndexTable(count: typeNames.count, base: typeBase, out)
        }
        section("SITE", length: 8 + 4 * sites.count, out) {
            writeIndexTable(count: sites.count, base: siteBase, out)
        }
        let n = objectCount
        section("OBJS", length: 8 + BinaryDump.bytesPerObject * n + 8 + 4 * labels.count, out) {
            out.append(UInt64(n))
            out.append(array: ids)
            out.append(array: typeIndices)
            out.append(array: sizes)
            out.append(array: refcounts)
            out.append(array: generations)
            out.append(array: siteIndices)
            out.append(array: labelIndices)
            writeIndexTable(count: labels.count, base: labelBase, out)
        }
        // Version 2 adds a kinds column only when some retaining reference is internal, and the
        // non-retaining rows only when there are any: a heap of strong references costs 2 bytes more.
        let kindBytes = edgeKinds.isEmpty ? 0 : edgeCount
        section("EDGE", length: 8 + 4 * fieldNames.count + 8 + 4 * (n + 1) + 8 * edgeCount + 1 + kindBytes, out) {
            writeIndexTable(count: fieldNames.count, base: fieldBase, out)
            out.append(UInt64(edgeCount))
            out.append(array: edgeStarts)
            out.append(array: edgeTargets)
            out.append(array: edgeNames)
            writeKinds(edgeKinds, out)
        }
        let weakLength = weakEdgeCount == 0 ? 8 : 8 + 4 * (n + 1) + 9 * weakEdgeCount
        section("WEAK", length: weakLength, out) {
            out.append(UInt64(weakEdgeCount))
            guard weakEdgeCount > 0 else { return }
            out.append(array: weakEdgeStarts)
            out.append(array: weakEdgeTargets)
            out.append(array: weakEdgeNames)
            out.append(array: weakEdgeKinds.map(\.rawValue))
        }
        section("ROOT", length: 8 + 12 * roots.count, out) {
            out.append(UInt64(roots.count))
            for (i, root) in roots.enumerated() {
                out.append(UInt32(root.object))
                out.append(UInt32(rootBase + i))
                out.append(UInt32(root.kind.rawValue))
            }
        }
        section("META", length: 1 + 4 + 1 + (objectFlags.isEmpty ? 0 : n), out) {
            out.appendByte(liveness.rawValue)
            out.append(runtime == nil ? HeapSnapshot.none : UInt32(rootBase + roots.count))
            out.appendByte(objectFlags.isEmpty ? 0 : 1)
            if !objectFlags.isEmpty { out.append(array: objectFlags) }
        }
        let classCount = allocator?.sizeClasses.count ?? 0
        let allocatorLength = allocator == nil
            ? 1 : 1 + 8 * BinaryDump.allocatorScalarCount + 8 + 8 * BinaryDump.sizeClassFieldCount * classCount
        section("ALOC", length: allocatorLength, out) {
            guard let a = allocator else { return out.appendByte(0) }
            out.appendByte(1)
            for value in a.storedScalars { out.append(Int64(value)) }
            out.append(UInt64(classCount))
            for c in a.sizeClasses {
                for value in [c.index, c.blockSize, c.pools, c.blocksInUse, c.blocksAvailable] { out.append(Int64(value)) }
            }
        }
    }

    /// A presence byte, then one kind byte per reference when `kinds` is not empty.
    private func writeKinds(_ kinds: [ReferenceKind], _ out: DumpOutput) {
        out.appendByte(kinds.isEmpty ? 0 : 1)
        if !kinds.isEmpty { out.append(array: kinds.map(\.rawValue)) }
    }

    /// `count` then the pool indices `base..<base + count`.
    private func writeIndexTable(count: Int, base: Int, _ out: DumpOutput) {
        out.append(UInt64(count))
        for i in 0..<count { out.append(UInt32(base + i)) }
    }

    /// Tag, length, the payload `body` writes, then its CRC32.
    private func section(_ tag: String, length: Int, _ out: DumpOutput, _ body: () -> Void) {
        out.append(BinaryDump.tagValue(tag))
        out.append(UInt64(length))
        let start = out.position
        out.beginChecksum()
        body()
        let crc = out.endChecksum()
        precondition(out.position - start == length, "section \(tag) wrote \(out.position - start) of \(length) bytes")
        out.append(crc)
    }
}

extension AllocatorStatistics {
    /// The scalar fields in the order the ALOC section stores them.
    var storedScalars: [Int] {
        [
            alignment, poolSize, arenaSize, smallRequestThreshold, arenasAllocatedTotal, arenasReclaimed,
            arenasHighWater, arenasCurrent, bytesInAllocatedBlocks, bytesInAvailableBlocks, unusedPools,
            bytesLostToPoolHeaders, bytesLostToQuantization, bytesLostToArenaAlignment, largeObjects,
            largeObjectBytes,
        ]
    }

    /// Rebuilds statistics from `storedScalars` and the size classes.
    init(storedScalars s: [Int], sizeClasses: [SizeClass]) {
        self.init(
            alignment: s[0], poolSize: s[1], arenaSize: s[2], smallRequestThreshold: s[3], sizeClasses: sizeClasses,
            arenasAllocatedTotal: s[4], arenasReclaimed: s[5], arenasHighWater: s[6], arenasCurrent: s[7],
            bytesInAllocatedBlocks: s[8], bytesInAvailableBlocks: s[9], unusedPools: s[10],
            bytesLostToPoolHeaders: s[11], bytesLostToQuantization: s[12], bytesLostToArenaAlignment: s[13],
            largeObjects: s[14], largeObjectBytes: s[15])
    }
}
