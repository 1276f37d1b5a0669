// Options — the option groups commands share: the input dump and how to read it, `--json`, and
// the neighbourhood options of `graph`. Declared once so that every command spells them alike.
import ArgumentParser
import Foundation
import HeapFormats
import HeapGraph
import HeapGraphviz

/// How dumps are read: shared by every command that reads one.
struct ReadOptions: ParsableArguments {
    @Flag(
        name: .customLong("drop-unknown-refs"),
        help: "Drop references and roots naming ids that are not in the file (with a warning) instead of failing.")
    var dropUnknownReferences = false

    /// Reads the dump at `path` (binary `.heap` or JSON, detected from the content).
    ///
    /// Every way of failing — a missing file, a directory, a truncated or foreign file, JSON of the
    /// wrong shape — becomes a ``CommandFailure`` with one line naming the file and what was wrong.
    func load(_ path: String) throws(CommandFailure) -> HeapSnapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure("\(path): no such file")
        }
        guard !isDirectory.boolValue else {
            throw CommandFailure("\(path): is a directory, expected a heap dump (.heap) or a JSON graph (.json)")
        }
        Progress.shared.step("reading \(path)")
        var warnings: [DumpWarning] = []
        do {
            let snapshot = try HeapDump.read(
                from: URL(fileURLWithPath: path),
                options: HeapDump.Options(unknownReferences: dropUnknownReferences ? .drop : .reject),
                warnings: &warnings)
            // The reader's warnings already start with "warning:".
            for warning in warnings { printError("\(path): \(warning)") }
            return snapshot
        } catch {
            throw CommandFailure(error.naming(path))
        }
    }
}

/// The dump a command reads, as its first argument.
struct InputOptions: ParsableArguments {
    @Argument(
        help: "The heap to read: a binary dump (.heap) or a JSON graph; the format is detected from the content.",
        completion: .file(extensions: ["heap", "json"]))
    var input: String

    @OptionGroup var read: ReadOptions

    /// Reads ``input``; see ``ReadOptions/load(_:)``.
    func load() throws(CommandFailure) -> HeapSnapshot { try read.load(input) }
}

/// `--json`: machine-readable output with the stable field names documented in docs/cli.md.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Write JSON with stable field names (see docs/cli.md) instead of text.")
    var json = false
}

/// `--full-labels`: labels are cut to 80 bytes (`…(N bytes)` marks the cut) in text, JSON and pictures
/// unless asked for whole, so a hostile dump's megabyte labels cannot flood a report.
struct LabelOptions: ParsableArguments {
    @Flag(help: "Print labels whole; by default a label longer than \(HeapSnapshot.shownLabelBytes) bytes is cut, its length shown.")
    var fullLabels = false

    /// `snapshot` with its labels as these options ask.
    func apply(_ snapshot: HeapSnapshot) -> HeapSnapshot {
        fullLabels ? snapshot : snapshot.shorteningLabels()
    }
}

/// Range checks and row limits for numeric options, one wording for every command.
enum Range {
    /// Throws `--name must be N or more (meaning), got V` when `value` is below `minimum`.
    static func check(_ name: String, _ value: Int, atLeast minimum: Int, meaning: String? = nil) throws(ValidationError) {
        guard value < minimum else { return }
        throw ValidationError("\(name) must be \(minimum) or more\(meaning.map { " (\($0))" } ?? ""), got \(value)")
    }

    /// The rows a `--top N` asks for: `N`, or all of them for 0 (the one meaning in every command).
    static func rows(_ top: Int) -> Int { top == 0 ? Int.max : top }
}

/// A 64-bit object id given on the command line, in decimal or as `0x` hexadecimal.
struct ObjectID: ExpressibleByArgument, Hashable, CustomStringConvertible {
    var value: UInt64

    init?(argument: String) {
        let parsed = argument.lowercased().hasPrefix("0x")
            ? UInt64(argument.dropFirst(2), radix: 16) : UInt64(argument, radix: 10)
        guard let parsed else { return nil }
        value = parsed
    }

    var description: String { String(value) }
}

extension HeapSnapshot {
    /// The position of the object with `id`, or a failure naming the id and the file.
    func requireIndex(of id: ObjectID, in path: String) throws(CommandFailure) -> ObjectIndex {
        guard let index = index(ofID: id.value) else {
            throw CommandFailure("\(path): no object with id \(id.value)")
        }
        return index
    }
}

