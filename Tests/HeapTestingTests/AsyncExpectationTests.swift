// AsyncExpectationTests — the async forms, with a heap owned by an actor as the ManagedHeap docs
// recommend: leaks found at the caller's line, clean async work passes.
import HeapTesting
import ManagedHeap
import Testing

/// An interpreter-like owner of a heap.
actor Runtime {
    let heap = ManagedHeap()
    let app: ObserverScenario

    init() throws { app = try ObserverScenario(heap) }

    func screenSession(unsubscribe: Bool) async throws {
        await Task.yield()
        try app.openAndCloseScreen(unsubscribe: unsubscribe)
    }

    func check(unsubscribe: Bool) async throws -> (LeakReport, GrowthReport?) {
        let leaks = try await expectNoLeaks(in: heap, pictures: .disabled) {
            try await self.screenSession(unsubscribe: unsubscribe)
        }
        let growth = try await expectNoGrowth(in: heap, repetitions: 3, pictures: .disabled) { _ in
            try await self.screenSession(unsubscribe: unsubscribe)
        }
        return (leaks, growth)
    }
}

@Suite struct AsyncExpectationTests {
    @Test func actorOwnedHeapPassesWhenClean() async throws {
        let runtime = try Runtime()
        let (leaks, growth) = try await runtime.check(unsubscribe: true)
        #expect(leaks.passed && growth?.passed == true)
    }

    @Test func actorOwnedHeapFailsWithTheSameMessages() async throws {
        let runtime = try Runtime()
        try await withKnownIssue {
            _ = try await runtime.check(unsubscribe: false)
        } matching: { issue in
            issue.sourceLocation?.fileID == "HeapTestingTests/AsyncExpectationTests.swift"
                && (issue.message.hasPrefix("Leaked 3 objects") || issue.message.hasPrefix("Memory grows: 3 types"))
        }
    }
}
