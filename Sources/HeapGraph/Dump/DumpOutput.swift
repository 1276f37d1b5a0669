// DumpOutput — the buffered byte sink both writers stream into: memory, or a file. A regular file is
// written as a temporary file (nameless with O_TMPFILE where the system has it), synced and renamed
// into place, so the final name is always absent, the old file or the complete new one; FIFOs,
// character devices and standard output are written through; symlinks are followed. It also keeps the
// running CRC32 of the binary format's current section.
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
    /// Open descriptor written to; -1 in memory and once finished.
    private var fd: Int32
    /// How the bytes reach `finalPath`.
    private let destination: OutputDestination?
    /// The path as given, for error messages.
    private let finalPath: String?
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
        destination = nil
    }

    /// Output to `path`: see ``OutputDestination/open(_:)`` for what each kind of path gets.
    init(path: String) throws(DumpError) {
        let (destination, descriptor) = try OutputDestination.open(path)
        capacity = 1 << 20
        buffer = .allocate(byteCount: capacity, alignment: 16)
        fd = descriptor
        isFile = true
        finalPath = path
        self.destination = destination
    }

    deinit {
        if fd >= 0 {
            // Not finished: an error or a thrown writer. Leave the previous file alone.
            destination?.abandon(fd)
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

    /// Flushes; for a regular file also syncs and renames (or links) the temporary file into place.
    func finish() throws(DumpError) {
        guard fd >= 0, let finalPath, let destination else { return }
        flushBuffer()
        let descriptor = fd
        fd = -1
        if let failure {
            destination.abandon(descriptor)
            throw failure
        }
        try destination.complete(descriptor, path: finalPath)
    }
}

/// The text of the current `errno`.
func systemError() -> String {
    let code = errno
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

/// Writes whole files by the same rules as a dump: a regular file replaced atomically, FIFOs,
/// character devices and standard streams written through, symlinks followed (docs/cli.md).
public enum OutputFile {
    /// Writes `bytes` to `path` (for pictures and other output that is not a dump).
    /// - Throws: ``DumpError`` of kind `.io` naming `path` and the system's reason.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(DumpError) {
        let out = try DumpOutput(path: path)
        out.append(bytes)
        try out.finish()
    }

    /// Writes `bytes` to `path`; see ``write(_:to:)-(UnsafeRawBufferPointer,_)``.
    public static func write(_ bytes: [UInt8], to path: String) throws(DumpError) {
        let result: Result<Void, DumpError> = bytes.withUnsafeBytes { raw in
            do throws(DumpError) { return .success(try write(raw, to: path)) } catch { return .failure(error) }
        }
        try result.get()
    }
}
