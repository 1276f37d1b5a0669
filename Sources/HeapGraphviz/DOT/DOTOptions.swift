// DOTOptions — what a drawing shows (extra lines per object) and how it is written (direction,
// font, legend, layout tuning).

/// Options for turning heap objects into DOT.
public struct DOTOptions: Sendable, Hashable {
    /// Lines added under an object's type name and id.
    public struct ExtraLines: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The object's own size, e.g. "48 B".
        public static let shallowSize = ExtraLines(rawValue: 1 << 0)
        /// The bytes freed with it (from the dominator tree), e.g. "retains 1.2 KiB".
        public static let retainedSize = ExtraLines(rawValue: 1 << 1)
        /// The reference count, when recorded.
        public static let refcount = ExtraLines(rawValue: 1 << 2)
        /// The object's label, when recorded.
        public static let label = ExtraLines(rawValue: 1 << 3)
        /// The allocation site, when recorded.
        public static let site = ExtraLines(rawValue: 1 << 4)
    }

    /// Direction of the arrows' flow.
    public enum Direction: String, Sendable, Hashable {
        case topToBottom = "TB"
        case leftToRight = "LR"
    }

    /// Extra lines per object.
    public var extraLines: ExtraLines
    public var direction: Direction
    public var fontName: String
    /// Longest heap text (type, field, label) written, in characters; longer text ends with "…".
    public var maxTextLength: Int
    /// Add a legend of the highlight colours used, under the picture.
    public var legend: Bool
    /// Write the `dot` tuning measured for large graphs (nslimit, mclimit, straight lines); see
    /// docs/graphviz.md.
    public var tuneLargeGraphs: Bool
    /// Drawings with more nodes than this (or more edges than `LayoutLimits.default.dotEdgeLimit`)
    /// ask for `layout=sfdp` in the DOT itself, so that running the `dot` program on the file cannot
    /// take minutes either; nil never asks.
    public var sfdpAboveNodes: Int?

    public init(
        extraLines: ExtraLines = [.shallowSize, .label], direction: Direction = .topToBottom,
        fontName: String = "Helvetica", maxTextLength: Int = 80, legend: Bool = true, tuneLargeGraphs: Bool = true,
        sfdpAboveNodes: Int? = LayoutLimits.default.dotNodeLimit
    ) {
        self.extraLines = extraLines
        self.direction = direction
        self.fontName = fontName
        self.maxTextLength = maxTextLength
        self.legend = legend
        self.tuneLargeGraphs = tuneLargeGraphs
        self.sfdpAboveNodes = sfdpAboveNodes
    }

    public static let `default` = DOTOptions()
}
