// Progress — a one-line status on stderr ("heapscan: reading big.heap… 2.4 s") for work that takes
// more than a second, shown only when stderr is a terminal so that pipes, files and CI logs stay clean;
// and InBackground, which runs an analysis on a second thread while the command works on another.
import Foundation
import HeapAnalysis

/// The command's current phase, redrawn on stderr a few times a second once a second has passed.
///
/// Commands call ``step(_:)`` as they move from reading to analysing; the first write to standard
/// output (through ``Output``) calls ``finish()``, which erases the line, so results never mix with it.
final class Progress: @unchecked Sendable {
    /// The one status line of this process.
    static let shared = Progress()

    /// Draws only on a terminal, and never when `HEAPSCAN_NO_PROGRESS` is set.
    let enabled: Bool = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["HEAPSCAN_NO_PROGRESS"] == nil

    // Guarded by `lock`: the timer fires on a Dispatch queue while the command runs on the main thread.
    private let lock = NSLock()
    private var phase: String?
    private var start: UInt64 = 0
    private var drawn = false
    private var timer: DispatchSourceTimer?

    /// Work that has run this long gets a status line.
    private let delayNanoseconds: UInt64 = 1_000_000_000

    /// Names the work now under way (`"reading app.heap"`); starts the clock on the first call.
    func step(_ phase: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        self.phase = HeapText.terminalEscaped(phase, escapingBackslashes: false)
        guard timer == nil else { return }
        start = DispatchTime.now().uptimeNanoseconds
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        timer.setEventHandler { [weak self] in self?.draw() }
        timer.resume()
        self.timer = timer
    }

    /// Stops the clock and erases the line if one was drawn.
    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        phase = nil
        if drawn {
            Streams.writeError("\r\u{1B}[K")
            drawn = false
        }
    }

    private func draw() {
        lock.lock()
        defer { lock.unlock() }
        guard let phase else { return }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        guard elapsed >= delayNanoseconds else { return }
        let seconds = String(format: "%.1f", Double(elapsed) / 1e9)
        Streams.writeError("\r\u{1B}[Kheapscan: \(phase)… \(seconds) s")
        drawn = true
    }
}

/// A computation started on a thread of its own, its result collected with ``wait()``: lets a command
/// run two independent analyses at once without making the command asynchronous.
final class InBackground<Result: Sendable>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// Written once by the worker thread before `finished` is signalled; read after the wait.
    private var result: Result?

    init(_ body: @escaping @Sendable () -> Result) {
        Thread.detachNewThread { [self] in
            result = body()
            finished.signal()
        }
    }

    /// Blocks until the computation is done and returns its result.
    func wait() -> Result {
        finished.wait()
        guard let result else { preconditionFailure("the background computation finished without a result") }
        return result
    }
}
