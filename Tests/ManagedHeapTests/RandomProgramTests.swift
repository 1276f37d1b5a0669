// RandomProgramTests — random programs (allocate, store, overwrite, drop, retain, weak references and
// weak fields, finalizers, resurrection) run on the heap and on a dictionary-graph model with the same
// refcount rules; after every step the live objects, every refcount and external count, every field,
// every weak reference and weak field and the finalizers that ran must agree, and the heap's own
// invariants must hold.
import Testing
@testable import ManagedHeap
import HeapscanTestSupport

/// The reference model: objects as dictionaries of cells, CPython's refcount rules, written for the test.
struct HeapModel {
    struct Object {
        var cells: [UInt64?]
        /// Targets of the weak fields (never counted; read nil once the target is gone).
        var weakCells: [UInt64?] = []
        var external: Int
        var hasFinalizer: Bool
        var resurrects: Bool
        var finalized = false
    }

    var objects: [UInt64: Object] = [:]
    /// Ids whose finalizer has run, in no particular order.
    var finalized: Set<UInt64> = []

    func refcount(_ id: UInt64) -> Int {
        guard let o = objects[id] else { return 0 }
        var n = o.external
        for other in objects.values { for c in other.cells where c == id { n += 1 } }
        return n
    }

    /// Frees every object whose refcount is zero, running finalizers first (once); a resurrecting
    /// finalizer takes an external count.
    mutating func settle() {
        while true {
            guard let dead = objects.keys.sorted().first(where: { refcount($0) == 0 }) else { return }
            if objects[dead]!.hasFinalizer && !objects[dead]!.finalized {
                objects[dead]!.finalized = true
                finalized.insert(dead)
                if objects[dead]!.resurrects {
                    objects[dead]!.external += 1
                    continue
                }
            }
            objects[dead] = nil
        }
    }
}

/// Records which finalizers ran; shared by the finalizer closures of one heap.
final class FinalizerLog {
    var ran: [UInt64] = []
}

@Suite struct RandomProgramTests {
    struct Types {
        let pair: TypeID, phoenix: TypeID, vector: TypeID, leaf: TypeID
        var all: [TypeID] { [pair, phoenix, vector, leaf] }
    }

    func makeHeap(_ log: FinalizerLog) throws -> (ManagedHeap, Types) {
        let heap = ManagedHeap()
        let pair = try heap.register(ObjectType(name: "Pair", fields: ["a", "b"], weakFields: ["w"]))
        // The payload lies after the weak cells: the finalizer reads it.
        let phoenix = try heap.register(
            ObjectType(name: "Phoenix", fields: ["a"], weakFields: ["w", "v"], payloadSize: 1) { heap, object in
                log.ran.append(object.id)
                // Resurrection: the finalizer takes a count of its own object when its payload says so.
                if (try? heap.payload(of: object, as: UInt8.self)) == 1 { try? heap.retain(object) }
            })
        let vector = try heap.register(ObjectType(name: "Vector", hasVariableSlots: true))
        let leaf = try heap.register(ObjectType(name: "Leaf", payloadSize: 8))
        return (heap, Types(pair: pair, phoenix: phoenix, vector: vector, leaf: leaf))
    }

