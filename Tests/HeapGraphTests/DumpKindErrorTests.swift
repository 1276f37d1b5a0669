// DumpKindErrorTests — the fields version 2 and the JSON keys added for every runtime (reference and
// root kinds, non-retaining rows, liveness, runtime, flags) are checked like every other field: a bad
// value is one error at its byte offset or JSON path, with a valid CRC so the check is the content's.
import Foundation
@testable import HeapGraph
import Testing

@Suite struct DumpKindErrorTests {
    /// Two objects, a strong, an internal and a weak reference, two roots with kinds, a flag.
    static func sample() -> HeapSnapshot {
        var b = HeapSnapshot.Builder()
        let a = b.add("A", size: 8)
        let c = b.add("C", size: 8)
        b.reference(from: a, to: c, name: "strong")
        b.reference(from: a, to: c, name: "plumbing", kind: .internal)
        b.reference(from: c, to: a, name: "back", kind: .weak)
        b.root(a, name: "main", kind: .thread)
        b.root(c, name: "jni", kind: .jniGlobal)
        b.setDetached(1)
        b.liveness = .roots
        b.runtime = "VM"
        return b.build()
    }

    func error(_ edit: (inout DumpBytes) -> Void) -> DumpError? {
        var d = DumpBytes(Self.sample().dumpData())
        edit(&d)
        do { _ = try HeapSnapshot(data: d.data); return nil } catch { return error }
    }

    @Test func sampleRoundTripsAndHasEveryNewSection() throws {
        let s = Self.sample()
        let d = DumpBytes(s.dumpData())
        #expect(Set(d.sections.keys) == Set(BinaryDump.sectionTags(version: 2)))
        #expect(try HeapSnapshot(dumpData: s.dumpData()) == s)
        #expect(s.weakEdgeCount == 1 && s.edgeKinds == [.strong, .internal] && s.isDetached(1))
    }

    @Test func badKindBytesAreOutOfRangeAtTheirOffset() throws {
        // EDGE ends with the kind bytes of its 2 references; WEAK with the kind of its 1.
        let strongAsWeak = try #require(error { d in
            let edge = d.sections["EDGE"]!
            d.bytes[edge.payload + edge.length - 1] = ReferenceKind.weak.rawValue
            d.fixCRC("EDGE")
        })
        #expect(strongAsWeak.kind == .outOfRange && strongAsWeak.message.contains("kind of edge 1 is 1, expected 0 (strong) or 2 (internal)"))
        let weakAsStrong = try #require(error { d in
            let weak = d.sections["WEAK"]!
            d.bytes[weak.payload + weak.length - 1] = 0
            d.fixCRC("WEAK")
        })
        #expect(weakAsStrong.kind == .outOfRange && weakAsStrong.offset == DumpBytes(Self.sample().dumpData()).sections["WEAK"].map { $0.payload + $0.length - 1 })
    }

    @Test func badRootKindLivenessAndFlagsMarker() throws {
        let root = try #require(error { d in
            let r = d.sections["ROOT"]!
            d.store(UInt32(200), at: r.payload + 8 + 8)  // the first root's kind
            d.fixCRC("ROOT")
        })
        #expect(root.kind == .outOfRange && root.message.contains("root 0 has kind 200"))
        let liveness = try #require(error { d in
            let m = d.sections["META"]!
            d.bytes[m.payload] = 7
            d.fixCRC("META")
        })
        #expect(liveness.kind == .outOfRange && liveness.message.contains("liveness rule 7"))
        let flags = try #require(error { d in
            let m = d.sections["META"]!
            d.bytes[m.payload + 5] = 9
            d.fixCRC("META")
        })
        #expect(flags.kind == .malformed && flags.message.contains("object flags absent or present"))
    }

    @Test func jsonRejectsUnknownKindsAndRules() {
        func jsonError(_ text: String) -> DumpError? {
            do { _ = try HeapSnapshot(data: Data(text.utf8)); return nil } catch { return error }
        }
        let ref = jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "type": "A", "size": 1, "refs": [{"to": 1, "kind": "feeble"}]}]}"#)
        #expect(ref?.kind == .jsonShape && ref?.jsonPath == "$.objects[0].refs[0]" && ref?.message.contains("unknown reference kind \"feeble\"") == true)
        let root = jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "type": "A", "size": 1}], "roots": [{"to": 1, "kind": "moon"}]}"#)
        #expect(root?.kind == .jsonShape && root?.message.contains("unknown root kind \"moon\"") == true)
        let long = String(repeating: "x", count: 5000)
        let rule = jsonError(#"{"heapscan": 1, "liveness": ""# + long + #"", "objects": []}"#)
        #expect(rule?.kind == .jsonShape && (rule?.description.utf8.count ?? 0) < 200)
        let detached = jsonError(#"{"heapscan": 1, "objects": [{"id": 1, "type": "A", "size": 1, "detached": 1}]}"#)
        #expect(detached?.kind == .jsonShape && detached?.message.contains("true or false") == true)
    }
}