/// What `graph` draws around its starting objects and how (objgraph's show_refs / show_backrefs options).
struct GraphOptions: ParsableArguments {
    /// Which neighbours of the starting objects are drawn.
    enum Mode: String, EnumerableFlag {
        /// What the objects refer to (objgraph's show_refs).
        case refs
        /// What refers to the objects (objgraph's show_backrefs).
        case backrefs
        /// The shortest chain from outside to the object (objgraph's show_chain).
        case chain

        static func help(for value: Mode) -> ArgumentHelp? {
            switch value {
            case .refs: "Draw what the objects refer to (default)."
            case .backrefs: "Draw what refers to the objects."
            case .chain: "Draw the shortest chain of references from outside to the object."
            }
        }
    }

    @Flag var mode: Mode = .refs

    @Option(parsing: .unconditional, help: "References to follow from the starting objects.")
    var depth = 3

    @Option(parsing: .unconditional, help: "Neighbours expanded per object; the rest become one \"N more\" node.")
    var tooMany = 10

    @Option(name: .customLong("type"), help: "Draw only objects of this type (repeatable); starting objects are always drawn.")
    var onlyTypes: [String] = []

    @Option(name: .customLong("ignore-type"), help: "Never draw objects of this type (repeatable).")
    var ignoredTypes: [String] = []

    @Option(name: .customLong("ignore"), help: "Never draw the object with this id (repeatable).")
    var ignoredIDs: [ObjectID] = []

    @Flag(help: "Draw each strongly connected group of objects as one node (keeps big graphs drawable).")
    var collapse = false

    @Option(
        help: "Extra lines per object, comma-separated: size, retained, refcount, label, site.",
        transform: GraphOptions.parseExtra)
    var extra: DOTLines = DOTLines(lines: [.shallowSize, .label])

    @Flag(help: "Lay out left to right instead of top to bottom.")
    var leftToRight = false

    @Option(parsing: .unconditional, help: "Seconds a rendering may take before it is stopped.")
    var timeout = 60

    func validate() throws {
        try Range.check("--depth", depth, atLeast: 0)
        try Range.check("--too-many", tooMany, atLeast: 1)
        try Range.check("--timeout", timeout, atLeast: 1, meaning: "seconds")
    }

    /// The DOT options these flags ask for.
    var dotOptions: DOTOptions {
        DOTOptions(extraLines: extra.lines, direction: leftToRight ? .leftToRight : .topToBottom)
    }

    /// Objects to draw besides the starting ones: passes the type filters.
    func filter(in snapshot: HeapSnapshot) -> ((HeapSnapshot.ObjectIndex) -> Bool)? {
        guard !onlyTypes.isEmpty || !ignoredTypes.isEmpty else { return nil }
        // Compare type indices, not names, so the filter costs no string work per object.
        let only = Set(snapshot.typeNames.indices.filter { onlyTypes.contains(snapshot.typeNames[$0]) }.map(UInt32.init))
        let ignored = Set(snapshot.typeNames.indices.filter { ignoredTypes.contains(snapshot.typeNames[$0]) }.map(UInt32.init))
        let restrict = !onlyTypes.isEmpty
        return { object in
            let t = snapshot.typeIndices[object]
            return (!restrict || only.contains(t)) && !ignored.contains(t)
        }
    }

    /// `--extra` parsed.
    struct DOTLines {
        var lines: DOTOptions.ExtraLines
    }

    static func parseExtra(_ text: String) throws -> DOTLines {
        var lines: DOTOptions.ExtraLines = []
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            switch word {
            case "size": lines.insert(.shallowSize)
            case "retained": lines.insert(.retainedSize)
            case "refcount": lines.insert(.refcount)
            case "label": lines.insert(.label)
            case "site": lines.insert(.site)
            case "none": break
            default: throw ValidationError("unknown --extra line \"\(word)\" (expected size, retained, refcount, label, site or none)")
            }
        }
        return DOTLines(lines: lines)
    }
}

extension DumpError {
    /// The one-line description, naming the file as the user typed it (the reader sees an absolute path).
    func naming(_ path: String) -> String {
        var error = self
        error.file = path
        return error.description
    }
}
