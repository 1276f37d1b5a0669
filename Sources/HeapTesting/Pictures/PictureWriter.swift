// PictureWriter — renders a failure's drawing to SVG in this process (HeapGraphviz) and writes it to
// the artifacts directory under a name derived from the caller's file and line, so a rerun
// overwrites the same file and CI can keep the directory.
import Foundation
import HeapAnalysis
import HeapGraph
import HeapGraphviz

/// A picture written for a report, or why it could not be.
enum PictureOutcome: Sendable, Hashable {
    case written(path: String)
    case failed(reason: String)

    /// The line the message shows for it.
    var messageLine: String {
        switch self {
        case .written(let path): "Picture: \(path)"
        case .failed(let reason): "Picture: not written (\(reason))"
        }
    }

    var path: String? {
        if case .written(let path) = self { return path }
        return nil
    }
}

enum PictureWriter {
    /// How objects are labelled in failure pictures: size, label and allocation site.
    static let drawingOptions = DOTOptions(extraLines: [.shallowSize, .label, .site], maxTextLength: 100)

    /// Renders `drawing` to `<directory>/<name>.svg`. When rendering fails the DOT text is written
    /// instead (`<name>.dot`) and the reason returned, so the message always says what happened.
    static func write(_ drawing: HeapDrawing, name: String, options: PictureOptions) -> PictureOutcome {
        let directory = URL(fileURLWithPath: options.resolvedDirectory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            return .failed(reason: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        let dot = drawing.dot(options: drawingOptions)
        let svg: Data
        do {
            svg = try GraphvizRenderer().render(dot: dot, format: .svg)
        } catch {
            let dotURL = directory.appendingPathComponent(name + ".dot")
            let saved = (try? Data(dot.utf8).write(to: dotURL, options: .atomic)) != nil
            return .failed(reason: "Graphviz: \(error)" + (saved ? "; DOT written to \(dotURL.path)" : ""))
        }
        let url = directory.appendingPathComponent(name + ".svg")
        do {
            try svg.write(to: url, options: .atomic)
        } catch {
            return .failed(reason: "cannot write \(url.path): \(error.localizedDescription)")
        }
        return .written(path: url.path)
    }

    /// Draws the chains that keep `groups` alive (``chainsDrawing(_:in:maxObjects:caption:)``) and
    /// writes the picture as ``write(_:name:options:)`` does: what every leak, survivor and growth
    /// report shows.
    static func writeChains(
        _ groups: [ObjectGroup], in snapshot: HeapSnapshot, caption: String, name: String, options: PictureOptions
    ) -> PictureOutcome {
        write(chainsDrawing(groups, in: snapshot, maxObjects: options.maxObjects, caption: caption), name: name, options: options)
    }

    /// A drawing of the chains that keep `groups` alive: every object on the first `limit` objects'
    /// worth of chains, the leaked objects marked as starting points.
    private static func chainsDrawing(_ groups: [ObjectGroup], in snapshot: HeapSnapshot, maxObjects: Int, caption: String) -> HeapDrawing {
        var objects: [HeapSnapshot.ObjectIndex] = []
        var seen = Set<HeapSnapshot.ObjectIndex>()
        var starts: [HeapSnapshot.ObjectIndex] = []
        let budget = max(maxObjects, 1)
        for group in groups {
            var chain = group.path?.objects ?? [group.objects[0]]
            if chain.count > budget {
                // A very long chain: its start and the part nearest the leak.
                chain = [chain[0]] + chain.suffix(budget - 1)
            }
            let fresh = chain.filter { !seen.contains($0) }
            if objects.count + fresh.count > budget { break }
            for v in fresh { seen.insert(v); objects.append(v) }
            starts.append(group.objects[0])
        }
        return HeapDrawing(objects: objects, in: snapshot, starts: starts, options: drawingOptions, caption: caption)
    }
}
