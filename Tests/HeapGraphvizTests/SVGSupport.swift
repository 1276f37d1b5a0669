// SVGSupport — reads rendered SVG back with an XML parser: well-formedness, the node groups and all
// text, so tests check what a browser would show.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What an SVG says, as parsed by `XMLParser`.
struct ParsedSVG {
    /// `<title>` of every `<g class="node">`: the DOT node keys.
    var nodeTitles: [String] = []
    /// Number of `<g class="edge">`.
    var edgeCount = 0
    /// The content of every `<text>` element, in order.
    var texts: [String] = []

    /// Parses `data`; throws when it is not well-formed XML.
    init(_ data: Data) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            throw SVGError(description: "SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber)")
        }
        nodeTitles = delegate.nodeTitles
        edgeCount = delegate.edgeCount
        texts = delegate.texts
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var nodeTitles: [String] = []
        var edgeCount = 0
        var texts: [String] = []
        private var groupClasses: [String?] = []
        private var inTitle = false
        private var inText = false
        private var buffer = ""

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch element {
            case "g":
                groupClasses.append(attributes["class"])
                if attributes["class"] == "edge" { edgeCount += 1 }
            case "title": inTitle = true; buffer = ""
            case "text": inText = true; buffer = ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inTitle || inText { buffer += string }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            switch element {
            case "g": _ = groupClasses.popLast()
            case "title":
                inTitle = false
                if groupClasses.last == "node" { nodeTitles.append(buffer) }
            case "text":
                inText = false
                texts.append(buffer)
            default: break
            }
        }
    }
}

struct SVGError: Error, CustomStringConvertible {
    var description: String
}
