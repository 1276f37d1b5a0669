// IntrospectionTests — objects(ofType:) (a type list built on first use, then kept), per-type statistics
// (live counts derived from allocated − freed) and allocation sites (the last-site shortcut).
import Testing
@testable import ManagedHeap

@Suite struct IntrospectionTests {
    let heap = ManagedHeap()

    @Test func objectsOfTypeIsInAllocationOrderBeforeAndAfterTheFirstListing() throws {
        let a = try heap.register(ObjectType(name: "A", fields: ["f"]))
        let b = try heap.register(ObjectType(name: "B", payloadSize: 4))
        let a1 = try heap.allocate(a), b1 = try heap.allocate(b), a2 = try heap.allocate(a), a3 = try heap.allocate(a)
        try heap.release(a2)
        #expect(!heap.layouts[Int(a.index)].isListed)
        #expect(heap.integrityProblems().isEmpty)
        // First listing: built from the directory, in allocation order, without the freed object.
        #expect(try heap.objects(ofType: a) == [a1, a3])
        #expect(heap.layouts[Int(a.index)].isListed)
        #expect(heap.integrityProblems().isEmpty)
        // From now on the list is kept by allocation and freeing.
        let a4 = try heap.allocate(a)
        try heap.release(a1)
        #expect(try heap.objects(ofType: a) == [a3, a4])
        #expect(heap.integrityProblems().isEmpty)
        // Another type is unaffected, and its first listing works the same way.
        #expect(!heap.layouts[Int(b.index)].isListed)
        #expect(try heap.objects(ofType: b) == [b1])
        for o in [a3, a4, b1] { try heap.release(o) }
        #expect(try heap.objects(ofType: a).isEmpty)
        #expect(try heap.objects(ofType: b).isEmpty)
        #expect(heap.integrityProblems().isEmpty)
    }

    @Test func statisticsFollowAllocationAndFreeing() throws {
        let node = try heap.register(ObjectType(name: "Node", fields: ["next"], payloadSize: 3))
        let size = ObjectHeader.size + 8 + 8  // header, one field, payload rounded up to 8
        var live: [ObjectRef] = []
        for _ in 0..<5 { live.append(try heap.allocate(node)) }
        for o in live.prefix(3) { try heap.release(o) }
        live.removeFirst(3)
        live.append(try heap.allocate(node))
        let s = try heap.statistics(of: node)
        #expect(s.count == 3)
        #expect(s.allocatedTotal == 6)
        #expect(s.freedTotal == 3)
        #expect(s.peakCount == 5)
        #expect(s.bytes == 3 * size)
        #expect(heap.totalBytes == 3 * size)
        #expect(try heap.count(ofType: node) == 3)
        for o in live { try heap.release(o) }
        #expect(try heap.statistics(of: node).count == 0)
        #expect(heap.totalBytes == 0)
    }

    @Test func allocationSitesOfAlternatingCallSitesStayApart() throws {
        let node = try heap.register(ObjectType(name: "Node"))
        var sites: [String] = []
        for i in 0..<6 {
            let o = i % 2 == 0 ? try heap.allocate(node, line: 1000) : try heap.allocate(node, line: 2000)
            sites.append(try heap.allocationSite(of: o))
            try heap.release(o)
        }
        let other = try heap.allocate(node, file: "Other/File.swift", line: 1000)
        #expect(try heap.allocationSite(of: other) == "Other/File.swift:1000")
        try heap.release(other)
        for (i, site) in sites.enumerated() {
            #expect(site == "ManagedHeapTests/IntrospectionTests.swift:\(i % 2 == 0 ? 1000 : 2000)")
        }
    }
}
