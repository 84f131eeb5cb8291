import ConvApp
import ConvCore
import Foundation
import TermUI
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

// MARK: - Reading an SVG back into cells

/// The cell grid an exported SVG describes, rebuilt from the `data-*` attributes that
/// ``TermUI/CellBuffer/svg(capabilities:options:)`` documents: backgrounds from the `bg`
/// rectangles, glyphs and foregrounds from the `glyphs` shapes and the `fg` text runs.
private final class SVGGrid: NSObject, XMLParserDelegate {
  var cols = -1
  var rows = -1
  var title = ""
  /// "x,y" → background fill, and how many rectangles covered the cell.
  var background: [String: String] = [:]
  var coverage: [String: Int] = [:]
  /// "x,y" → glyph and its colour.
  var glyph: [String: Character] = [:]
  var foreground: [String: String] = [:]
  var bold: Set<String> = []
  /// Cells whose glyph came from a text run (not from a shape).
  var fromText: Set<String> = []
  var problems: [String] = []
  private var open: (name: String, attributes: [String: String])?
  private var text = ""

  func parser(
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
      if let g = a["data-glyph"], let c = g.first {
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

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if open != nil { text += string }
  }

  func parser(
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
  static func read(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) -> SVGGrid? {
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

// MARK: - The colours a cell is drawn in

/// The SVG colours of a cell as `svg`'s documentation defines them: colours reduced to the
/// capabilities, then xterm RGB (defaults from ``SVGOptions``); reverse swaps foreground and
/// background; dim mixes the foreground halfway toward the background.
private func drawnColours(_ style: Style, _ caps: Capabilities) -> (fg: String, bg: String) {
  let options = SVGOptions()
  var fg = style.fg.downgraded(to: caps.color).toRGB(default: options.defaultForeground)
  var bg = style.bg.downgraded(to: caps.color).toRGB(default: options.defaultBackground)
  if style.attributes.contains(.reverse) { swap(&fg, &bg) }
  if style.attributes.contains(.dim) { fg = fg.mixed(with: bg, 0.5) }
  return (fg.hex, bg.hex)
}

// MARK: - convscope export --format svg

@Suite("convscope export: the SVG draws the frame's cells")
struct ExportSVGTests {
  /// A layer frame and the flags that export it.
  struct Case: Sendable, CustomTestStringConvertible {
    var flags: [String]
    var phase: Phase
    var step: Int
    var caps: Capabilities
    var testDescription: String { flags.joined(separator: " ") }
  }

  static let cases = [
    Case(
      flags: ["--step", "17"], phase: .forward, step: 17,
      caps: Capabilities(color: .truecolor, unicode: true)),
    Case(
      flags: ["--phase", "backward", "--step", "5", "--color", "256"], phase: .backward, step: 5,
      caps: Capabilities(color: .ansi256, unicode: true)),
    Case(
      flags: ["--step", "40", "--color", "8", "--ascii"], phase: .forward, step: 40,
      caps: Capabilities(color: .ansi8, unicode: false)),
  ]

  @Test("well-formed XML whose cells, glyphs and colours are the CellBuffer's", arguments: cases)
  func rebuildsTheBuffer(_ c: Case) throws {
    let result = try Binary.run(["export", "--format", "svg"] + c.flags)
    #expect(result.status == 0, "\(result.stderr)")
    let grid = try #require(SVGGrid.read(result.stdout))
    #expect(grid.problems.isEmpty, "\(grid.problems.prefix(5))")

    // The same frame, drawn here from the same Model.
    var scenario = Scenario.firstLesson
    scenario.startPhase = c.phase
    scenario.startStep = c.step - 1
    let model = try Model(scenario: scenario, capabilities: c.caps, width: 100, height: 32)
    let buffer = view(model)
    #expect(grid.title == FrameExport.title(of: model))
    #expect(grid.cols == buffer.width && grid.rows == buffer.height)
    #expect(grid.coverage.count == buffer.width * buffer.height)
    var mismatches: [String] = []
    for y in 0..<buffer.height {
      for x in 0..<buffer.width {
        let key = "\(x),\(y)"
        let cell = buffer[x, y]
        let colours = drawnColours(cell.style, c.caps)
        if grid.coverage[key] != 1 {
          mismatches.append("\(key) background drawn \(grid.coverage[key] ?? 0)×")
        }
        if grid.background[key] != colours.bg {
          mismatches.append("\(key) background \(grid.background[key] ?? "none") ≠ \(colours.bg)")
        }
        if cell.glyph == " " {
          if let g = grid.glyph[key], g != " " { mismatches.append("\(key) blank drawn as \(g)") }
          continue
        }
        if grid.glyph[key] != cell.glyph {
          mismatches.append(
            "\(key) glyph \(grid.glyph[key].map(String.init) ?? "none") ≠ \(cell.glyph)")
        }
        if grid.foreground[key] != colours.fg {
          mismatches.append("\(key) colour \(grid.foreground[key] ?? "none") ≠ \(colours.fg)")
        }
        if grid.fromText.contains(key),
          cell.style.attributes.contains(.bold) != grid.bold.contains(key)
        {
          mismatches.append("\(key) bold")
        }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.count) cells differ, first: \(mismatches.prefix(8))")
    // Enough colour to be a real picture, not a grid of defaults.
    #expect(Set(grid.background.values).count > 3)
  }

  @Test("the HTML page holds the same SVG")
  func htmlWrapsIt() throws {
    let svg = try Binary.run(["export", "--step", "9", "--format", "svg"])
    let html = try Binary.run(["export", "--step", "9", "--format", "html"])
    #expect(svg.status == 0 && html.status == 0)
    #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.hasSuffix("</html>\n"))
    #expect(html.stdout.contains(svg.stdout))
  }
}
