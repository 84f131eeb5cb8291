import TestSupport
import Testing

@testable import TermUI

@Suite("HeatGrid")
struct HeatGridTests {
  private let ascii = Capabilities.plain
  private let mono = Capabilities(color: .none, unicode: true)
  private let c256 = Capabilities(color: .ansi256, unicode: true)

  private func small(_ mode: HeatGridMode = .auto) -> HeatGridModel {
    let values: [Float?] = [1, -0.5, 0, nil, 0.25, 2, .nan, -2, 1.5]
    var m = HeatGridModel(rows: 3, cols: 3, values: values, range: 2, mode: mode)
    m.current = GridCell(row: 1, col: 1)
    return m
  }

  private func render(_ m: HeatGridModel, _ caps: Capabilities, _ w: Int, _ h: Int)
    -> (CellBuffer, HeatGridLayout)
  { renderGrid(m, caps, w, h) }

  // MARK: Snapshots

  @Test func asciiNumbers() {
    let (b, layout) = render(small(.numbers), ascii, 24, 4)
    #expect(layout.resolution == .numbers)
    #expect(b.lines[0].contains("0") && b.lines[0].contains("2"))
    #expect(b.lines[2].contains("[0.25]"))
    #expect(b.lines[2].contains("NaN") == false)
    #expect(b.lines[3].contains("NaN"))
    assertSnapshot(b, named: "heatgrid-ascii-numbers")
  }

  @Test func asciiShadesCarrySignMarks() {
    let (b, layout) = render(small(.shades), ascii, 9, 4)
    #expect(layout.resolution == .shades && layout.cellWidth == 2)
    assertSnapshot(b, named: "heatgrid-ascii-shades")
  }

  @Test func monoUnicodeOneColumn() {
    let (b, layout) = render(small(.shades), mono, 5, 4)
    #expect(layout.cellWidth == 1)
    assertSnapshot(b, named: "heatgrid-mono-1wide")
  }

  @Test func truecolorBothTiles() {
    let (b, layout) = render(Gallery.inputModel(), .full, 70, 40)
    #expect(layout.resolution == .numbers && layout.cellHeight == 3)
    assertSnapshot(b, named: "heatgrid-truecolor-tiles")
  }

  @Test func halfBlocksForLargeMapsWithColour() {
    let (b, layout) = render(Gallery.largeModel(), c256, 70, 26)
    #expect(layout.resolution == .halfBlocks)
    #expect(layout.rowsPerLine == 2)
    #expect(layout.visibleRows == 0..<48 && layout.visibleCols == 0..<64)
    #expect(b.lines[1].contains("▀"))
    assertSnapshot(b, named: "heatgrid-256-halfblocks")
  }

  @Test func noHalfBlocksWithoutColour() {
    let (_, layout) = render(Gallery.largeModel(), mono, 70, 26)
    #expect(layout.resolution == .shades)
  }

  // MARK: Choice of resolution

  @Test func autoPrefersNumbersWhenTheyFit() {
    #expect(render(small(), .full, 40, 20).1.resolution == .numbers)
    #expect(render(small(), .full, 8, 4).1.resolution == .shades)
  }

  @Test func paddingIsHatchedInASCII() {
    for mode in HeatGridMode.allCases {
      let (b, _) = render(Gallery.inputModel(mode: mode), ascii, 40, 12)
      #expect(b.plainText.contains("/"), "\(mode)")
    }
  }

  @Test func droppedRowIsMarkedInTheLabels() {
    let (b, layout) = render(Gallery.inputModel(mode: .shades), ascii, 40, 12)
    #expect(layout.rowLabelWidth > 0)
    // The model drops matrix row 7 (label 6).
    let row = layout.y(ofRow: 7)
    #expect(b.line(row).contains("6x"))
    #expect(!b.line(layout.y(ofRow: 6)).contains("5x"))
  }

  // MARK: Hit-testing

