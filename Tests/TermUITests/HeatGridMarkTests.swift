import Testing

@testable import TermUI

/// ``HeatGridModel/marked`` cells: a mark beside the value, visible without colour.
@Suite("HeatGrid marked cells")
struct HeatGridMarkTests {
  private func render(_ m: HeatGridModel, _ caps: Capabilities, _ w: Int, _ h: Int) -> CellBuffer {
    var b = CellBuffer(width: w, height: h)
    HeatGrid(model: m, capabilities: caps).render(into: &b, area: b.area)
    return b
  }

  private func grid(_ mode: HeatGridMode, marked: Set<GridCell>) -> HeatGridModel {
    var m = HeatGridModel(rows: 2, cols: 3, values: [1, -2, 3, 4, 5, -6], range: 6, mode: mode)
    m.showLabels = false
    m.marked = marked
    return m
  }

  @Test("numbers: the mark sits just left of the value, one per marked cell")
  func numbers() {
    let marked: Set = [GridCell(row: 0, col: 1), GridCell(row: 1, col: 2)]
    for caps in [Capabilities(color: .ansi256, unicode: true), Capabilities.plain] {
      let mark = HeatGrid.markedGlyph(unicode: caps.unicode)
      let b = render(grid(.numbers, marked: marked), caps, 30, 2)
      #expect(b.lines.joined().filter { $0 == mark }.count == 2)
      #expect(b.lines[0].contains("\(mark)-2") || b.lines[0].contains("\(mark)−2"))
      #expect(b.lines[1].contains("\(mark)-6") || b.lines[1].contains("\(mark)−6"))
      #expect(!b.lines[0].contains("\(mark)1") && !b.lines[0].contains("\(mark)3"))
    }
  }

  @Test("a number that fills its cell and has no free gap is underlined instead")
  func noRoom() {
    var m = grid(.numbers, marked: [GridCell(row: 0, col: 0)])
    m.values1x1()
    let b = render(m, .plain, 1, 1)
    #expect(b.lines[0] == "7")
    #expect(b[0, 0].style.attributes.contains(.underline))
  }

  @Test("glyph shades keep the sign that leads the tile; the mark takes the magnitude")
  func glyphShades() {
    let b = render(grid(.shades, marked: [GridCell(row: 0, col: 1)]), .plain, 6, 2)
    #expect(b.lines[0].dropFirst(2).hasPrefix("-&"))
  }

  @Test("no mark without marked cells")
  func none() {
    let b = render(grid(.numbers, marked: []), .plain, 30, 2)
    #expect(!b.lines.joined().contains("&"))
  }
}

extension HeatGridModel {
  /// A 1×1 map holding 7.
  fileprivate mutating func values1x1() {
    rows = 1
    cols = 1
    value = { _, _ in 7 }
  }
}
