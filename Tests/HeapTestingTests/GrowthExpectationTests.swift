// GrowthExpectationTests — expectNoGrowth: a cache without a capacity must fail with the growing types,
// their counts round by round, the site of the last round's new objects and the chain keeping them
// alive; the bounded cache must pass; bad arguments give an issue, not a crash.
import Foundation
@testable import HeapTesting
import ManagedHeap
import Testing

@Suite struct GrowthExpectationTests {
    static let cacheLine = 37
    static let cacheMessage = """
        Memory grows: 2 types grew in every one of 4 rounds (live objects after the baseline and after each round):

        1. CacheEntry: 1 → 2 → 3 → 4 → 5 (+4 over 4 rounds)
           new in the last round: 1 × CacheEntry (96 bytes), allocated at HeapTestingTests/Scenarios.swift:97
           kept alive by (shortest chain from an external reference to <CacheEntry #10>):
             root "imageCache" → <Cache #1>
               .head → <CacheEntry #10>

        2. Value: 1 → 2 → 3 → 4 → 5 (+4 over 4 rounds)
           new in the last round: 1 × Value (104 bytes), allocated at HeapTestingTests/Scenarios.swift:98
           kept alive by (shortest chain from an external reference to <Value #11>):
             root "imageCache" → <Cache #1>
               .head → <CacheEntry #10>
               .value → <Value #11>

        Picture: <pictures>/HeapTestingTests-GrowthExpectationTests.swift-L\(cacheLine)-growth.svg
        """

    @Test func unboundedCacheFails() throws {
        let heap = ManagedHeap()
        let cache = try CacheScenario(heap, capacity: nil)
        let pictures = PictureDirectory()
        defer { pictures.remove() }
        var report: GrowthReport??
        try withKnownIssue {
            report = try expectNoGrowth(in: heap, repetitions: 4, pictures: pictures.options) { _ in  // line 37
                try cache.lookUpNewKey()
            }
        } matching: { issue in
            issue.sourceLocation?.line == Self.cacheLine && pictures.normalized(issue.message) == Self.cacheMessage
        }
        let r = try #require(report ?? nil)
        #expect(r.growing.map(\.entry.type) == ["CacheEntry", "Value"])
        #expect(r.growing.first?.counts == [1, 2, 3, 4, 5])
        #expect(r.rounds == 4)
        #expect(r.tracker.history.count == 5)
        let svg = try String(contentsOfFile: try #require(r.picturePaths.first), encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("CacheEntry"))
    }

    @Test func boundedCachePasses() throws {
        let heap = ManagedHeap()
        let cache = try CacheScenario(heap, capacity: 2)
        let report = try expectNoGrowth(in: heap, repetitions: 6, warmup: 2, pictures: .disabled) { _ in
            try cache.lookUpNewKey()
        }
        #expect(report?.passed == true)
        #expect(report?.message == "No growth: no type grew in every one of 6 rounds.")
    }

    @Test func growthThatStopsIsNotReported() throws {
        let heap = ManagedHeap()
        let cache = try CacheScenario(heap, capacity: 3)
        // Baseline after 1 warm-up: 1 entry; rounds: 2, 3, 3, 3 — grew, but not in every round.
        let report = try expectNoGrowth(in: heap, repetitions: 4, pictures: .disabled) { _ in try cache.lookUpNewKey() }
        #expect(report?.passed == true)
        #expect(report?.tracker.history.map { $0["CacheEntry"] ?? 0 } == [1, 2, 3, 3, 3])
    }

    @Test func allowedTypesAreLeftOut() throws {
        let heap = ManagedHeap()
        let cache = try CacheScenario(heap, capacity: nil)
        let report = try expectNoGrowth(in: heap, repetitions: 3, allowing: ["CacheEntry", "Value"], pictures: .disabled) { _ in
            try cache.lookUpNewKey()
        }
        #expect(report?.passed == true)
    }

    @Test func garbageDoesNotCountAsGrowth() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        let report = try expectNoGrowth(in: heap, repetitions: 3, pictures: .disabled) { _ in
            _ = try tree.makeTree(children: 2)  // a new garbage cycle every round, collectable
        }
        #expect(report?.passed == true)
    }

    @Test func tooFewRepetitionsIsAnIssue() throws {
        let heap = ManagedHeap()
        var ran = 0
        withKnownIssue {
            #expect(expectNoGrowth(in: heap, repetitions: 1) { _ in ran += 1 } == nil)
        } matching: { issue in
            issue.message == "growth check: repetitions must be at least 2 (one round proves nothing), got 1"
        }
        #expect(ran == 0)
        #expect(throws: HeapCheckArgumentError.self) { try heap.growthReport(repetitions: 3, warmup: -1) { _ in } }
        #expect(throws: HeapCheckArgumentError.self) { try GrowthReport(snapshots: [heap.snapshot()], origin: CheckOrigin(fileID: "a", line: 1)) }
    }

    @Test func roundNumbersCountFromZeroThroughWarmup() throws {
        let heap = ManagedHeap()
        var rounds: [Int] = []
        _ = try heap.growthReport(repetitions: 3, warmup: 2) { rounds.append($0) }
        #expect(rounds == [0, 1, 2, 3, 4])
    }
}
