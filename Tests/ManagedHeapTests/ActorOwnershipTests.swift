// ActorOwnershipTests — the pattern docs/managed-heap.md shows for concurrent programs: the heap is not
// Sendable, so one actor owns it and everything that touches objects runs on that actor.
import ManagedHeap
import Testing

/// A tiny runtime: an interpreter's object space owned by one actor (the code in docs/managed-heap.md).
actor ObjectSpace {
    private let heap = ManagedHeap()
    private let list: TypeID
    private let next: Field
    private var globals: [String: ObjectHandle] = [:]

    init() throws {
        list = try heap.register(ObjectType(name: "ListNode", fields: ["next"], payloadSize: 8))
        next = try heap.field("next", of: list)
    }

    /// Pushes a node onto the list named `name`; callers on any task just `await` it.
    func push(_ value: Int, onto name: String) throws {
        let node = try heap.make(list)
        try heap.setPayload(value, of: node.ref)
        try heap.store(globals[name]?.ref, into: node.ref, next)
        globals[name] = try heap.handle(node.ref)   // the handle holds the count; `node` releases its own
    }

    func drop(_ name: String) { globals[name] = nil }

    /// What is alive, as plain Sendable values: object references never leave the actor.
    func liveObjects() -> Int { heap.objectCount }
}

@Suite struct ActorOwnershipTests {
    @Test func tasksShareOneHeapThroughItsActor() async throws {
        let space = try ObjectSpace()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask { for i in 0..<250 { try await space.push(i, onto: "list\(task)") } }
            }
            try await group.waitForAll()
        }
        #expect(await space.liveObjects() == 1_000)
        for task in 0..<4 { await space.drop("list\(task)") }
        #expect(await space.liveObjects() == 0)
    }
}
