// HeapscanRunner — runs the built `heapscan` binary as a child process and compares its output with
// golden files, so the tests see exactly what a user sees: bytes on stdout and stderr, and the exit status.
import Foundation
import Testing

/// What one run of `heapscan` produced.
struct RunResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Heapscan {
    /// The repository root, from this file's location.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// This target's folder (inputs and goldens live under it).
    static let testsFolder: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The `heapscan` executable: `$HEAPSCAN_BIN`, else the one beside the test bundle in the build
    /// products directory (the test target depends on `heapscan`, so `swift test` builds it there).
    static let binary: URL? = {
        if let path = ProcessInfo.processInfo.environment["HEAPSCAN_BIN"] { return URL(fileURLWithPath: path) }
        var folders: [URL] = []
        if let first = CommandLine.arguments.first { folders.append(URL(fileURLWithPath: first).deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for folder in folders {
            // On macOS the test bundle is `…/heapscanPackageTests.xctest/Contents/MacOS/…`: walk up to the products.
            var candidate = folder
            for _ in 0..<4 {
                let binary = candidate.appendingPathComponent("heapscan")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: binary.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    FileManager.default.isExecutableFile(atPath: binary.path)
                {
                    return binary
                }
                candidate = candidate.deletingLastPathComponent()
            }
        }
        return nil
    }()

    /// Runs `heapscan arguments…` from the repository root (so relative paths in output are stable)
    /// with progress turned off, and collects everything it printed.
    static func run(_ arguments: [String], stdin: Data? = nil) throws -> RunResult {
        let binary = try #require(binary, "the heapscan binary was not found beside the test bundle; set HEAPSCAN_BIN")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = out
        process.standardError = err
        var environment = ProcessInfo.processInfo.environment
        environment["HEAPSCAN_NO_PROGRESS"] = "1"
        process.environment = environment
        if let stdin {
            let inURL = scratch.appendingPathComponent("stdin")
            try stdin.write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return RunResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

extension Heapscan {
    /// Runs `script` with /bin/sh from the repository root, with `$HEAPSCAN` naming the binary, for
    /// what a child process set up by Foundation cannot express (closed descriptors, ignored signals,
    /// pipes into `head`). Stdout and stderr are what the script itself did not redirect.
    static func shell(_ script: String, environment extra: [String: String] = [:]) throws -> RunResult {
        let binary = try #require(binary, "the heapscan binary was not found beside the test bundle; set HEAPSCAN_BIN")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-sh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["HEAPSCAN_NO_PROGRESS"] = "1"
        environment["HEAPSCAN"] = binary.path
        environment.merge(extra) { $1 }
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return RunResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

/// Golden files under `Tests/heapscanTests/Golden/`, compared byte for byte and rewritten when
/// `HEAPSCAN_UPDATE_GOLDEN=1` is set.
enum Golden {
    static let folder = Heapscan.testsFolder.appendingPathComponent("Golden")
    static let updating = ProcessInfo.processInfo.environment["HEAPSCAN_UPDATE_GOLDEN"] == "1"

    /// Checks `actual` against the golden file `name` (or rewrites it when updating).
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expectedData = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing golden file \(name); run with HEAPSCAN_UPDATE_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: expectedData, as: UTF8.self)
        if expected != actual {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(a.count, e.count)).first(where: { a[$0] != e[$0] }) ?? min(a.count, e.count)
            let got = line < a.count ? String(a[line]) : "<end>"
            let want = line < e.count ? String(e[line]) : "<end>"
            Issue.record(
                "output differs from golden \(name) at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)",
                sourceLocation: sourceLocation)
        }
    }
}
