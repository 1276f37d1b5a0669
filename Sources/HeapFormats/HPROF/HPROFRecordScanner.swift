// HPROFRecordScanner — walks an HPROF file: the header, the top-level records (each skipped by its
// length unless a visitor wants it) and the sub-records of HEAP_DUMP / HEAP_DUMP_SEGMENT, handing
// each to a visitor. Every length is checked against the record that holds it.
import HeapGraph

/// One CLASS_DUMP sub-record, parsed.
struct HPROFClassDump {
    var classID: UInt64
    var superID: UInt64
    var loaderID: UInt64
    /// Static fields: name string id, type, and the value's offset in the file.
    var statics: [(name: UInt64, type: HPROFBasicType, valueOffset: Int)]
    /// Instance fields declared by this class (not its superclasses), in dump order.
    var fields: [(name: UInt64, type: HPROFBasicType)]
    /// Where the record starts, for error messages.
    var offset: Int
}

/// What a pass over the heap-dump records wants to see. Offsets are file offsets.
protocol HPROFVisitor {
    /// A top-level UTF8 record: string `id` is `length` bytes at `offset`.
    mutating func string(id: UInt64, offset: Int, length: Int) throws(DumpError)
    /// A top-level LOAD_CLASS record.
    mutating func loadClass(classID: UInt64, nameID: UInt64) throws(DumpError)
    /// A GC root sub-record (tag 0x01–0x08, 0x89–0x90, 0xFF); `thread` is the thread serial, when given.
    mutating func root(tag: UInt8, id: UInt64, thread: UInt32?, frame: UInt32?, offset: Int) throws(DumpError)
    mutating func classDump(_ dump: HPROFClassDump) throws(DumpError)
    /// INSTANCE_DUMP: the field values are `length` bytes at `fieldsOffset`.
    mutating func instance(id: UInt64, classID: UInt64, fieldsOffset: Int, length: Int, offset: Int) throws(DumpError)
    /// OBJECT_ARRAY_DUMP: `count` identifiers at `elementsOffset`.
    mutating func objectArray(id: UInt64, classID: UInt64, count: Int, elementsOffset: Int, offset: Int) throws(DumpError)
    /// PRIMITIVE_ARRAY_DUMP (or Android's PRIMITIVE_ARRAY_NODATA, with `elementsOffset` nil).
    mutating func primitiveArray(id: UInt64, type: HPROFBasicType, count: Int, elementsOffset: Int?, offset: Int) throws(DumpError)
    /// Android's HEAP_DUMP_INFO: the following objects belong to heap `nameID`.
    mutating func heapInfo(heapID: UInt32, nameID: UInt64) throws(DumpError)
}

/// Reads the header and drives a visitor over every record.
struct HPROFRecordScanner {
    let bytes: UnsafeRawBufferPointer
    /// Identifier size from the header, 4 or 8.
    let idSize: Int
    /// `JAVA PROFILE 1.0.x`.
    let version: String
    /// Where the first record starts.
    let firstRecord: Int
    /// Gives pages already scanned back to the kernel (a mapped file's), or nil.
    var pages: HPROFPageReleaser?

    /// Parses the header.
    init(bytes: UnsafeRawBufferPointer) throws(DumpError) {
        self.bytes = bytes
        let limit = Swift.min(bytes.count, 64)
        guard let nul = (0..<limit).first(where: { bytes[$0] == 0 }) else {
            throw DumpError(.wrongMagic, offset: 0, "expected the header 'JAVA PROFILE 1.0.x' ended by a zero byte")
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<nul]), as: UTF8.self)
        guard HPROFRecordScanner.versions.contains(text) else {
            throw DumpError(.unsupportedVersion(0), offset: 0, "expected 'JAVA PROFILE 1.0.1', '1.0.2' or '1.0.3', found '\(text.prefix(40))'")
        }
        var cursor = HPROFCursor(bytes: bytes, offset: nul + 1)
        let size = try cursor.u4("the identifier size")
        guard size == 4 || size == 8 else {
            throw DumpError(.malformed, offset: nul + 1, "expected an identifier size of 4 or 8, found \(size)")
        }
        try cursor.skip(8, "the header's timestamp")
        version = text
        idSize = Int(size)
        firstRecord = cursor.offset
    }

    static let versions: Set<String> = ["JAVA PROFILE 1.0.1", "JAVA PROFILE 1.0.2", "JAVA PROFILE 1.0.3"]

    /// Whether `prefix` starts like an HPROF file.
    static func matches<Bytes: Collection<UInt8>>(prefix: Bytes) -> Bool {
        prefix.starts(with: Array("JAVA PROFILE 1.0.".utf8))
    }

    /// Visits every top-level record and heap-dump sub-record in file order.
    /// - Complexity: O(file size).
    func scan<V: HPROFVisitor>(_ visitor: inout V) throws(DumpError) {
        var cursor = HPROFCursor(bytes: bytes, offset: firstRecord, idSize: idSize)
        while cursor.remaining > 0 {
            let start = cursor.offset
            let tag = try cursor.u1("a record tag")
            try cursor.skip(4, "the record's time")
            let length = Int(try cursor.u4("the record's length"))
            guard length <= cursor.remaining else {
                throw DumpError(.countTooLarge, offset: start, "expected a record of \(length) bytes (tag 0x\(String(tag, radix: 16))), only \(cursor.remaining) left in the file")
            }
            var body = HPROFCursor(bytes: bytes, offset: cursor.offset, limit: cursor.offset + length, idSize: idSize)
            switch tag {
            case 0x01:
                let id = try body.id("a string's id")
                try visitor.string(id: id, offset: body.offset, length: body.remaining)
            case 0x02:
                try body.skip(4, "a class serial number")
                let classID = try body.id("a class object id")
                try body.skip(4, "a stack trace serial number")
                try visitor.loadClass(classID: classID, nameID: try body.id("a class name id"))
            case 0x0C, 0x1C:
                try scanHeapDump(&body, &visitor)
            default:
                break  // every other record is skipped by its length
            }
            cursor.offset += length
            pages?.reached(cursor.offset)
        }
        pages?.reset()
    }
}

/// Releases the pages of a mapped dump behind a pass, every 8 MiB, so that resident memory follows
/// the pass rather than the file's size.
final class HPROFPageReleaser {
    private let release: (Range<Int>) -> Void
    private var done = 0
    static let step = 8 << 20

    init(_ release: @escaping (Range<Int>) -> Void) { self.release = release }

    @inline(__always) func reached(_ offset: Int) {
        if offset - done >= Self.step {
            release(done..<offset)
            done = offset
        }
    }

    func reset() { done = 0 }
}
