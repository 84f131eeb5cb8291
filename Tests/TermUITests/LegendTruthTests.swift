import TestSupport
import Testing

@testable import TermUI

/// Item 6 of issue 12: a legend draws what the maps draw, and the window shows in every mode.
@Suite("Legends tell the truth")
struct LegendTruthTests {
  private let range: Float = 2.5

  /// A one-value map of `v` drawn in shades in a `w`×`h` area without labels.
  private func map(_ v: Float, _ caps: Capabilities, palette: Palette, _ w: Int, _ h: Int)
    -> (CellBuffer, HeatGridLayout)
  {
    var m = HeatGridModel(
      rows: 1, cols: 1, values: [v], range: range, palette: palette, mode: .shades)
    m.showLabels = false
    var b = CellBuffer(width: w, height: h)
    let layout = HeatGrid(model: m, capabilities: caps).render(into: &b, area: b.area)
    return (b, layout)
  }

  /// The legend's bar as drawn: the cells after `−2.5 ` (no title), as many as the bar has.
  private func bar(_ caps: Capabilities, palette: Palette) -> [Cell] {
    let legend = Legend(palette: palette, range: range, items: [], capabilities: caps)
    var b = CellBuffer(width: 80, height: 1)
    legend.render(into: &b, area: b.area)
    let start = "−2.5 ".count
    let count = legend.barCells(maxWidth: 80).count
    return (start..<(start + count)).map { b[$0, 0] }
  }

  /// The colour a map cell shows: the top half's with half blocks, else the background.
  private func shownColour(_ cell: Cell) -> Color {
    cell.glyph == "▀" ? cell.style.fg : cell.style.bg
  }

  @Test(arguments: [Palette.redBlue, .grey, .purpleOrange])
  func legendCellsAreTheMapsCellsForTheSameValues(palette: Palette) {
    for (name, caps) in Gallery.allCapabilities {
      let legend = Legend(palette: palette, range: range, items: [], capabilities: caps)
      let samples = legend.barSamples(maxWidth: 80)
      let cells = bar(caps, palette: palette)
      let shader = Shader(palette: palette, capabilities: caps, range: range)
      #expect(samples.count >= 9, "\(name)")
      // Glyph modes put a blank either side of `0`.
      let glyphs = !shader.fillsWithColor
      var i = 0
      for v in samples {
        if v == 0 {
          #expect(cells[i + (glyphs ? 1 : 0)].glyph == "0", "\(name) \(palette)")
          i += glyphs ? 3 : 1
          continue
        }
        let drawn = cells[i]
        i += 1
        for (w, h) in [(1, 1), (2, 1), (4, 2), (6, 3)] {
          let (b, layout) = map(v, caps, palette: palette, w, h)
          let cell = b[layout.gridRect.x + layout.gridRect.width - 1, layout.gridRect.y]
          let label = "\(name) \(palette) v=\(v) in \(w)×\(h)"
          if glyphs {
            // The value's glyph in its style, at every cell width (wider cells add a sign
            // mark at the start of their middle row).
            #expect(cell.glyph == drawn.glyph, "\(label)")
            #expect(cell.style == drawn.style, "\(label)")
          } else {
            #expect(shownColour(cell) == drawn.style.bg, "\(label)")
          }
        }
      }
    }
  }

  @Test func monochromeLegendReadsSignAndMagnitude() {
    let line = { (caps: Capabilities) -> String in
      var b = CellBuffer(width: 60, height: 1)
      Legend(palette: .redBlue, range: 4.9, items: [], capabilities: caps)
        .render(into: &b, area: b.area)
      return b.line(0).trimmingTrailingSpaces()
    }
    #expect(line(Capabilities(color: .none, unicode: true)) == "−4.9 ▆▄▂▁ 0 ░▒▓█ +4.9")
    #expect(line(.plain) == "-4.9 %=-, 0 '+*# +4.9")
    // Eight colours: the hue carries the sign; every level of the ASCII ramp appears.
    #expect(line(Capabilities(color: .ansi8, unicode: false)) == "-4.9 @%#*=:, 0 ,:=*#%@ +4.9")
    #expect(line(Capabilities(color: .ansi8, unicode: true)) == "−4.9 █▓▒░ 0 ░▒▓█ +4.9")
    // The grey palette has no hue, so eight colours draw the sign families.
    var b = CellBuffer(width: 60, height: 1)
    Legend(
      palette: .grey, range: 4.9, items: [],
      capabilities: Capabilities(color: .ansi8, unicode: true)
    )
    .render(into: &b, area: b.area)
    #expect(b.line(0).trimmingTrailingSpaces() == "−4.9 ▆▄▂▁ 0 ░▒▓█ +4.9")
  }

