// V8NodeProgram — runs Node (the runtime that writes V8 heap snapshots) on Tests/HeapFormatsTests/Node/leaky.js
// at test time and collects its three snapshots and its own account of what it made and leaked: the
// independent oracle the V8 tests compare heapscan with.
import Foundation
import Testing

/// One run of leaky.js: where its snapshots are and what it says it did.
struct LeakyRun: Sendable {
    /// Counts by constructor name, as the program printed them.
    struct Report: Decodable, Sendable {
        var made: [String: Int]
        var leaked: [String: Int]
        var freed: [String: Int]
    }

    var folder: URL
    var report: Report
    var baseline: URL { folder.appendingPathComponent("baseline.heapsnapshot") }
    var target: URL { folder.appendingPathComponent("target.heapsnapshot") }
    var final: URL { folder.appendingPathComponent("final.heapsnapshot") }

    static let program = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Node/leaky.js")

    /// Runs `node leaky.js FOLDER arguments…` in a fresh temporary folder.
    static func run(_ arguments: [String] = []) throws -> LeakyRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-v8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["node", program.path, folder.path] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "node leaky.js failed (is nodejs installed? scripts/setup installs it)")
        return LeakyRun(folder: folder, report: try JSONDecoder().decode(Report.self, from: data))
    }

    /// Removes the snapshots.
    func remove() { try? FileManager.default.removeItem(at: folder) }
}
