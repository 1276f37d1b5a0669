// V8Naming — how a V8 node and edge are named, following Chrome DevTools (HeapSnapshot.ts) so that
// users recognise them: the constructor name for objects, `(closure)`, `(string)`, `(array)`,
// `(system)` …; elements as `[i]`; and which edge types retain, which are weak, which are shortcuts.

/// DevTools' naming and retention rules for V8 nodes and edges.
enum V8Naming {
    /// The longest label kept for a string's text, in characters.
    static let labelLength = 80

    /// The type name DevTools shows in its Summary view: `object` and `native` nodes by their name
    /// (the constructor), `hidden` as `(system)`, `code` as `(compiled code)`, others as `(type)`;
    /// a detached native (DOM) node as `Detached <name>`.
    static func typeName(nodeType: String, name: String, detached: Bool) -> String {
        switch nodeType {
        case "object": return name.isEmpty ? "(object)" : name
        case "native":
            let shown = name.isEmpty ? "(native)" : name
            return detached && !shown.hasPrefix("Detached ") ? "Detached " + shown : shown
        case "hidden": return "(system)"
        case "code": return "(compiled code)"
        default: return "(\(nodeType))"
        }
    }

    /// Whether a node type's `name` is text worth showing as the object's label.
    static func labelsWithName(_ nodeType: String) -> Bool {
        switch nodeType {
        case "string", "concatenated string", "sliced string", "regexp", "symbol", "number", "bigint", "synthetic": true
        default: false
        }
    }

    /// `text` cut to ``labelLength`` characters, with `…` when cut.
    static func shortened(_ text: String) -> String {
        guard text.utf8.count > labelLength else { return text }
        var cut = ""
        for (n, c) in text.enumerated() {
            if n == labelLength { return cut + "…" }
            cut.append(c)
        }
        return cut
    }

    /// For each edge type: true when `name_or_index` is an index into `strings` (every type but
    /// `element` and `hidden`, which carry a number: DevTools' `hasStringName`).
    static func namedEdgeTypes(_ edgeTypes: [String]) -> [Bool] {
        edgeTypes.map { $0 != "element" && $0 != "hidden" }
    }

    /// How an edge type is kept: DevTools' retention rule (`isEssentialEdge`) is that `weak` edges never
    /// retain and `shortcut` edges retain only from the synthetic root, where they mark the user's global
    /// objects (heapscan makes those targets roots of kind global); `internal` and `hidden` edges retain
    /// but are the engine's plumbing.
    enum EdgeRole {
        case strong, `internal`, weak, shortcut
    }

    static func role(ofEdgeType type: String) -> EdgeRole {
        switch type {
        case "weak": .weak
        case "shortcut": .shortcut
        case "internal", "hidden": .internal
        default: .strong
        }
    }

    /// The root kind (RootKind's JSON spelling) of a `(GC roots)` category, by its name.
    static func rootKind(ofCategory name: String) -> String {
        switch name {
        case "(Stack roots)": "stack-local"
        case "(Handle scope)", "(Eternal handles)", "(Traced handles)": "handle"
        case "(Global handles)": "global"
        case "(Internalized strings)", "(External strings)", "(String table)": "interned-string"
        case "(Debugger)": "debugger"
        case "(Thread manager)": "thread"
        case "(Weak collections)": "reference-cleanup"
        default: "vm-internal"
        }
    }
}
