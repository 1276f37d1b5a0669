// Corruption: every bundled fixture truncated at every length (sampled lengths for big ones) and with
// random bytes flipped. A reader must throw a DumpError or return the same graph, never crash.
import Foundation
@testable import HeapGraph
import Testing
import HeapscanTestSupport

@Suite struct DumpCorruptionTests {
    static let fixtures: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures").resolvingSymlinksInPath()

    static func fixtureFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: fixtures, includingPropertiesForKeys: nil)
            .filter { ["heap", "json"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Version 1 dumps (the same fixtures as written before version 2, in fixtures/v1) still read, as
    /// the same graph with the kinds version 1 could not say: roots of unknown kind, no runtime.
    @Test func versionOneFixturesStillRead() throws {
        let v1 = Self.fixtures.appendingPathComponent("v1")
        let files = try FileManager.default.contentsOfDirectory(at: v1, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "heap" }
        #expect(files.count == 7)
        for file in files {
            let old = try HeapSnapshot.read(from: file)
            let new = try HeapSnapshot.read(from: Self.fixtures.appendingPathComponent(file.lastPathComponent))
            #expect(try Data(contentsOf: file)[8] == 1, "\(file.lastPathComponent) is version 1")
            #expect(old.roots.allSatisfy { $0.kind == .unknown } && old.runtime == nil && old.liveness == .refcount)
            #expect(new.roots.allSatisfy { $0.kind == .handle } && new.runtime == "heapscan ManagedHeap")
            #expect(old.ids == new.ids && old.edgeTargets == new.edgeTargets && old.edgeNames == new.edgeNames)
            #expect(old.roots.map(\.name) == new.roots.map(\.name) && old.typeNames == new.typeNames)
            #expect(old.allocator == new.allocator)
        }
    }

    /// Lengths to cut at: all of them for small files; for big ones the first and last 64 and a sample.
    static func cutLengths(_ size: Int, rng: inout SplitMix64) -> [Int] {
        if size <= 8192 { return Array(0..<size) }
        var lengths = Set(0..<64).union((size - 64)..<size)
        while lengths.count < (size > 100_000 ? 160 : 400) { lengths.insert(Int.random(in: 0..<size, using: &rng)) }
        return lengths.sorted()
    }

    /// Reads `bytes`; nil on a DumpError. Anything else (a crash) fails the whole test run.
    static func read(_ bytes: [UInt8]) -> HeapSnapshot? {
        try? HeapSnapshot(data: Data(bytes))
    }

    @Test func fixturesAreThereAndTwinsAgree() throws {
        let files = try Self.fixtureFiles()
        let names = Set(files.map { $0.deletingPathExtension().lastPathComponent })
        #expect(names == ["two-object-cycle", "self-loop", "leak-from-cycle", "diamond", "long-chain", "growth-before", "growth-after"])
        for name in names {
            let heap = try HeapSnapshot.read(from: Self.fixtures.appendingPathComponent("\(name).heap"))
            let json = try HeapSnapshot.read(from: Self.fixtures.appendingPathComponent("\(name).json"))
            #expect(heap.firstDifference(from: json) == nil, "\(name)")
            #expect(heap.allocator != nil && json.allocator == nil, "\(name)")
            // The files are exactly what the writers produce (canonical, regenerable).
            #expect(try Data(contentsOf: Self.fixtures.appendingPathComponent("\(name).heap")) == heap.dumpData(), "\(name)")
            #expect(try Data(contentsOf: Self.fixtures.appendingPathComponent("\(name).json")) == json.jsonData(), "\(name)")
        }
    }

    @Test func truncatedFixturesFailCleanly() throws {
        var rng = SplitMix64(seed: 7)
        for file in try Self.fixtureFiles() {
            let bytes = Array(try Data(contentsOf: file))
            let original = try #require(Self.read(bytes))
            let isJSON = file.pathExtension == "json"
            for length in Self.cutLengths(bytes.count, rng: &rng) {
                guard let s = Self.read(Array(bytes[..<length])) else { continue }
                // Only JSON can survive a cut, and only of trailing whitespace.
                #expect(isJSON && s.firstDifference(from: original) == nil, "\(file.lastPathComponent) cut at \(length)")
            }
        }
    }

    @Test func flippedBytesFailCleanly() throws {
        var rng = SplitMix64(seed: 11)
        for file in try Self.fixtureFiles() {
            let bytes = Array(try Data(contentsOf: file))
            let original = try #require(Self.read(bytes))
            let isJSON = file.pathExtension == "json"
            let trials = bytes.count > 100_000 ? 60 : 400
            for trial in 0..<trials {
                var mutated = bytes
                let flips = trial % 4 == 3 ? Int.random(in: 2...8, using: &rng) : 1
                for _ in 0..<flips {
                    mutated[Int.random(in: 0..<mutated.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                }
                guard let s = Self.read(mutated) else { continue }
                if isJSON {
                    // JSON has no checksum: a changed letter in a name is a different, valid graph. It
                    // must still be a consistent snapshot that survives its own round trip.
                    #expect(try HeapSnapshot(jsonData: s.jsonData()).firstDifference(from: s) == nil)
                } else {
                    // Binary: the CRC32 of each section catches every flip the structure does not.
                    #expect(s == original, "\(file.lastPathComponent) trial \(trial)")
                }
            }
        }
    }

    @Test func randomDumpsWithFlippedBytesFailCleanly() {
        var rng = SplitMix64(seed: 99)
        for seed in 0..<40 {
            let s = randomSnapshot(seed: UInt64(seed), maxObjects: 12)
            let bytes = Array(s.dumpData())
            for _ in 0..<50 {
                var mutated = bytes
                mutated[Int.random(in: 0..<mutated.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                if let back = Self.read(mutated) { #expect(back == s, "seed \(seed)") }
            }
            let json = Array(s.jsonData())
            for _ in 0..<50 {
                var mutated = json
                mutated[Int.random(in: 0..<mutated.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                _ = Self.read(mutated)
            }
        }
    }
}
