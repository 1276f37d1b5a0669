// DocumentServer — the example's program: open documents with their pages, request handlers that
// subscribe to an event bus, and a response cache. Every object lives in one ManagedHeap; the bugs
// are the ones described in main.swift, written the way they usually are.
import ManagedHeap

/// A toy document server over a managed heap. Objects are reached from one root, `main.server`.
final class DocumentServer {
    let heap = ManagedHeap()
    /// The server object; the only handle held from outside (named root `main.server`).
    private let server: Owned

    // Types, registered once.
    private let serverType, openListType, documentType, pageType, textType: TypeID
    private let busType, subscriptionType, handlerType, scratchType: TypeID
    private let cacheType, entryType, responseType, headersType, bodyType: TypeID

    /// Slot of each open document in the open-document list.
    private var openSlots: [String: Int] = [:]
    private var nextSlot = 0
    private(set) var closed = 0
    private(set) var requests = 0

    static let maximumOpenDocuments = 16

    init() throws {
        // Like a service that turned the cycle collector off for latency (CPython's gc.disable()), or a
        // runtime with reference counting alone: unreachable cycles stay until someone looks.
        heap.collector.disable()
        serverType = try heap.register(ObjectType(name: "Server", fields: ["documents", "events", "cache"], payloadSize: 64))
        openListType = try heap.register(ObjectType(name: "DocumentList", hasVariableSlots: true))
        documentType = try heap.register(ObjectType(name: "Document", fields: ["pages", "contents"], payloadSize: 96))
        // The bug of leak 1: `document` should be weak; it is a strong back pointer.
        pageType = try heap.register(ObjectType(name: "Page", fields: ["document", "next", "text"], payloadSize: 32))
        textType = try heap.register(ObjectType(name: "TextBuffer", payloadSize: 1024))
        busType = try heap.register(ObjectType(name: "EventBus", fields: ["subscribers"], payloadSize: 16))
        subscriptionType = try heap.register(ObjectType(name: "Subscription", fields: ["next", "handler"]))
        handlerType = try heap.register(ObjectType(name: "RequestHandler", fields: ["scratch"], payloadSize: 48))
        scratchType = try heap.register(ObjectType(name: "ScratchBuffer", payloadSize: 256))
        cacheType = try heap.register(ObjectType(name: "ResponseCache", fields: ["entries"], payloadSize: 32))
        entryType = try heap.register(ObjectType(name: "CacheEntry", fields: ["next", "response"], payloadSize: 32))
        responseType = try heap.register(ObjectType(name: "Response", fields: ["headers", "body"], payloadSize: 16))
        headersType = try heap.register(ObjectType(name: "Headers", payloadSize: 96))
        bodyType = try heap.register(ObjectType(name: "Body", payloadSize: 400))

        server = try heap.make(serverType)
        try heap.setRootName("main.server", for: server.ref)
        try heap.setLabel("document server", for: server.ref)
        let list = try heap.make(openListType, slots: Self.maximumOpenDocuments)
        try heap.store(list.ref, into: server.ref, field: "documents")
        let bus = try heap.make(busType)
        try heap.store(bus.ref, into: server.ref, field: "events")
        let cache = try heap.make(cacheType)
        try heap.setLabel("responses", for: cache.ref)
        try heap.store(cache.ref, into: server.ref, field: "cache")
    }

    /// Opens a document of `pages` pages, each with its text buffer.
    func open(_ name: String, pages: Int) throws {
        guard nextSlot < Self.maximumOpenDocuments else { throw ExampleError("too many open documents") }
        let document = try heap.make(documentType)
        try heap.setLabel(name, for: document.ref)
        let contents = try heap.make(textType)  // the whole text, for search
        try heap.store(contents.ref, into: document.ref, field: "contents")
        var previous: ObjectRef? = nil
        for number in 1...pages {
            let page = try heap.make(pageType)
            try heap.setLabel("\(name) p.\(number)", for: page.ref)
            try heap.store(document.ref, into: page.ref, field: "document")  // the strong back pointer
            let text = try heap.make(textType)
            try heap.store(text.ref, into: page.ref, field: "text")
            if let previous {
                try heap.store(page.ref, into: previous, field: "next")
            } else {
                try heap.store(page.ref, into: document.ref, field: "pages")
            }
            previous = page.ref
        }
        let list = try documents()
        try heap.store(document.ref, into: list, slot: nextSlot)
        openSlots[name] = nextSlot
        nextSlot += 1
    }

    /// Closes a document: forgets it in the open list. Its pages still point back at it.
    func close(_ name: String) throws {
        guard let slot = openSlots.removeValue(forKey: name) else { throw ExampleError("\(name) is not open") }
        try heap.store(nil, into: try documents(), slot: slot)
        closed += 1
    }

    /// Handles one request: a handler subscribes to the bus (and never unsubscribes), and the
    /// response is cached (and never evicted).
    func handle(_ request: Int) throws {
        requests += 1
        let bus = try load(server.ref, "events")
        let handler = try heap.make(handlerType)
        let scratch = try heap.make(scratchType)
        try heap.store(scratch.ref, into: handler.ref, field: "scratch")
        let subscription = try heap.make(subscriptionType)
        try heap.store(handler.ref, into: subscription.ref, field: "handler")
        try heap.store(try heap.load(bus, field: "subscribers"), into: subscription.ref, field: "next")
        try heap.store(subscription.ref, into: bus, field: "subscribers")

        let cache = try load(server.ref, "cache")
        let response = try heap.make(responseType)
        try heap.setLabel("GET /doc/\(request)", for: response.ref)
        let headers = try heap.make(headersType)
        try heap.store(headers.ref, into: response.ref, field: "headers")
        let body = try heap.make(bodyType)
        try heap.store(body.ref, into: response.ref, field: "body")
        let entry = try heap.make(entryType)
        try heap.store(response.ref, into: entry.ref, field: "response")
        try heap.store(try heap.load(cache, field: "entries"), into: entry.ref, field: "next")
        try heap.store(entry.ref, into: cache, field: "entries")
    }

    var summary: String {
        "\(requests) requests handled, \(openSlots.count) documents open, \(closed) closed; \(heap.objectCount) objects live"
    }

    private func documents() throws -> ObjectRef { try load(server.ref, "documents") }

    private func load(_ object: ObjectRef, _ field: String) throws -> ObjectRef {
        guard let value = try heap.load(object, field: field) else { throw ExampleError("\(field) is nil") }
        return value
    }
}

struct ExampleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
