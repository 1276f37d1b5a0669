// FuzzHPROF — libFuzzer entry for the HPROF reader. Built by scripts/fuzz together with HeapFormats'
// HPROF sources (one module) against HeapGraph and HeapArena; any input must give a snapshot or a
// DumpError, never a crash. Inputs that lack the header get one, so the fuzzer reaches the records.
import HeapGraph

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHPROF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    if size > 0 && data[0] & 1 == 1 {
        // Half the inputs: a valid header (8-byte ids, or 4 when the second byte is odd) in front.
        let idSize: UInt8 = size > 1 && data[1] & 1 == 1 ? 4 : 8
        bytes = Array("JAVA PROFILE 1.0.2".utf8) + [0, 0, 0, 0, idSize] + [UInt8](repeating: 0, count: 8) + bytes.dropFirst()
    }
    var warnings: [DumpWarning] = []
    bytes.withUnsafeBytes { buffer in
        if let (snapshot, _) = try? HPROFReader.read(bytes: buffer, warnings: &warnings) {
            // Whatever reads must be a consistent snapshot: touch every row.
            var total = 0
            for v in snapshot.objectIndices { total &+= snapshot.edgeRange(of: v).count }
            precondition(total == snapshot.edgeCount)
        }
    }
    return 0
}
