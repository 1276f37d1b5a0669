// OutputPathTests — where `convert` and `graph -o` write, checked in a scratch directory: a regular file
// is replaced whole (permissions kept), FIFOs, character devices, /dev/stdout and `-` are written
// through and stay what they were, symlinks are followed (the link stays), a directory or a block
// device is refused in one line, and temporaries of dead processes are cleaned up.
import Foundation
import Testing

@Suite struct OutputPathTests {
    let small = "\(inputs)/small.json"
    let scratch: URL

    init() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    /// Makes a device node with the `mknod` command (as a user would).
    private func mknod(_ node: String, _ kind: String, _ major: Int, _ minor: Int) throws -> Bool {
        try Heapscan.shell("mknod \(node) \(kind) \(major) \(minor)").status == 0
    }

    private func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    private func fileType(_ name: String) throws -> FileAttributeType? {
        try FileManager.default.attributesOfItem(atPath: path(name))[.type] as? FileAttributeType
    }

    /// The bytes `convert` writes for small.json in `format`, from a plain file.
    private func expectedBytes(_ format: String) throws -> Data {
        let plain = path("plain.\(format)")
        #expect(try Heapscan.run(["convert", "--to", format, small, plain]).status == 0)
        return try Data(contentsOf: URL(fileURLWithPath: plain))
    }

    @Test func regularFileIsReplacedWholeWithItsPermissions() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let target = path("app.heap")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
        let result = try Heapscan.run(["convert", small, target])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == (try expectedBytes("heap")))
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["app.heap", "plain.heap"], "no temporary left")
    }

    @Test func standardOutputAndDashAreWrittenThrough() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let json = try expectedBytes("json")
        let dash = try Heapscan.run(["convert", "--to", "json", small, "-"])
        #expect(dash.status == 0 && dash.stderr.isEmpty, "\(dash.stderr)")
        #expect(Data(dash.stdout.utf8) == json, "the dump and nothing else on stdout")
        let devStdout = try Heapscan.run(["convert", "--to", "json", small, "/dev/stdout"])
        #expect(devStdout.status == 0 && Data(devStdout.stdout.utf8) == json)
        // Through a pipe, the binary dump arrives whole.
        let piped = try Heapscan.shell("\"$HEAPSCAN\" convert \(small) - | \"$HEAPSCAN\" convert --to json /dev/stdin \(path("back.json")) >/dev/null && cat \(path("back.json"))")
        #expect(piped.status != 0 || Data(piped.stdout.utf8) == json)
        #expect(try fileType("plain.json") == .typeRegular)
        #expect(try Heapscan.run(["convert", "--json", small, "-"]).status == 64)
    }

    @Test func fifoIsWrittenThroughAndStaysAFIFO() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let heap = try expectedBytes("heap")
        let fifo = path("pipe")
        #expect(mkfifo(fifo, 0o644) == 0)
        let result = try Heapscan.shell("cat \(fifo) > \(path("received")) & \"$HEAPSCAN\" convert \(small) \(fifo); s=$?; wait; exit $s")
        #expect(result.status == 0, "\(result.stderr)")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("received"))) == heap)
    }

    @Test(.enabled(if: getuid() == 0, "mknod needs root"))
    func characterDevicesAreWrittenThroughAndStayDevices() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let null = path("null"), full = path("full")
        #expect(try mknod(null, "c", 1, 3))
        #expect(try mknod(full, "c", 1, 7))
        #expect(try Heapscan.run(["convert", small, null]).status == 0)
        let failed = try Heapscan.run(["convert", small, full])
        #expect(failed.status == 2)
        #expect(failed.stderr.hasPrefix("heapscan: \(full): ") && failed.stderr.contains("No space left on device"))
        #expect(failed.stderr.split(separator: "\n").count == 1)
        for device in [null, full] {
            var info = stat()
            #expect(lstat(device, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "\(device) is still a device")
        }
        #expect(try Heapscan.run(["graph", small, "-o", null]).status == 64, "graph needs a format: a .dot name")
        let dotDevice = path("null.dot")
        #expect(try mknod(dotDevice, "c", 1, 3))
        #expect(try Heapscan.run(["graph", small, "-o", dotDevice]).status == 0)
        var info = stat()
        #expect(lstat(dotDevice, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        // A block device is refused, in one line.
        let block = path("block")
        #expect(try mknod(block, "b", 7, 250))
        let refused = try Heapscan.run(["convert", small, block])
        #expect(refused.status == 2 && refused.stderr == "heapscan: \(block): is a block device; a dump is not written onto one\n")
    }

    @Test func symlinksAreFollowedAndStayLinks() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let heap = try expectedBytes("heap")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path("target.heap")))
        try FileManager.default.createSymbolicLink(atPath: path("link.heap"), withDestinationPath: "target.heap")
        try FileManager.default.createSymbolicLink(atPath: path("dangling.heap"), withDestinationPath: "made.heap")
        try FileManager.default.createSymbolicLink(atPath: path("loop.heap"), withDestinationPath: "loop.heap")
        #expect(try Heapscan.run(["convert", small, path("link.heap")]).status == 0)
        #expect(try Heapscan.run(["convert", small, path("dangling.heap")]).status == 0)
        #expect(try fileType("link.heap") == .typeSymbolicLink && (try fileType("dangling.heap")) == .typeSymbolicLink)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("target.heap"))) == heap)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("made.heap"))) == heap)
        let graph = try Heapscan.run(["graph", small, "-o", path("link.dot")])
        #expect(graph.status == 0)
        let loop = try Heapscan.run(["convert", small, path("loop.heap")])
        #expect(loop.status == 2 && loop.stderr.contains("symlinks"), "\(loop.stderr)")
    }

    @Test func directoriesAreRefused() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try Heapscan.run(["convert", small, scratch.path])
        #expect(result.status == 2 && result.stderr == "heapscan: \(scratch.path): is a directory, expected a file name\n")
    }

    @Test func temporariesOfDeadProcessesAreRemoved() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        // A process that has exited: its pid names no process (until reused, which a test cannot see).
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = ".app.heap.tmp-\(dead.processIdentifier)-0"
        let live = ".app.heap.tmp-\(getpid())-0"
        let unrelated = ".notes.tmp-x-1"
        for name in [stale, live, unrelated] { try Data("partial".utf8).write(to: scratch.appendingPathComponent(name)) }
        #expect(try Heapscan.run(["convert", small, path("other.heap")]).status == 0)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: scratch.path))
        #expect(!left.contains(stale), "the dead process's temporary is gone")
        #expect(left.contains(live) && left.contains(unrelated), "live processes' and unrelated files stay")
    }
}
