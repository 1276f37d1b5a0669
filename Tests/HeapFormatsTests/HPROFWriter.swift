// HPROFWriter — writes small HPROF files by hand for the reader's tests: a header, UTF8 and
// LOAD_CLASS records, and one HEAP_DUMP_SEGMENT of sub-records, with identifiers of 4 or 8 bytes.
import Foundation

struct HPROFWriter {
    let idSize: Int
    private(set) var records = Data()
    private(set) var heap = Data()
    private var nextString: UInt64 = 0x1000

    init(idSize: Int = 8) { self.idSize = idSize }

    func u1(_ v: UInt8, _ d: inout Data) { d.append(v) }
    func u2(_ v: UInt16, _ d: inout Data) { d.append(contentsOf: [UInt8(v >> 8), UInt8(v & 0xFF)]) }
    func u4(_ v: UInt32, _ d: inout Data) { for s in [24, 16, 8, 0] { d.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
    func id(_ v: UInt64, _ d: inout Data) {
        if idSize == 8 { for s in stride(from: 56, through: 0, by: -8) { d.append(UInt8((v >> UInt64(s)) & 0xFF)) } } else { u4(UInt32(v), &d) }
    }

    private mutating func record(_ tag: UInt8, _ body: Data) {
        u1(tag, &records)
        u4(0, &records)
        u4(UInt32(body.count), &records)
        records.append(body)
    }

    /// A UTF8 record; returns its id.
    mutating func string(_ s: String) -> UInt64 {
        nextString += 1
        var body = Data()
        id(nextString, &body)
        body.append(contentsOf: Array(s.utf8))
        record(0x01, body)
        return nextString
    }

    /// LOAD_CLASS + CLASS_DUMP for class `name` (JVM spelling) with instance fields (name, type code)
    /// and static reference fields (name, value id).
    mutating func classDump(_ classID: UInt64, name: String, superID: UInt64, fields: [(String, UInt8)], statics: [(String, UInt64)] = []) {
        var load = Data()
        u4(1, &load)
        id(classID, &load)
        u4(0, &load)
        id(string(name), &load)
        record(0x02, load)
        let fieldNames = fields.map { string($0.0) }
        let staticNames = statics.map { string($0.0) }
        u1(0x20, &heap)
        id(classID, &heap)
        u4(0, &heap)
        id(superID, &heap)
        for _ in 0..<5 { id(0, &heap) }
        u4(0, &heap)
        u2(0, &heap)
        u2(UInt16(statics.count), &heap)
        for (i, s) in statics.enumerated() { id(staticNames[i], &heap); u1(2, &heap); id(s.1, &heap) }
        u2(UInt16(fields.count), &heap)
        for (i, f) in fields.enumerated() { id(fieldNames[i], &heap); u1(f.1, &heap) }
    }

    /// INSTANCE_DUMP with already encoded field bytes.
    mutating func instance(_ objectID: UInt64, classID: UInt64, fields: Data) {
        u1(0x21, &heap)
        id(objectID, &heap)
        u4(0, &heap)
        id(classID, &heap)
        u4(UInt32(fields.count), &heap)
        heap.append(fields)
    }

    mutating func objectArray(_ objectID: UInt64, classID: UInt64, elements: [UInt64]) {
        u1(0x22, &heap)
        id(objectID, &heap)
        u4(0, &heap)
        u4(UInt32(elements.count), &heap)
        id(classID, &heap)
        for e in elements { id(e, &heap) }
    }

    mutating func byteArray(_ objectID: UInt64, _ bytes: [UInt8]) {
        u1(0x23, &heap)
        id(objectID, &heap)
        u4(0, &heap)
        u4(UInt32(bytes.count), &heap)
        u1(8, &heap)
        heap.append(contentsOf: bytes)
    }

    mutating func root(_ tag: UInt8, _ objectID: UInt64) {
        u1(tag, &heap)
        id(objectID, &heap)
        switch tag {
        case 0x01: id(0, &heap)
        case 0x02, 0x03, 0x8E: u4(1, &heap); u4(0, &heap)
        case 0x04, 0x06: u4(1, &heap)
        case 0x08: u4(1, &heap); u4(0, &heap)
        default: break
        }
    }

    /// Raw bytes appended to the heap segment (for malformed input).
    mutating func rawHeap(_ bytes: [UInt8]) { heap.append(contentsOf: bytes) }

    /// The whole file.
    func data(version: String = "JAVA PROFILE 1.0.2", declaredIDSize: UInt32? = nil) -> Data {
        var copy = self
        var d = Data(version.utf8)
        d.append(0)
        copy.u4(declaredIDSize ?? UInt32(idSize), &d)
        copy.u4(0, &d)
        copy.u4(0, &d)
        d.append(records)
        d.append(0x1C)
        copy.u4(0, &d)
        copy.u4(UInt32(heap.count), &d)
        d.append(heap)
        return d
    }
}
