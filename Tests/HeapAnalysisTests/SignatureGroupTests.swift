// SignatureGroupTests — the same leak, repeated, groups into one line with a count.
import HeapAnalysis
import HeapGraph
import Testing

@Suite struct SignatureGroupTests {
    @Test func repeatedCyclesGroupUnderOneSignature() throws {
        var b = HeapSnapshotBuilder()
        func pair(_ size: UInt64) {
            let parent = b.add("Parent", size: size)
            let child = b.add("Child", size: 16)
            b.reference(from: parent, to: child, name: "child")
            b.reference(from: child, to: parent, name: "parent")
        }
        pair(32)
        pair(64)  // the same shape, larger: still the same leak
        let loop = b.add("Loop", size: 100)
        b.reference(from: loop, to: loop, name: "me")
        let leaks = LeakAnalysis(b.build())
        #expect(leaks.cycles.count == 3)

        let groups = leaks.signatureGroups()
        #expect(groups.map(\.cycles) == [2, 1])
        #expect(groups.map(\.members) == [4, 1])
        #expect(groups.map(\.retainedBytes) == [128, 100])
        #expect(groups[0].signature == leaks.cycles.first { $0.members.count == 2 }?.signature)
        // The example is the root of the highest-ranked cycle of the group: the 64-byte parent.
        #expect(leaks.snapshot.sizes[groups[0].example] == 64)
        #expect(leaks.cycles[groups[0].firstRank].root == groups[0].example)
        #expect(LeakAnalysis(HeapSnapshot.empty).signatureGroups().isEmpty)
    }
}
