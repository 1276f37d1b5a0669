// SwiftHeapTests — expectNoLeaks and SwiftHeap.snapshot on plain Swift classes: the classic retain
// cycles are reported by class and property, the non-leaks (weak, unowned, still held) are not, values
// that look like addresses make no reference, and allocation from two threads under the hook is safe.
// The oracle is the runtime itself: strong counts from swift_retainCount, fields from its reflection.
import HeapAnalysis
import HeapGraph
import HeapTesting
import HeapscanSwift
import Testing

final class Parent {
    var name = "parent"
    var children: [Child] = []
    var child: Child?
}

final class Child {
    var parent: Parent?
    weak var weakParent: Parent?
    unowned var unownedParent: Parent
    init(parent: Parent) { unownedParent = parent }
}

final class Owner {
    var handler: (() -> Void)?
    var count = 0
    func tick() { count += 1 }
}

final class Delegate {
    var owner: Table?
}

final class Table {
    weak var delegate: Delegate?
}

final class Cell {
    var next: Cell?
    var tag: Int = 0
    var lookup: [String: Cell] = [:]
    var peers: Set<Peer> = []
}

final class Peer: Hashable {
    var back: Cell?
    static func == (a: Peer, b: Peer) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

final class Holder {
    var address: UInt = 0
    var value: Int = 0
    var table: [UInt: String] = [:]
    var counts: [String: Int] = [:]
}

/// A global that keeps a cycle alive: not a leak.
nonisolated(unsafe) var globalParent: Parent?

/// What the check said, without failing the test that expects a failure.
func quietReport(_ body: () -> Void) throws -> CycleReport {
    try SwiftHeap.leakReport(options: HeapCheckOptions(pictures: PictureOptions(enabled: false)), during: body)
}

/// Types named in the report's cycles.
func cycleTypes(_ report: CycleReport) -> Set<String> {
    Set(report.cycles.flatMap { cycle in cycle.members.map { report.after.typeName(of: $0) } })
}

@Suite(.serialized) struct SwiftHeapTests {
    init() throws { try SwiftHeap.install() }

    @Test func installReportsThePinnedToolchain() {
        #expect(SwiftHeap.isSupported)
        #expect(SwiftHeap.isInstalled)
        #expect(SwiftHeap.runtimeName.hasPrefix("Swift 6.3"))
        #expect(SwiftHeap.needsInstrumentationFlagWorkaround)  // the 6.3 flag trap's workaround is on
    }

    @Test func parentChildStrongCycleIsReported() throws {
        let report = try quietReport {
            let parent = Parent()
            let child = Child(parent: parent)
            parent.child = child
            child.parent = parent
        }
        #expect(!report.passed)
        #expect(cycleTypes(report) == ["Parent", "Child"])
        #expect(report.message.contains("child"))
        #expect(report.message.contains("parent"))
    }

    @Test func cycleThroughAnArrayIsReported() throws {
        let report = try quietReport {
            let parent = Parent()
            let child = Child(parent: parent)
            parent.children = [child]
            child.parent = parent
        }
        #expect(!report.passed)
        #expect(cycleTypes(report).isSuperset(of: ["Parent", "Child"]))
    }

    @Test func cycleThroughADictionaryAndASetIsReported() throws {
        let dictionary = try quietReport {
            let a = Cell(), b = Cell()
            a.lookup["b"] = b
            b.next = a
        }
        #expect(cycleTypes(dictionary).isSuperset(of: ["Cell"]))
        let set = try quietReport {
            let cell = Cell(), peer = Peer()
            cell.peers.insert(peer)
            peer.back = cell
        }
        #expect(cycleTypes(set).isSuperset(of: ["Cell", "Peer"]))
    }

    @Test func storedClosureCapturingSelfIsReported() throws {
        let alone = try quietReport {
            let owner = Owner()
            owner.handler = { owner.tick() }
        }
        #expect(!alone.passed)
        #expect(cycleTypes(alone).contains("Owner"))
        #expect(alone.message.contains("handler"))
        let withOthers = try quietReport {
            let owner = Owner()
            let label = "tick"
            var calls = 0
            owner.handler = {
                calls += 1
                owner.tick()
                _ = label
            }
        }
        #expect(!withOthers.passed)
        #expect(cycleTypes(withOthers).contains("Owner"))
    }

    @Test func weakDelegateIsNotReported() throws {
        let report = try quietReport {
            let table = Table(), delegate = Delegate()
            table.delegate = delegate
            delegate.owner = table
        }
        #expect(report.passed, "\(report.message)")
    }

    @Test func weakAndUnownedSelfCapturesAreNotReported() throws {
        let weak = try quietReport {
            let owner = Owner()
            owner.handler = { [weak owner] in owner?.tick() }
        }
        #expect(weak.passed, "\(weak.message)")
        let unowned = try quietReport {
            let owner = Owner()
            owner.handler = { [unowned owner] in owner.tick() }
        }
        #expect(unowned.passed, "\(unowned.message)")
        let unownedLet = try quietReport {
            let parent = Parent()
            let child = Child(parent: parent)
            child.weakParent = parent
            parent.child = child
        }
        #expect(unownedLet.passed, "\(unownedLet.message)")
    }

