// Scenarios — three realistic leaks (and their fixed versions) built on a ManagedHeap, shared by the
// tests of the assertions: a parent/child tree with strong back pointers, an observer list that is
// never cleared, and a cache that grows without bound.
import ManagedHeap

/// A document tree whose nodes point at their children and, strongly, back at their parent.
struct TreeScenario {
    let heap: ManagedHeap
    let node: TypeID
    let parent: Field, firstChild: Field, nextSibling: Field

    init(_ heap: ManagedHeap) throws {
        self.heap = heap
        node = try heap.register(ObjectType(name: "TreeNode", fields: ["parent", "firstChild", "nextSibling"], payloadSize: 16))
        parent = try heap.field("parent", of: node)
        firstChild = try heap.field("firstChild", of: node)
        nextSibling = try heap.field("nextSibling", of: node)
    }

    /// A root with `children` children; each child's `parent` is a strong reference (the bug) unless
    /// `weakParents`, where the back pointer is simply not stored (a real program would use a WeakRef).
    func makeTree(children: Int, weakParents: Bool = false) throws -> Owned {
        let root = try heap.make(node)
        for _ in 0..<children {
            let child = try heap.make(node)
            if !weakParents { try heap.store(root.ref, into: child.ref, parent) }
            try heap.store(try heap.load(root.ref, firstChild), into: child.ref, nextSibling)
            try heap.store(child.ref, into: root.ref, firstChild)
        }
        return root
    }
}

/// A notification centre with a linked list of subscriptions, each naming an observer that points at
/// the screen it updates.
final class ObserverScenario {
    let heap: ManagedHeap
    let center: Owned
    let centerType: TypeID, subscription: TypeID, observer: TypeID, screen: TypeID
    let first: Field, next: Field, target: Field, owner: Field

    init(_ heap: ManagedHeap) throws {
        self.heap = heap
        centerType = try heap.register(ObjectType(name: "NotificationCenter", fields: ["firstSubscription"]))
        subscription = try heap.register(ObjectType(name: "Subscription", fields: ["next", "observer"]))
        observer = try heap.register(ObjectType(name: "Observer", fields: ["screen"], payloadSize: 8))
        screen = try heap.register(ObjectType(name: "Screen", fields: [], payloadSize: 64))
        first = try heap.field("firstSubscription", of: centerType)
        next = try heap.field("next", of: subscription)
        target = try heap.field("observer", of: subscription)
        owner = try heap.field("screen", of: observer)
        center = try heap.make(centerType)
        try heap.setRootName("app.notifications", for: center.ref)
    }

    /// Opens a screen that subscribes an observer; closing it drops the screen's handle. With
    /// `unsubscribe` false (the bug) the subscription stays in the centre's list.
    func openAndCloseScreen(unsubscribe: Bool) throws {
        let screenObject = try heap.make(screen)
        let observerObject = try heap.make(observer)
        try heap.store(screenObject.ref, into: observerObject.ref, owner)
        let entry = try heap.make(subscription)
        try heap.store(observerObject.ref, into: entry.ref, target)
        try heap.store(try heap.load(center.ref, first), into: entry.ref, next)
        try heap.store(entry.ref, into: center.ref, first)
        if unsubscribe {
            try heap.store(try heap.load(entry.ref, next), into: center.ref, first)
        }
    }
}

/// A cache of computed values: a linked list of entries, each holding its value. Without a capacity
/// (the bug) every new key adds an entry forever.
final class CacheScenario {
    let heap: ManagedHeap
    let cache: Owned
    let cacheType: TypeID, entry: TypeID, value: TypeID
    let head: Field, next: Field, stored: Field
    /// Most entries kept; nil for no limit.
    let capacity: Int?

    init(_ heap: ManagedHeap, capacity: Int?) throws {
        self.heap = heap
        self.capacity = capacity
        cacheType = try heap.register(ObjectType(name: "Cache", fields: ["head"]))
        entry = try heap.register(ObjectType(name: "CacheEntry", fields: ["next", "value"], payloadSize: 8))
        value = try heap.register(ObjectType(name: "Value", fields: [], payloadSize: 32))
        head = try heap.field("head", of: cacheType)
        next = try heap.field("next", of: entry)
        stored = try heap.field("value", of: entry)
        cache = try heap.make(cacheType)
        try heap.setRootName("imageCache", for: cache.ref)
    }

    /// Computes the value for a new key and caches it in front; trims the list to `capacity`.
    func lookUpNewKey() throws {
        let e = try heap.make(entry)
        let v = try heap.make(value)
        try heap.store(v.ref, into: e.ref, stored)
        try heap.store(try heap.load(cache.ref, head), into: e.ref, next)
        try heap.store(e.ref, into: cache.ref, head)
        guard let capacity else { return }
        var last = e.ref
        for _ in 1..<capacity {
            guard let n = try heap.load(last, next) else { return }
            last = n
        }
        try heap.store(nil, into: last, next)
    }
}
