// CycleExpectationTests — expectNoCycles: a parent/child tree with strong back pointers must fail with
// the leaks-style tree, root, signature, sites and picture, even though a collection would free it;
// weak parents, cycles that existed before the block, and allowed types must pass.
import Foundation
import HeapAnalysis
import HeapGraph
@testable import HeapTesting
import ManagedHeap
import Testing

@Suite struct CycleExpectationTests {
    static let treeLine = 35
    static let treeMessage = """
        Created 1 reference cycle (3 objects, 336 bytes) that only the cycle collector can free:

        1. Cycle SIGNATURE: 3 members, 0 hangers, 336 bytes
           root (the member to look at first): <TreeNode #1>, allocated at HeapTestingTests/Scenarios.swift:23
           3 (336 bytes) ROOT CYCLE: <TreeNode #1> [112]
              2 (224 bytes) firstChild --> <TreeNode #3> [112]
                 parent --> CYCLE BACK TO <TreeNode #1> [112]
                 1 (112 bytes) nextSibling --> <TreeNode #2> [112]
                    parent --> CYCLE BACK TO <TreeNode #1> [112]
           objects: 2 × TreeNode (224 bytes), allocated at HeapTestingTests/Scenarios.swift:25; 1 × TreeNode (112 bytes), allocated at HeapTestingTests/Scenarios.swift:23
           Break one reference marked CYCLE BACK TO (clear it when done, or make it weak).
           Picture: <pictures>/HeapTestingTests-CycleExpectationTests.swift-L\(treeLine)-cycle1.svg
        """

    @Test func treeWithStrongBackPointersFails() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        let pictures = PictureDirectory()
        defer { pictures.remove() }
        var report: CycleReport?
        try withKnownIssue {
            report = try expectNoCycles(in: heap, pictures: pictures.options) {  // line 35 = treeLine
                _ = try tree.makeTree(children: 2)
            }
        } matching: { issue in
            issue.sourceLocation?.line == Self.treeLine && issue.message.hasPrefix("Created 1 reference cycle")
        }
        let r = try #require(report)
        #expect(r.cycles.count == 1 && r.cycleObjectCount == 3 && r.cycleBytes == 336)
        let signature = try #require(r.cycles.first?.signature)
        #expect(signature.count == 16)
        #expect(pictures.normalized(r.message) == Self.treeMessage.replacingOccurrences(of: "SIGNATURE", with: signature))
        let svg = try String(contentsOfFile: try #require(r.picturePaths.first), encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("TreeNode") && svg.contains(signature))
    }

    @Test func sameLeakGivesSameSignatureInAnotherHeap() throws {
        func signature(children: Int, extraObjectsFirst: Int) throws -> String? {
            let heap = ManagedHeap()
            let tree = try TreeScenario(heap)
            let noise = try heap.register(ObjectType(name: "Noise"))
            let kept = try (0..<extraObjectsFirst).map { _ in try heap.make(noise).take() }
            let report = try heap.cycleReport(options: HeapCheckOptions(pictures: .disabled)) {
                _ = try tree.makeTree(children: children)
            }
            for k in kept { try heap.release(k) }
            return report.cycles.first?.signature
        }
        let a = try signature(children: 2, extraObjectsFirst: 0)
        let b = try signature(children: 2, extraObjectsFirst: 7)  // other ids, same shape
        #expect(a != nil && a == b)
        #expect(try signature(children: 3, extraObjectsFirst: 0) != a)
    }

    @Test func weakParentsPass() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        let report = try expectNoCycles(in: heap, pictures: .disabled) {
            _ = try tree.makeTree(children: 5, weakParents: true)
        }
        #expect(report.passed && report.message == "No reference cycles created.")
    }

    @Test func cyclesThatWereGarbageBeforeAreNotBlamed() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        _ = try tree.makeTree(children: 2)  // garbage before the block
        let report = try expectNoCycles(in: heap, pictures: .disabled) {
            _ = try tree.makeTree(children: 1, weakParents: true)
        }
        #expect(report.passed)
        #expect(report.analysis.cycles.count == 1)  // still there, not created by the block
    }

    @Test func aCycleClosedThroughAnOldLiveObjectIsBlamed() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        let old = try heap.allocate(tree.node)  // alive before the block, held by one external count
        try withKnownIssue {
            try expectNoCycles(in: heap, pictures: .disabled) {
                try heap.store(old, into: old, tree.parent)  // a self-loop on an object alive before
                try heap.release(old)  // its last external count goes: only the loop holds it
            }
        } matching: { issue in
            issue.message.hasPrefix("Created 1 reference cycle (1 object, 112 bytes)")
                && issue.message.contains("parent --> CYCLE BACK TO <TreeNode #1> [112]")
        }
    }

    @Test func allowedTypesAndToleranceApply() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        let allowed = try expectNoCycles(in: heap, allowing: ["TreeNode"], pictures: .disabled) {
            _ = try tree.makeTree(children: 2)
        }
        #expect(allowed.passed && allowed.cycles.isEmpty)
        let tolerated = try expectNoCycles(in: heap, tolerance: 3, pictures: .disabled) {
            _ = try tree.makeTree(children: 2)
        }
        #expect(tolerated.passed)
        #expect(tolerated.message == "Created 1 reference cycle (3 objects, 336 bytes), within the tolerance of 3 objects.")
    }
}
