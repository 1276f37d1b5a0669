// LifetimeTests — finalizers (exactly once, resurrection), weak references, and freeing a
// ten-million-long chain from its head without growing the stack.
import Foundation
import Testing
@testable import ManagedHeap

@Suite struct LifetimeTests {
    @Test func finalizerRunsOnceAndResurrectionKeepsAlive() throws {
        let heap = ManagedHeap()
        let log = FinalizerLog()
        let holder = try heap.register(ObjectType(name: "Holder", fields: ["saved"]))
        let keeper = try heap.make(holder)
        let keeperRef = keeper.ref
        let phoenix = try heap.register(
            ObjectType(name: "Phoenix", fields: ["x"]) { heap, object in
                log.ran.append(object.id)
                try? heap.store(object, into: keeperRef, field: "saved")  // resurrect
            })
        let p = try heap.allocate(phoenix)
        let weak = try heap.weakReference(to: p)
        try heap.release(p)
        #expect(log.ran == [p.id])
        #expect(heap.isLive(p))
        #expect(heap.load(weak) == p)  // freed never happened, so the weak reference still works
        #expect(try heap.refcount(of: p) == 1)
        try heap.store(nil, into: keeperRef, field: "saved")  // second death: no finalizer, freed
        #expect(log.ran == [p.id])
        #expect(!heap.isLive(p))
        #expect(heap.load(weak) == nil)
        #expect(heap.integrityProblems().isEmpty)
    }

    @Test func finalizerSeesIntactObjectAndCanReleaseOthers() throws {
        let heap = ManagedHeap()
        var seen: [UInt64?] = []
        let node = try heap.register(
            ObjectType(name: "Node", fields: ["child"]) { heap, object in
                seen.append(try? heap.load(object, field: "child")?.id)
            })
        let a = try heap.allocate(node)
        let b = try heap.allocate(node)
        try heap.store(b, into: a, field: "child")
        try heap.release(b)
        try heap.release(a)
        #expect(seen == [b.id, nil])
        #expect(heap.objectCount == 0)
    }

    @Test func weakReferencesNeverKeepAlive() throws {
        let heap = ManagedHeap()
        let node = try heap.register(ObjectType(name: "Node", fields: ["next"]))
        let a = try heap.allocate(node)
        let w = try heap.weakReference(to: a)
        #expect(heap.load(w) == a)
        #expect(try heap.refcount(of: a) == 1)
        try heap.release(a)
        #expect(heap.load(w) == nil)
        let b = try heap.make(node)
        let wb = try heap.weakReference(to: b.ref)
        heap.clearWeakReferences(b.ref.address)  // what the collector does to garbage
        #expect(heap.load(wb) == nil)
        #expect(heap.load(try heap.weakReference(to: b.ref)) == b.ref)  // new ones work
    }

    /// A chain of nodes, each pointing to the previous one; releasing the head frees them all from one
    /// loop. The release runs on a thread with a 64 KiB stack: a recursive free would need a frame per
    /// node (tens of megabytes for a million) and crash.
    ///
    /// Ten million nodes in release builds (`swift test -c release`: 6.5 s on a loaded machine); one
    /// million in debug builds, where unoptimized code and the allocator's invariant checks on every
    /// allocation and free make ten million take over a minute. The small stack proves the point in both.
    @Test func tenMillionChainFreedFromItsHead() throws {
        #if DEBUG
        let length = 1_000_000
        #else
        let length = 10_000_000
        #endif
        let heap = ManagedHeap()
        let node = try heap.register(ObjectType(name: "Node", fields: ["next"]))
        let next = try heap.field("next", of: node)
        var head = try heap.allocate(node)
        for _ in 1..<length {
            let n = try heap.allocate(node)
            try heap.store(head, into: n, next)
            try heap.release(head)
            head = n
        }
        #expect(heap.objectCount == length)
        #expect(try heap.count(ofType: node) == length)
        let result = try runOnSmallStack(bytes: 64 * 1024) { [head] in try heap.release(head) }
        try result.get()
        #expect(heap.objectCount == 0)
        #expect(heap.referenceCount == 0)
        #expect(heap.totalBytes == 0)
    }

    @Test func wideFanOutAndHugeFanIn() throws {
        let heap = ManagedHeap()
        let list = try heap.register(ObjectType(name: "List", hasVariableSlots: true))
        let leaf = try heap.register(ObjectType(name: "Leaf", fields: ["shared"]))
        let shared = try heap.make(leaf)
        let root = try heap.allocate(list, slots: 100_000)
        for i in 0..<100_000 {
            let l = try heap.allocate(leaf)
            try heap.store(shared.ref, into: l, field: "shared")
            try heap.store(l, into: root, slot: i)
            try heap.release(l)
        }
        #expect(try heap.refcount(of: shared.ref) == 100_001)
        #expect(try heap.referrers(of: shared.ref).count == 100_000)
        try heap.release(root)
        #expect(try heap.refcount(of: shared.ref) == 1)
        #expect(heap.objectCount == 1)
    }
}

/// Runs `body` on a new thread whose stack is `bytes` long and waits for it.
func runOnSmallStack(bytes: Int, _ body: @escaping () throws -> Void) throws -> Result<Void, any Error> {
    final class Box: @unchecked Sendable {  // handed to one thread and read after it finished
        var body: () throws -> Void
        var result: Result<Void, any Error> = .success(())
        init(_ body: @escaping () throws -> Void) { self.body = body }
    }
    let box = Box(body)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.result = Result { try box.body() }
        done.signal()
    }
    thread.stackSize = bytes
    thread.start()
    done.wait()
    return box.result
}
