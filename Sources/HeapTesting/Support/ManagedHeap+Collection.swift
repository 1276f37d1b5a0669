// ManagedHeap+Collection — how the checks use the cycle collector: a full collection after the block
// (so garbage is really freed, finalizers run and resurrected objects count as alive), and automatic
// collection paused while a block runs under the cycle check (so no cycle is freed before it is seen).
import ManagedHeap

extension ManagedHeap {
    /// Runs a full collection, counting only. Skipped under DEBUG_SAVEALL, whose saved garbage would
    /// be held from outside and so look like leaks; the checks then judge by the snapshot's own
    /// liveness (``HeapSnapshot/collected()``), which is the same rule.
    func collectForCheck() {
        guard !collector.debugSaveAll else { return }
        _ = try? collect(generation: 2, report: .counts)
    }

    /// Runs `body` with automatic collection off, restoring the previous setting afterwards.
    func withAutomaticCollectionPaused<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let wasEnabled = collector.isEnabled
        collector.disable()
        defer { if wasEnabled { collector.enable() } }
        return try body()
    }

    /// The async form of ``withAutomaticCollectionPaused(_:)``.
    func withAutomaticCollectionPaused<R>(
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> R
    ) async rethrows -> R {
        let wasEnabled = collector.isEnabled
        collector.disable()
        defer { if wasEnabled { collector.enable() } }
        return try await body()
    }
}
