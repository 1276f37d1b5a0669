// ArgumentProblemTests — a check that cannot judge says so instead of passing: a type name the heap
// never registered ("Scren" for "Screen") in expectNoInstances or `allowing:`, and a negative tolerance,
// each fail with one line (with a suggestion when a registered name is near) and write no picture.
import Foundation
import HeapGraph
@testable import HeapTesting
import ManagedHeap
import Testing

@Suite struct ArgumentProblemTests {
    @Test func misspeltTypeInExpectNoInstancesIsAnIssue() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        try app.openAndCloseScreen(unsubscribe: false)  // a Screen survives
        var report: SurvivorReport?
        withKnownIssue {
            report = expectNoInstances(of: "Scren", in: heap, pictures: .disabled)
        } matching: { issue in
            issue.message == #"survivor check: no type named "Scren" is registered in this heap (did you mean "Screen"?)."#
        }
        #expect(report?.passed == false)
        #expect(report?.problem != nil)
        // The value API says the same without recording anything.
        let value = heap.survivorReport(ofType: "Nothing", options: HeapCheckOptions(pictures: .disabled))
        #expect(!value.passed && value.message == #"survivor check: no type named "Nothing" is registered in this heap."#)
        // The right name still finds the survivor.
        withKnownIssue { _ = expectNoInstances(of: "Screen", in: heap, pictures: .disabled) }
    }

    @Test func misspeltAllowedTypeIsAnIssue() throws {
        let heap = ManagedHeap()
        let app = try ObserverScenario(heap)
        try withKnownIssue {
            try expectNoLeaks(in: heap, allowing: ["Screen", "Observr", "Subscription"], pictures: .disabled) {
                try app.openAndCloseScreen(unsubscribe: false)
            }
        } matching: { issue in
            issue.message == #"leak check: allowing "Observr": no type of that name is registered in this heap (did you mean "Observer"?)."#
        }
        try withKnownIssue {
            try expectNoCycles(in: heap, allowing: ["Nope", "Zilch"], pictures: .disabled) {}
        } matching: { issue in
            issue.message == #"cycle check: allowing "Nope", "Zilch": no types of those names are registered in this heap."#
        }
        try withKnownIssue {
            try expectNoGrowth(in: heap, repetitions: 2, allowing: ["Scren"], pictures: .disabled) { _ in }
        } matching: { issue in
            issue.message.hasPrefix(#"growth check: allowing "Scren""#)
        }
        // Correct names pass as before.
        let allowed = try expectNoLeaks(in: heap, allowing: ["Screen", "Observer", "Subscription"], pictures: .disabled) {
            try app.openAndCloseScreen(unsubscribe: false)
        }
        #expect(allowed.passed && allowed.problem == nil)
    }

    @Test func negativeToleranceIsRejectedWithoutAPicture() throws {
        let heap = ManagedHeap()
        let pictures = PictureDirectory()
        defer { pictures.remove() }
        var report: LeakReport?
        withKnownIssue {
            report = expectNoLeaks(in: heap, tolerance: -1, pictures: pictures.options) {}
        } matching: { issue in
            issue.message == "leak check: tolerance must be 0 or more (the objects accepted before failing), got -1."
        }
        #expect(report?.passed == false && report?.picturePaths.isEmpty == true)
        #expect(!FileManager.default.fileExists(atPath: pictures.path), "no empty picture written")
        withKnownIssue {
            _ = expectNoInstances(of: "Screen", in: heap, tolerance: -2, pictures: .disabled)
        } matching: { issue in
            issue.message.hasSuffix("got -2.")
        }
    }
}
