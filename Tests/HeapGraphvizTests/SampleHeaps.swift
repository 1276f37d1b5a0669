// SampleHeaps — small heaps built inline for the drawing tests: a leaked window/controller cycle
// beside a live document tree, and a heap whose names are hostile.
import HeapGraph

enum SampleHeaps {
    /// A live app holding a document tree, and a leaked Window ⇄ WindowController ⇄ ViewModel cycle
    /// that keeps a cache and a 1 MiB image buffer alive.
    static func leakedWindow() -> HeapSnapshot {
        var b = HeapSnapshotBuilder()
        b.add(id: 1, type: "App", size: 64, refcount: 1, label: "main app")
        b.add(id: 2, type: "Document", size: 128, refcount: 1, label: "report.txt")
        b.add(id: 3, type: "Page", size: 256, refcount: 1)
        b.add(id: 4, type: "Page", size: 256, refcount: 1)
        b.add(id: 10, type: "Window", size: 512, refcount: 1, site: "Window.swift:42")
        b.add(id: 11, type: "WindowController", size: 96, refcount: 2, site: "App.swift:17")
        b.add(id: 12, type: "ViewModel", size: 80, refcount: 1)
        b.add(id: 13, type: "Dictionary<String, ImageBuffer>", size: 160, refcount: 1)
        b.add(id: 14, type: "ImageBuffer", size: 1_048_576, refcount: 1)
        b.root(1, name: "main.app")
        b.reference(from: 1, to: 2, name: "document")
        b.reference(from: 2, to: 3, name: "pages[0]")
        b.reference(from: 2, to: 4, name: "pages[1]")
        b.reference(from: 3, to: 2, name: "document")
        b.reference(from: 4, to: 2, name: "document")
        b.reference(from: 10, to: 11, name: "controller")
        b.reference(from: 11, to: 10, name: "window")
        b.reference(from: 11, to: 12, name: "delegate")
        b.reference(from: 12, to: 11, name: "owner")
        b.reference(from: 12, to: 13, name: "cache")
        b.reference(from: 13, to: 14, name: "entries[\"logo\"]")
        return b.build()
    }

    /// Hostile type, field and label text.
    static let hostileNames: [String] = [
        "Quote\"Type", "Back\\slash\\N", "Line\nBreak", "<script>alert(1)</script>", "מחלקה עברית",
        "\u{202E}txt.exe", "Emoji 🐛🔥", "Amp &amp; &lt;", "Tab\tand\u{7}bell", "", "]] > } -> {",
    ]

    /// Objects named with `hostileNames`, each referring to the next through a hostile field name,
    /// the last one back to the first (a cycle), all garbage.
    static func hostile() -> HeapSnapshot {
        var b = HeapSnapshotBuilder()
        let names = hostileNames
        for (i, name) in names.enumerated() {
            b.add(id: UInt64(i + 1), type: name, size: 16, refcount: 1, label: names[(i + 3) % names.count])
        }
        for i in names.indices {
            b.reference(from: UInt64(i + 1), to: UInt64((i + 1) % names.count + 1), name: names[(i + 5) % names.count])
        }
        return b.build()
    }
}
