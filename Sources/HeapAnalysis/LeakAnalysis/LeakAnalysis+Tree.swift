// LeakAnalysis+Tree — a cycle printed as Apple's `leaks` prints one: the root on top, each object
// under the object that first reaches it with the field name and its size, subtree counts and bytes,
// and CYCLE BACK TO where a reference closes the cycle.
import HeapGraph

/// One line of a cycle's `leaks`-style tree (``LeakAnalysis/treeLines(of:)``).
public struct CycleTreeLine: Sendable, Hashable {
    /// The object the line names.
    public var object: HeapSnapshot.ObjectIndex
    /// The reference that reaches it; nil for the cycle's root.
    public var edge: Int?
    /// Depth in the tree (the root is 0).
    public var depth: Int
    /// A reference back to a member on the current branch (CYCLE BACK TO), not a new object.
    public var closesCycle: Bool
    /// Objects and bytes of the line's subtree (0 for a closing reference).
    public var subtreeCount: Int
    public var subtreeBytes: UInt64

    public init(object: HeapSnapshot.ObjectIndex, edge: Int?, depth: Int, closesCycle: Bool, subtreeCount: Int, subtreeBytes: UInt64) {
        self.object = object
        self.edge = edge
        self.depth = depth
        self.closesCycle = closesCycle
        self.subtreeCount = subtreeCount
        self.subtreeBytes = subtreeBytes
    }
}

extension LeakAnalysis {
    /// Indentation stops growing past this depth; deeper lines say their depth instead.
    static let maximumIndent = 32

    /// The cycle as a tree, `leaks`-style:
    ///
    /// ```
    /// 3 (144 bytes) ROOT CYCLE: <Node #1> [48]
    ///    2 (96 bytes) next --> <Node #2> [48]
    ///       1 (48 bytes) next --> <Node #3> [48]
    ///          next --> CYCLE BACK TO <Node #1> [48]
    /// ```
    ///
    /// The tree is the depth-first tree from the root over the members and hangers, references in
    /// field order; each line starts with the objects and bytes of its subtree. A reference to a
    /// member on the current branch prints CYCLE BACK TO; other references to objects already
    /// printed are left out. At most `limit` lines, then a line saying how many were left out.
    /// Heap text is escaped.
    /// - Complexity: O(members + hangers + their edges); iterative.
    public func tree(of cycle: GarbageCycle, limit: Int = 1000) -> String {
        let lines = treeLines(of: cycle)
        var out: [String] = []
        for (i, line) in lines.enumerated() {
            if out.count == Swift.max(limit, 1) {
                out.append("... \(lines.count - i) more lines")
                break
            }
            let text = treeLineText(line)
            out.append(text.before + snapshot.objectDescription(line.object) + text.after)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The lines of ``tree(of:limit:)`` as data, in print order (for pages that link each object).
    /// - Complexity: O(members + hangers + their edges); iterative.
    public func treeLines(of cycle: GarbageCycle) -> [CycleTreeLine] {
        let s = snapshot
        // 0: elsewhere, 1: hanger, 2: member.
        var role = [UInt8](repeating: 0, count: s.objectCount)
        for v in cycle.hangers { role[v] = 1 }
        for v in cycle.members { role[v] = 2 }
        // Events in print order: an object reached through `edge` (nil for the root) at `depth`,
        // or a closing reference from a member back to an ancestor.
        enum Line { case object(Int, edge: Int?, depth: Int), back(Int, edge: Int, depth: Int) }
        var lines: [Line] = [.object(cycle.root, edge: nil, depth: 0)]
        var placed = [Bool](repeating: false, count: s.objectCount)
        placed[cycle.root] = true
        var subtreeCount: [Int] = [1]
        var subtreeBytes: [UInt64] = [s.sizes[cycle.root]]
        var onBranch = [Bool](repeating: false, count: s.objectCount)
        onBranch[cycle.root] = true
        var stack: [(node: Int, edge: Int, line: Int)] = [(cycle.root, Int(s.edgeStarts[cycle.root]), 0)]
        while let top = stack.last {
            if top.edge == Int(s.edgeStarts[top.node + 1]) {
                stack.removeLast()
                onBranch[top.node] = false
                if let parent = stack.last {
                    subtreeCount[parent.line] += subtreeCount[top.line]
                    subtreeBytes[parent.line].addSaturated(subtreeBytes[top.line])
                }
                continue
            }
            stack[stack.count - 1].edge += 1
            let w = Int(s.edgeTargets[top.edge])
            guard role[w] != 0 else { continue }
            if !placed[w] {
                placed[w] = true
                stack.append((w, Int(s.edgeStarts[w]), lines.count))
                lines.append(.object(w, edge: top.edge, depth: stack.count - 1))
                subtreeCount.append(1)
                subtreeBytes.append(s.sizes[w])
                onBranch[w] = true
            } else if role[w] == 2 && onBranch[w] {
                lines.append(.back(w, edge: top.edge, depth: stack.count))
                subtreeCount.append(0)
                subtreeBytes.append(0)
            }
        }
        return lines.enumerated().map { i, line in
            switch line {
            case .object(let v, let edge, let depth):
                CycleTreeLine(object: v, edge: edge, depth: depth, closesCycle: false, subtreeCount: subtreeCount[i], subtreeBytes: subtreeBytes[i])
            case .back(let v, let edge, let depth):
                CycleTreeLine(object: v, edge: edge, depth: depth, closesCycle: true, subtreeCount: 0, subtreeBytes: 0)
            }
        }
    }

    /// A tree line's text around its object's description: `before + description + after` is the
    /// line ``tree(of:limit:)`` prints. Heap text (field names) is escaped for a terminal.
    public func treeLineText(_ line: CycleTreeLine) -> (before: String, after: String) {
        let s = snapshot
        func field(_ edge: Int) -> String {
            if let name = s.fieldName(ofEdge: edge) { return HeapText.terminalEscaped(name) }
            return "[\(edge - Int(s.edgeStarts[s.edgeSource(edge)]))]"
        }
        func indent(_ depth: Int) -> String {
            let shown = Swift.min(depth, Self.maximumIndent)
            let pad = String(repeating: " ", count: 3 * shown)
            return depth > Self.maximumIndent ? pad + "(depth \(depth)) " : pad
        }
        let after = " [\(s.sizes[line.object])]"
        if line.closesCycle, let edge = line.edge {
            return ("\(indent(line.depth))\(field(edge)) --> CYCLE BACK TO ", after)
        }
        let head = "\(indent(line.depth))\(line.subtreeCount) (\(line.subtreeBytes) bytes) "
        if let edge = line.edge { return (head + "\(field(edge)) --> ", after) }
        return (head + "ROOT CYCLE: ", after)
    }

    /// Every cycle, ranked, each as a header line (members, retained bytes, signature) and its tree.
    public func report(limitPerCycle: Int = 1000) -> String {
        var out = "\(garbage.count) garbage objects, \(cycles.count) cycles\n"
        for cycle in cycles {
            out += "\nCYCLE \(cycle.signature): \(cycle.members.count) members, \(cycle.hangers.count) hangers, "
                + "\(cycle.retainedBytes) bytes\n"
            out += tree(of: cycle, limit: limitPerCycle)
        }
        return out
    }
}
