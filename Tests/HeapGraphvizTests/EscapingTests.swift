// EscapingTests — DOTText on its own, then random hostile strings through the whole path (drawing,
// DOT, libgraphviz, SVG, XML parser): the text that comes out is the text that went in, made visible.
import Foundation
import HeapGraphviz
import Testing

@Suite struct EscapingTests {
    @Test func visibleShowsControlAndBidiCharactersOnly() {
        #expect(DOTText.visible("a\nb\tc\rd") == "a\\nb\\tc\\rd")
        #expect(DOTText.visible("\u{0}\u{1B}\u{7F}") == "\\u{0}\\u{1B}\\u{7F}")
        #expect(DOTText.visible("\u{202E}abc\u{2066}") == "\\u{202E}abc\\u{2066}")
        #expect(DOTText.visible("שלום مرحبا 🐛👩‍👩‍👧") == "שלום مرحبا 🐛👩‍👩‍👧")
    }

    @Test func longTextIsCutOnCharacterBoundaries() {
        #expect(DOTText.visible("abcdef", limit: 4) == "abc…")
        #expect(DOTText.visible("👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧", limit: 2) == "👩‍👩‍👧…")
        #expect(DOTText.visible("abcd", limit: 4) == "abcd")
    }

    @Test func htmlEscapesMarkupEntitiesAndBackslashes() {
        #expect(DOTText.html("<b>&amp;\"'") == "&lt;b&gt;&amp;amp;&quot;&#39;")
        #expect(DOTText.html("C:\\N") == "C:\\\\N")
        #expect(DOTText.html("x\ny") == "x\\\\ny")
    }

    @Test func badHTMLLabelIsAnErrorNotAWrongPicture() {
        // Graphviz's own parser recovers from this by drawing the node's name; we refuse instead.
        #expect(throws: GraphvizError.self) { try GraphvizRenderer().render(dot: "digraph g { a [label=<]>] }") }
        #expect(DOTText.html("]") == "&#93;")
    }

    @Test func quotedEscapesQuotesAndBackslashes() {
        #expect(DOTText.quoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(DOTText.quoted("") == "\"\"")
    }

    @Test func plainIdentifiers() {
        #expect(DOTText.isPlainIdentifier("o42") && DOTText.isPlainIdentifier("_x"))
        #expect(!DOTText.isPlainIdentifier("42o") && !DOTText.isPlainIdentifier("a-b") && !DOTText.isPlainIdentifier(""))
        #expect(!DOTText.isPlainIdentifier("node") && !DOTText.isPlainIdentifier("Digraph") && !DOTText.isPlainIdentifier("é"))
    }

    @Test func randomHostileTextSurvivesTheWholePath() throws {
        let alphabet: [String] = [
            "a", "Z", " ", "\"", "\\", "<", ">", "&", "'", ";", "#", "{", "}", "[", "]", "-", ">", "\n", "\t", "\u{0}",
            "\u{1B}", "\u{202E}", "\u{200F}", "ש", "ع", "🐛", "👩‍👩‍👧", "é", "\u{301}", "&amp;", "\\N", "\\G", "%", "|", "]]>", "<!--", "-->", "<![CDATA[", "&#93;", "\u{FEFF}", "\u{200B}",
        ]
        var state: UInt64 = 0x9E37_79B9
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<25 {
            var drawing = HeapDrawing()
            var expected: [String] = []
            for i in 0..<4 {
                var text = ""
                for _ in 0..<(1 + next(12)) { text += alphabet[next(alphabet.count)] }
                drawing.nodes.append(HeapDrawing.Node(key: "o\(i)", kind: .object(id: UInt64(i)), title: text, lines: ["#\(i)"]))
                expected.append(DOTText.visible(text))
            }
            for i in 0..<4 { drawing.edges.append(HeapDrawing.Edge(from: "o\(i)", to: "o\((i + 1) % 4)", label: expected[i])) }
            let svg = try ParsedSVG(GraphvizRenderer().render(dot: drawing.dot()))
            #expect(svg.nodeTitles.count == 4, "round \(round)")
            for text in expected {
                // Graphviz may drop a leading or trailing space in a text line; compare trimmed.
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                #expect(svg.texts.contains { $0.trimmingCharacters(in: .whitespaces) == trimmed }, "round \(round): \(text.debugDescription) not in \(svg.texts)")
            }
        }
    }
}
