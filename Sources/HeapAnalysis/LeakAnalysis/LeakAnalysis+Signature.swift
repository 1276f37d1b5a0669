// LeakAnalysis+Signature — the order of a cycle's members and its stable signature: the type and
// field names met walking the cycle, from the start that gives the smallest walk, hashed.
import HeapGraph

extension LeakAnalysis {
    /// Cycles up to this many members get the exact canonical walk (every start tried); larger ones
    /// a sorted list of their (type, field, type) references, which no rotation changes either.
    static let exactSignatureLimit = 32

    /// Objects reachable from `start` through objects satisfying `within`, in depth-first preorder
    /// (references in field order). `mark` is scratch, one entry per object; `stamp` must differ
    /// from every stamp used before with the same `mark`.
    /// - Complexity: O(visited objects + their edges); iterative.
    static func depthFirstOrder(
        _ snapshot: HeapSnapshot, from start: Int, within: (Int) -> Bool, mark: inout [Int], stamp: Int
    ) -> [Int] {
        var order = [start]
        mark[start] = stamp
        var stack: [(node: Int, edge: Int)] = [(start, Int(snapshot.edgeStarts[start]))]
        while let top = stack.last {
            let end = Int(snapshot.edgeStarts[top.node + 1])
            if top.edge == end { stack.removeLast(); continue }
            stack[stack.count - 1].edge += 1
            let w = Int(snapshot.edgeTargets[top.edge])
            if mark[w] != stamp && within(w) {
                mark[w] = stamp
                order.append(w)
                stack.append((w, Int(snapshot.edgeStarts[w])))
            }
        }
        return order
    }

    /// The canonical walk of a component from `start`: depth-first, references in field order; each
    /// newly met object writes its type, each reference its field name and either "new" or the
    /// walk position of an object met before. Ids never appear, so two dumps agree.
    static func canonicalWalk(_ snapshot: HeapSnapshot, from start: Int, within: (Int) -> Bool, position: inout [Int: Int]) -> String {
        position.removeAll(keepingCapacity: true)
        var text = ""
        func name(_ s: String) { text += "\(s.utf8.count):\(s)" }
        position[start] = 0
        text += "T"; name(snapshot.typeName(of: start))
        var stack: [(node: Int, edge: Int)] = [(start, Int(snapshot.edgeStarts[start]))]
        while let top = stack.last {
            let end = Int(snapshot.edgeStarts[top.node + 1])
            if top.edge == end { stack.removeLast(); text += ")"; continue }
            stack[stack.count - 1].edge += 1
            let w = Int(snapshot.edgeTargets[top.edge])
            guard within(w) else { continue }
            text += "F"; name(snapshot.fieldName(ofEdge: top.edge) ?? "")
            if let p = position[w] {
                text += "=\(p);"
            } else {
                position[w] = position.count
                text += "(T"; name(snapshot.typeName(of: w))
                stack.append((w, Int(snapshot.edgeStarts[w])))
            }
        }
        return text
    }

    private struct Triple: Hashable {
        var source: UInt32, field: UInt32, target: UInt32
    }

    /// The signature of the component `members` (all satisfying `within`).
    static func signature(_ snapshot: HeapSnapshot, members: [Int], within: (Int) -> Bool) -> String {
        let canonical: String
        if members.count <= exactSignatureLimit {
            var position: [Int: Int] = [:]
            var best: String? = nil
            // Every walk opens with its start's encoded type name ("length:name"), so only members
            // with the smallest encoded name can start the smallest walk.
            func encoded(_ v: Int) -> String {
                let name = snapshot.typeNames[Int(snapshot.typeIndices[v])]
                return "\(name.utf8.count):\(name)"
            }
            var smallestName = encoded(members[0])
            for v in members.dropFirst() {
                let name = encoded(v)
                if name < smallestName { smallestName = name }
            }
            for start in members where encoded(start) == smallestName {
                let walk = canonicalWalk(snapshot, from: start, within: within, position: &position)
                if best == nil || walk < best! { best = walk }
            }
            canonical = "W" + (best ?? "")
        } else {
            // Count (type, field, type) references by table index, then name only the distinct ones.
            var counts: [Triple: Int] = [:]
            for v in members {
                for e in snapshot.edgeRange(of: v) where within(Int(snapshot.edgeTargets[e])) {
                    let key = Triple(
                        source: snapshot.typeIndices[v], field: snapshot.edgeNames[e],
                        target: snapshot.typeIndices[Int(snapshot.edgeTargets[e])])
                    counts[key, default: 0] += 1
                }
            }
            var triples: [String] = []
            for (key, count) in counts {
                let type = snapshot.typeNames[Int(key.source)]
                let field = key.field == HeapSnapshot.none ? "" : snapshot.fieldNames[Int(key.field)]
                let target = snapshot.typeNames[Int(key.target)]
                triples.append(
                    "\(type.utf8.count):\(type)\(field.utf8.count):\(field)\(target.utf8.count):\(target)*\(count)")
            }
            triples.sort()
            canonical = "M\(members.count);" + triples.joined(separator: ";")
        }
        return hex16(stableHash(canonical))
    }
}
