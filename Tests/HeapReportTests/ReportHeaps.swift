// ReportHeaps — heaps built inline for the report tests: an app with a live tree, a leak suspect and
// garbage cycles, in two spellings with the same shape: plain names, or names that are HTML, SVG and
// script payloads. Same shape means the same page structure, so any extra element is the payload's.
import Foundation
import HeapGraph
import HeapReport

enum ReportHeaps {
    /// Names that would run script or add elements if written as markup anywhere in the page.
    static let payloads: [String] = [
        "<script>window.__pwned='script'</script>",
        "<img src=x onerror=\"window.__pwned='img'\">",
        "</svg><script>window.__pwned='svg'</script><svg onload=\"window.__pwned='svg-onload'\">",
        "</script><script>window.__pwned='close'</script>",
        "\"><img src=x onerror=alert(1)>",
        "'><svg/onload=alert(2)>",
        "\u{2028}</style><b id=bold>bold</b><!--",
        "javascript:alert(3)",
        "&lt;script&gt;&amp;",
        "</title><iframe src=\"data:text/html,x\"></iframe>",
    ]

    /// The app heap; `hostile` spells every type, field, label, site and root name as a payload.
    /// - `extraObjects`: a live list of that many more objects (to push the report past embedding whole).
    static func app(hostile: Bool, liveness: Liveness = .refcount, extraObjects: Int = 0) -> HeapSnapshot {
        var counter = 0
        func name(_ plain: String) -> String {
            guard hostile else { return plain }
            counter += 1
            return payloads[counter % payloads.count] + " \(plain)"
        }
        var b = HeapSnapshotBuilder()
        b.liveness = liveness
        let app = name("App"), cache = name("Cache"), entry = name("Entry"), blob = name("Blob")
        let window = name("Window"), controller = name("Controller"), model = name("ViewModel"), image = name("Image")
        let node = name("Node")
        let fNext = name("next"), fEntries = name("entries"), fData = name("data"), fCache = name("cache")
        let fWindow = name("window"), fDelegate = name("delegate"), fOwner = name("owner"), fImage = name("image")
        let siteA = name("App.swift:10"), siteB = name("Cache.swift:42")
        let live: UInt32? = liveness == .refcount ? 1 : nil
        b.add(id: 1, type: app, size: 64, refcount: live, site: siteA, label: name("main app"))
        b.add(id: 2, type: cache, size: 128, refcount: live, site: siteB)
        b.root(1, name: name("main.app"), kind: .global)
        b.reference(from: 1, to: 2, name: fCache)
        // The cache holds most of the heap: the leak suspect, accumulating in the cache.
        for i in 0..<40 {
            let e = UInt64(100 + i)
            b.add(id: e, type: entry, size: 48, refcount: live, site: siteB, label: i == 0 ? name("first entry") : nil)
            b.add(id: e + 1000, type: blob, size: 4096, refcount: live, site: siteB)
            b.reference(from: 2, to: e, name: fEntries)
            b.reference(from: e, to: e + 1000, name: fData)
        }
        // Two leaked cycles: Window ⇄ Controller ⇄ ViewModel keeping an image alive, and a pair of nodes.
        b.add(id: 10, type: window, size: 512, refcount: live, site: siteA, label: name("Settings"))
        b.add(id: 11, type: controller, size: 96, refcount: liveness == .refcount ? 2 : nil, site: siteA)
        b.add(id: 12, type: model, size: 80, refcount: live)
        b.add(id: 13, type: image, size: 65_536, refcount: live)
        b.reference(from: 10, to: 11, name: fDelegate)
        b.reference(from: 11, to: 10, name: fWindow)
        b.reference(from: 11, to: 12, name: fDelegate)
        b.reference(from: 12, to: 11, name: fOwner)
        b.reference(from: 12, to: 13, name: fImage)
        b.add(id: 20, type: node, size: 32, refcount: live)
        b.add(id: 21, type: node, size: 32, refcount: live)
        b.reference(from: 20, to: 21, name: fNext)
        b.reference(from: 21, to: 20, name: fNext)
        // A weak back reference from an entry to the cache (non-retaining).
        b.reference(from: 100, to: 2, name: fOwner, kind: .weak)
        // Optional bulk: a live linked list under the app.
        var previous: UInt64 = 1
        for i in 0..<extraObjects {
            let id = UInt64(1_000_000 + i)
            b.add(id: id, type: node, size: 16, refcount: live)
            b.reference(from: previous, to: id, name: fNext)
            previous = id
        }
        return b.build()
    }

    /// The same app one step earlier: fewer cache entries, no leaked window.
    static func earlierApp() -> HeapSnapshot {
        var b = HeapSnapshotBuilder()
        b.add(id: 1, type: "App", size: 64, refcount: 1, site: "App.swift:10", label: "main app")
        b.add(id: 2, type: "Cache", size: 128, refcount: 1, site: "Cache.swift:42")
        b.root(1, name: "main.app", kind: .global)
        b.reference(from: 1, to: 2, name: "cache")
        for i in 0..<10 {
            let e = UInt64(100 + i)
            b.add(id: e, type: "Entry", size: 48, refcount: 1, site: "Cache.swift:42")
            b.add(id: e + 1000, type: "Blob", size: 4096, refcount: 1, site: "Cache.swift:42")
            b.reference(from: 2, to: e, name: "entries")
            b.reference(from: e, to: e + 1000, name: "data")
        }
        b.add(id: 5, type: "Temp", size: 1000, refcount: 1)
        b.root(5, name: "temp")
        return b.build()
    }
}
