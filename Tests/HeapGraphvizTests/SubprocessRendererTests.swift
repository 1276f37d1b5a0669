// SubprocessRendererTests — the child-process renderer's error paths with stand-in programs: `cat`
// passes the DOT through, `sh` sleeps past the limit, kills itself with SIGSEGV, or fails.
import Foundation
import HeapGraphviz
import Testing

@Suite struct SubprocessRendererTests {
    let sh = URL(fileURLWithPath: "/bin/sh")
    let dot = "digraph stand_in { a -> b }"

    @Test func passesStdinToStdoutAndTellsTheFormat() throws {
        let out = try SubprocessRenderer.render(
            dot: dot, format: .png, executable: URL(fileURLWithPath: "/bin/cat"), arguments: [], timeout: .seconds(20))
        #expect(String(decoding: out, as: UTF8.self) == dot)
        let format = try SubprocessRenderer(
            executable: sh, arguments: ["-c", "cat >/dev/null; printf %s \"$\(RenderWorker.formatVariable)\""],
            timeout: .seconds(20)
        ).render(dot: dot, format: .pdf)
        #expect(String(decoding: format, as: UTF8.self) == "pdf")
    }

    @Test func largeInputAndOutputDoNotDeadlock() throws {
        let big = String(repeating: "digraph big { a -> b }\n", count: 50_000)
        let out = try SubprocessRenderer.render(
            dot: big, executable: URL(fileURLWithPath: "/bin/cat"), arguments: [], timeout: .seconds(20))
        #expect(out.count == big.utf8.count)
    }

    @Test func timeoutKillsTheChild() {
        let started = Date()
        do {
            _ = try SubprocessRenderer.render(dot: dot, executable: sh, arguments: ["-c", "exec sleep 30"], timeout: .milliseconds(300))
            Issue.record("a sleeping child rendered")
        } catch {
            #expect(error == .timedOut(seconds: 0.3))
            #expect(error.description.contains("stopped after 0.3 s"))
        }
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func crashBecomesTypedError() {
        do {
            _ = try SubprocessRenderer.render(
                dot: dot, executable: sh, arguments: ["-c", "echo 'trouble in init_rank' >&2; kill -SEGV $$"], timeout: .seconds(20))
            Issue.record("a crashing child rendered")
        } catch {
            #expect(error == .crashed(signal: SIGSEGV, stderr: "trouble in init_rank"))
        }
    }

    @Test func failureStatusAndStderrAreReported() {
        do {
            _ = try SubprocessRenderer.render(dot: dot, executable: sh, arguments: ["-c", "echo bad graph >&2; exit 3"], timeout: .seconds(20))
            Issue.record("a failing child rendered")
        } catch {
            #expect(error == .failed(status: 3, stderr: "bad graph"))
        }
    }

    @Test func missingExecutableCannotStart() {
        #expect {
            try SubprocessRenderer.render(
                dot: dot, executable: URL(fileURLWithPath: "/nonexistent/heapscan"), arguments: [], timeout: .seconds(5))
        } throws: { error in
            if case .couldNotStart = error as? GraphvizError { return true }
            return false
        }
    }
}

/// The worker's side, over pipes in this process.
@Suite struct RenderWorkerTests {
    func runWorker(_ input: Data, format: String?) -> (status: Int32, output: Data, errors: String) {
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let status = RenderWorker.run(
            input: stdin.fileHandleForReading, output: stdout.fileHandleForWriting, errors: stderr.fileHandleForWriting,
            environment: format.map { [RenderWorker.formatVariable: $0] } ?? [:])
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        return (
            status, stdout.fileHandleForReading.readDataToEndOfFile(),
            String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        )
    }

    @Test func rendersStdinToStdout() throws {
        let result = runWorker(Data("digraph w { a -> b }".utf8), format: nil)
        #expect(result.status == 0 && result.errors.isEmpty)
        #expect(try ParsedSVG(result.output).nodeTitles == ["a", "b"])
    }

    @Test func reportsBadInputAndGraphvizErrors() {
        let syntax = runWorker(Data("digraph w { a -> }".utf8), format: "svg")
        #expect(syntax.status == 1 && syntax.output.isEmpty && syntax.errors.contains("syntax error"))
        let binary = runWorker(Data([0xFF, 0xFE, 0x00]), format: "svg")
        #expect(binary.status == 2 && binary.errors.contains("not valid UTF-8"))
        let format = runWorker(Data("digraph w { a }".utf8), format: "gif\n")
        #expect(format.status == 2 && format.errors.contains("unknown output format \"gif\\n\""))
    }
}
