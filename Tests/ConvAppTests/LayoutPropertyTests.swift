import ConvCore
import ConvLessons
import ConvStepper
import Foundation
import TermUI
import Testing

@testable import ConvApp

// MARK: - The layout's promises, over every lesson, phase, size and mode

/// Issue 12's rules checked on real screens: every shipped lesson and `--article`, every phase,
/// steps at the start, middle and end, six terminal sizes, the four value modes, colour and
/// ASCII. A value shown as a number reads back as the model's value at the precision shown;
/// no panel is narrower than its border; kernels show every value (from 80×24); column labels
/// are whole labels of visible columns; and neither the notes nor the formula keep more than
/// two blank lines while a map is cut short vertically or the formula is cut.
@Suite("Layout properties")
struct LayoutPropertyTests {
  static let sizes = [(44, 14), (80, 24), (100, 30), (120, 40), (160, 48), (250, 80)]
  static let levels = [
    Capabilities(color: .ansi256, unicode: true), Capabilities(color: .none, unicode: false),
  ]

  /// `--article` and every shipped lesson, by name.
  static let scenarios: [String] =
    ["article"]
    + BuiltinLessons.all.map(\.name).filter {
      (try? BuiltinLessons.request(for: $0).transposed) != true
    }

  static func scenario(_ name: String) throws -> Scenario {
    name == "article"
      ? try Scenario.article()
      : try ScenarioBuilder.build(try BuiltinLessons.request(for: name)).scenario
  }

