// InspectionCommandTests — `objects`, `show` and `paths` (issue 18's three asked-for commands) on
// small.json, checked against the hand-worked graph: 1 (root) → 2 (cache) → 10, 11 (entries);
// 1 → 3 ⇄ 4; 20 → 21 → 20 and 21 → 22 → 20, a garbage cycle keeping 23 alive; 30 refers to itself.
import Foundation
import Testing

@Suite struct InspectionCommandTests {
    let small = "\(inputs)/small.json"

    private func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try Heapscan.run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func ids(_ json: [String: Any]) -> [Int] {
        (json["objects"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    @Test func objectsFiltersByTypeStateSiteAndLabel() throws {
        #expect(ids(try json(["objects", small, "--type", "Entry"])) == [10, 11])
        #expect(ids(try json(["objects", small, "--garbage"])) == [20, 21, 22, 23, 30, 40])
        #expect(ids(try json(["objects", small, "--unreachable"])) == [20, 21, 22, 23, 30, 40])
        #expect(ids(try json(["objects", small, "--type", "Entry", "--label", "key=?"])) == [10, 11])
        #expect(ids(try json(["objects", small, "--label", "*=b"])) == [11])
        #expect(ids(try json(["objects", small, "--site", "cache.swift:*"])).contains(10))
        #expect(ids(try json(["objects", small, "--type", "Entry", "--garbage"])) == [])
        let absent = try Heapscan.run(["objects", small, "--type", "Nope"])
        #expect(absent.status == 2 && absent.stderr.contains("no type named \"Nope\""))
    }

    @Test func showNamesReferencesReferrersAndOwner() throws {
        let shown = try json(["show", small, "4"])
        #expect(shown["live"] as? Bool == true)
        #expect(shown["immediateDominator"] as? Int == 3)
        #expect(shown["referencesIn"] as? Int == 1 && shown["refcount"] as? Int == 1)
        #expect((shown["referrers"] as? [[String: Any]])?.first?["id"] as? Int == 3)
        #expect((shown["references"] as? [[String: Any]])?.first?["id"] as? Int == 3)
        let garbage = try json(["show", small, "21"])
        #expect(garbage["live"] as? Bool == false && garbage["retained"] == nil && garbage["path"] == nil)
        #expect(Set((garbage["referrers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }) == [20])
        #expect(try Heapscan.run(["show", small, "999"]).status == 2)
    }

    @Test func pathsMergesTheChainsWithCounts() throws {
        let merged = try json(["paths", small, "--type", "Entry"])
        #expect(merged["objects"] as? Int == 2)
        let tree = try #require(merged["tree"] as? [[String: Any]])
        #expect(tree.count == 1 && tree[0]["id"] as? Int == 1 && tree[0]["count"] as? Int == 2)
        let cache = try #require((tree[0]["children"] as? [[String: Any]])?.first)
        #expect(cache["id"] as? Int == 2 && cache["count"] as? Int == 2)
        #expect(Set((cache["children"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }) == [10, 11])
        let owners = try #require(merged["dominators"] as? [[String: Any]])
        #expect(owners.count == 1 && owners[0]["type"] as? String == "Cache" && owners[0]["count"] as? Int == 2)
        // Garbage of the type has no chain and is counted apart.
        let pages = try json(["paths", small, "--type", "Page"])
        #expect((pages["unreachable"] as? [Int])?.isEmpty == false || (pages["tree"] as? [Any])?.isEmpty == false)
    }

    @Test func aLongChainMergesWithoutRecursion() throws {
        let result = try Heapscan.run(["paths", "fixtures/long-chain.heap", "--type", "ListTail", "--max-lines", "0"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count > 5000)
    }
}
