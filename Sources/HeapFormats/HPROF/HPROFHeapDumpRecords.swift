// HPROFHeapDumpRecords — the sub-records inside HEAP_DUMP and HEAP_DUMP_SEGMENT: GC roots, class
// dumps, instances, object and primitive arrays, Android's extras. An unknown tag stops the read,
// since the sub-records carry no length of their own.
import HeapGraph

extension HPROFRecordScanner {
    /// Visits the sub-records of one heap-dump record, `body` spanning exactly its bytes.
    func scanHeapDump<V: HPROFVisitor>(_ body: inout HPROFCursor, _ visitor: inout V) throws(DumpError) {
        while body.remaining > 0 {
            pages?.reached(body.offset)
            try scanSubRecord(&body, &visitor)
        }
    }

    /// Visits the one sub-record at `body.offset` and moves past it.
    func scanSubRecord<V: HPROFVisitor>(_ body: inout HPROFCursor, _ visitor: inout V) throws(DumpError) {
        let start = body.offset
        let tag = try body.u1("a heap-dump sub-record tag")
        switch tag {
        case 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x90, 0xFF:
            try scanRoot(tag: tag, start: start, &body, &visitor)
        case 0x20:
            try visitor.classDump(try parseClassDump(&body, start: start))
        case 0x21:
            let id = try body.id("an instance's id")
            try body.skip(4, "a stack trace serial number")
            let classID = try body.id("an instance's class id")
            let length = Int(try body.u4("an instance's field byte count"))
            let fieldsOffset = body.offset
            try body.skip(length, "\(length) bytes of instance fields")
            try visitor.instance(id: id, classID: classID, fieldsOffset: fieldsOffset, length: length, offset: start)
        case 0x22:
            let id = try body.id("an object array's id")
            try body.skip(4, "a stack trace serial number")
            let count = Int(try body.u4("an object array's length"))
            let classID = try body.id("an object array's class id")
            let elementsOffset = body.offset
            try body.require(count * idSize, "\(count) array elements")
            body.offset += count * idSize
            try visitor.objectArray(id: id, classID: classID, count: count, elementsOffset: elementsOffset, offset: start)
        case 0x23, 0xC3:
            let id = try body.id("a primitive array's id")
            try body.skip(4, "a stack trace serial number")
            let count = Int(try body.u4("a primitive array's length"))
            let code = try body.u1("a primitive array's element type")
            guard let type = HPROFBasicType(rawValue: code), type != .object else {
                throw DumpError(.malformed, offset: body.offset - 1, "expected a primitive element type (4-11), found \(code)")
            }
            let elementsOffset = body.offset
            if tag == 0x23 {
                try body.require(count * type.dumpSize(idSize: idSize), "\(count) array elements")
                body.offset += count * type.dumpSize(idSize: idSize)
            }
            try visitor.primitiveArray(
                id: id, type: type, count: count, elementsOffset: tag == 0x23 ? elementsOffset : nil, offset: start)
        case 0xFE:
            let heapID = try body.u4("a heap id")
            try visitor.heapInfo(heapID: heapID, nameID: try body.id("a heap name id"))
        default:
            throw DumpError(.malformed, offset: start, "expected a heap-dump sub-record tag (a GC root, 0x20-0x23, 0xC3 or 0xFE), found 0x\(String(tag, radix: 16))")
        }
    }

    /// One GC-root sub-record: the object id, then what each tag adds.
    private func scanRoot<V: HPROFVisitor>(tag: UInt8, start: Int, _ body: inout HPROFCursor, _ visitor: inout V) throws(DumpError) {
        let id = try body.id("a GC root's object id")
        var thread: UInt32?
        var frame: UInt32?
        switch tag {
        case 0x01: try body.skip(idSize, "a JNI global reference id")
        case 0x02, 0x03, 0x8E:
            thread = try body.u4("a thread serial number")
            frame = try body.u4("a frame number")
        case 0x04, 0x06: thread = try body.u4("a thread serial number")
        case 0x08:
            thread = try body.u4("a thread serial number")
            try body.skip(4, "a stack trace serial number")
        default: break
        }
        try visitor.root(tag: tag, id: id, thread: thread, frame: frame, offset: start)
    }

    /// A CLASS_DUMP sub-record after its tag.
    private func parseClassDump(_ body: inout HPROFCursor, start: Int) throws(DumpError) -> HPROFClassDump {
        let classID = try body.id("a class id")
        try body.skip(4, "a stack trace serial number")
        let superID = try body.id("a superclass id")
        let loaderID = try body.id("a class loader id")
        try body.skip(4 * idSize, "the signers, protection domain and reserved ids")
        try body.skip(4, "the instance size")
        let constants = Int(try body.u2("the constant pool size"))
        for _ in 0..<constants {
            try body.skip(2, "a constant pool index")
            let type = try basicType(&body)
            try body.skip(type.dumpSize(idSize: idSize), "a constant pool value")
        }
        let staticCount = Int(try body.u2("the static field count"))
        var statics: [(name: UInt64, type: HPROFBasicType, valueOffset: Int)] = []
        statics.reserveCapacity(Swift.min(staticCount, body.remaining / (idSize + 2)))
        for _ in 0..<staticCount {
            let name = try body.id("a static field's name id")
            let type = try basicType(&body)
            statics.append((name, type, body.offset))
            try body.skip(type.dumpSize(idSize: idSize), "a static field's value")
        }
        let fieldCount = Int(try body.u2("the instance field count"))
        var fields: [(name: UInt64, type: HPROFBasicType)] = []
        fields.reserveCapacity(Swift.min(fieldCount, body.remaining / (idSize + 1)))
        for _ in 0..<fieldCount {
            let name = try body.id("an instance field's name id")
            fields.append((name, try basicType(&body)))
        }
        return HPROFClassDump(
            classID: classID, superID: superID, loaderID: loaderID, statics: statics, fields: fields, offset: start)
    }

    private func basicType(_ body: inout HPROFCursor) throws(DumpError) -> HPROFBasicType {
        let code = try body.u1("a basic type code")
        guard let type = HPROFBasicType(rawValue: code) else {
            throw DumpError(.malformed, offset: body.offset - 1, "expected a basic type code (2, 4-11), found \(code)")
        }
        return type
    }
}
