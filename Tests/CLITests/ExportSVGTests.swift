import ConvApp
import ConvCore
import ConvLessons
import ConvStepper
import Foundation
import TermUI
import TestSupport
import Testing

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
