// SwiftHeapReader — turns the registry's live objects into a HeapSnapshot: counts first (nothing has
// been retained by the reader yet), then each object's references read by type from its metadata:
// stored properties, closure captures, box contents, and Array/Dictionary/Set storage by element type.
// A word is a reference only where the type says so; a target must be a registered, live object.
import CHeapscanSwift
import HeapGraph

struct SwiftHeapReader {
    let minimumEpoch: UInt32
    let thisThreadOnly: Bool
    var builder = HeapSnapshot.Builder()
    /// Address of each object in the snapshot → its builder position.
    var positions: [UInt: Int] = [:]
    /// Storage objects reached through an Array/Dictionary/Set value, with their element types.
    var storageHints: [(address: UInt, kind: StorageKind)] = []
    var readStorages: Set<UInt> = []
    var nameCache: [String: UInt32] = [:]

    enum StorageKind {
        case array(Any.Type)
        case dictionary(Any.Type, Any.Type)
        case set(Any.Type)
    }

    /// Nesting of value types followed inside one slot (types nest finitely; this bounds odd metadata).
    static let maximumTypeDepth = 64

    init(minimumEpoch: UInt32, thisThreadOnly: Bool) {
        self.minimumEpoch = minimumEpoch
        self.thisThreadOnly = thisThreadOnly
    }

    mutating func read() -> HeapSnapshot {
        builder.liveness = .refcount
        builder.runtime = SwiftHeap.runtimeName
        let entries = copyEntries()
        // 1. Objects and exact strong counts, before the reader retains anything.
        var objects: [(address: UInt, metadata: UnsafeRawPointer, size: Int, kind: Int)] = []
        objects.reserveCapacity(entries.count)
        for entry in entries {
            guard let metadata = UnsafeRawPointer(bitPattern: UInt(entry.metadata)) else { continue }
            let kind = MetadataKind.of(metadata)
            guard kind == 0 || kind == MetadataKind.heapLocalVariable || kind == MetadataKind.heapGenericLocalVariable
            else { continue }
            if hs_is_deallocating(entry.address) != 0 { continue }
            let count = hs_strong_count(entry.address)
            objects.append((UInt(entry.address), metadata, Int(entry.size), kind))
            let position = builder.addObject(
                id: UInt64(entry.address), typeIndex: builder.internType(typeName(metadata, kind: kind)),
                size: UInt64(entry.size), refcount: UInt32(clamping: count))
            positions[UInt(entry.address)] = position
        }
        // 2. References.
        for (i, object) in objects.enumerated() {
            guard let base = UnsafeRawPointer(bitPattern: object.address) else { continue }
            switch object.kind {
            case 0: readClassInstance(base, metadata: object.metadata, from: i)
            case MetadataKind.heapLocalVariable: readContext(base, metadata: object.metadata, size: object.size, from: i)
            default: readGenericBox(base, metadata: object.metadata, from: i)
            }
        }
        // 3. Collection storage, by the element types their holders' fields named (may nest).
        while let (address, kind) = storageHints.popLast() {
            guard !readStorages.contains(address), let from = positions[address],
                let base = UnsafeRawPointer(bitPattern: address)
            else { continue }
            readStorages.insert(address)
            let size = objects[from].size
            switch kind {
            case .array(let element): readArrayStorage(base, size: size, element: element, from: from)
            case .dictionary(let key, let value): readHashedStorage(base, size: size, key: key, value: value, from: from)
            case .set(let element): readHashedStorage(base, size: size, key: element, value: nil, from: from)
            }
        }
        // Ids are distinct registry addresses and targets are positions already added: build cannot fail.
        do { return try builder.build(unknownReferences: .drop) } catch {
            preconditionFailure("HeapscanSwift: snapshot of registered objects is inconsistent: \(error)")
        }
    }

