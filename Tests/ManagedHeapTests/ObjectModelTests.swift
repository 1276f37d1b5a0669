// ObjectModelTests — types, allocation, field stores and loads, counts, owning handles, freeing.
import Testing
@testable import ManagedHeap

@Suite struct ObjectModelTests {
    let heap = ManagedHeap()

    func nodeType(_ name: String = "Node", payload: Int = 0) throws -> (TypeID, Field) {
        let t = try heap.register(ObjectType(name: name, fields: ["next", "other"], payloadSize: payload))
        return (t, try heap.field("next", of: t))
    }

    @Test func allocateStoreLoadRelease() throws {
        let (node, next) = try nodeType()
        let a = try heap.allocate(node)
        let b = try heap.allocate(node)
        #expect(a.id < b.id)
        try heap.store(b, into: a, next)
        #expect(try heap.refcount(of: b) == 2)
        #expect(try heap.externalCount(of: b) == 1)
        #expect(try heap.load(a, next) == b)
        try heap.release(b)
        #expect(heap.isLive(b))
        #expect(try heap.refcount(of: b) == 1)
        try heap.release(a)
        #expect(!heap.isLive(a))
        #expect(!heap.isLive(b))
        #expect(heap.directory.count == 0)
        #expect(heap.liveReferenceCount == 0)
    }

    @Test func overwriteReleasesOldTarget() throws {
        let (node, next) = try nodeType()
        let a = try heap.make(node)
        do {
            let b = try heap.make(node)
            try heap.store(b.ref, into: a.ref, next)
        }
        let b = try #require(try heap.load(a.ref, next))
        #expect(try heap.refcount(of: b) == 1)
        try heap.store(nil, into: a.ref, next)
        #expect(!heap.isLive(b))
        #expect(heap.isLive(a.ref))
    }

    @Test func selfLoopStaysAlive() throws {
        let (node, next) = try nodeType()
        let a = try heap.allocate(node)
        try heap.store(a, into: a, next)
        try heap.release(a)
        #expect(heap.isLive(a))
        #expect(try heap.refcount(of: a) == 1)
        #expect(try heap.externalCount(of: a) == 0)
    }

    @Test func ownedHandleReleasesOnDeinit() throws {
        let (node, _) = try nodeType()
        var first: ObjectRef? = nil
        do {
            let h = try heap.make(node)
            first = h.ref
            let copy = try h.retainedCopy()
            #expect(try heap.refcount(of: copy.ref) == 2)
        }
        #expect(!heap.isLive(try #require(first)))
        let h = try heap.make(node)
        let raw = h.take()
        #expect(try heap.refcount(of: raw) == 1)
        try heap.release(raw)
        #expect(!heap.isLive(raw))
    }

    @Test func variableSlots() throws {
        let list = try heap.register(ObjectType(name: "List", hasVariableSlots: true))
        let (node, _) = try nodeType()
        let l = try heap.make(list, slots: 3)
        #expect(try heap.slotCount(of: l.ref) == 3)
        let n = try heap.allocate(node)
        try heap.store(n, into: l.ref, slot: 2)
        try heap.store(n, into: l.ref, slot: 0)
        try heap.release(n)
        #expect(try heap.refcount(of: n) == 2)
        #expect(try heap.load(l.ref, slot: 1) == nil)
        #expect(try heap.load(l.ref, slot: 2) == n)
    }

    @Test func largeObjectsGoThroughTheSameCall() throws {
        let big = try heap.register(ObjectType(name: "Big", hasVariableSlots: true, payloadSize: 4000))
        let o = try heap.make(big, slots: 1000)
        #expect(try heap.slotCount(of: o.ref) == 1000)
        try heap.store(o.ref, into: o.ref, slot: 999)
        try heap.store(nil, into: o.ref, slot: 999)
    }

    @Test func typeRegistrationIsValidated() throws {
        _ = try nodeType()
        #expect(throws: HeapError.self) { try heap.register(ObjectType(name: "")) }
        #expect(throws: HeapError.self) { try heap.register(ObjectType(name: "Node")) }
        #expect(throws: HeapError.self) { try heap.register(ObjectType(name: "Dup", fields: ["a", "a"])) }
        #expect(throws: HeapError.self) { try heap.register(ObjectType(name: "Empty", fields: [""])) }
        let many = (0...ManagedHeap.maximumFieldCount).map { "f\($0)" }
        #expect(throws: HeapError.self) { try heap.register(ObjectType(name: "Wide", fields: many)) }
        #expect(throws: HeapError.self) { try heap.register(ObjectType(name: "Neg", payloadSize: -1)) }
    }

    @Test func allocationSiteIsRecorded() throws {
        let (node, _) = try nodeType()
        let a = try heap.make(node)
        #expect(heap.describe(a.ref).contains("ObjectModelTests.swift:"))
    }
}