  @Test func hitTestInvertsScreenRectForEveryLayout() {
    let models = [small(), Gallery.inputModel(), Gallery.largeModel(), small(.numbers)]
    for model in models {
      for caps in [Capabilities.full, mono, ascii] {
        for (w, h) in [(6, 4), (20, 8), (33, 13), (80, 24), (140, 50)] {
          let layout = HeatGrid(model: model, capabilities: caps).layout(
            in: Rect(x: 3, y: 2, width: w, height: h))
          for r in layout.visibleRows {
            for c in layout.visibleCols {
              guard let rect = layout.screenRect(of: GridCell(row: r, col: c)) else {
                Issue.record("visible cell without a rect")
                continue
              }
              let want = GridCell(
                row: r - (r - layout.visibleRows.lowerBound) % layout.rowsPerLine, col: c)
              #expect(layout.hitTest(x: rect.x, y: rect.y) == want)
              #expect(layout.hitTest(x: rect.maxX - 1, y: rect.maxY - 1) == want)
            }
          }
          #expect(layout.hitTest(x: 0, y: 0) == nil)
          #expect(layout.hitTest(x: 3 + w, y: 2) == nil)
          if layout.gapX > 0, let r = layout.screenRect(of: layout.origin),
            layout.visibleCols.count > 1
          {
            #expect(layout.hitTest(x: r.maxX, y: r.y) == nil)
          }
        }
      }
    }
  }

  // MARK: Scrolling

  @Test func viewportKeepsTheFocusVisible() {
    var m = Gallery.largeModel(mode: .numbers)
    m.window = GridRegion(row: 40, col: 55, rows: 3, cols: 3)
    m.current = nil
    let layout = HeatGrid(model: m, capabilities: .full).layout(
      in: Rect(x: 0, y: 0, width: 40, height: 12))
    #expect(layout.scrollsVertically && layout.scrollsHorizontally)
    #expect(layout.visibleRows.contains(40) && layout.visibleRows.contains(42))
    #expect(layout.visibleCols.contains(55) && layout.visibleCols.contains(57))

    // The hint is kept while the focus stays visible.
    m.scrollHint = layout.origin
    m.window = GridRegion(row: 38, col: 54, rows: 3, cols: 3)
    let next = HeatGrid(model: m, capabilities: .full).layout(
      in: Rect(x: 0, y: 0, width: 40, height: 12))
    #expect(next.origin == layout.origin)
  }

  @Test func scrollOriginRules() {
    #expect(HeatGridLayout.scrollOrigin(total: 10, visible: 10, hint: 3, focus: nil, align: 1) == 0)
    #expect(
      HeatGridLayout.scrollOrigin(total: 100, visible: 10, hint: nil, focus: 50..<53, align: 1)
        == 44)
    #expect(
      HeatGridLayout.scrollOrigin(total: 100, visible: 10, hint: 45, focus: 50..<53, align: 1) == 45
    )
    #expect(
      HeatGridLayout.scrollOrigin(total: 100, visible: 10, hint: 60, focus: 50..<53, align: 1) == 49
    )
    #expect(
      HeatGridLayout.scrollOrigin(total: 100, visible: 10, hint: 200, focus: nil, align: 1) == 90)
    #expect(
      HeatGridLayout.scrollOrigin(total: 100, visible: 4, hint: nil, focus: 20..<30, align: 1) == 20
    )
    #expect(
      HeatGridLayout.scrollOrigin(total: 100, visible: 10, hint: nil, focus: 51..<53, align: 2) % 2
        == 0)
    // Aligned to row pairs, a tight focus at the bottom stays visible.
    for end in 12...99 {
      let focus = (end - 9)..<end
      let o = HeatGridLayout.scrollOrigin(total: 100, visible: 10, hint: 0, focus: focus, align: 2)
      #expect(o % 2 == 0 && o <= focus.lowerBound && focus.upperBound <= o + 10, "\(focus) \(o)")
    }
  }

  @Test func scrollIndicatorsShowWhatIsOffScreen() {
    var m = Gallery.largeModel(mode: .numbers)
    m.window = GridRegion(row: 20, col: 30, rows: 3, cols: 3)
    m.current = nil
    let (b, layout) = render(m, ascii, 40, 12)
    #expect(layout.visibleRows.lowerBound > 0 && layout.visibleRows.upperBound < 48)
    let text = b.plainText
    #expect(text.contains("^") && text.contains("v") && text.contains("<") && text.contains(">"))
  }

  // MARK: Robustness

  @Test func drawsOnlyInsideItsArea() {
    for model in [small(), Gallery.inputModel(), Gallery.largeModel()] {
      for caps in [Capabilities.full, ascii] {
        let marker = Cell("@", style: Style(fg: .ansi(2)))
        var b = CellBuffer(width: 50, height: 20, fill: marker)
        let area = Rect(x: 7, y: 3, width: 30, height: 11)
        HeatGrid(model: model, capabilities: caps).render(into: &b, area: area)
        for y in 0..<b.height {
          for x in 0..<b.width where !area.contains(x: x, y: y) {
            #expect(b[x, y] == marker)
          }
        }
      }
    }
  }

  @Test func emptyMatrix() {
    let m = HeatGridModel(rows: 0, cols: 5, values: [], range: 1)
    let (b, layout) = render(m, .full, 10, 5)
    #expect(layout.visibleRows.isEmpty)
    #expect(b.plainText.trimmingCharacters(in: " \n") == "")
  }

  @Test func regionsAndMaxAbs() {
    let r = GridRegion(row: 1, col: 2, rows: 3, cols: 2, rowStep: 2, colStep: 3)
    #expect(r.rowSpan == 1..<6 && r.colSpan == 2..<6)
    #expect(
      r.contains(row: 3, col: 5) && !r.contains(row: 2, col: 5) && !r.contains(row: 3, col: 4))
    #expect(small().maxAbsValue() == 2)
  }
}

