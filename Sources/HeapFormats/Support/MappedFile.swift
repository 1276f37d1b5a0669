// MappedFile — a read-only memory mapping of a dump file. Readers see the whole file as bytes
// without holding it in their own memory; pages already read can be handed back to the kernel so
// the process's resident size tracks what a pass is reading, not the file's size.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HeapGraph

/// A file mapped read-only; unmapped on deinit.
final class MappedFile {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer?

    /// Maps `path`.
    init(path: String) throws(DumpError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DumpError(.io, file: path, "cannot open: \(MappedFile.systemError())") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DumpError(.io, file: path, "cannot stat: \(MappedFile.systemError())") }
        let size = Int(info.st_size)
        guard size > 0 else {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw DumpError(.io, file: path, "cannot map \(size) bytes: \(MappedFile.systemError())")
        }
        base = p
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit {
        if let base { munmap(base, bytes.count) }
    }

    /// Hands the pages of `range` back to the kernel (they are read again from the file if touched).
    func release(_ range: Range<Int>) {
        guard let base, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound / page * page
        let end = Swift.min(range.upperBound / page * page, bytes.count)
        guard end > start else { return }
        madvise(base + start, end - start, Int32(MADV_DONTNEED))
    }

    static func systemError() -> String { String(cString: strerror(errno)) }
}
