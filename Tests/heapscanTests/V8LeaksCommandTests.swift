// V8LeaksCommandTests — `heapscan leaks` and `growth` on real V8 snapshots written by Node at test time
// (Tests/HeapFormatsTests/Node/leaky.js): exit 1 with the leaked constructors when the program leaks,
// exit 0 when it does not, the JSON shape, and the picture of the top group's path.
import Foundation
import Testing

@Suite("heapscan leaks on Node snapshots")
struct V8LeaksCommandTests {
    /// Runs leaky.js into a fresh folder; returns the folder.
    static func snapshots(_ arguments: [String] = []) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-v8cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let program = Heapscan.repositoryRoot.appendingPathComponent("Tests/HeapFormatsTests/Node/leaky.js")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["node", program.path, folder.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "node leaky.js failed (is nodejs installed? scripts/setup installs it)")
        return folder
    }

    static func files(_ folder: URL) -> [String] {
        ["baseline", "target", "final"].map { folder.appendingPathComponent("\($0).heapsnapshot").path }
    }

    @Test func leaksExitOneAndNameTheLeakedConstructors() throws {
        let folder = try Self.snapshots()
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("leak.svg").path
        let result = try Heapscan.run(["leaks"] + Self.files(folder) + ["-o", svg])
        #expect(result.status == 1, "\(result.stderr)")
        for name in ["ListenerPayload", "CacheEntry", "RingNode"] { #expect(result.stdout.contains(name)) }
        #expect(!result.stdout.contains("Transient"))
        let picture = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(picture.contains("<svg"))
    }

    @Test func jsonListsEveryLeakedObject() throws {
        let folder = try Self.snapshots()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Heapscan.run(["leaks", "--json", "--top", "0"] + Self.files(folder))
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let groups = try #require(json["groups"] as? [[String: Any]])
        var counts: [String: Int] = [:]
        for group in groups {
            for object in (group["objects"] as? [[String: Any]]) ?? [] { counts[object["type"] as? String ?? "", default: 0] += 1 }
        }
        #expect(counts["ListenerPayload"] == 5)
        #expect(counts["CacheEntry"] == 5)
        #expect(counts["RingNode"] == 15)
        #expect(counts["Transient"] == nil)
    }

    @Test func noLeaksExitZero() throws {
        let folder = try Self.snapshots(["--no-leak"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Heapscan.run(["leaks"] + Self.files(folder))
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.hasPrefix("no leaks"))
    }

    @Test func growthNeedsTwoDumps() throws {
        let result = try Heapscan.run(["growth", "only-one.heapsnapshot"])
        #expect(result.status == 64)
    }
}
