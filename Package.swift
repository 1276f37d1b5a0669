// swift-tools-version: 6.1
// heapscan — heap inspection and leak finding. Module arrows follow docs/design.md: each module imports
// only the ones listed in its `dependencies`.
import PackageDescription

/// Invariant checks (allocator free lists, heap refcounts) compiled into debug builds, so every test
/// runs them after each mutation; release builds and benchmarks leave them out.
let checked: [SwiftSetting] = [.define("HEAPSCAN_CHECKS", .when(configuration: .debug))]

let package = Package(
    name: "heapscan",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "HeapArena", targets: ["HeapArena"]),
        .library(name: "ManagedHeap", targets: ["ManagedHeap"]),
        .library(name: "HeapGraph", targets: ["HeapGraph"]),
        .library(name: "HeapFormats", targets: ["HeapFormats"]),
        .library(name: "HeapAnalysis", targets: ["HeapAnalysis"]),
        .library(name: "HeapGraphviz", targets: ["HeapGraphviz"]),
        .library(name: "HeapTesting", targets: ["HeapTesting"]),
        .library(name: "HeapReport", targets: ["HeapReport"]),
        .library(name: "HeapscanSwift", targets: ["HeapscanSwift"]),
        .executable(name: "heapscan", targets: ["heapscan"]),
        .executable(name: "heapscan-example", targets: ["heapscan-example"]),
        .executable(name: "heapscan-bench", targets: ["heapscan-bench"]),
        .executable(name: "heapscan-fixtures", targets: ["heapscan-fixtures"]),
        .executable(name: "heapscan-swift-bench", targets: ["heapscan-swift-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        .target(name: "HeapArena", swiftSettings: checked),
        .target(name: "HeapGraph", dependencies: ["HeapArena"], swiftSettings: checked),
        .target(name: "HeapFormats", dependencies: ["HeapGraph", "CZlib"], swiftSettings: checked),
        .target(name: "HeapAnalysis", dependencies: ["HeapGraph"], swiftSettings: checked),
        .target(
            name: "ManagedHeap", dependencies: ["HeapArena", "HeapGraph", "HeapAnalysis"],
            swiftSettings: checked),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(
            name: "CGraphviz", pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"]), .brew(["graphviz"])]),
        .target(
            name: "HeapGraphviz", dependencies: ["HeapGraph", "HeapAnalysis", "CGraphviz"],
            swiftSettings: checked),
        .target(name: "HeapReport", dependencies: ["HeapGraph", "HeapAnalysis", "HeapGraphviz"], swiftSettings: checked),
        .target(
            name: "HeapTesting", dependencies: ["ManagedHeap", "HeapAnalysis", "HeapGraphviz"],
            swiftSettings: checked),
        .target(name: "CHeapscanSwift"),
        .target(
            name: "HeapscanSwift", dependencies: ["CHeapscanSwift", "HeapGraph", "HeapAnalysis", "HeapTesting"],
            swiftSettings: checked),
        .executableTarget(
            name: "heapscan",
            dependencies: [
                "HeapArena", "HeapGraph", "HeapFormats", "HeapAnalysis", "HeapGraphviz", "HeapReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "heapscan-example", dependencies: ["ManagedHeap", "HeapGraph"]),
        .executableTarget(name: "heapscan-swift-bench", dependencies: ["HeapscanSwift"]),
        .executableTarget(name: "heapscan-fixtures", dependencies: ["ManagedHeap", "HeapGraph"]),
        .executableTarget(
            name: "heapscan-bench",
            dependencies: ["HeapArena", "ManagedHeap", "HeapGraph", "HeapAnalysis", "HeapGraphviz"]),

        .target(name: "HeapscanTestSupport", path: "Tests/Support"),
        .testTarget(name: "HeapArenaTests", dependencies: ["HeapscanTestSupport", "HeapArena", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "HeapGraphTests", dependencies: ["HeapscanTestSupport", "HeapGraph", "HeapArena", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "HeapAnalysisTests", dependencies: ["HeapscanTestSupport", "HeapAnalysis", "HeapGraph", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "ManagedHeapTests", dependencies: ["HeapscanTestSupport", "ManagedHeap", "HeapArena", "HeapAnalysis", "HeapGraph", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "HeapFormatsTests", dependencies: ["HeapFormats", "HeapAnalysis", "HeapGraph"], exclude: ["Java", "Node"]),
        .testTarget(name: "HeapGraphvizTests", dependencies: ["HeapGraphviz", "HeapAnalysis", "HeapGraph"], exclude: ["Golden"]),
        .testTarget(name: "HeapTestingTests", dependencies: ["HeapTesting", "ManagedHeap", "HeapAnalysis", "HeapGraph"]),
        .testTarget(name: "HeapReportTests", dependencies: ["HeapReport", "HeapAnalysis", "HeapGraph"], exclude: ["Browser"]),
        .testTarget(name: "HeapscanSwiftTests", dependencies: ["HeapscanSwift", "HeapTesting", "HeapAnalysis", "HeapGraph"]),
        .testTarget(name: "heapscanTests", dependencies: ["heapscan", "HeapGraph"], exclude: ["Inputs", "Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
