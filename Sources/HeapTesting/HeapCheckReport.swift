// HeapCheckReport — what every check returns: a verdict, the failure message that is the product,
// and the pictures written; `require()` turns a failed report into a thrown error for frameworks
// other than Swift Testing and XCTest.

/// The result of one heap check.
public protocol HeapCheckReport: Sendable, CustomStringConvertible {
    /// Whether the check passed.
    var passed: Bool { get }
    /// The failure message (what, where allocated, why still alive, the picture's path), or a
    /// one-line summary when the check passed. Deterministic; heap text is escaped.
    var message: String { get }
    /// Paths of the SVG pictures written for this report (none when it passed or pictures are off).
    var picturePaths: [String] { get }
}

extension HeapCheckReport {
    public var description: String { message }

    /// Throws ``HeapCheckFailure`` with the message when the check failed.
    public func require() throws(HeapCheckFailure) {
        if !passed { throw HeapCheckFailure(message: message, picturePaths: picturePaths) }
    }
}

/// A failed heap check, as an error: its `description` is the full failure message.
public struct HeapCheckFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var picturePaths: [String]

    public init(message: String, picturePaths: [String]) {
        self.message = message
        self.picturePaths = picturePaths
    }

    public var description: String { message }
}

/// A check called with an argument outside its range (for example fewer than two repetitions).
public struct HeapCheckArgumentError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
