// HeapSnapshot+JSONWriter — exports a snapshot to the JSON interchange format (docs/json-format.md),
// one object per line, streamed. Every string from the heap is escaped; the output is deterministic.

extension HeapSnapshot {
    /// Streams the JSON form of this snapshot into `out`.
    ///
    /// Writes `generation` only when known (an extension key; see docs/json-format.md); allocator
    /// statistics are not part of the JSON format.
    /// - Complexity: O(objects + edges + string bytes).
    func writeJSON(to out: DumpOutput) {
        out.append(utf8: "{\"heapscan\": 1,")
        if liveness != .refcount { out.append(utf8: " \"liveness\": \"\(liveness.name)\",") }
        if let runtime {
            out.append(utf8: " \"runtime\": ")
            out.appendJSONString(runtime)
            out.appendByte(UInt8(ascii: ","))
        }
        out.append(utf8: "\n \"objects\": [")
        for i in objectIndices {
            out.append(utf8: i == 0 ? "\n  {\"id\": " : ",\n  {\"id\": ")
            out.appendDecimal(ids[i])
            out.append(utf8: ", \"type\": ")
            out.appendJSONString(typeNames[Int(typeIndices[i])])
            out.append(utf8: ", \"size\": ")
            out.appendDecimal(sizes[i])
            if refcounts[i] != Self.none {
                out.append(utf8: ", \"refcount\": ")
                out.appendDecimal(UInt64(refcounts[i]))
            }
            if generations[i] != 255 {
                out.append(utf8: ", \"generation\": ")
                out.appendDecimal(UInt64(generations[i]))
            }
            if siteIndices[i] != Self.none {
                out.append(utf8: ", \"site\": ")
                out.appendJSONString(sites[Int(siteIndices[i])])
            }
            if labelIndices[i] != Self.none {
                out.append(utf8: ", \"label\": ")
                out.appendJSONString(labels[Int(labelIndices[i])])
            }
            if isDetached(i) { out.append(utf8: ", \"detached\": true") }
            let edges = edgeRange(of: i), weakEdges = weakEdgeRange(of: i)
            if !edges.isEmpty || !weakEdges.isEmpty {
                // Retaining references in field order, then the non-retaining ones.
                out.append(utf8: ", \"refs\": [")
                for e in edges {
                    out.append(utf8: e == edges.lowerBound ? "{\"to\": " : ", {\"to\": ")
                    writeJSONReference(target: edgeTargets[e], name: edgeNames[e], kind: kind(ofEdge: e), out)
                }
                for e in weakEdges {
                    out.append(utf8: e == weakEdges.lowerBound && edges.isEmpty ? "{\"to\": " : ", {\"to\": ")
                    writeJSONReference(target: weakEdgeTargets[e], name: weakEdgeNames[e], kind: weakEdgeKinds[e], out)
                }
                out.appendByte(UInt8(ascii: "]"))
            }
            out.appendByte(UInt8(ascii: "}"))
        }
        out.append(utf8: objectCount == 0 ? "],\n \"roots\": [" : "\n ],\n \"roots\": [")
        for (r, root) in roots.enumerated() {
            out.append(utf8: r == 0 ? "\n  {\"to\": " : ",\n  {\"to\": ")
            out.appendDecimal(ids[Int(root.object)])
            out.append(utf8: ", \"name\": ")
            out.appendJSONString(root.name)
            if root.kind != .unknown { out.append(utf8: ", \"kind\": \"\(root.kind.name)\"") }
            out.appendByte(UInt8(ascii: "}"))
        }
        out.append(utf8: roots.isEmpty ? "]}\n" : "\n ]}\n")
    }

    /// The rest of one `{"to": …}` reference: the target's id, the name and a kind other than strong.
    private func writeJSONReference(target: UInt32, name: UInt32, kind: ReferenceKind, _ out: DumpOutput) {
        out.appendDecimal(ids[Int(target)])
        if name != Self.none {
            out.append(utf8: ", \"name\": ")
            out.appendJSONString(fieldNames[Int(name)])
        }
        if kind != .strong { out.append(utf8: ", \"kind\": \"\(kind.name)\"") }
        out.appendByte(UInt8(ascii: "}"))
    }
}

extension DumpOutput {
    /// Appends `string` as a JSON string literal: quotes, backslashes and control characters escaped,
    /// U+2028 and U+2029 too (so the text is also safe inside JavaScript); everything else as UTF-8.
    func appendJSONString(_ string: String) {
        appendByte(UInt8(ascii: "\""))
        var copy = string
        copy.withUTF8 { bytes in
            var runStart = 0
            var i = 0
            func flushRun(_ end: Int) {
                if end > runStart { append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<end]))) }
            }
            while i < bytes.count {
                let b = bytes[i]
                // Fast path: a byte that needs no escape.
                if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && b != 0x7F && b != 0xE2 {
                    i += 1
                    continue
                }
                var escape: [UInt8]?
                switch b {
                case UInt8(ascii: "\""): escape = [0x5C, 0x22]
                case UInt8(ascii: "\\"): escape = [0x5C, 0x5C]
                case 0x0A: escape = [0x5C, UInt8(ascii: "n")]
                case 0x0D: escape = [0x5C, UInt8(ascii: "r")]
                case 0x09: escape = [0x5C, UInt8(ascii: "t")]
                case 0x08: escape = [0x5C, UInt8(ascii: "b")]
                case 0x0C: escape = [0x5C, UInt8(ascii: "f")]
                case 0x00..<0x20, 0x7F:
                    escape = [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigit(b >> 4), hexDigit(b & 0xF)]
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    flushRun(i)
                    append(utf8: bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                    i += 3
                    runStart = i
                    continue
                default: break
                }
                if let escape {
                    flushRun(i)
                    for e in escape { appendByte(e) }
                    runStart = i + 1
                }
                i += 1
            }
            flushRun(bytes.count)
        }
        appendByte(UInt8(ascii: "\""))
    }
}

/// The lowercase hex digit of `nibble` (0...15).
@inline(__always)
private func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
}
