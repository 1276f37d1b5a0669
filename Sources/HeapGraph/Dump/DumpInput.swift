// DumpInput — where a reader takes bytes from: memory, or a file read in large pieces straight into
// the destination columns. Either way the reader knows the total size up front, so every count can
// be checked against the bytes that are really left before anything is allocated.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only byte source of known size.
protocol DumpInput {
    /// Bytes consumed so far.
    var offset: Int { get }
    /// Total bytes in the input.
    var size: Int { get }
    /// Fills `destination` completely or throws `.truncated`.
    mutating func read(into destination: UnsafeMutableRawBufferPointer) throws(DumpError)
}

/// Bytes already in memory.
struct MemoryInput: DumpInput {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0
    var size: Int { bytes.count }

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func read(into destination: UnsafeMutableRawBufferPointer) throws(DumpError) {
        guard destination.count <= size - offset else {
            throw DumpError(.truncated, offset: size, "the input ends after \(size) bytes, \(destination.count) more were expected")
        }
        if let target = destination.baseAddress, let source = bytes.baseAddress, !destination.isEmpty {
            target.copyMemory(from: source + offset, byteCount: destination.count)
        }
        offset += destination.count
    }
}

/// An open file read through a small buffer for small values and directly for large runs.
final class FileInput: DumpInput {
    private let fd: Int32
    let path: String
    let size: Int
    /// Bytes consumed by the reader.
    private(set) var offset = 0
    /// Buffered bytes `buffer[bufferStart..<bufferEnd]` are the file's bytes at `offset...`.
    private let buffer: UnsafeMutableRawPointer
    private let bufferCapacity = 1 << 16
    private var bufferStart = 0
    private var bufferEnd = 0

    /// Opens `path` for reading.
    init(path: String) throws(DumpError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DumpError(.io, file: path, "cannot open: \(systemError())") }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = systemError()
            close(descriptor)
            throw DumpError(.io, file: path, "cannot stat: \(reason)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw DumpError(.io, file: path, "expected a regular file")
        }
        fd = descriptor
        self.path = path
        size = Int(info.st_size)
        buffer = .allocate(byteCount: bufferCapacity, alignment: 16)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Up to `count` next bytes without consuming them (fewer at the end of the file).
    func peek(_ count: Int) throws(DumpError) -> [UInt8] {
        if bufferEnd - bufferStart < count { try refill(minimum: min(count, size - offset)) }
        let available = min(count, bufferEnd - bufferStart)
        return [UInt8](UnsafeRawBufferPointer(start: buffer + bufferStart, count: available))
    }

    /// The file's first bytes for format detection, with the run of JSON whitespace (space, tab, CR,
    /// LF) that may follow an optional UTF-8 byte order mark reduced to one space: a BOM (if any), one
    /// space (if any whitespace), then up to `count` bytes from the first other byte. Reads with
    /// `pread`, so nothing is consumed.
    /// - Complexity: O(leading whitespace + count), in 64 KiB reads.
    func headForDetection(_ count: Int) throws(DumpError) -> [UInt8] {
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var piece = [UInt8](repeating: 0, count: 1 << 16)
        var head: [UInt8] = []
        var at = 0
        var skippedBlank = false
        while at < size {
            let got = try pieceRead(into: &piece, at: at)
            guard got > 0 else { break }
            var k = 0
            if at == 0 && got >= 3 && piece[0] == 0xEF && piece[1] == 0xBB && piece[2] == 0xBF {
                head = [0xEF, 0xBB, 0xBF]
                k = 3
            }
            let blankStart = k
            while k < got && isBlank(piece[k]) { k += 1 }
            if k > blankStart { skippedBlank = true }
            if k < got {
                if skippedBlank { head.append(0x20) }
                head += piece[k..<min(got, k + count)]
                return head
            }
            at += got
        }
        if skippedBlank { head.append(0x20) }
        return head
    }