extension String {
  func trimmingCharacters(in set: String) -> String {
    String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
  }
}

extension HeatGridTests {
  @Test func dilatedWindowTintsOnlyItsTaps() throws {
    var m = HeatGridModel(
      rows: 5, cols: 5, values: Array(repeating: 0, count: 25), range: 1, mode: .both)
    m.window = GridRegion(row: 0, col: 0, rows: 2, cols: 2, rowStep: 2, colStep: 2)
    m.secondary = GridRegion(row: 4, col: 4, rows: 1, cols: 1)
    var b = CellBuffer(width: 40, height: 8)
    let layout = HeatGrid(model: m, capabilities: .full).render(into: &b, area: b.area)
    #expect(layout.resolution == .numbers && layout.cellHeight == 1)
    func bg(_ r: Int, _ c: Int) throws -> Color {
      let rect = try #require(layout.screenRect(of: GridCell(row: r, col: c)))
      return b[rect.x, rect.y].style.bg
    }
    let plain = try bg(1, 1)
    #expect(try bg(0, 0) != plain && bg(0, 2) != plain && bg(2, 2) != plain)
    #expect(try bg(0, 1) == plain && bg(1, 0) == plain && bg(1, 2) == plain)
    #expect(try bg(4, 4) != plain && bg(4, 4) != bg(0, 0))
  }

  @Test func tallTilesOutlineTheWindow() {
    var m = Gallery.kernelModel(mode: .both)
    m.window = GridRegion(row: 0, col: 0, rows: 2, cols: 2)
    var b = CellBuffer(width: 60, height: 30)
    let layout = HeatGrid(model: m, capabilities: .full).render(into: &b, area: b.area)
    #expect(layout.cellHeight > 1 && layout.gapY == 1)
    let text = b.plainText
    #expect(text.contains("╭") && text.contains("╯"))
  }

  @Test func halfBlockHitTestGivesTheUpperRow() throws {
    var b = CellBuffer(width: 70, height: 26)
    let layout = HeatGrid(model: Gallery.largeModel(), capabilities: .full).render(
      into: &b, area: b.area)
    #expect(layout.resolution == .halfBlocks)
    let rect = try #require(layout.screenRect(of: GridCell(row: 7, col: 3)))
    #expect(layout.hitTest(x: rect.x, y: rect.y) == GridCell(row: 6, col: 3))
  }

  @Test func hugeMatricesStayCheap() {
    var m = HeatGridModel(rows: 100_000, cols: 100_000, range: 1, mode: .numbers) { r, c in
      Float((r &* 31 &+ c) % 7) - 3
    }
    m.current = GridCell(row: 50_000, col: 70_000)
    var b = CellBuffer(width: 80, height: 24)
    let layout = HeatGrid(model: m, capabilities: .full).render(into: &b, area: b.area)
    #expect(layout.visibleRows.contains(50_000) && layout.visibleCols.contains(70_000))
    #expect(b.plainText.contains("50000"))
  }

  @Test func numbersModeScrollsSideways() {
    var m = HeatGridModel(rows: 3, cols: 40, range: 1, mode: .numbers) { _, c in Float(c) / 10 }
    m.current = GridCell(row: 1, col: 35)
    var b = CellBuffer(width: 40, height: 5)
    let layout = HeatGrid(model: m, capabilities: .plain).render(into: &b, area: b.area)
    #expect(layout.resolution == .numbers && layout.scrollsHorizontally)
    #expect(layout.visibleCols.contains(35))
    #expect(b.line(0).contains("<"))
  }
}
