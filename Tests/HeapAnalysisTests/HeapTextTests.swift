// HeapTextTests — the one terminal-escaping rule and byte format every module prints with.
import HeapAnalysis
import Testing

@Suite struct HeapTextTests {
    @Test func plainTextIsReturnedUnchanged() {
        for text in ["", "Node", "Dictionary<String, Array<Int>>", "שלום", "🐛", "é\u{301}"] {
            #expect(HeapText.terminalEscaped(text) == text)
        }
    }

    @Test func everyTerminalActingCharacterIsEscaped() {
        #expect(HeapText.terminalEscaped("a\nb\tc\rd") == "a\\nb\\tc\\rd")
        #expect(HeapText.terminalEscaped("\u{1B}[31mred") == "\\u{1b}[31mred")  // C0 (ANSI)
        #expect(HeapText.terminalEscaped("del\u{7F}") == "del\\u{7f}")  // DEL
        #expect(HeapText.terminalEscaped("csi\u{9B}") == "csi\\u{9b}")  // C1
        #expect(HeapText.terminalEscaped("txt\u{202E}exe") == "txt\\u{202e}exe")  // bidi override
        #expect(HeapText.terminalEscaped("zero\u{200B}width") == "zero\\u{200b}width")  // format
        #expect(HeapText.terminalEscaped("👩\u{200D}👧") == "👩\\u{200d}👧")  // even a joiner: format
        #expect(HeapText.terminalEscaped("line\u{2028}para\u{2029}") == "line\\u{2028}para\\u{2029}")
        #expect(HeapText.terminalEscaped(#"a\nb"#) == #"a\\nb"#)  // an escape in the output is always one
    }

    @Test func backslashesCanBeKept() {
        #expect(HeapText.terminalEscaped(#"C:\dir"#, escapingBackslashes: false) == #"C:\dir"#)
        #expect(HeapText.terminalEscaped("C:\\dir\n\u{1B}", escapingBackslashes: false) == "C:\\dir\\n\\u{1b}")
    }

    @Test func noEscapedOutputContainsATerminalActingScalar() {
        let samples = (0..<0x250).compactMap(Unicode.Scalar.init) + ["\u{2028}", "\u{2029}", "\u{202E}", "\u{FEFF}"]
        for scalar in samples {
            let escaped = HeapText.terminalEscaped("x" + String(scalar) + "y")
            #expect(!escaped.unicodeScalars.contains {
                $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029
                    || $0.properties.generalCategory == .format
            }, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func compactBytes() {
        #expect(HeapText.bytes(0) == "0 B")
        #expect(HeapText.bytes(48) == "48 B")
        #expect(HeapText.bytes(1023) == "1023 B")
        #expect(HeapText.bytes(1024) == "1.0 KiB")
        #expect(HeapText.bytes(1280) == "1.3 KiB")  // 1.25 rounds half up, the same on every machine
        #expect(HeapText.bytes(1536) == "1.5 KiB")
        #expect(HeapText.bytes(1024 * 1024 - 1) == "1024.0 KiB")
        #expect(HeapText.bytes(1024 * 1024) == "1.0 MiB")
        #expect(HeapText.bytes(12 << 30) == "12.0 GiB")
        #expect(HeapText.bytes(1 << 60) == "1.0 EiB")
        #expect(HeapText.bytes(.max) == "16.0 EiB")
    }

    @Test func exactBytesBelow10KiB() {
        #expect(HeapText.bytes(1, style: .exactBelow10KiB) == "1 byte")
        #expect(HeapText.bytes(0, style: .exactBelow10KiB) == "0 bytes")
        #expect(HeapText.bytes(312, style: .exactBelow10KiB) == "312 bytes")
        #expect(HeapText.bytes(10 * 1024 - 1, style: .exactBelow10KiB) == "10239 bytes")
        #expect(HeapText.bytes(10 * 1024, style: .exactBelow10KiB) == "10.0 KiB")
        #expect(HeapText.bytes(12_595, style: .exactBelow10KiB) == "12.3 KiB")
        #expect(HeapText.bytes(5 << 20, style: .exactBelow10KiB) == "5.0 MiB")
    }
}
