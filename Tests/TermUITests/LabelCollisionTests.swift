import TestSupport
import Testing

@testable import TermUI

/// Item 7 of issue 12: index labels thin out instead of running together, and the dropped
/// rows' marks have a column of their own.
@Suite("Labels never collide")
struct LabelCollisionTests {
  private let mono = Capabilities(color: .none, unicode: true)

  private func model(
    rows: Int, cols: Int, rowOffset: Int, colOffset: Int, mode: HeatGridMode, big: Bool
  ) -> HeatGridModel {
    let scale: Float = big ? 997 : 1
    var m = HeatGridModel(rows: rows, cols: cols, range: scale, mode: mode) { r, c in
      Float((r * 5 + c * 3) % 11 - 5) / 5 * scale
    }
    m.rowLabelOffset = rowOffset
    m.colLabelOffset = colOffset
    return m
  }

  /// The runs of non-blank glyphs of `line` other than scroll arrows, with where they start.
  private func tokens(_ b: CellBuffer, y: Int, from x0: Int, to x1: Int) -> [(x: Int, text: String)]
  {
    let arrows: Set<Character> = ["◀", "▶", "<", ">", "▲", "▼", "^", "v"]
    var out: [(x: Int, text: String)] = []
    var x = x0
    while x < x1 {
      let g = b[x, y].glyph
      if g == " " || arrows.contains(g) {
        x += 1
        continue
      }
      var text = ""
      let start = x
      while x < x1, b[x, y].glyph != " ", !arrows.contains(b[x, y].glyph) {
        text.append(b[x, y].glyph)
        x += 1
      }
      out.append((start, text))
    }
    return out
  }

  /// Where column `c`'s label starts: right-aligned on the numbers, else at the cell.
  private func expectedX(_ c: Int, text: String, _ l: HeatGridLayout) -> Int {
    let x0 = l.gridRect.x + (c - l.visibleCols.lowerBound) * (l.cellWidth + l.gapX)
    guard l.resolution == .numbers else { return x0 }
    return x0 + (l.cellWidth - l.numberWidth) / 2 + l.numberWidth - text.count
  }

  @Test func columnLabelsAreWholeApartAndInPlace() {
    var checked = 0
    for caps in [Capabilities.plain, .full, mono] {
      for cols in [3, 9, 13, 40, 256] {
        for offset in [-3, -2, -1, 0, 7, 95] {
          for width in [9, 14, 21, 33, 50, 80, 130] {
            for mode in [HeatGridMode.numbers, .shades, .auto] {
              for big in [false, true] {
                var m = model(
                  rows: 5, cols: cols, rowOffset: 0, colOffset: offset, mode: mode, big: big)
                m.current = GridCell(row: 2, col: cols / 2)
                var b = CellBuffer(width: width, height: 9)
                let l = HeatGrid(model: m, capabilities: caps).render(into: &b, area: b.area)
                guard l.columnLabelHeight > 0 else { continue }
                let what = "\(caps) cols \(cols) offset \(offset) width \(width) \(mode) \(big)"
                var last: Int?
                let found = tokens(b, y: 0, from: 0, to: width)
                for t in found {
                  // A label that touched its neighbour would read as one wrong number here.
                  guard let v = Int(t.text), l.visibleCols.contains(v - offset) else {
                    Issue.record("\(what): '\(t.text)' is not a visible column's label")
                    continue
                  }
                  #expect(t.x == expectedX(v - offset, text: t.text, l), "\(what): '\(t.text)'")
                  if let last { #expect(v > last, "\(what)") }
                  last = v
                }
                // (Two columns between scroll arrows may leave no room for a label apart.)
                if found.isEmpty && l.visibleCols.count >= 3 {
                  Issue.record("\(what): no label in '\(b.line(0))' \(l)")
                }
                checked += 1
              }
            }
          }
        }
      }
    }
    #expect(checked > 500)
  }

  @Test func rowLabelsAreWholeAndApartFromTheCells() {
    for caps in [Capabilities.plain, .full, mono] {
      for rows in [3, 12, 120] {
        for offset in [-2, -1, 0, 95] {
          for height in [6, 14, 40] {
            let m = model(
              rows: rows, cols: 6, rowOffset: offset, colOffset: 0, mode: .auto, big: false)
            var b = CellBuffer(width: 40, height: height)
            let l = HeatGrid(model: m, capabilities: caps).render(into: &b, area: b.area)
            guard l.rowLabelWidth > 0 else { continue }
            let what = "\(caps) rows \(rows) offset \(offset) height \(height)"
            var r = l.visibleRows.lowerBound
            var line = 0
            while r < l.visibleRows.upperBound {
              let y = l.gridRect.y + line * (l.cellHeight + l.gapY) + l.cellHeight / 2
              let found = tokens(b, y: y, from: l.gridRect.x - l.rowLabelWidth, to: l.gridRect.x)
              let gap = b[l.gridRect.x - 1, y].glyph
              if ["▲", "▼", "^", "v"].contains(gap) {
                // A scroll arrow takes the blank: the line keeps no label to touch it.
                #expect(found.isEmpty, "\(what) row \(r)")
              } else if line % (l.rowsPerLine == 2 ? 2 : 1) == 0 {
                #expect(gap == " ", "\(what) row \(r)")
                #expect(found.map(\.text) == ["\(r + offset)"], "\(what) row \(r)")
              }
              r += l.rowsPerLine
              line += 1
            }
          }
        }
      }
    }
  }

  /// The stride lesson's input: row and column 7 dropped by the floor.
  @Test func droppedRowMarkHasItsOwnColumn() {
    for caps in [Capabilities.plain, .full, mono] {
      var m = HeatGridModel(rows: 8, cols: 8, range: 3, mode: .numbers) { r, c in
        Float((r + c) % 4)
      }
      m.kind = { r, c in r == 7 || c == 7 ? .dropped : .data }
      var b = CellBuffer(width: 40, height: 10)
      let l = HeatGrid(model: m, capabilities: caps).render(into: &b, area: b.area)
      let y = l.gridRect.y + 7
      let mark: Character = caps.unicode ? "×" : "x"
      let labelEnd = l.gridRect.x - 1
      // `7`, then the row's mark, then a blank, then the cells (which carry their own marks).
      #expect(b[labelEnd - 2, y].glyph == "7", "\(caps): \(b.line(y))")
      #expect(b[labelEnd - 1, y].glyph == mark, "\(caps): \(b.line(y))")
      #expect(b[labelEnd, y].glyph == " ", "\(caps): \(b.line(y))")
      // A row that is not dropped has no mark and the same label column.
      #expect(b[labelEnd - 2, y - 1].glyph == "6")
      #expect(b[labelEnd - 1, y - 1].glyph == " ")
    }
  }
}
