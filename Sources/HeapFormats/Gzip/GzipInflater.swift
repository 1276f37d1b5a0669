// GzipInflater — the one Swift file that calls zlib: decompresses a gzip file (one or more members,
// as `jcmd GC.heap_dump -gz` writes) to a temporary file, streaming through fixed buffers so memory
// stays bounded whatever the size. Errors name the compressed file and the compressed byte offset.
import CZlib
import Foundation
import HeapGraph

/// gzip decompression for every dump format.
enum GzipInflater {
    /// gzip's magic bytes.
    static let magic: [UInt8] = [0x1F, 0x8B]

    /// Decompresses `source` into a new temporary file and returns its path (the caller removes it).
    /// - Complexity: O(compressed + decompressed size); memory: two 1 MiB buffers.
    static func inflate(file source: String) throws(DumpError) -> String {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw DumpError(.io, file: source, "cannot open: \(MappedFile.systemError())")
        }
        defer { try? input.close() }
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("heapscan-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).dump").path
        guard FileManager.default.createFile(atPath: target, contents: nil), let output = FileHandle(forWritingAtPath: target) else {
            throw DumpError(.io, file: target, "cannot create a temporary file for the decompressed dump")
        }
        defer { try? output.close() }
        do {
            try inflate(input, into: output, name: source)
        } catch {
            try? FileManager.default.removeItem(atPath: target)
            throw error
        }
        return target
    }

    /// The streaming loop: read a chunk, inflate it all, write what came out; a new gzip member may
    /// follow the end of one.
    private static func inflate(_ input: FileHandle, into output: FileHandle, name: String) throws(DumpError) {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DumpError(.io, file: name, "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 20
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { out.deallocate() }
        var consumed = 0
        var ended = false
        while true {
            let data = input.readData(ofLength: chunk)
            if data.isEmpty { break }
            var bytes = [UInt8](data)
            var position = 0
            while position < bytes.count {
                if ended {
                    guard inflateReset(&stream) == Z_OK else { throw DumpError(.io, file: name, "zlib could not reset") }
                    ended = false
                }
                let status = bytes.withUnsafeMutableBufferPointer { b -> Int32 in
                    stream.next_in = b.baseAddress! + position
                    stream.avail_in = UInt32(b.count - position)
                    stream.next_out = out
                    stream.avail_out = UInt32(chunk)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let used = bytes.count - position - Int(stream.avail_in)
                position += used
                let produced = chunk - Int(stream.avail_out)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw DumpError(.malformed, file: name, offset: consumed + position, "expected gzip-compressed data (zlib: \(status == Z_DATA_ERROR ? "invalid data" : "error \(status)"))")
                }
                if produced > 0 { output.write(Data(bytesNoCopy: out, count: produced, deallocator: .none)) }
                if status == Z_BUF_ERROR && used == 0 && produced == 0 { break }
                if status == Z_STREAM_END { ended = true }
                // Leftover bytes after a member are only another member if they begin like one.
                if ended && position < bytes.count && bytes[position] != 0x1F { position = bytes.count }
            }
            consumed += bytes.count
            bytes = []
        }
        guard ended else {
            throw DumpError(.truncated, file: name, offset: consumed, "expected more gzip-compressed data: the file ends inside the stream")
        }
    }
}
