// FuzzJSON — libFuzzer entry for the JSON interchange reader. Built by scripts/fuzz together with
// HeapGraph's sources (one module) against HeapArena; any input must give a snapshot or a DumpError.
// A graph that reads must export to JSON that reads back to the same graph.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    var warnings: [DumpWarning] = []
    // Alternate the unknown-reference policy with the input's length.
    let policy: HeapSnapshotBuilder.UnknownReferencePolicy = size % 2 == 0 ? .reject : .drop
    if let snapshot = try? HeapSnapshot(jsonData: bytes, unknownReferences: policy, warnings: &warnings) {
        guard let back = try? HeapSnapshot(jsonData: snapshot.jsonData()), back.isEquivalent(to: snapshot) else {
            fatalError("a graph read from fuzz input does not round-trip through JSON")
        }
    }
    return 0
}
