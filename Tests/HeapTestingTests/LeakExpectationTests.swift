// LeakExpectationTests — expectNoLeaks and expectNoInstances: the observer list that is never cleared
// must fail with the type, site, count and chain of each leak, at the caller's line; fixed code,
// garbage cycles (a collection frees them), allowed types and a tolerated count must pass.
import Foundation
import HeapGraph
@testable import HeapTesting
import ManagedHeap
import Testing

@Suite struct LeakExpectationTests {
    /// The observer leak as it prints (pictures directory normalised).
    static let observerLeakMessage = """
        Leaked 3 objects (312 bytes) in 3 groups: created by the block and still reachable after collection.

        1. 1 × Subscription (88 bytes), allocated at HeapTestingTests/Scenarios.swift:62
           kept alive by (shortest chain from an external reference to <Subscription #4>):
             root "app.notifications" → <NotificationCenter #1>
               .firstSubscription → <Subscription #4>

        2. 1 × Observer (88 bytes), allocated at HeapTestingTests/Scenarios.swift:60
           kept alive by (shortest chain from an external reference to <Observer #3>):
             root "app.notifications" → <NotificationCenter #1>
               .firstSubscription → <Subscription #4>
               .observer → <Observer #3>
             (through <Subscription #4>, itself new: fixing that leak may fix this one)

        3. 1 × Screen (136 bytes), allocated at HeapTestingTests/Scenarios.swift:59
           kept alive by (shortest chain from an external reference to <Screen #2>):
             root "app.notifications" → <NotificationCenter #1>
               .firstSubscription → <Subscription #4>
               .observer → <Observer #3>
               .screen → <Screen #2>
             (through <Subscription #4>, itself new: fixing that leak may fix this one)

        Picture: <pictures>/HeapTestingTests-LeakExpectationTests.swift-L\(observerLine)-leaks.svg
        """
    static let observerLine = 46

