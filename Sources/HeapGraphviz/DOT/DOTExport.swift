// DOTExport — the one-call helpers: a garbage cycle or a neighbourhood straight to DOT text.
import HeapAnalysis
import HeapGraph

/// DOT for one garbage cycle and what it keeps alive (see `HeapDrawing.init(_:in:options:dominators:maxObjects:)`).
public func dot(for cycle: GarbageCycle, in analysis: LeakAnalysis, options: DOTOptions = .default) -> String {
    HeapDrawing(cycle, in: analysis, options: options).dot(options: options)
}

/// DOT for a neighbourhood (objgraph's show_refs / show_backrefs / show_chain), with the cycles of
/// `leaks` highlighted when given.
public func dot(
    for neighbourhood: Neighbourhood, in snapshot: HeapSnapshot, options: DOTOptions = .default, leaks: LeakAnalysis? = nil
) -> String {
    HeapDrawing(neighbourhood, in: snapshot, options: options, leaks: leaks).dot(options: options)
}
