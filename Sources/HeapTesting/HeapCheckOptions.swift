// HeapCheckOptions — what every check accepts: types to leave out, a number of objects to tolerate,
// how much detail the message shows, and where pictures go; plus the caller's position that names
// the pictures.
import Foundation

/// Settings shared by the heap checks (leaks, survivors, cycles, growth).
public struct HeapCheckOptions: Sendable, Hashable {
    /// Type names left out of the verdict (caches, loggers, interned strings the block may create);
    /// the message still lists them in one line.
    public var allowedTypes: Set<String>
    /// Objects the check tolerates before it fails: leaked objects (``LeakReport``), surviving
    /// instances (``SurvivorReport``), objects in new cycles (``CycleReport``). Growth ignores it.
    public var tolerance: Int
    /// Groups (leaks, cycles, growing types) shown in full; the rest are summed up in one line.
    public var detailLimit: Int
    /// Lines of one cycle's tree before it is cut.
    public var treeLineLimit: Int
    /// Pictures of failures.
    public var pictures: PictureOptions

    public init(
        allowedTypes: Set<String> = [], tolerance: Int = 0, detailLimit: Int = 10, treeLineLimit: Int = 40,
        pictures: PictureOptions = .default
    ) {
        self.allowedTypes = allowedTypes
        self.tolerance = tolerance
        self.detailLimit = detailLimit
        self.treeLineLimit = treeLineLimit
        self.pictures = pictures
    }

    public static let `default` = HeapCheckOptions()
}

/// Whether and where SVG pictures of failures are written.
public struct PictureOptions: Sendable, Hashable {
    /// The environment variable naming the directory for pictures (so CI can keep them).
    public static let environmentVariable = "HEAPSCAN_ARTIFACTS_DIR"

    /// Write pictures at all.
    public var enabled: Bool
    /// Directory for pictures; nil means `$HEAPSCAN_ARTIFACTS_DIR`, or `heapscan-artifacts` in the
    /// temporary directory when that is unset or empty.
    public var directory: String?
    /// Most objects drawn in one picture (Graphviz's `dot` slows down sharply on cyclic graphs
    /// past a few hundred nodes).
    public var maxObjects: Int

    public init(enabled: Bool = true, directory: String? = nil, maxObjects: Int = 60) {
        self.enabled = enabled
        self.directory = directory
        self.maxObjects = maxObjects
    }

    public static let `default` = PictureOptions()
    /// No pictures.
    public static let disabled = PictureOptions(enabled: false)

    /// The directory pictures go to with these options and the current environment.
    public var resolvedDirectory: String { resolvedDirectory(environment: ProcessInfo.processInfo.environment) }

    /// The directory with these options and `environment` (the variable, then the temporary directory).
    func resolvedDirectory(environment: [String: String]) -> String {
        if let directory, !directory.isEmpty { return directory }
        if let fromEnvironment = environment[Self.environmentVariable], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("heapscan-artifacts").path
    }
}

/// Where a check was called from: names its pictures, so a rerun overwrites the same files.
public struct CheckOrigin: Sendable, Hashable, CustomStringConvertible {
    /// `Module/File.swift`, as `#fileID` gives it.
    public var fileID: String
    public var line: Int

    public init(fileID: String, line: Int) {
        self.fileID = fileID
        self.line = line
    }

    public var description: String { "\(fileID):\(line)" }

    /// A file name for picture `kind` of a check here: "Module-File.swift-L42-leaks".
    func pictureName(_ kind: String) -> String {
        let safe = fileID.unicodeScalars.map { s -> Character in
            s.properties.isAlphabetic && s.isASCII || ("0"..."9").contains(s) || s == "." || s == "_" || s == "-"
                ? Character(s) : "-"
        }
        return String(safe) + "-L\(line)-" + kind
    }
}
