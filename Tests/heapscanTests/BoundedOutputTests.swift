// BoundedOutputTests — a hostile dump cannot make a report huge: labels are cut to 80 bytes with their
// length shown, in text, JSON and DOT, unless --full-labels asks for them whole (issue 19.6).
import Foundation
import Testing

@Suite struct BoundedOutputTests {
    /// A garbage ring of `members` objects, each with a label of `labelBytes` bytes.
    static func ring(members: Int, labelBytes: Int) -> String {
        let label = String(repeating: "é", count: labelBytes / 2)
        let objects = (1...members).map { i in
            #"{"id":\#(i),"type":"Node","size":16,"label":"\#(label)","refs":[{"to":\#(i % members + 1),"name":"next"}]}"#
        }
        return #"{"heapscan":1,"objects":[\#(objects.joined(separator: ","))]}"#
    }

    @Test func longLabelsAreCutUnlessAskedForWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-labels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ring.json").path
        let members = 200, labelBytes = 10_000
        try Data(Self.ring(members: members, labelBytes: labelBytes).utf8).write(to: URL(fileURLWithPath: file))
        let whole = labelBytes * members
        for arguments in [["cycles"], ["cycles", "--json"], ["summary"], ["summary", "--json"], ["graph"], ["path", "--json"], ["retainers"]] {
            var full = arguments + [file]
            if arguments[0] == "path" { full.append("1") }
            let result = try Heapscan.run(full)
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
            #expect(result.stdout.utf8.count < whole / 20, "\(arguments): \(result.stdout.utf8.count) bytes")
            if arguments != ["retainers"] && arguments != ["summary", "--json"] {
                #expect(result.stdout.contains("…(\(labelBytes) bytes)"), "\(arguments) marks the cut")
            }
        }
        let cut = try Heapscan.run(["cycles", "--json", file])
        let cycles = try #require(try JSONSerialization.jsonObject(with: Data(cut.stdout.utf8)) as? [String: Any])
        #expect((cycles["cycles"] as? [[String: Any]])?.first?["members"] as? [Int] != nil)
        let shown = try Heapscan.run(["path", "--json", file, "1"])
        let object = try #require((try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["object"] as? [String: Any])
        let label = try #require(object["label"] as? String)
        #expect(label == String(repeating: "é", count: 40) + "…(\(labelBytes) bytes)", "80 bytes on a character boundary")
        let fullLabels = try Heapscan.run(["cycles", "--full-labels", file])
        #expect(fullLabels.stdout.utf8.count > whole / 4, "--full-labels keeps them whole (in the tree's first 100 lines)")
        #expect(!fullLabels.stdout.contains("…("))
    }
}
