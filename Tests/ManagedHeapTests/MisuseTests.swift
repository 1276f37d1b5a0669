// MisuseTests — each misuse gives an error whose text names the object and the operation.
import Testing
@testable import ManagedHeap

@Suite struct MisuseTests {
    let heap = ManagedHeap()

    func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch let e as HeapError { return e.description } catch { return "\(error)" }
        return nil
    }

    @Test func useAfterFree() throws {
        let node = try heap.register(ObjectType(name: "Node", fields: ["next"]))
        let next = try heap.field("next", of: node)
        let a = try heap.allocate(node)
        let b = try heap.allocate(node)
        try heap.release(a)
        #expect(message { try heap.store(b, into: a, next) } == "store into field #0: object #1 was already freed (or belongs to another heap)")
        #expect(message { try heap.store(a, into: b, next) }?.hasPrefix("store object #1 into object #2 (Node, allocated at ManagedHeapTests/MisuseTests.swift:") == true)
        #expect(message { try heap.release(a) } == "release: object #1 was already freed (or belongs to another heap)")
        #expect(message { _ = try heap.load(a, next) } == "load field #0: object #1 was already freed (or belongs to another heap)")
        #expect(message { _ = try heap.weakReference(to: a) } == "weakReference: object #1 was already freed (or belongs to another heap)")
        // A block reused by a new object does not revive the old handle.
        let c = try heap.allocate(node)
        #expect(c.id == 3)
        #expect(!heap.isLive(a))
        #expect(heap.object(withID: 1) == nil)
    }

    @Test func releaseBelowZero() throws {
        let node = try heap.register(ObjectType(name: "Node", fields: ["next"]))
        let a = try heap.make(node)
        let b = try heap.allocate(node)
        try heap.store(b, into: a.ref, field: "next")
        try heap.release(b)
        let text = message { try heap.release(b) }
        #expect(text?.hasPrefix("release: object #2 (Node, allocated at ManagedHeapTests/MisuseTests.swift:") == true)
        #expect(text?.hasSuffix("has no external count left to release (refcount 1, all held by references from other objects)") == true)
        #expect(try heap.refcount(of: b) == 1)  // refused: nothing changed
    }

    @Test func unknownAndForeignFields() throws {
        let node = try heap.register(ObjectType(name: "Node", fields: ["next", "prev"]))
        let leaf = try heap.register(ObjectType(name: "Leaf", fields: ["owner"]))
        #expect(message { _ = try heap.field("child", of: node) } == "field 'child': type 'Node' has no such field (fields: next, prev)")
        let n = try heap.make(node)
        #expect(message { try heap.store(nil, into: n.ref, field: "child") } == "field 'child': type 'Node' has no such field (fields: next, prev)")
        let owner = try heap.field("owner", of: leaf)
        let text = message { _ = try heap.load(n.ref, owner) }
        #expect(text?.hasPrefix("load field 'owner': object #1 (Node, allocated at ") == true)
        #expect(text?.hasSuffix("has no such field (the field belongs to type 'Leaf')") == true)
    }

    @Test func slots() throws {
        let list = try heap.register(ObjectType(name: "List", hasVariableSlots: true))
        let node = try heap.register(ObjectType(name: "Node", fields: ["next"]))
        let l = try heap.make(list, slots: 2)
        #expect(message { try heap.store(nil, into: l.ref, slot: 2) }?.hasSuffix("has 2 slots") == true)
        #expect(message { _ = try heap.load(l.ref, slot: -1) }?.hasPrefix("load slot -1: object #1 (List") == true)
        #expect(message { _ = try heap.allocate(node, slots: 3) } == "allocate 'Node' with 3 slots: the type has no variable slots")
        #expect(message { _ = try heap.allocate(list, slots: -1) } == "allocate 'List': slot count -1 is outside 0...\(ManagedHeap.maximumSlotCount)")
    }

    @Test func payloadSize() throws {
        let point = try heap.register(ObjectType(name: "Point", payloadSize: 16))
        let p = try heap.make(point)
        try heap.setPayload(SIMD2<Double>(1, 2), of: p.ref)
        #expect(try heap.payload(of: p.ref, as: SIMD2<Double>.self) == SIMD2(1, 2))
        #expect(try heap.payload(of: p.ref, at: 8, as: Double.self) == 2)
        let text = message { _ = try heap.payload(of: p.ref, as: Int32.self) }
        #expect(text?.hasPrefix("read payload as Int32 (4 bytes): object #1 (Point, allocated at ") == true)
        #expect(text?.hasSuffix("has a payload of 16 bytes") == true)
        #expect(message { try heap.setPayload(UInt64(1), of: p.ref, at: 9) }?.hasPrefix("write payload at offset 9 as UInt64 (8 bytes)") == true)
    }

    @Test func typeRegistrationMessages() throws {
        _ = try heap.register(ObjectType(name: "Node"))
        #expect(message { _ = try heap.register(ObjectType(name: "")) } == "register type: the type name is empty")
        #expect(message { _ = try heap.register(ObjectType(name: "Node")) } == "register type 'Node': a type with this name is already registered")
        #expect(message { _ = try heap.register(ObjectType(name: "T", fields: ["x", "x"])) } == "register type 'T': field 'x' is declared twice")
        let many = (0...ManagedHeap.maximumFieldCount).map { "f\($0)" }
        #expect(message { _ = try heap.register(ObjectType(name: "W", fields: many)) } == "register type 'W': 4097 fields exceed the limit of 4096")
        #expect(message { _ = try heap.allocate(TypeID(index: 9)) } == "allocate: type #9 is not registered in this heap")
    }

    @Test func handleFromAnotherHeap() throws {
        let other = ManagedHeap()
        let t1 = try heap.register(ObjectType(name: "Node", fields: ["next"]))
        let t2 = try other.register(ObjectType(name: "Node", fields: ["next"]))
        let mine = try heap.make(t1)
        let theirs = try other.make(t2)
        #expect(message { try heap.store(theirs.ref, into: mine.ref, field: "next") }?.hasSuffix("object #1 was already freed (or belongs to another heap)") == true)
    }
}