    @Test func cycleStillHeldFromALocalIsNotReported() throws {
        var kept: Parent?
        let report = try quietReport {
            let parent = Parent()
            let child = Child(parent: parent)
            parent.child = child
            child.parent = parent
            kept = parent
        }
        #expect(report.passed, "\(report.message)")
        kept?.child?.parent = nil  // break it so the next tests start clean
        kept = nil
    }

    @Test func cycleStillHeldFromAGlobalIsNotReported() throws {
        let report = try quietReport {
            let parent = Parent()
            let child = Child(parent: parent)
            parent.child = child
            child.parent = parent
            globalParent = parent
        }
        #expect(report.passed, "\(report.message)")
        globalParent?.child?.parent = nil
        globalParent = nil
    }

    @Test func dictionarySeedsAndAddressLikeKeysMakeNoReference() throws {
        let holder = Holder()
        let mark = SwiftHeap.mark()
        // Each native dictionary's _seed equals its storage's address; keys equal to object addresses.
        holder.table = [UInt(bitPattern: ObjectIdentifier(holder)): "self", 1: "one"]
        holder.counts = ["a": 1, "b": 2]
        let snapshot = SwiftHeap.snapshot(since: mark, allocatedOnThisThread: true)
        for v in 0..<snapshot.objectCount where snapshot.typeName(of: v).hasPrefix("_DictionaryStorage") {
            #expect(snapshot.edgeRange(of: v).isEmpty, "a dictionary's seed or key became a reference")
        }
        #expect(snapshot.objectCount >= 2)
        withExtendedLifetime(holder) {}
    }

    @Test func integerEqualToAnAddressMakesNoReference() throws {
        var holders: [Holder] = []
        let report = try quietReport {
            // a and b point at each other only through integers: no cycle, no reference.
            let a = Holder(), b = Holder()
            a.address = UInt(bitPattern: ObjectIdentifier(b))
            b.address = UInt(bitPattern: ObjectIdentifier(a))
            a.value = Int(bitPattern: a.address)
            holders = [a]  // a held from outside; b only "referenced" by a's integers
        }
        #expect(report.passed, "\(report.message)")
        let snapshot = SwiftHeap.snapshot(allocatedOnThisThread: true)
        for v in 0..<snapshot.objectCount where snapshot.typeName(of: v) == "Holder" {
            #expect(snapshot.edgeRange(of: v).isEmpty, "an integer field became a reference")
        }
        holders.removeAll()
    }

    @Test func snapshotHasExactCountsNamesAndKinds() throws {
        let mark = SwiftHeap.mark()
        let parent = Parent()
        let child = Child(parent: parent)
        parent.child = child
        child.weakParent = parent
        let snapshot = SwiftHeap.snapshot(since: mark, allocatedOnThisThread: true)
        #expect(snapshot.liveness == .refcount)
        #expect(snapshot.runtime == SwiftHeap.runtimeName)
        guard let p = snapshot.index(ofID: UInt64(UInt(bitPattern: ObjectIdentifier(parent)))),
            let c = snapshot.index(ofID: UInt64(UInt(bitPattern: ObjectIdentifier(child))))
        else {
            Issue.record("parent or child missing from the snapshot")
            return
        }
        #expect(snapshot.typeName(of: p) == "Parent")
        #expect(snapshot.typeName(of: c) == "Child")
        #expect(snapshot.refcounts[p] == 1)  // the local; weak and unowned do not count
        #expect(snapshot.refcounts[c] == 2)  // the local and parent.child
        let names = snapshot.edgeRange(of: p).compactMap { snapshot.fieldName(ofEdge: $0) }
        #expect(names == ["child"])
        #expect(snapshot.edgeTargets[snapshot.edgeRange(of: p).lowerBound] == UInt32(c))
        // Child's unowned back-pointer is a weak reference; its weak one holds a side table (no edge).
        let weak = snapshot.weakEdgeRange(of: c).map { snapshot.weakEdgeTargets[$0] }
        #expect(weak == [UInt32(p)])
        withExtendedLifetime((parent, child)) {}
    }

    @Test func expectNoLeaksRecordsTheLeakAndPassesOnWeakSelf() {
        withKnownIssue {
            expectNoLeaks(pictures: PictureOptions(enabled: false)) {
                let owner = Owner()
                owner.handler = { owner.tick() }
            }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("handler") && $0.rawValue.contains("Owner") }
        }
        let report = expectNoLeaks {
            let owner = Owner()
            owner.handler = { [weak owner] in owner?.tick() }
        }
        #expect(report?.passed == true)
    }

    @Test func reportNamesClassesAndProperties() throws {
        let report = try quietReport {
            let owner = Owner()
            owner.handler = { owner.tick() }
        }
        print(report.message)
        #expect(report.message.contains("Owner"))
        #expect(report.message.contains("handler"))
    }

    @Test func twoThreadsAllocatingUnderTheHookDoNotCrash() async {
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    var total = 0
                    for i in 0..<200_000 {
                        let owner = Owner()
                        owner.handler = { [weak owner] in owner?.tick() }
                        let text = "item \(i)"
                        total &+= text.utf8.count + owner.count
                    }
                    return total
                }
            }
            var sum = 0
            for await part in group { sum &+= part }
            #expect(sum > 0)
        }
    }
}

