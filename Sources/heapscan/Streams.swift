// Streams — the process's standard output and error written with write(2), so that a full disk, a
// closed descriptor or a reader that went away is an error the command reports (one line, exit 2) or,
// for a broken pipe, a quiet end of output — never a trap inside Foundation's FileHandle.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and standard error as plain descriptors.
enum Streams {
    /// Why a write to a standard stream failed.
    struct WriteFailure: Error {
        /// The `errno` of the failed write.
        var code: Int32
        /// The system's words for `code` (`No space left on device`).
        var reason: String {
            guard let text = strerror(code) else { return "error \(code)" }
            return String(cString: text)
        }
    }

    /// Descriptors 0–2 that were closed when the process started (each now holds /dev/null so that a
    /// file opened later cannot take its number and receive the output meant for the stream).
    nonisolated(unsafe) private(set) static var closedAtStart: Set<Int32> = []

    /// Set once a write to standard output met a closed pipe: the rest of the output is dropped.
    nonisolated(unsafe) private(set) static var outputPipeClosed = false

    /// Fills closed standard descriptors with /dev/null and remembers which were closed; call first.
    static func guardStandardDescriptors() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            closedAtStart.insert(fd)
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd {
                _ = dup2(opened, fd)
                close(opened)
            }
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and interruptions.
    /// - Throws: ``WriteFailure`` with the `errno` of the first failed write (`EBADF` for a stream
    ///   that was closed at start).
    static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) throws(WriteFailure) {
        guard !closedAtStart.contains(fd) else { throw WriteFailure(code: EBADF) }
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = systemWrite(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteFailure(code: errno)
            }
            p += n
            left -= n
        }
    }

    /// Writes `text` to standard output.
    ///
    /// A closed pipe (`EPIPE`: the reader, say `head`, has all it wanted) ends the output quietly: this
    /// and every later write are dropped and the command finishes with its own exit status.
    /// - Throws: ``CommandFailure`` naming the system's reason for any other failure (a full disk, a
    ///   closed descriptor).
    static func writeOutput(_ text: String) throws(CommandFailure) {
        guard !outputPipeClosed else { return }
        var text = text
        let failure: WriteFailure? = text.withUTF8 { buffer in
            do throws(WriteFailure) {
                try write(UnsafeRawBufferPointer(buffer), to: STDOUT_FILENO)
                return nil
            } catch {
                return error
            }
        }
        guard let failure else { return }
        if failure.code == EPIPE {
            outputPipeClosed = true
            return
        }
        throw CommandFailure("cannot write to standard output: \(failure.reason)")
    }

    /// Writes `text` to standard error; a failure is ignored (there is nowhere left to report it), and
    /// the command still exits with its status.
    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { buffer in try? write(UnsafeRawBufferPointer(buffer), to: STDERR_FILENO) }
    }
}

/// `write(2)`, under a name `Streams.write` does not hide.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
