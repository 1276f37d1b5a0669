// heapscan-bench — release-build benchmarks, each against a real peer measured in the same run.
// `heapscan-bench [prefix ...]` runs the benchmarks whose name starts with a prefix (all by default).

/// Every benchmark group; each lives in its own `Bench+Area.swift`.
let groups: [(name: String, run: () throws -> Void)] = [
    ("alloc", benchAllocator),
    ("heap", benchManagedHeap),
    ("gc", benchCollector),
    ("snapshot", benchSnapshot),
    ("dump", benchDump),
    ("analyze", benchAnalysis),
    ("render", benchRender),
    ("heapscan", benchCommandLine),
]

let wanted = CommandLine.arguments.dropFirst()
for group in groups where wanted.isEmpty || wanted.contains(where: { group.name.hasPrefix($0) || $0.hasPrefix(group.name) }) {
    do { try group.run() } catch { print("bench \(group.name) failed: \(error)") }
}
