// Paths — `heapscan paths`: Eclipse MAT's "merge shortest paths to GC roots" for every object of a
// type: the tree of the chains that keep them alive with a count per branch, and their immediate
// dominators grouped by type (HeapAnalysis's MergedPaths).
import ArgumentParser
import HeapAnalysis
import HeapGraph

struct Paths: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Why the objects of a type are alive: their chains from outside merged, with counts.",
        discussion: """
            Each line is one object on a shortest chain from outside to an object of the type; the \
            number is how many objects of the type are at it or below it. Branches with the most \
            come first. Then the objects' immediate dominators, grouped by type: who owns them.

            Examples:
              heapscan paths app.heap --type Response
              heapscan paths app.heap --type Session --max-lines 40 --json
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var labels: LabelOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("type"), help: "The type whose objects' chains are merged.")
    var typeName: String

    @Option(parsing: .unconditional, help: "Lines of the tree printed (0 for all); JSON has every node.")
    var maxLines = 60

    func validate() throws {
        try Range.check("--max-lines", maxLines, atLeast: 0, meaning: "0 shows all")
    }

    func run() throws {
        let snapshot = labels.apply(try input.load())
        try snapshot.requireType(typeName, in: input.input)
        let targets = ObjectQuery(typeName: typeName).objects(in: snapshot)
        Progress.shared.step("computing dominators")
        let merged = MergedPaths(targets: targets, dominators: DominatorTree(snapshot))
        if output.json { return try Output.json(PathsJSON(merged, type: typeName, objects: targets.count, in: snapshot)) }
        try Output.write(PathsJSON.text(merged, type: typeName, objects: targets.count, in: snapshot, maxLines: Range.rows(maxLines)))
    }
}

/// `paths --json`: `{"type", "objects", "unreachable": [id], "tree": [node], "dominators": [group]}`;
/// a node is `{"id", "type", "field"?, "count", "target", "children": [node]}`.
struct PathsJSON: Encodable {
    final class NodeJSON: Encodable {
        var id: UInt64
        var type: String
        var field: String?
        var count: Int
        var target: Bool
        var children: [NodeJSON] = []

        init(id: UInt64, type: String, field: String?, count: Int, target: Bool) {
            self.id = id
            self.type = type
            self.field = field
            self.count = count
            self.target = target
        }
    }

    struct GroupJSON: Encodable {
        /// Absent for objects only the roots dominate.
        var type: String?
        var count: Int
        var dominators: Int
    }

    var type: String
    var objects: Int
    var unreachable: [UInt64]
    var tree: [NodeJSON]
    var dominators: [GroupJSON]

    init(_ merged: MergedPaths, type: String, objects: Int, in snapshot: HeapSnapshot) {
        self.type = type
        self.objects = objects
        unreachable = merged.unreachable.map { snapshot.ids[$0] }
        // Built without recursion: nodes come parent first, so each child finds its parent's JSON made.
        var made = [NodeJSON?](repeating: nil, count: merged.nodes.count)
        for (i, node) in merged.nodes.enumerated() {
            made[i] = NodeJSON(
                id: snapshot.ids[node.object], type: snapshot.typeName(of: node.object),
                field: node.edge.flatMap { snapshot.fieldName(ofEdge: $0) }, count: node.count, target: node.isTarget)
        }
        for (i, node) in merged.nodes.enumerated() {
            made[i]?.children = node.children.compactMap { made[$0] }
        }
        tree = merged.tops.compactMap { made[$0] }
        dominators = merged.dominatorGroups.map { GroupJSON(type: $0.type, count: $0.count, dominators: $0.dominators) }
    }

    /// The merged tree, depth-first with the biggest branches first, then the dominator groups.
    static func text(_ merged: MergedPaths, type: String, objects: Int, in snapshot: HeapSnapshot, maxLines: Int) -> String {
        let alive = objects - merged.unreachable.count
        var out = "\(Format.counted(objects, "object")) of type \(HeapText.typeName(type)): \(Format.count(alive)) alive"
        out += merged.unreachable.isEmpty ? "\n" : ", \(Format.count(merged.unreachable.count)) garbage (no chain; heapscan objects --garbage lists them)\n"
        guard alive > 0 else { return out }
        out += "\nshortest chains from outside, merged (objects of the type at or below each line):\n"
        let width = String(merged.tops.map { merged.nodes[$0].count }.max() ?? 0).count
        var lines = 0
        var stack: [(node: Int, depth: Int)] = merged.tops.reversed().map { ($0, 0) }
        while let (i, depth) = stack.popLast() {
            if lines == maxLines {
                out += "  … more lines (--max-lines 0 shows all)\n"
                break
            }
            let node = merged.nodes[i]
            let count = String(node.count)
            var line = "  " + String(repeating: " ", count: width - min(width, count.count)) + count + "  " + String(repeating: "  ", count: depth)
            if let edge = node.edge {
                let slot = edge - Int(snapshot.edgeStarts[snapshot.edgeSource(edge)])
                line += (snapshot.fieldName(ofEdge: edge).map { "." + HeapText.terminalEscaped($0) } ?? "[\(slot)]") + " → "
            } else if let root = snapshot.roots.first(where: { $0.object == node.object }) {
                line += "root \"\(HeapText.terminalEscaped(root.name))\" → "
            } else {
                line += "held from outside (refcount) → "
            }
            out += line + snapshot.objectDescription(node.object) + "\n"
            lines += 1
            for child in node.children.reversed() { stack.append((child, depth + 1)) }
        }
        out += "\nimmediate dominators by type:\n"
        var table = Table(("objects", .right), ("dominators", .right), ("dominator type", .left))
        for g in merged.dominatorGroups {
            table.append([Format.count(g.count), g.type == nil ? "" : Format.count(g.dominators), g.type.map { Format.key($0) } ?? "(held from outside, no dominator)"])
        }
        out += table.render(indent: "  ")
        return out
    }
}
