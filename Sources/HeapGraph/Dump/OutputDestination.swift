// OutputDestination — where a written dump goes, decided once from what is at the path: a regular file
// (or nothing) is replaced atomically through a temporary file; a FIFO, a character device or an
// inherited descriptor (/dev/stdout, /dev/fd/N) is written through; symlinks are followed to their target.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a ``DumpOutput`` reaches its path (docs/cli.md, "Where output goes").
enum OutputDestination {
    /// A regular file (or a new one) replaced by rename: the bytes go to a temporary in `directory`,
    /// nameless (`O_TMPFILE`, nothing to clean up after a crash) when `temporaryPath` is nil, else
    /// `.NAME.tmp-PID-N`; `finalPath` is the symlink-resolved name that is replaced.
    case replace(finalPath: String, directory: String, temporaryPath: String?)
    /// Written straight to the open descriptor (a FIFO, a character device, a duplicated standard stream).
    case through

    /// Longest chain of symlinks followed (Linux's own limit).
    private static let maxSymlinkHops = 40

    /// Opens `path` for writing and says how it will be completed.
    ///
    /// - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: the process's descriptor, written through.
    /// - A symlink: followed (up to 40 hops) and the rules applied to its target; the link stays.
    /// - A FIFO or a character device: opened and written through (a FIFO waits for its reader).
    /// - A regular file or nothing: a temporary file beside the target, renamed over it by `complete`;
    ///   an existing file's permission bits are kept. Stale `.NAME.tmp-PID-N` files of dead processes in
    ///   that directory are removed first.
    /// - A directory, a block device or a socket: refused.
    static func open(_ path: String) throws(DumpError) -> (OutputDestination, Int32) {
        let target = try resolveSymlinks(path)
        if let inherited = descriptorNumber(target) {
            let fd = dup(inherited)
            guard fd >= 0 else { throw DumpError(.io, file: path, "cannot write to descriptor \(inherited): \(systemError())") }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            return (.through, fd)
        }
        var info = stat()
        var existingMode: mode_t? = nil
        if lstat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                existingMode = info.st_mode & 0o7777
            case S_IFIFO, S_IFCHR:
                let fd = openFile(target, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw DumpError(.io, file: path, "cannot open for writing: \(systemError())") }
                return (.through, fd)
            case S_IFDIR:
                throw DumpError(.io, file: path, "is a directory, expected a file name")
            case S_IFBLK:
                throw DumpError(.io, file: path, "is a block device; a dump is not written onto one")
            default:
                throw DumpError(.io, file: path, "is neither a regular file, a FIFO nor a character device")
            }
        } else if errno != ENOENT {
            throw DumpError(.io, file: path, "cannot inspect: \(systemError())")
        }
        let (directory, name) = split(target)
        guard !name.isEmpty else { throw DumpError(.io, file: path, "expected a file name, got a directory path") }
        removeStaleTemporaries(in: directory)
        var fd: Int32 = -1
        var temporaryPath: String? = nil
        #if os(Linux)
        // O_TMPFILE is (__O_TMPFILE | O_DIRECTORY); Swift does not import the macro.
        fd = openFile(directory, 0o20000000 | O_DIRECTORY | O_WRONLY | O_CLOEXEC, 0o644)
        #endif
        if fd < 0 {
            // No O_TMPFILE here (an old kernel, a file system without it): a named temporary.
            var candidate = ""
            for attempt in 0..<100 {
                candidate = "\(directory)/.\(name).tmp-\(getpid())-\(attempt)"
                fd = openFile(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                if fd >= 0 || errno != EEXIST { break }
            }
            guard fd >= 0 else {
                throw DumpError(.io, file: path, "cannot create a temporary file in \(directory): \(systemError())")
            }
            temporaryPath = candidate
        }
        if let existingMode { _ = fchmod(fd, existingMode) }
        return (.replace(finalPath: target, directory: directory, temporaryPath: temporaryPath), fd)
    }

    /// Gives up: closes `fd` and removes a named temporary; the final name is untouched.
    func abandon(_ fd: Int32) {
        close(fd)
        if case .replace(_, _, let temporaryPath?) = self { unlink(temporaryPath) }
    }

    /// Completes a write whose bytes are all in `fd`: syncs, names and renames a temporary into place
    /// (then syncs the directory), or just closes a written-through descriptor. `path` is for messages.
    func complete(_ fd: Int32, path: String) throws(DumpError) {
        guard case .replace(let finalPath, let directory, let temporaryPath) = self else {
            close(fd)
            return
        }
        guard fsync(fd) == 0 else {
            let reason = systemError()
            abandon(fd)
            throw DumpError(.io, file: path, "cannot sync to disk: \(reason)")
        }
        let named: String
        if let temporaryPath {
            named = temporaryPath
        } else {
            // A nameless file gets a temporary name (rename needs one; linkat cannot replace a file).
            var candidate = ""
            var linked = false
            for attempt in 0..<100 {
                candidate = "\(directory)/.\(Self.split(finalPath).name).tmp-\(getpid())-\(attempt)"
                if linkNameless(fd, to: candidate) { linked = true; break }
                if errno != EEXIST { break }
            }
            guard linked else {
                let reason = systemError()
                close(fd)
                throw DumpError(.io, file: path, "cannot give the temporary file a name in \(directory): \(reason)")
            }
            named = candidate
        }
        close(fd)
        guard rename(named, finalPath) == 0 else {
            let reason = systemError()
            unlink(named)
            throw DumpError(.io, file: path, "cannot rename the temporary file into place: \(reason)")
        }
        // Make the rename itself durable; a failure here loses nothing already written.
        let dirFD = openFile(directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    // MARK: Helpers

    /// Links the nameless file `fd` at `name`, through /proc (no privilege needed) or AT_EMPTY_PATH.
    private func linkNameless(_ fd: Int32, to name: String) -> Bool {
        #if os(Linux)
        if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0 { return true }
        if errno == EEXIST { return false }
        // AT_EMPTY_PATH (0x1000): needs CAP_DAC_READ_SEARCH, for systems without /proc.
        return linkat(fd, "", AT_FDCWD, name, 0x1000) == 0
        #else
        return false
        #endif
    }

    /// The descriptor a path names when it is one of this process's own (`/dev/stdout` is 1).
    static func descriptorNumber(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        case "/dev/stdin": return 0
        default: break
        }
        for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/\(getpid())/fd/"] where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            if !rest.isEmpty, rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber), let n = Int32(rest) { return n }
        }
        return nil
    }

    /// `path` with symlinks followed to a name that is not one (it may not exist), or one of this
    /// process's descriptors, which is not followed further (its link text is not a path).
    static func resolveSymlinks(_ path: String) throws(DumpError) -> String {
        var current = path
        for _ in 0...maxSymlinkHops {
            if descriptorNumber(current) != nil { return current }
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var bytes = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = bytes.withUnsafeMutableBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { readlink(current, $0.baseAddress!, Int(PATH_MAX)) }
            }
            guard n > 0 else { throw DumpError(.io, file: path, "cannot read the symlink \(current): \(systemError())") }
            let link = String(decoding: bytes[..<n], as: UTF8.self)
            current = link.hasPrefix("/") ? link : split(current).directory + "/" + link
        }
        throw DumpError(.io, file: path, "more than \(maxSymlinkHops) symlinks to follow")
    }

    /// Directory and last component of `path` (`.` when it has no slash, `/` for a top-level name).
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// Removes `.NAME.tmp-PID-N` files in `directory` whose process is gone (a `kill -9` mid-write
    /// without O_TMPFILE, or in the instant between naming and renaming). Files of live processes,
    /// and anything not named exactly so, are left alone.
    /// - Complexity: O(entries in the directory).
    static func removeStaleTemporaries(in directory: String) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        let me = getpid()
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            guard let pid = stalePID(name), pid != me else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    /// The process id in a temporary's name `.NAME.tmp-PID-N`, or nil when the name is not one.
    static func stalePID(_ name: String) -> pid_t? {
        let bytes = Array(name.utf8)
        let marker = Array(".tmp-".utf8)
        guard bytes.first == UInt8(ascii: "."), bytes.count > marker.count + 2,
            let at = stride(from: bytes.count - marker.count, through: 2, by: -1).first(where: { bytes[$0..<$0 + marker.count].elementsEqual(marker) })
        else { return nil }
        let parts = String(decoding: bytes[(at + marker.count)...], as: UTF8.self).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let pid = pid_t(parts[0]), pid > 0, Int(parts[1]) != nil
        else { return nil }
        return pid
    }
}

/// `open(2)`, under a name the enum's own `open` does not hide.
private func openFile(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
    open(path, flags, mode)
}
