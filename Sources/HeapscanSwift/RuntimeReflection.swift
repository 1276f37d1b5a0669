// RuntimeReflection — the Swift runtime's own reflection entry points (the ones Mirror uses), reached by
// @_silgen_name, and the metadata facts HeapscanSwift reads: kinds, value-witness flags, generic
// arguments of Optional, capture descriptors of closure contexts. Pinned to the Swift 6.3 layouts.
import CHeapscanSwift

/// What `swift_reflectionMirror_recursiveChildMetadata` fills in for one stored property.
struct FieldReflectionMetadata {
    var name: UnsafePointer<CChar>? = nil
    var freeFunc: (@convention(c) (UnsafePointer<CChar>?) -> Void)? = nil
    var isStrong: Bool = false
    var isVar: Bool = false
}

@_silgen_name("swift_reflectionMirror_recursiveCount")
func _hsRecursiveChildCount(_ type: Any.Type) -> Int

@_silgen_name("swift_reflectionMirror_recursiveChildMetadata")
func _hsRecursiveChildMetadata(
    _ type: Any.Type, index: Int, fieldMetadata: UnsafeMutablePointer<FieldReflectionMetadata>
) -> Any.Type

@_silgen_name("swift_reflectionMirror_recursiveChildOffset")
func _hsRecursiveChildOffset(_ type: Any.Type, index: Int) -> Int

/// One stored property of a type: name, offset, type and whether it is a strong reference slot.
struct StoredField {
    var name: String
    var offset: Int
    var type: Any.Type
    var isStrong: Bool
}

/// Metadata kinds (swift/ABI/MetadataKind.def).
enum MetadataKind {
    static let `struct` = 0x200, `enum` = 0x201, optional = 0x202, tuple = 0x301, function = 0x302,
        existential = 0x303, heapLocalVariable = 0x400, heapGenericLocalVariable = 0x500

    /// The kind of `metadata`; class metadata reads 0 (or an isa pointer above 0x7FF) on Linux.
    static func of(_ metadata: UnsafeRawPointer) -> Int {
        let word = metadata.load(as: UInt.self)
        return word > 0x7FF ? 0 : Int(word)
    }
}

enum Metadata {
    static func pointer(_ type: Any.Type) -> UnsafeRawPointer { unsafeBitCast(type, to: UnsafeRawPointer.self) }
    static func type(_ pointer: UnsafeRawPointer) -> Any.Type { unsafeBitCast(pointer, to: Any.Type.self) }

    /// Value-witness flags word (IsNonPOD = 0x10000, IsNonInline = 0x20000).
    static func valueWitnessFlags(_ type: Any.Type) -> UInt32 {
        let vwt = (pointer(type) - MemoryLayout<UInt>.size).load(as: UnsafeRawPointer.self)
        return vwt.load(fromByteOffset: 10 * MemoryLayout<UInt>.size, as: UInt32.self)
    }
    /// Whether values of `type` can hold no reference at all (plain old data).
    static func isPOD(_ type: Any.Type) -> Bool { valueWitnessFlags(type) & 0x10000 == 0 }

    /// The stored properties of `type` (superclasses' first for classes); empty without reflection metadata.
    static func fields(of type: Any.Type) -> [StoredField] {
        let count = _hsRecursiveChildCount(type)
        guard count > 0 else { return [] }
        var fields: [StoredField] = []
        fields.reserveCapacity(count)
        for i in 0..<count {
            var info = FieldReflectionMetadata()
            let fieldType = _hsRecursiveChildMetadata(type, index: i, fieldMetadata: &info)
            let offset = _hsRecursiveChildOffset(type, index: i)
            let name = info.name.map { String(cString: $0) } ?? "\(i)"
            if let free = info.freeFunc { free(info.name) }
            fields.append(StoredField(name: name, offset: offset, type: fieldType, isStrong: info.isStrong))
        }
        return fields
    }

    /// The payload type of an Optional metadata.
    static func optionalPayload(_ type: Any.Type) -> Any.Type {
        Metadata.type(pointer(type).load(fromByteOffset: 2 * MemoryLayout<UInt>.size, as: UnsafeRawPointer.self))
    }

    /// Whether a function type is thick (`@convention(swift)`: function pointer + context).
    static func isThickFunction(_ type: Any.Type) -> Bool {
        let flags = pointer(type).load(fromByteOffset: MemoryLayout<UInt>.size, as: UInt.self)
        return (flags >> 16) & 0xFF == 0
    }