  @Test func monochromeMapCellsShowTheirSign() {
    for caps in [Capabilities(color: .none, unicode: true), .plain] {
      for (w, h) in [(1, 1), (2, 1), (4, 2), (6, 3)] {
        for m: Float in [0.3, 1.2, 2.5] {
          let (pos, _) = map(m, caps, palette: .redBlue, w, h)
          let (neg, _) = map(-m, caps, palette: .redBlue, w, h)
          let p = Set(pos.lines.joined())
          let n = Set(neg.lines.joined())
          #expect(p.isDisjoint(with: n), "\(caps) ±\(m) \(w)×\(h): \(p) vs \(n)")
        }
      }
    }
  }

  // MARK: The 8-colour theme

  @Test func eightColourChromeUsesNoDarkHue() {
    let t = Theme.standard(for: Capabilities(color: .ansi8, unicode: true))
    let chrome: [Style] = [
      t.border, t.borderFocused, t.title, t.titleFocused, t.text, t.dim, t.emphasis, t.accent,
      t.info, t.warning, t.error, t.success, t.statusBar, t.statusKey, t.overlay, t.label,
      t.labelWindow, t.labelCurrent, t.labelDropped, t.currentMark, t.tapMark, t.scrollIndicator,
    ]
    // Readable on black and on white: the terminal's own colours, or red (ANSI 1).
    for s in chrome {
      #expect(s.fg == .default || s.fg == .ansi(1), "\(s)")
      #expect(s.bg == .default, "\(s)")
    }
    #expect(t.titleFocused.attributes.contains(.reverse))
  }

  // MARK: The window in every mode

  /// A 12×12 map with a 3×3 window at rows/columns 4…6.
  private func windowModel(_ mode: HeatGridMode) -> HeatGridModel {
    var m = HeatGridModel(rows: 12, cols: 12, range: 1, mode: mode) { r, c in
      Float((r * 7 + c * 3) % 9) / 4 - 1
    }
    m.window = GridRegion(row: 4, col: 4, rows: 3, cols: 3)
    return m
  }

  @Test func windowIsMarkedInTheSVGAtEveryLevel() throws {
    for (name, caps) in Gallery.allCapabilities {
      for (mode, w) in [(HeatGridMode.shades, 16), (.shades, 30), (.numbers, 40)] {
        var b = CellBuffer(width: w, height: 14)
        let layout = HeatGrid(model: windowModel(mode), capabilities: caps)
          .render(into: &b, area: b.area)
        let svg = try #require(SVGGrid.read(b.svg(capabilities: caps)))
        let inside = try #require(layout.screenRect(of: GridCell(row: 5, col: 5)))
        let outside = try #require(
          [8, 2, 1, 3].lazy.compactMap { layout.screenRect(of: GridCell(row: 5, col: $0)) }.first)
        // The window's cell differs from a cell outside it in the SVG: by colour or a mark.
        func look(_ r: Rect) -> [String] {
          (r.x..<r.maxX).map { x in
            let k = "\(x),\(r.y)"
            return "\(svg.background[k] ?? "") \(svg.underlined.contains(k))"
          }
        }
        if layout.gapX >= 1 && layout.gapY >= 1 {
          // Spaced rows: the window is outlined in the gaps around it (its cells keep their
          // true colours).
          let topLeft = try #require(layout.screenRect(of: GridCell(row: 4, col: 4)))
          let corner = b[topLeft.x - 1, topLeft.y - 1].glyph
          #expect("╭┌+".contains(corner), "\(name) \(mode) \(w): no outline, '\(corner)'")
        } else {
          #expect(look(inside) != look(outside), "\(name) \(mode) \(w): \(layout.resolution)")
        }
        if caps.color < .ansi256, layout.resolution == .shades {
          #expect(!svg.underlined.isEmpty, "\(name) \(mode) \(w)")
          // …and the label row has a bar over the window's columns.
          let bar: Character = caps.unicode ? "▁" : "_"
          #expect(b[inside.x, layout.area.y].glyph == bar || layout.columnLabelHeight == 0)
        }
      }
    }
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