    func copyEntries() -> [hs_entry] {
        var capacity = Int(hs_live_count()) + 4096
        while true {
            var entries = [hs_entry](repeating: hs_entry(), count: capacity)
            let total = entries.withUnsafeMutableBufferPointer {
                Int(hs_copy_entries($0.baseAddress, capacity, minimumEpoch, thisThreadOnly ? 1 : 0))
            }
            if total <= capacity {
                entries.removeLast(capacity - total)
                return entries
            }
            capacity = total + 4096
        }
    }

    func typeName(_ metadata: UnsafeRawPointer, kind: Int) -> String {
        switch kind {
        case 0: return String(describing: Metadata.type(metadata))
        case MetadataKind.heapLocalVariable:
            guard let (_, captures) = Metadata.captures(ofContext: metadata) else { return "closure context" }
            let names = captures.map { capture -> String in
                switch capture.ownership {
                case .weak: return "weak"
                case .unowned: return "unowned"
                case .box: return "box"
                case .strong: return capture.type.map { String(describing: $0) } ?? "?"
                }
            }
            return "closure context (\(names.joined(separator: ", ")))"
        default:
            let boxed = metadata.load(fromByteOffset: 16, as: UnsafeRawPointer.self)
            return "Box<\(String(describing: Metadata.type(boxed)))>"
        }
    }

    // MARK: Objects

    mutating func readClassInstance(_ base: UnsafeRawPointer, metadata: UnsafeRawPointer, from: Int) {
        for field in Metadata.fields(of: Metadata.type(metadata)) {
            walk(field.type, at: base + field.offset, name: field.name, strong: field.isStrong, from: from, depth: 0)
        }
    }

    /// A closure context (or a non-generic box): captures in descriptor order, each aligned to its type.
    mutating func readContext(_ base: UnsafeRawPointer, metadata: UnsafeRawPointer, size: Int, from: Int) {
        guard let (first, captures) = Metadata.captures(ofContext: metadata) else { return }
        var offset = first
        for (i, capture) in captures.enumerated() {
            switch capture.ownership {
            case .strong:
                guard let type = capture.type else { return }  // unknown layout: stop, no guessing
                let (size_, _, alignment) = layout(of: type)
                offset = (offset + alignment - 1) / alignment * alignment
                guard offset + size_ <= size else { return }
                walk(type, at: base + offset, name: "capture \(i) (\(String(describing: type)))", strong: true, from: from, depth: 0)
                offset += size_
            case .box:
                offset = (offset + 7) / 8 * 8
                guard offset + 8 <= size else { return }
                reference(from: from, word: (base + offset).load(as: UInt.self), name: "capture \(i) (box)", kind: .strong)
                offset += 8
            case .weak, .unowned:
                // A weak capture holds a side-table pointer, an unowned one the object: one word,
                // never a strong reference. Unowned captures become weak references when registered.
                offset = (offset + 7) / 8 * 8
                guard offset + 8 <= size else { return }
                if capture.ownership == .unowned {
                    reference(from: from, word: (base + offset).load(as: UInt.self), name: "capture \(i) (unowned)", kind: .weak)
                }
                offset += 8
            }
        }
    }

    mutating func readGenericBox(_ base: UnsafeRawPointer, metadata: UnsafeRawPointer, from: Int) {
        let offset = Int(metadata.load(fromByteOffset: 8, as: UInt32.self))
        let boxed = Metadata.type(metadata.load(fromByteOffset: 16, as: UnsafeRawPointer.self))
        walk(boxed, at: base + offset, name: "value", strong: true, from: from, depth: 0)
    }

    // MARK: Values by type