    /// `pread` of up to `buffer.count` bytes at `offset`; the number read (0 at the end).
    private func pieceRead(into buffer: inout [UInt8], at offset: Int) throws(DumpError) -> Int {
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if n >= 0 { return n }
            if errno != EINTR { throw DumpError(.io, file: path, offset: offset, "cannot read: \(systemError())") }
        }
    }

    /// Calls `body` with the rest of the file mapped read-only (file-backed pages the system can drop
    /// and read again, so a large JSON text does not sit in the process's own memory beside the
    /// snapshot it becomes); falls back to one read into an array where mapping fails.
    /// - Complexity: O(1) to map; the pages are read as `body` touches them.
    /// `body` also gets a function that gives back the pages below an offset of the buffer (the
    /// reader is done with them; reading them again maps them in again), or nil for the array.
    func withMappedRemaining<R>(
        _ body: (UnsafeBufferPointer<UInt8>, ((Int) -> Void)?) throws(DumpError) -> R
    ) throws(DumpError) -> R {
        let count = size - offset
        let length = count + offset
        guard count > 0, let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            let bytes = try readRemaining()
            return try bytes.withUnsafeBufferPointer { (buffer) throws(DumpError) in try body(buffer, nil) }
        }
        defer { munmap(base, length) }
        _ = madvise(base, length, MADV_SEQUENTIAL)
        let start = offset
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let release = { (below: Int) in
            // Whole pages only, below the offset; file-backed and unmodified, so nothing is lost.
            let end = ((start + below) / page) * page
            if end > 0 { _ = madvise(base, end, MADV_DONTNEED) }
        }
        let text = UnsafeBufferPointer(start: base.advanced(by: start).assumingMemoryBound(to: UInt8.self), count: count)
        return try body(text, release)
    }

    /// The whole remaining file, in one array sized by the file's real size.
    func readRemaining() throws(DumpError) -> [UInt8] {
        let count = size - offset
        var failure: DumpError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
            do { try read(into: UnsafeMutableRawBufferPointer(storage)) } catch let error as DumpError { failure = error } catch {}
            initialized = failure == nil ? count : 0
        }
        if let failure { throw failure }
        return bytes
    }

    func read(into destination: UnsafeMutableRawBufferPointer) throws(DumpError) {
        guard var target = destination.baseAddress, !destination.isEmpty else { return }
        guard destination.count <= size - offset else {
            throw DumpError(.truncated, file: path, offset: size, "the file ends after \(size) bytes, \(destination.count) more were expected")
        }
        var left = destination.count
        // First whatever is buffered.
        let buffered = min(left, bufferEnd - bufferStart)
        if buffered > 0 {
            target.copyMemory(from: buffer + bufferStart, byteCount: buffered)
            bufferStart += buffered
            target += buffered
            left -= buffered
            offset += buffered
        }
        if left == 0 { return }
        if left < bufferCapacity / 2 {
            try refill(minimum: left)
            target.copyMemory(from: buffer + bufferStart, byteCount: left)
            bufferStart += left
            offset += left
            return
        }
        // A large run: straight into the destination.
        try readFully(into: target, count: left)
        offset += left
    }

    /// Makes at least `minimum` bytes available in the buffer.
    private func refill(minimum: Int) throws(DumpError) {
        let pending = bufferEnd - bufferStart
        if pending > 0 && bufferStart > 0 { buffer.copyMemory(from: buffer + bufferStart, byteCount: pending) }
        bufferStart = 0
        bufferEnd = pending
        let fileBytesLeft = size - offset - pending
        let wanted = min(bufferCapacity - pending, fileBytesLeft)
        guard wanted > 0 else { return }
        var got = 0
        while bufferEnd - bufferStart < minimum && got < wanted {
            let n = systemRead(fd, buffer + bufferEnd, wanted - got)
            if n < 0 {
                if errno == EINTR { continue }
                throw DumpError(.io, file: path, offset: offset, "cannot read: \(systemError())")
            }
            if n == 0 { throw DumpError(.truncated, file: path, offset: offset + bufferEnd, "the file shrank while being read") }
            got += n
            bufferEnd += n
        }
    }

    private func readFully(into target: UnsafeMutableRawPointer, count: Int) throws(DumpError) {
        var done = 0
        while done < count {
            let n = systemRead(fd, target + done, count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw DumpError(.io, file: path, offset: offset + done, "cannot read: \(systemError())")
            }
            if n == 0 { throw DumpError(.truncated, file: path, offset: offset + done, "the file shrank while being read") }
            done += n
        }
    }
}

/// `read(2)`, under a name the input types' own `read` does not hide.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
