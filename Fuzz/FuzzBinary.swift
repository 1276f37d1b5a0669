// FuzzBinary — libFuzzer entry for the binary dump reader. Built by scripts/fuzz together with
// HeapGraph's sources (one module) against HeapArena; any input must give a snapshot or a DumpError.
// A snapshot that reads must also survive its own round trip, byte for byte.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBinary(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    // Half the inputs go straight to the binary reader, half through format detection.
    let snapshot: HeapSnapshot?
    if size > 0 && data[size - 1] & 1 == 0 {
        snapshot = try? HeapSnapshot(dumpData: bytes)
    } else {
        snapshot = try? HeapSnapshot(data: bytes)
    }
    if let snapshot {
        let again = snapshot.dumpData()
        guard let back = try? HeapSnapshot(dumpData: again), back == snapshot else {
            fatalError("a snapshot read from fuzz input does not round-trip")
        }
    }
    return 0
}