    /// Follows the references a value of `type` stored at `address` holds.
    mutating func walk(_ type: Any.Type, at address: UnsafeRawPointer, name: String, strong: Bool, from: Int, depth: Int) {
        guard depth < Self.maximumTypeDepth else { return }
        if !strong {
            // weak / unowned storage: one word. Weak slots hold a side-table pointer (never registered),
            // unowned ones the object itself: a non-retaining reference.
            reference(from: from, word: address.load(as: UInt.self), name: name, kind: .weak)
            return
        }
        if Metadata.isPOD(type) { return }
        let metadata = Metadata.pointer(type)
        switch MetadataKind.of(metadata) {
        case 0:
            reference(from: from, word: address.load(as: UInt.self), name: name, kind: .strong)
        case MetadataKind.optional:
            let payload = Metadata.optionalPayload(type)
            if isSome(payload, at: address) { walk(payload, at: address, name: name, strong: true, from: from, depth: depth + 1) }
        case MetadataKind.function:
            if Metadata.isThickFunction(type) && address.load(as: UInt.self) != 0 {
                reference(from: from, word: address.load(fromByteOffset: 8, as: UInt.self), name: name, kind: .strong)
            }
        case MetadataKind.existential:
            readExistential(type, at: address, name: name, from: from, depth: depth)
        case MetadataKind.struct:
            if let array = type as? any HeapscanArrayType.Type {
                storage(at: address, name: name, from: from, kind: .array(array.elementType))
            } else if let dictionary = type as? any HeapscanDictionaryType.Type {
                storage(at: address, name: name, from: from, kind: .dictionary(dictionary.keyType, dictionary.valueType))
            } else if let set = type as? any HeapscanSetType.Type {
                storage(at: address, name: name, from: from, kind: .set(set.elementType))
            } else {
                walkFields(of: type, at: address, name: name, from: from, depth: depth)
            }
        case MetadataKind.tuple:
            walkFields(of: type, at: address, name: name, from: from, depth: depth)
        default:
            return  // other enums, metatypes, opaque builtins: not read (see docs/swift-objects.md)
        }
    }

    mutating func walkFields(of type: Any.Type, at address: UnsafeRawPointer, name: String, from: Int, depth: Int) {
        for field in Metadata.fields(of: type) {
            walk(field.type, at: address + field.offset, name: name + "." + field.name, strong: field.isStrong, from: from, depth: depth + 1)
        }
    }

    mutating func readExistential(_ type: Any.Type, at address: UnsafeRawPointer, name: String, from: Int, depth: Int) {
        if Metadata.existentialIsClassBound(type) {
            reference(from: from, word: address.load(as: UInt.self), name: name, kind: .strong)
            return
        }
        let flags = Metadata.pointer(type).load(fromByteOffset: 8, as: UInt32.self)
        guard (flags >> 24) & 0x3F == 0 else { return }  // Error and other special protocols: not read
        guard let dynamic = address.load(fromByteOffset: 24, as: UnsafeRawPointer?.self) else { return }
        let dynamicType = Metadata.type(dynamic)
        if Metadata.valueWitnessFlags(dynamicType) & 0x20000 != 0 {
            reference(from: from, word: address.load(as: UInt.self), name: name, kind: .strong)  // boxed out of line
        } else {
            walk(dynamicType, at: address, name: name, strong: true, from: from, depth: depth + 1)
        }
    }

    /// An Array/Dictionary/Set value: one word, its storage object (singletons for empty ones are static).
    mutating func storage(at address: UnsafeRawPointer, name: String, from: Int, kind: StorageKind) {
        let word = address.load(as: UInt.self)
        guard positions[word] != nil else { return }
        reference(from: from, word: word, name: name, kind: .strong)
        storageHints.append((word, kind))
    }

    // MARK: Collection storage

    mutating func readArrayStorage(_ base: UnsafeRawPointer, size: Int, element: Any.Type, from: Int) {
        if Metadata.isPOD(element) { return }
        // __ContiguousArrayStorageBase: header (16 bytes), countAndCapacity (count, capacity), elements.
        let count = base.load(fromByteOffset: 16, as: Int.self)
        let (_, stride, alignment) = layout(of: element)
        let start = (32 + alignment - 1) / alignment * alignment
        guard count >= 0, stride > 0, count <= (size - start) / stride else { return }
        for i in 0..<count {
            walk(element, at: base + start + i * stride, name: "[\(i)]", strong: true, from: from, depth: 0)
        }
    }