    /// For an existential metadata: whether it is class-bound (one word: the instance) — Error excluded.
    static func existentialIsClassBound(_ type: Any.Type) -> Bool {
        let flags = pointer(type).load(fromByteOffset: MemoryLayout<UInt>.size, as: UInt32.self)
        let special = (flags >> 24) & 0x3F
        return flags & 0x8000_0000 == 0 && special == 0
    }
}

/// A capture of a closure context: its resolved type and ownership.
struct Capture {
    /// strong: a value of `type`; box: a captured `var`, one strong word to its box (`…Xx`);
    /// weak / unowned: one word that does not retain (`…Xw`, `…Xo`, `…Xu`).
    enum Ownership { case strong, box, weak, unowned }
    var type: Any.Type?
    var ownership: Ownership
}

extension Metadata {
    /// The captures of a closure context's metadata (kind 0x400), from its `swift5_capture` descriptor,
    /// with the offset of the first capture; nil when there is no descriptor or it has generic bindings.
    static func captures(ofContext metadata: UnsafeRawPointer) -> (firstOffset: Int, captures: [Capture])? {
        let firstOffset = Int(metadata.load(fromByteOffset: 8, as: UInt32.self))
        guard let descriptor = metadata.load(fromByteOffset: 16, as: UnsafeRawPointer?.self) else { return nil }
        let typeCount = Int(descriptor.load(as: UInt32.self))
        let sourceCount = descriptor.load(fromByteOffset: 4, as: UInt32.self)
        let bindingCount = descriptor.load(fromByteOffset: 8, as: UInt32.self)
        guard sourceCount == 0, bindingCount == 0, typeCount < 4096 else { return nil }
        var captures: [Capture] = []
        for i in 0..<typeCount {
            let field = descriptor + 12 + 4 * i
            let relative = Int(field.load(as: Int32.self))
            let name = (field + relative).assumingMemoryBound(to: UInt8.self)
            let (length, endsInSymbol) = mangledNameLength(name)
            var ownership = Capture.Ownership.strong
            if length >= 2 && !endsInSymbol && name[length - 2] == UInt8(ascii: "X") {
                switch name[length - 1] {
                case UInt8(ascii: "w"): ownership = .weak
                case UInt8(ascii: "o"), UInt8(ascii: "u"): ownership = .unowned
                case UInt8(ascii: "x"): ownership = .box
                default: break
                }
            }
            let type = ownership == .strong
                ? hs_type_by_mangled_name(name, length).map { Metadata.type($0) } : nil
            captures.append(Capture(type: type, ownership: ownership))
        }
        return (firstOffset, captures)
    }

    /// Length of a mangled name with symbolic references (1–0x17: 4-byte, 0x18–0x1F: 8-byte operands).
    static func mangledNameLength(_ name: UnsafePointer<UInt8>) -> (Int, Bool) {
        var i = 0
        var lastWasSymbol = false
        while name[i] != 0 {
            let c = name[i]
            if c >= 1 && c <= 0x17 { i += 5; lastWasSymbol = true }
            else if c >= 0x18 && c <= 0x1F { i += 9; lastWasSymbol = true }
            else { i += 1; lastWasSymbol = false }
        }
        return (i, lastWasSymbol)
    }
}

/// Collections read by element type: Array, ContiguousArray, Dictionary and Set expose their generics.
protocol HeapscanArrayType { static var elementType: Any.Type { get } }
protocol HeapscanDictionaryType { static var keyType: Any.Type { get }; static var valueType: Any.Type { get } }
protocol HeapscanSetType { static var elementType: Any.Type { get } }
extension Array: HeapscanArrayType { static var elementType: Any.Type { Element.self } }
extension ContiguousArray: HeapscanArrayType { static var elementType: Any.Type { Element.self } }
extension Dictionary: HeapscanDictionaryType {
    static var keyType: Any.Type { Key.self }
    static var valueType: Any.Type { Value.self }
}
extension Set: HeapscanSetType { static var elementType: Any.Type { Element.self } }

/// Size, stride and alignment of a type known only by its metadata.
func layout(of type: Any.Type) -> (size: Int, stride: Int, alignment: Int) {
    func open<T>(_: T.Type) -> (Int, Int, Int) { (MemoryLayout<T>.size, MemoryLayout<T>.stride, MemoryLayout<T>.alignment) }
    return open(type)
}
