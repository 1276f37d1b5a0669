// HPROFClassTable — the dump's classes: names (LOAD_CLASS + UTF8 records, in Java spelling), their
// CLASS_DUMPs, and for each class the flattened instance layout through the superclass chain: where
// each reference field lies in an INSTANCE_DUMP's bytes and what it is called.
import Foundation
import HeapGraph

/// A reference field of an instance, found through the superclass chain.
struct HPROFReferenceField {
    /// Byte offset inside the INSTANCE_DUMP's field bytes.
    var offset: Int
    /// The field's name, interned in the snapshot's field-name table.
    var nameIndex: UInt32
    /// `java.lang.ref.Reference.referent`: a weak reference.
    var isReferent: Bool
}

/// One class of the dump.
struct HPROFClass {
    var dump: HPROFClassDump
    /// Java spelling: `java.util.HashMap$Node`, `java.lang.Object[]`.
    var name: String
    /// Index of the superclass in the table, or nil for `java.lang.Object` (or an unknown superclass).
    var superIndex: Int?
    /// Bytes of an INSTANCE_DUMP's field values for this class (its fields and every superclass's).
    var dataLength = 0
    /// Reference fields, in dump order (own fields first, then the superclass's).
    var referenceFields: [HPROFReferenceField] = []
}

/// Classes and names of one dump.
struct HPROFClassTable {
    /// UTF8 records: id → where the bytes are.
    var stringLocations: [UInt64: (offset: Int, length: Int)] = [:]
    /// LOAD_CLASS records: class id → name string id.
    var classNameIDs: [UInt64: UInt64] = [:]
    var classes: [HPROFClass] = []
    var indexByID: [UInt64: Int] = [:]

    /// The text of string `id`, or nil when the dump has no such string.
    func string(_ id: UInt64, in bytes: UnsafeRawBufferPointer) -> String? {
        guard let at = stringLocations[id] else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at.offset..<at.offset + at.length]), as: UTF8.self)
    }

    /// The class named `name` (Java spelling), if the dump has one.
    func index(named name: String) -> Int? { classes.firstIndex { $0.name == name } }

    /// Java spelling of a JVM class name: `java/util/HashMap$Node` → `java.util.HashMap$Node`,
    /// `[Ljava/lang/Object;` → `java.lang.Object[]`, `[[I` → `int[][]`.
    static func javaName(_ jvmName: String) -> String {
        var dims = 0
        var rest = Substring(jvmName)
        while rest.first == "[" { dims += 1; rest = rest.dropFirst() }
        var base: String
        if dims == 0 {
            base = String(rest)
        } else {
            switch rest {
            case "Z": base = "boolean"
            case "C": base = "char"
            case "F": base = "float"
            case "D": base = "double"
            case "B": base = "byte"
            case "S": base = "short"
            case "I": base = "int"
            case "J": base = "long"
            default:
                if rest.first == "L" && rest.last == ";" { rest = rest.dropFirst().dropLast() }
                base = String(rest)
            }
        }
        base = base.replacingSlashes()
        // A hidden class (a lambda's) is `Name+0x…` inside the JVM and `Name/0x…` in Java's spelling.
        if let plus = base.range(of: "+0x", options: .backwards) { base.replaceSubrange(plus.lowerBound..<base.index(after: plus.lowerBound), with: "/") }
        return base + String(repeating: "[]", count: dims)
    }

    /// Links superclasses and computes each class's flattened layout.
    /// Iterative over the chain; a chain that loops or exceeds the class count is an error.
    /// - Complexity: O(classes × chain depth × fields).
    mutating func resolve(
        idSize: Int, bytes: UnsafeRawBufferPointer, fieldNames: inout StringTable
    ) throws(DumpError) {
        for i in classes.indices { classes[i].superIndex = indexByID[classes[i].dump.superID] }
        let referenceClass = index(named: "java.lang.ref.Reference")
        for i in classes.indices {
            var length = 0
            var fields: [HPROFReferenceField] = []
            var current: Int? = i
            var depth = 0
            while let c = current {
                depth += 1
                guard depth <= classes.count else {
                    throw DumpError(.malformed, offset: classes[i].dump.offset, "expected a superclass chain that ends, class \(classes[i].name) loops")
                }
                for field in classes[c].dump.fields {
                    if field.type == .object {
                        let name = string(field.name, in: bytes) ?? "field@\(field.name)"
                        fields.append(
                            HPROFReferenceField(
                                offset: length, nameIndex: fieldNames.intern(name),
                                isReferent: c == referenceClass && name == "referent"))
                    }
                    length += field.type.dumpSize(idSize: idSize)
                }
                current = classes[c].superIndex
            }
            classes[i].dataLength = length
            classes[i].referenceFields = fields
        }
    }

    /// Byte offset of field `name` declared by class `owner` inside an instance of class `c`'s field
    /// bytes, with its type; nil when the chain has no such field.
    func fieldOffset(in c: Int, owner: Int, name: String, idSize: Int, bytes: UnsafeRawBufferPointer) -> (offset: Int, type: HPROFBasicType)? {
        var offset = 0
        var current: Int? = c
        var depth = 0
        while let k = current, depth <= classes.count {
            depth += 1
            for field in classes[k].dump.fields {
                if k == owner && string(field.name, in: bytes) == name { return (offset, field.type) }
                offset += field.type.dumpSize(idSize: idSize)
            }
            current = classes[k].superIndex
        }
        return nil
    }

    /// Whether class `c` is `ancestor` or inherits from it.
    func inherits(_ c: Int, from ancestor: Int) -> Bool {
        var current: Int? = c
        var depth = 0
        while let k = current, depth <= classes.count {
            if k == ancestor { return true }
            depth += 1
            current = classes[k].superIndex
        }
        return false
    }
}

extension String {
    /// `/` → `.` (JVM internal class names to Java spelling).
    fileprivate func replacingSlashes() -> String {
        String(unicodeScalars.map { $0 == "/" ? "." : Character($0) })
    }
}
