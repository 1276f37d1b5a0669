// V8Strings — the `strings` array of a .heapsnapshot: every name and string text, which the nodes and
// named edges refer to by index (V8 writes each distinct string once, last in the file).
import HeapGraph

extension V8ByteScanner {
    /// Reads the `strings` array.
    mutating func readStrings() throws(DumpError) -> [String] {
        var strings: [String] = []
        guard try openArray("strings") else { return strings }
        repeat { strings.append(try string()) } while try continues(closing: UInt8(ascii: "]"))
        return strings
    }
}