    @Test func observerListNeverClearedFailsWithChains() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        let pictures = PictureDirectory()
        defer { pictures.remove() }
        var report: LeakReport?
        try withKnownIssue {
            report = try expectNoLeaks(in: heap, pictures: pictures.options) {  // line 46 = observerLine
                try app.openAndCloseScreen(unsubscribe: false)
            }
        } matching: { issue in
            issue.sourceLocation?.line == Self.observerLine
                && issue.sourceLocation?.fileID == "HeapTestingTests/LeakExpectationTests.swift"
                && pictures.normalized(issue.message) == Self.observerLeakMessage
        }
        let r = try #require(report)
        #expect(!r.passed)
        #expect(r.leakedObjectCount == 3)
        #expect(r.leakedBytes == 312)
        #expect(pictures.normalized(r.message) == Self.observerLeakMessage)
        #expect(r.leaks.map(\.type) == ["Subscription", "Observer", "Screen"])
        // The building blocks behind it: the diff object by object and by type.
        #expect(r.diff.newObjects.map { r.after.ids[$0] } == [2, 3, 4])
        #expect(r.diff.byType.first { $0.key == "Screen" }?.countDelta == 1)
        let svgPath = try #require(r.picturePaths.first)
        let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("Subscription") && svg.contains("firstSubscription"))
    }

    @Test func fixedObserverListPasses() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        let report = try expectNoLeaks(in: heap, pictures: .disabled) {
            try app.openAndCloseScreen(unsubscribe: true)
            try app.openAndCloseScreen(unsubscribe: true)
        }
        #expect(report.passed)
        #expect(report.leaks.isEmpty && report.picturePaths.isEmpty)
        #expect(report.message == "No leaks: every object the block created was freed or is collectable garbage.")
    }

    @Test func garbageCyclesAreNotLeaks() throws {
        let heap = ManagedHeap()
        let tree = try TreeScenario(heap)
        let report = try expectNoLeaks(in: heap, pictures: .disabled) {
            _ = try tree.makeTree(children: 3)  // a cycle through the parent pointers, dropped: collectable
        }
        #expect(report.passed)
        #expect(report.after.objectCount == 0)
    }

    @Test func allowedTypesPass() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        let report = try expectNoLeaks(in: heap, allowing: ["Subscription", "Observer", "Screen"], pictures: .disabled) {
            try app.openAndCloseScreen(unsubscribe: false)
        }
        #expect(report.passed)
        #expect(report.allowed.count == 3)
        #expect(report.message == """
            No leaks: every object the block created was freed or is collectable garbage.
            Allowed types, not counted: Observer ×1, Screen ×1, Subscription ×1.
            """)
    }

    @Test func partlyAllowedStillFailsForTheRest() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        var report: LeakReport?
        try withKnownIssue {
            report = try expectNoLeaks(in: heap, allowing: ["Screen"], pictures: .disabled) {
                try app.openAndCloseScreen(unsubscribe: false)
            }
        } matching: { issue in
            issue.message.hasPrefix("Leaked 2 objects (176 bytes) in 2 groups")
                && issue.message.contains("Allowed types, not counted: Screen ×1.")
        }
        #expect(report?.leaks.map(\.type) == ["Subscription", "Observer"])
    }

    @Test func toleratedCountPassesAndOneFewerFails() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        let tolerated = try expectNoLeaks(in: heap, tolerance: 3, pictures: .disabled) {
            try app.openAndCloseScreen(unsubscribe: false)
        }
        #expect(tolerated.passed)
        #expect(tolerated.message == "3 objects leaked (312 bytes), within the tolerance of 3.")
        try withKnownIssue {
            try expectNoLeaks(in: heap, tolerance: 2, pictures: .disabled) {
                try app.openAndCloseScreen(unsubscribe: false)
            }
        } matching: { issue in
            issue.message.hasPrefix("Leaked 3 objects (312 bytes) in 3 groups: created by the block and still reachable after collection (tolerance 2).")
        }
    }

    @Test func forgottenHandleIsHeldDirectly() throws {
        let heap = ManagedHeap()
        let scratch = try heap.register(ObjectType(name: "Scratch", payloadSize: 8))
        var forgotten: ObjectRef?
        try withKnownIssue {
            try expectNoLeaks(in: heap, pictures: .disabled) {
                forgotten = try heap.make(scratch).take()  // the count is never released
            }
        } matching: { issue in
            issue.message == """
                Leaked 1 object (80 bytes) in 1 group: created by the block and still reachable after collection.

                1. 1 × Scratch (80 bytes), allocated at HeapTestingTests/LeakExpectationTests.swift:142
                   kept alive by (shortest chain from an external reference to <Scratch #1>):
                     root "handle" → <Scratch #1>
                     (held directly: an Owned handle or a retain on it was never released)
                """
        }
        try heap.release(try #require(forgotten))
    }

    @Test func survivorsAreReportedWithChainsAndVanishWhenUnsubscribed() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        try app.openAndCloseScreen(unsubscribe: false)
        let pictures = PictureDirectory()
        defer { pictures.remove() }
        withKnownIssue {
            expectNoInstances(of: app.screen, in: heap, pictures: pictures.options)
        } matching: { issue in
            pictures.normalized(issue.message) == """
                1 instance of Screen survives (a collection would not free it):

                1. 1 × Screen (136 bytes), allocated at HeapTestingTests/Scenarios.swift:59
                   kept alive by (shortest chain from an external reference to <Screen #2>):
                     root "app.notifications" → <NotificationCenter #1>
                       .firstSubscription → <Subscription #4>
                       .observer → <Observer #3>
                       .screen → <Screen #2>

                Picture: <pictures>/HeapTestingTests-LeakExpectationTests.swift-L164-survivors.svg
                """
        }
        try heap.store(nil, into: app.center.ref, app.first)  // clear the list
        let report = expectNoInstances(of: "Screen", in: heap, pictures: .disabled)
        #expect(report.passed && report.message == "No instance of Screen survives.")
    }

    @Test func unregisteredTypeIsAnIssueNotACrash() throws {
        let heap = ManagedHeap()
        let other = ManagedHeap()
        _ = try other.register(ObjectType(name: "A"))
        let foreign = try other.register(ObjectType(name: "B"))
        withKnownIssue {
            #expect(expectNoInstances(of: foreign, in: heap) == nil)
        } matching: { issue in
            issue.message == "expectNoInstances: type #1 is not registered in this heap"
        }
    }

    @Test func hostileTypeNamesAndSitesAreEscaped() throws {
        let heap = ManagedHeap()
        let evil = try heap.register(ObjectType(name: "Evil\u{1B}[31mRed\nFake line\u{202E}", fields: ["self\u{7}"]))
        let field = try heap.field("self\u{7}", of: evil)
        var kept: ObjectRef?
        var report: LeakReport?
        try withKnownIssue {
            report = try expectNoLeaks(in: heap, pictures: .disabled) {
                let o = try heap.make(evil)
                try heap.store(o.ref, into: o.ref, field)
                kept = try o.retainedCopy().take()
            }
        } matching: { issue in
            isTerminalSafe(issue.message) && issue.message.contains("Evil\\u{1b}[31mRed\\nFake line\\u{202e}")
        }
        #expect(report.map { isTerminalSafe($0.message) } == true)
        try heap.release(try #require(kept))
    }

    @Test func pictureDirectoryComesFromOptionsThenEnvironmentThenTemporaryDirectory() {
        let variable = PictureOptions.environmentVariable
        #expect(variable == "HEAPSCAN_ARTIFACTS_DIR")
        #expect(PictureOptions(directory: "/x").resolvedDirectory(environment: [variable: "/y"]) == "/x")
        #expect(PictureOptions().resolvedDirectory(environment: [variable: "/y"]) == "/y")
        #expect(PictureOptions().resolvedDirectory(environment: [variable: ""]).hasSuffix("heapscan-artifacts"))
        #expect(PictureOptions().resolvedDirectory(environment: [:]).hasSuffix("heapscan-artifacts"))
        #expect(CheckOrigin(fileID: "My Module/Some File.swift", line: 7).pictureName("leaks") == "My-Module-Some-File.swift-L7-leaks")
    }

    @Test func unwritablePictureDirectoryIsReportedInTheMessage() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        let report = try heap.leakReport(options: HeapCheckOptions(pictures: PictureOptions(directory: "/proc/heapscan-no"))) {
            try app.openAndCloseScreen(unsubscribe: false)
        }
        #expect(report.picturePaths.isEmpty)
        #expect(report.message.contains("Picture: not written (cannot create /proc/heapscan-no"))
    }
}
