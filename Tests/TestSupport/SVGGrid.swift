import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

// MARK: - Reading an SVG back into cells

/// The cell grid an exported SVG describes, rebuilt from the `data-*` attributes that
/// ``TermUI/CellBuffer/svg(capabilities:options:)`` documents: backgrounds from the `bg`
/// rectangles, glyphs and foregrounds from the `glyphs` shapes and the `fg` text runs.
public final class SVGGrid: NSObject, XMLParserDelegate {
  /// Columns (`data-cols`).
  public private(set) var cols = -1
  /// Rows (`data-rows`).
  public private(set) var rows = -1
  /// The `<title>`.
  public private(set) var title = ""
  /// "x,y" → background fill.
  public private(set) var background: [String: String] = [:]
  /// "x,y" → how many background rectangles covered the cell (1 when right).
  public private(set) var coverage: [String: Int] = [:]
  /// "x,y" → glyph.
  public private(set) var glyph: [String: Character] = [:]
  /// "x,y" → the glyph's colour.
  public private(set) var foreground: [String: String] = [:]
  /// Cells drawn bold.
  public private(set) var bold: Set<String> = []
  /// Cells with an underline mark (`<rect data-mark="underline">`).
  public private(set) var underlined: Set<String> = []
  /// Cells whose glyph came from a text run (not from a shape).
  public private(set) var fromText: Set<String> = []
  /// What did not fit the documented structure.
  public private(set) var problems: [String] = []
  private var open: (name: String, attributes: [String: String])?
  private var text = ""

  /// Reads an element's attributes.
  public func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes a: [String: String] = [:]
  ) {
    switch name {
    case "svg":
      cols = Int(a["data-cols"] ?? "") ?? -1
      rows = Int(a["data-rows"] ?? "") ?? -1
    case "rect", "path":
      guard let x = Int(a["data-x"] ?? ""), let y = Int(a["data-y"] ?? "") else {
        problems.append("\(name) without data-x/data-y")
        return
      }
      if a["data-mark"] == "underline", let w = Int(a["data-w"] ?? ""), w >= 1 {
        for i in x..<(x + w) { underlined.insert("\(i),\(y)") }
      } else if let g = a["data-glyph"], let c = g.first {
        glyph["\(x),\(y)"] = c
        foreground["\(x),\(y)"] = name == "path" ? a["stroke"] : a["fill"]
      } else if let w = Int(a["data-w"] ?? ""), w >= 1 {
        for i in x..<(x + w) {
          background["\(i),\(y)"] = a["fill"]
          coverage["\(i),\(y)", default: 0] += 1
        }
      } else {
        problems.append("\(name) at \(x),\(y) is neither a glyph nor a background run")
      }
    case "text", "title":
      open = (name, a)
      text = ""
    default:
      break
    }
  }

  /// Collects text.
  public func parser(_ parser: XMLParser, foundCharacters string: String) {
    if open != nil { text += string }
  }

  /// Ends a text run or the title.
  public func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
  ) {
    guard let (openName, a) = open, openName == name else { return }
    open = nil
    if name == "title" {
      title = text
      return
    }
    guard let x = Int(a["data-x"] ?? ""), let y = Int(a["data-y"] ?? ""),
      let w = Int(a["data-w"] ?? "")
    else {
      problems.append("text without data-x/data-y/data-w")
      return
    }
    let chars = Array(text)
    if chars.count != w { problems.append("text at \(x),\(y): \(chars.count) glyphs, data-w \(w)") }
    for (i, c) in chars.enumerated() {
      glyph["\(x + i),\(y)"] = c
      foreground["\(x + i),\(y)"] = a["fill"]
      fromText.insert("\(x + i),\(y)")
      if a["font-weight"] == "bold" { bold.insert("\(x + i),\(y)") }
    }
  }

  /// The grid of `svg`, or nil (and an issue) when it is not well-formed XML.
  public static func read(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> SVGGrid?
  {
    let grid = SVGGrid()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = grid
    guard parser.parse() else {
      Issue.record(
        "the SVG is not well-formed XML: \(String(describing: parser.parserError))",
        sourceLocation: sourceLocation)
      return nil
    }
    return grid
  }
}
