// LivenessCommandTests — what the commands say and exit with under each liveness rule: a refcounted
// heap's garbage cycles are leaks (exit 1); a tracing runtime's unreachable cycles await collection.
import Foundation
import Testing

@Suite struct LivenessCommandTests {
    /// A roots-rule heap: no refcounts; a weak reference to a ring; the ring is unreachable.
    static let rootsHeap = """
        {"heapscan": 1, "liveness": "roots", "runtime": "test VM",
         "objects": [
          {"id": 1, "type": "Main", "size": 10, "refs": [{"to": 2, "name": "cache"}, {"to": 3, "name": "ring", "kind": "weak"}]},
          {"id": 2, "type": "Cache", "size": 20},
          {"id": 3, "type": "Ring", "size": 30, "refs": [{"to": 4, "name": "next"}]},
          {"id": 4, "type": "Ring", "size": 40, "refs": [{"to": 3, "name": "next"}]}],
         "roots": [{"to": 1, "name": "main", "kind": "thread"}]}
        """

    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("liveness-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func rootsRuleCyclesAreUnreachableNotLeaks() throws {
        let path = try write(Self.rootsHeap)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let json = try Heapscan.run(["cycles", "--json", path])
        #expect(json.status == 0)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(parsed["garbage"] as? [Int] == [3, 4])
        let text = try Heapscan.run(["cycles", path])
        #expect(text.status == 0 && text.stdout.contains("2 unreachable objects (70 B) (liveness rule roots: awaiting collection, not leaks)"))
        let summary = try Heapscan.run(["summary", path])
        #expect(summary.stdout.contains("from test VM; liveness rule roots"))
        #expect(summary.stdout.contains("unreachable cycles (awaiting collection): 1"))
        // The same heap under the refcount rule (no refcounts: only the root holds) is a leak: exit 1.
        let refcounted = try write(Self.rootsHeap.replacingOccurrences(of: "\"liveness\": \"roots\", ", with: ""))
        defer { try? FileManager.default.removeItem(atPath: refcounted) }
        #expect(try Heapscan.run(["cycles", refcounted]).status == 1)
    }

    @Test func pathThroughWeakReferencesWhenAsked() throws {
        let path = try write(Self.rootsHeap)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plain = try Heapscan.run(["path", path, "4"])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("<Ring #4> is unreachable: no root reaches it (it awaits collection)"))
        #expect(plain.stdout.contains("--through-weak"))
        let weak = try Heapscan.run(["path", "--through-weak", path, "4"])
        #expect(weak.stdout == "root \"main\" → <Main #1>\n  .ring (weak) → <Ring #3>\n  .next → <Ring #4>\n")
        let json = try Heapscan.run(["path", "--through-weak", "--json", path, "4"])
        #expect(json.stdout.contains("\"kind\" : \"weak\""))
    }
}