    /// Dictionary (`_DictionaryStorage`) or Set (`_SetStorage`) storage: the occupied buckets of its
    /// bitmap, keys and values read by type. Field offsets come from the storage class's reflection.
    mutating func readHashedStorage(_ base: UnsafeRawPointer, size: Int, key: Any.Type, value: Any.Type?, from: Int) {
        let keyPOD = Metadata.isPOD(key), valuePOD = value.map(Metadata.isPOD) ?? true
        if keyPOD && valuePOD { return }
        guard let metadata = UnsafeRawPointer(bitPattern: base.load(as: UInt.self)) else { return }
        let fields = Metadata.fields(of: Metadata.type(metadata))
        func offset(_ name: String) -> Int? { fields.first { $0.name == name }?.offset }
        guard let scaleOffset = offset("_scale"),
            let keysOffset = offset(value == nil ? "_rawElements" : "_rawKeys")
        else { return }
        let valuesOffset = value == nil ? nil : offset("_rawValues")
        if value != nil && valuesOffset == nil { return }
        let instanceEnd = fields.map { $0.offset + layout(of: $0.type).size }.max() ?? 0
        let bitmapStart = (instanceEnd + 7) / 8 * 8
        let scale = Int(base.load(fromByteOffset: scaleOffset, as: Int8.self))
        guard scale >= 0, scale < 40 else { return }
        let buckets = 1 << scale
        let words = (buckets + 63) / 64
        guard bitmapStart + words * 8 <= size else { return }
        let object = UInt(bitPattern: base)
        func inside(_ pointer: UInt, _ stride: Int) -> Bool {
            pointer >= object && pointer <= object + UInt(size) && (object + UInt(size) - pointer) / UInt(max(stride, 1)) >= UInt(buckets)
        }
        let keyStride = layout(of: key).stride
        let keys = base.load(fromByteOffset: keysOffset, as: UInt.self)
        guard inside(keys, keyStride), let keysPointer = UnsafeRawPointer(bitPattern: keys) else { return }
        var valuesPointer: UnsafeRawPointer? = nil
        var valueStride = 0
        if let value, let valuesOffset {
            valueStride = layout(of: value).stride
            let values = base.load(fromByteOffset: valuesOffset, as: UInt.self)
            guard inside(values, valueStride) else { return }
            valuesPointer = UnsafeRawPointer(bitPattern: values)
        }
        for w in 0..<words {
            var bits = base.load(fromByteOffset: bitmapStart + w * 8, as: UInt64.self)
            while bits != 0 {
                let bucket = w * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                guard bucket < buckets else { break }
                if !keyPOD {
                    walk(key, at: keysPointer + bucket * keyStride, name: value == nil ? "element" : "key", strong: true, from: from, depth: 0)
                }
                if let value, !valuePOD, let valuesPointer {
                    walk(value, at: valuesPointer + bucket * valueStride, name: "value", strong: true, from: from, depth: 0)
                }
            }
        }
    }

    // MARK: References

    /// Adds a reference when `word` is the address of an object in the snapshot.
    mutating func reference(from: Int, word: UInt, name: String, kind: ReferenceKind) {
        guard let target = positions[word] else { return }
        let index: UInt32
        if let cached = nameCache[name] { index = cached } else {
            index = builder.internFieldName(name)
            nameCache[name] = index
        }
        builder.addReference(from: from, to: target, nameIndex: index, kind: kind)
    }
}

/// Whether the Optional<payload> at `address` holds a value (by the payload's own enum witnesses).
func isSome(_ payload: Any.Type, at address: UnsafeRawPointer) -> Bool {
    func open<T>(_: T.Type) -> Bool {
        address.withMemoryRebound(to: Optional<T>.self, capacity: 1) { pointer in
            switch pointer.pointee {
            case .none: false
            case .some: true
            }
        }
    }
    return open(payload)
}