  static func press(_ m: inout Model, _ keys: [String]) throws {
    for k in keys { _ = update(&m, .key(try #require(Key(spelling: k)))) }
  }

  @Test("every lesson, phase, step, size, mode and level", arguments: scenarios)
  func everyScreen(name: String) throws {
    let scenario = try Self.scenario(name)
    for caps in Self.levels {
      for (w, h) in Self.sizes {
        let base = try Model(scenario: scenario, capabilities: caps, width: w, height: h)
        for tabs in 0..<scenario.phases.count {
          for modes in 0..<HeatGridMode.allCases.count {
            for position in ["start", "middle", "end"] {
              var m = base
              try Self.press(&m, Array(repeating: "Tab", count: tabs))
              try Self.press(&m, Array(repeating: "v", count: modes))
              switch position {
              case "start": try Self.press(&m, ["Right"])
              case "end": try Self.press(&m, ["G"])
              default:
                let middle = max(1, m.timeline.unitCount(m.granularity) / 2)
                try Self.press(&m, [":"] + String(middle).map(String.init) + ["Enter"])
              }
              let context =
                "\(name) \(m.phase) \(m.display.mode) \(position) \(w)×\(h) \(caps.unicode ? "colour" : "ascii")"
              Self.check(m, context: context)
            }
          }
        }
      }
    }
  }

  @Test("the transposed lesson's three views, every phase, size, mode and level")
  func transposedScreens() throws {
    let s = try TransposedBuilder.build(try BuiltinLessons.request(for: "transposed")).scenario
    for caps in Self.levels {
      for (w, h) in Self.sizes {
        for views in 0..<3 {
          for tabs in 0..<3 {
            for modes in 0..<HeatGridMode.allCases.count {
              var m = try Model(transposed: s, capabilities: caps, width: w, height: h)
              try Self.press(&m, Array(repeating: "t", count: views))
              try Self.press(&m, Array(repeating: "Tab", count: tabs) + ["Right"])
              try Self.press(&m, Array(repeating: "v", count: modes))
              Self.check(m, context: "transposed view \(views) tab \(tabs) mode \(modes) \(w)×\(h)")
            }
          }
        }
      }
    }
  }

  // MARK: Checks

  static func check(_ m: Model, context: String) {
    let screen = view(m)
    let layout = ScreenLayout(m)
    guard !layout.tooSmall else { return }
    var truncated = false
    for p in layout.panels {
      let panelContext = "\(context) · \(p.panel.title)"
      #expect(p.box.width >= 4 && p.box.height >= 3, "\(panelContext): box \(p.box)")
      #expect(!p.layout.gridRect.isEmpty, "\(panelContext): no cells drawn")
      if p.panel.role == .kernel && m.width >= 80 && m.height >= 24 {
        #expect(
          !p.layout.scrollsHorizontally && !p.layout.scrollsVertically,
          "\(panelContext): a kernel must show every value")
      }
      // Only a map cut short vertically could use blank lines.
      if p.panel.role != .kernel && p.layout.scrollsVertically { truncated = true }
      if p.layout.resolution == .numbers {
        checkNumbers(p, screen: screen, context: panelContext)
      }
      checkColumnLabels(p, screen: screen, context: panelContext)
    }
    let formulaInner = max(0, layout.formula.height - 2)
    if Chrome.formulaLinesNeeded(m, width: max(0, layout.formula.width - 2)) > formulaInner {
      truncated = true
    }
    guard truncated else { return }
    // The stacked panels (notes, formula) could give their rows to what is cut; a grid beside a
    // taller one could not.
    var boxes: [(String, Rect)] = []
    if !layout.facts.isEmpty { boxes.append(("Notes", layout.facts)) }
    boxes.append(("Formula", layout.formula))
    for (title, box) in boxes {
      let inner = Panel.inner(box)
      let blank = (inner.y..<inner.maxY).filter { y in
        (inner.x..<inner.maxX).allSatisfy { screen[$0, y] == Cell.blank }
      }.count
      #expect(blank <= 2, "\(context) · \(title): \(blank) blank lines while something is cut")
    }
  }

  /// Every number on screen reads back as the value at the precision shown.
  static func checkNumbers(_ p: ScreenLayout.PlacedPanel, screen: CellBuffer, context: String) {
    let l = p.layout
    for r in l.visibleRows {
      for c in l.visibleCols {
        guard let v = p.panel.grid.value(r, c), p.panel.grid.kind?(r, c) != .padding,
          let cell = l.screenRect(of: GridCell(row: r, col: c))
        else { continue }
        let right = cell.x + (cell.width - l.numberWidth) / 2 + l.numberWidth
        let y = cell.y + cell.height / 2
        let text = String((right - l.numberWidth..<right).map { screen[$0, y].glyph })
          .filter { !"[]<>".contains($0) }  // the current cell's and the tap's marks
          .trimmingCharacters(in: .whitespaces)
        let at = "\(context) (\(r),\(c)) = \(v) shown as '\(text)'"
        #expect(!text.contains("▶") && !text.contains("#") && !text.contains("…"), "\(at)")
        guard v.isFinite else { continue }
        guard let shown = parse(text) else {
          Issue.record("\(at): not a number")
          continue
        }
        #expect(abs(shown.value - Double(v)) <= shown.tolerance * 1.001 + 1e-9, "\(at)")
      }
    }
  }

  /// A shown number and half a unit of its last digit (`-1.5` → 0.05, `1.2e-3` → 0.00005).
  static func parse(_ text: String) -> (value: Double, tolerance: Double)? {
    let t = text.replacingOccurrences(of: "−", with: "-")
    guard let value = Double(t) else { return nil }
    let lower = t.lowercased()
    let mantissa = lower.split(separator: "e").first.map(String.init) ?? lower
    let exponent = lower.contains("e") ? Int(lower.split(separator: "e").last ?? "0") ?? 0 : 0
    let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
    var unit = 1.0
    for _ in 0..<decimals { unit /= 10 }
    if exponent > 0 {
      for _ in 0..<exponent { unit *= 10 }
    } else {
      for _ in 0..<(-exponent) { unit /= 10 }
    }
    return (value, unit / 2)
  }

  /// The column label row holds only whole labels of visible columns, each after a space.
  static func checkColumnLabels(
    _ p: ScreenLayout.PlacedPanel, screen: CellBuffer, context: String
  ) {
    let l = p.layout
    guard l.columnLabelHeight > 0, !l.visibleCols.isEmpty else { return }
    let y = l.area.y
    let row = String((l.area.x..<l.area.maxX).map { screen[$0, y].glyph })
    let offset = p.panel.grid.colLabelOffset
    let valid = Set(l.visibleCols.map { $0 + offset })
    // Scroll arrows and the window's bar (monochrome) share the label row.
    for token in row.split(whereSeparator: { " ▁_".contains($0) }) {
      let t = token.filter { !"◀▶<>^v".contains($0) }
      guard !t.isEmpty else { continue }
      #expect(
        Int(t).map(valid.contains) ?? false,
        "\(context): column label '\(token)' is not a visible column's label: \(row)")
    }
  }
}

// MARK: - Nothing shifts during play

/// A map's columns are as wide as its widest final value from the first step, so the grid
/// never moves while it fills in (it used to shift a column when a `-10` appeared).
@Suite("Layout while playing")
struct LayoutDuringPlayTests {
  @Test(
    "every panel keeps its cells' place from the first step to the last",
    arguments: [
      "first", "padding", "stride", "article",
    ])
  func stable(name: String) throws {
    let scenario = try LayoutPropertyTests.scenario(name)
    for (w, h) in [(80, 24), (120, 40)] {
      for tabs in 0..<min(2, scenario.phases.count) {
        var m = try Model(
          scenario: scenario, capabilities: Capabilities(color: .ansi256, unicode: true),
          width: w, height: h)
        try LayoutPropertyTests.press(&m, Array(repeating: "Tab", count: tabs) + ["Right"])
        let start = ScreenLayout(m).panels.map { "\($0.panel.title) \($0.layout.gridRect)" }
        // The last window of the same map (filter 0, sample 0).
        let last = m.trace.geometry.output.h * m.trace.geometry.output.w
        try LayoutPropertyTests.press(&m, [":"] + String(last).map(String.init) + ["Enter"])
        let end = ScreenLayout(m).panels.map { "\($0.panel.title) \($0.layout.gridRect)" }
        #expect(start == end, "\(name) \(m.phase) \(w)×\(h)")
      }
    }
  }
}
