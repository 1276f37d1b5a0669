// DumpOutput — the buffered byte sink both writers stream into: a temporary file that is fsync'd and
// renamed into place when complete (a crash mid-write leaves the previous file untouched), or memory.
// It also keeps the running CRC32 of the binary format's current section.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Little-endian, buffered output with an optional running checksum.
///
/// Small values are copied into a buffer; a large array is checksummed and written straight from its
/// own storage, so writing a dump never holds a second copy of the heap. The first I/O error is kept
/// and every later append is skipped, so the hot paths need not throw; `finish()` reports it.
final class DumpOutput {
    /// Start of the buffer; `capacity` bytes, `used` of them filled.
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var used = 0
    /// Bytes of the buffer already fed to `crc` (`checksummedUpTo <= used`).
    private var checksummedUpTo = 0
    /// Whether the output goes to a file; in memory the buffer just grows.
    private let isFile: Bool
    /// Open descriptor of the temporary file; -1 in memory and once finished.
    private var fd: Int32
    /// Final and temporary paths when writing a file.
    private let finalPath: String?
    private let temporaryPath: String?
    /// Bytes handed to the file so far (not counting the buffer).
    private var flushedBytes = 0
    /// The first failure; once set, appends are ignored.
    private(set) var failure: DumpError?
    /// Whether appended bytes feed `crc`.
    var checksumming = false
    /// Running checksum of the bytes appended while `checksumming`.
    private var crcState = CRC32()

    /// Bytes appended so far.
    var position: Int { flushedBytes + used }

    /// Output kept in memory.
    init() {
        capacity = 1 << 16
        buffer = .allocate(byteCount: capacity, alignment: 16)
        fd = -1
        isFile = false
        finalPath = nil
        temporaryPath = nil
    }

    /// Output to a new temporary file beside `path`, renamed to `path` by `finish()`.
    init(path: String) throws(DumpError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw DumpError(.io, file: path, "expected a file name, got a directory path") }
        var candidate = ""
        var descriptor: Int32 = -1
        for attempt in 0..<100 {
            candidate = "\(directory)/.\(name).tmp-\(getpid())-\(attempt)"
            descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw DumpError(.io, file: path, "cannot create a temporary file in \(directory): \(systemError())")
        }
        capacity = 1 << 20
        buffer = .allocate(byteCount: capacity, alignment: 16)
        fd = descriptor
        isFile = true
        finalPath = path
        temporaryPath = candidate
    }

    deinit {
        if fd >= 0 {
            // Not finished: an error or a thrown writer. Leave the previous file alone.
            close(fd)
            if let temporaryPath { unlink(temporaryPath) }
        }
        buffer.deallocate()
    }

    // MARK: Checksums

    /// Starts a fresh checksum over the bytes appended from now on.
    func beginChecksum() {
        checksummedUpTo = used
        crcState = CRC32()
        checksumming = true
    }

    /// Ends the checksum and returns it.
    func endChecksum() -> UInt32 {
        feedPendingChecksum()
        checksumming = false
        return crcState.checksum
    }

    private func feedPendingChecksum() {
        if checksumming && checksummedUpTo < used {
            crcState.update(UnsafeRawBufferPointer(start: buffer + checksummedUpTo, count: used - checksummedUpTo))
        }
        checksummedUpTo = used
    }

    // MARK: Appending

    /// Makes room for `count` more bytes in the buffer (flushing, or growing in memory mode).
    @inline(__always)
    private func reserve(_ count: Int) {
        if capacity - used >= count { return }
        if isFile {
            flushBuffer()
            if capacity >= count { return }
        }
        var newCapacity = capacity
        while newCapacity - used < count { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        grown.copyMemory(from: buffer, byteCount: used)
        buffer.deallocate()
        buffer = grown
        capacity = newCapacity
    }

    /// Appends one integer, little-endian.
    @inline(__always)
    func append<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        reserve(size)
        (buffer + used).storeBytes(of: value.littleEndian, as: T.self)
        used += size
    }

    /// Appends one byte.
    @inline(__always)
    func appendByte(_ byte: UInt8) {
        reserve(1)
        (buffer + used).storeBytes(of: byte, as: UInt8.self)
        used += 1
    }

    /// Appends raw bytes; a large run bypasses the buffer.
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if bytes.count <= capacity - used || !isFile {
            reserve(bytes.count)
            (buffer + used).copyMemory(from: base, byteCount: bytes.count)
            used += bytes.count
            return
        }
        // Large: checksum and write in cache-sized chunks straight from the caller's storage.
        flushBuffer()
        var offset = 0
        let chunk = 1 << 18
        while offset < bytes.count {
            let piece = UnsafeRawBufferPointer(start: base + offset, count: min(chunk, bytes.count - offset))
            if checksumming { crcState.update(piece) }
            writeFully(piece)
            flushedBytes += piece.count
            offset += piece.count
        }
    }

    /// Appends the bytes of a string, as UTF-8.
    func append(utf8 string: String) {
        var copy = string
        copy.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends every element of `array`, each little-endian.
    func append<T: FixedWidthInteger>(array: [T]) {
        #if _endian(little)
        array.withUnsafeBytes { append($0) }
        #else
        for value in array { append(value) }
        #endif
    }

    /// Appends `value` in decimal ASCII.
    func appendDecimal(_ value: UInt64) {
        reserve(20)
        if value < 10 {
            (buffer + used).storeBytes(of: UInt8(truncatingIfNeeded: value) &+ 0x30, as: UInt8.self)
            used += 1
            return
        }
        var digits = 0
        var v = value
        while v > 0 { digits += 1; v /= 10 }
        v = value
        var at = used + digits - 1
        while v > 0 {
            (buffer + at).storeBytes(of: UInt8(truncatingIfNeeded: v % 10) &+ 0x30, as: UInt8.self)
            v /= 10
            at -= 1
        }
        used += digits
    }

    // MARK: Finishing

    /// Writes out the buffer.
    private func flushBuffer() {
        feedPendingChecksum()
        guard fd >= 0, used > 0 else { return }
        writeFully(UnsafeRawBufferPointer(start: buffer, count: used))
        flushedBytes += used
        used = 0
        checksummedUpTo = 0
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                failure = DumpError(.io, file: finalPath, offset: flushedBytes, "cannot write: \(systemError())")
                return
            }
            p += n
            left -= n
        }
    }

    /// The bytes written to memory.
    func takeBytes() -> [UInt8] {
        precondition(!isFile, "takeBytes is for in-memory output")
        return [UInt8](UnsafeRawBufferPointer(start: buffer, count: used))
    }

    /// Flushes, syncs, and renames the temporary file into place.
    func finish() throws(DumpError) {
        guard fd >= 0, let finalPath, let temporaryPath else { return }
        flushBuffer()
        if failure == nil && fsync(fd) != 0 {
            failure = DumpError(.io, file: finalPath, "cannot sync to disk: \(systemError())")
        }
        close(fd)
        fd = -1
        if let failure {
            unlink(temporaryPath)
            throw failure
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = systemError()
            unlink(temporaryPath)
            throw DumpError(.io, file: finalPath, "cannot rename the temporary file into place: \(reason)")
        }
        // Make the rename itself durable; a failure here loses nothing already written.
        let slash = finalPath.lastIndex(of: "/")
        let directory = slash.map { String(finalPath[..<$0]) } ?? "."
        let dirFD = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }
}

/// The text of the current `errno`.
func systemError() -> String {
    let code = errno
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
