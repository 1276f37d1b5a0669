// JavaProgram — compiles Java/LeakyService.java with javac into a temporary folder, runs it, and asks
// the running JVM for heap dumps and class histograms with jcmd: the oracle the HPROF tests compare
// heapscan against. One JVM serves every test (started once, lazily).
import Foundation
import Testing

/// The JDK tools, or nil when this machine has none (scripts/setup installs openjdk-17-jdk-headless).
enum JDK {
    static func tool(_ name: String) -> String? {
        var folders: [String] = []
        if let home = ProcessInfo.processInfo.environment["JAVA_HOME"] { folders.append("\(home)/bin") }
        folders += (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var available: Bool { tool("javac") != nil && tool("java") != nil && tool("jcmd") != nil }

    /// Runs a tool to completion and returns its standard output; throws on a non-zero exit.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw JavaFailure("\(tool) \(arguments.joined(separator: " ")): \(text)") }
        return text
    }
}

struct JavaFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One class's line of `jcmd GC.class_histogram`, with the name in Java spelling.
struct HistogramLine: Equatable {
    var count: Int
    var bytes: UInt64
}

/// What the tests need from one run of LeakyService: two dumps and the histograms around them.
struct LeakyServiceDumps: Sendable {
    var folder: URL
    var plain: URL
    var gzipped: URL
    /// Taken just before and just after the two dumps.
    var before: [String: HistogramLine]
    var after: [String: HistogramLine]

    /// Compiles and starts the program, dumps it, stops it.
    static func make() throws -> LeakyServiceDumps {
        guard let javac = JDK.tool("javac"), let java = JDK.tool("java"), let jcmd = JDK.tool("jcmd") else {
            throw JavaFailure("javac, java and jcmd are needed (scripts/setup installs openjdk-17-jdk-headless)")
        }
        // One folder, emptied at each run, so dumps never pile up.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heapscan-java-tests-\(getuid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Java/LeakyService.java")
        try JDK.run(javac, ["-d", folder.path, source.path])
        // CDS off: HotSpot leaves the archive's dormant objects out of a dump, but histograms count them.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: java)
        process.arguments = ["-Xshare:off", "-Xmx256m", "-cp", folder.path, "LeakyService", "2000"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw JavaFailure("LeakyService ended before it was ready") }
            line.append(chunk)
        }
        let pid = String(process.processIdentifier)
        let plain = folder.appendingPathComponent("leaky.hprof")
        let gzipped = folder.appendingPathComponent("leaky.hprof.gz")
        let before = parseHistogram(try JDK.run(jcmd, [pid, "GC.class_histogram"]))
        try JDK.run(jcmd, [pid, "GC.heap_dump", plain.path])
        try JDK.run(jcmd, [pid, "GC.heap_dump", "-gz=1", gzipped.path])
        let after = parseHistogram(try JDK.run(jcmd, [pid, "GC.class_histogram"]))
        return LeakyServiceDumps(folder: folder, plain: plain, gzipped: gzipped, before: before, after: after)
    }

    /// `   8:          2000          48000  LeakyService$Session` → Java spelling → count and bytes.
    static func parseHistogram(_ text: String) -> [String: HistogramLine] {
        var result: [String: HistogramLine] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 4, parts[0].hasSuffix(":"), let count = Int(parts[1]), let bytes = UInt64(parts[2]) else { continue }
            result[javaName(String(parts[3])), default: HistogramLine(count: 0, bytes: 0)].count += count
            result[javaName(String(parts[3]))]!.bytes += bytes
        }
        return result
    }

    /// `[Ljava.lang.Object;` → `java.lang.Object[]`, `[B` → `byte[]`.
    static func javaName(_ name: String) -> String {
        var rest = Substring(name)
        var dims = 0
        while rest.first == "[" { dims += 1; rest = rest.dropFirst() }
        guard dims > 0 else { return name }
        let primitives: [Substring: String] = [
            "Z": "boolean", "C": "char", "F": "float", "D": "double", "B": "byte", "S": "short", "I": "int", "J": "long",
        ]
        let base = primitives[rest] ?? String(rest.dropFirst().dropLast())
        return base + String(repeating: "[]", count: dims)
    }

    /// The one run all tests share.
    static let shared: Result<LeakyServiceDumps, JavaFailure> = {
        do { return .success(try make()) } catch let error as JavaFailure { return .failure(error) } catch {
            return .failure(JavaFailure("\(error)"))
        }
    }()
}