    /// Runs one random program of `steps` steps from `seed`, comparing with the model after every step.
    func run(seed: UInt64, steps: Int) throws {
        var random = SplitMix64(seed: seed)
        let log = FinalizerLog()
        let (heap, types) = try makeHeap(log)
        var model = HeapModel()
        var refs: [UInt64: ObjectRef] = [:]  // every object ever made, by id (borrowed; checked for liveness)
        var weaks: [WeakRef] = []

        func liveIDs() -> [UInt64] { model.objects.keys.sorted() }

        for step in 0..<steps {
            let context = "seed \(seed) step \(step)"
            let ids = liveIDs()
            switch ids.isEmpty ? 0 : Int.random(in: 0..<10, using: &random) {
            case 0, 1:  // allocate
                let type = types.all.randomElement(using: &random)!
                let slots = type == types.vector ? Int.random(in: 0...3, using: &random) : 0
                let r = try heap.allocate(type, slots: slots)
                refs[r.id] = r
                let cellCount = type == types.pair ? 2 : type == types.phoenix ? 1 : slots
                let resurrects = type == types.phoenix && Bool.random(using: &random)
                if resurrects { try heap.setPayload(UInt8(1), of: r) }
                let weakCount = type == types.pair ? 1 : type == types.phoenix ? 2 : 0
                model.objects[r.id] = HeapModel.Object(
                    cells: Array(repeating: nil, count: cellCount), weakCells: Array(repeating: nil, count: weakCount),
                    external: 1, hasFinalizer: type == types.phoenix, resurrects: resurrects)
            case 2, 3, 4:  // store or overwrite (nil a quarter of the time)
                let holders = ids.filter { !model.objects[$0]!.cells.isEmpty }
                guard let source = holders.randomElement(using: &random) else { continue }
                let cell = Int.random(in: 0..<model.objects[source]!.cells.count, using: &random)
                let target = Int.random(in: 0..<4, using: &random) == 0 ? nil : ids.randomElement(using: &random)
                let s = refs[source]!
                if try heap.type(of: s) == types.vector {
                    try heap.store(target.map { refs[$0]! }, into: s, slot: cell)
                } else {
                    try heap.store(target.map { refs[$0]! }, into: s, field: cell == 0 ? "a" : "b")
                }
                model.objects[source]!.cells[cell] = target
                model.settle()
            case 5, 6:  // drop an external count
                guard let id = ids.filter({ model.objects[$0]!.external > 0 }).randomElement(using: &random) else { continue }
                try heap.release(refs[id]!)
                model.objects[id]!.external -= 1
                model.settle()
            case 7:  // retain
                let id = ids.randomElement(using: &random)!
                try heap.retain(refs[id]!)
                model.objects[id]!.external += 1
            case 8:  // weak reference
                weaks.append(try heap.weakReference(to: refs[ids.randomElement(using: &random)!]!))
            default:  // store into a weak field (nil a quarter of the time): no count changes
                let holders = ids.filter { !model.objects[$0]!.weakCells.isEmpty }
                guard let source = holders.randomElement(using: &random) else { continue }
                let cell = Int.random(in: 0..<model.objects[source]!.weakCells.count, using: &random)
                let target = Int.random(in: 0..<4, using: &random) == 0 ? nil : ids.randomElement(using: &random)
                try heap.storeWeak(target.map { refs[$0]! }, into: cell == 0 ? "w" : "v", of: refs[source]!)
                model.objects[source]!.weakCells[cell] = target
            }

            // Compare everything.
            let heapIDs = heap.allObjects.map(\.id)
            #expect(heapIDs == liveIDs(), "\(context): live objects")
            for id in liveIDs() {
                let r = refs[id]!
                #expect(try heap.refcount(of: r) == model.refcount(id), "\(context): refcount of #\(id)")
                #expect(try heap.externalCount(of: r) == model.objects[id]!.external, "\(context): external of #\(id)")
                let cells: [UInt64?]
                if try heap.type(of: r) == types.vector {
                    cells = try (0..<heap.slotCount(of: r)).map { try heap.load(r, slot: $0)?.id }
                } else {
                    cells = try heap.referenceNames(of: r).map { try heap.load(r, field: $0)?.id }
                }
                #expect(cells == model.objects[id]!.cells, "\(context): cells of #\(id)")
                let weakCells = try heap.descriptor(of: heap.type(of: r)).weakFields.map { try heap.loadWeak($0, of: r)?.id }
                let expectedWeak = model.objects[id]!.weakCells.map { t in t.flatMap { model.objects[$0] == nil ? nil : $0 } }
                #expect(weakCells == expectedWeak, "\(context): weak fields of #\(id)")
            }
            for w in weaks {
                #expect(heap.load(w)?.id == (model.objects[w.id] == nil ? nil : w.id), "\(context): \(w)")
            }
            #expect(Set(log.ran) == model.finalized && log.ran.count == model.finalized.count, "\(context): finalizers")
            let problems = heap.integrityProblems()
            #expect(problems.isEmpty, "\(context): \(problems)")
            if !problems.isEmpty { return }
        }
    }

    @Test(arguments: 0..<40)
    func randomPrograms(batch: Int) throws {
        for seed in 0..<10 { try run(seed: UInt64(batch * 10 + seed), steps: 120) }
    }
}

extension ManagedHeap {
    /// Field names of `object`'s type (test helper).
    func referenceNames(of object: ObjectRef) throws -> [String] {
        try descriptor(of: type(of: object)).fields
    }
}
