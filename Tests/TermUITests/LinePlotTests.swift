import Testing

@testable import TermUI

// MARK: - LinePlot

@Suite("LinePlot")
struct LinePlotTests {
  /// A plot of `series` in an 8×`height` area (6 plot columns after the one-column y labels).
  private func draw(
    _ series: [PlotSeries], height: Int = 6, width: Int = 8, caps: Capabilities = .full,
    y: ClosedRange<Double>? = 0...1, x: ClosedRange<Double>? = 0...1, xTitle: String = ""
  ) -> [String] {
    var b = CellBuffer(width: width, height: height)
    LinePlot(
      series: series, yRange: y, xRange: x, xTitle: xTitle, capabilities: caps
    ).render(into: &b, area: b.area)
    return b.lines
  }

  private let diagonal = PlotSeries("up", xs: [0, 1], ys: [0, 1])

  @Test("a straight line's braille dots, the axes and their labels")
  func straightLine() {
    #expect(
      draw([diagonal]) == [
        "⠤⠤⠤ up  ",
        "1┤    ⡠⠊",
        " │  ⡠⠊  ",
        "0┤⡠⠊    ",
        " └──────",
        "  0    1",
      ])
  }

  @Test("ASCII: one mark a cell, ASCII axes")
  func ascii() {
    #expect(
      draw([diagonal], caps: .plain) == [
        "*** up  ",
        "1+    **",
        " |  **  ",
        "0+**    ",
        " +------",
        "  0    1",
      ])
  }

  @Test("values outside the y range are clipped: the line runs to the edge and stops")
  func clipping() {
    let lines = draw([PlotSeries("s", xs: [0, 1], ys: [0, 2])])
    // The line reaches the top at x = 0.5 (the fourth cell) and nothing right of it is drawn.
    for row in 1...3 {
      let plot = Array(lines[row]).dropFirst(2)
      #expect(plot.suffix(2).allSatisfy { $0 == " " }, "row \(row): \(lines[row])")
    }
    #expect(Array(lines[1])[2 + 2] != " " || Array(lines[1])[2 + 3] != " ", "\(lines)")
    #expect(Array(lines[3])[2] != " ")
    // Far off and below: nothing drawn, and no endless line.
    let far = draw([PlotSeries("s", xs: [0, 1], ys: [1e300, 2e300])])
    #expect(far[1...3].allSatisfy { Array($0).dropFirst(2).allSatisfy { $0 == " " } })
    let below = draw([PlotSeries("s", xs: [0, 1], ys: [-5, -3])])
    #expect(below[1...3].allSatisfy { Array($0).dropFirst(2).allSatisfy { $0 == " " } })
  }

  @Test("a single point is one dot in the middle of ranges made around it")
  func singlePoint() {
    let lines = draw([PlotSeries("p", xs: [3], ys: [5])], width: 10, y: nil, x: nil)
    // 6 cells = 12×12 dots: the middle is dot (6, 6) after rounding, in cell 3's third row;
    // 3.5 would touch 2.5 under the axis, so it is left out.
    #expect(
      lines
        == [
          "⠤⠤⠤ p",
          "5.5┤",
          "   │   ⠄",
          "4.5┤",
          "   └──────",
          "    2.5",
        ].map { $0.padded(to: 10) })
  }

  @Test("NaN and infinite points are skipped, and the line breaks there")
  func nanSkipped() {
    let nan = PlotSeries("n", xs: [0, 0.5, 1], ys: [0, .nan, 1])
    #expect(
      draw([nan]) == [
        "⠤⠤⠤ n   ",
        "1┤     ⠈",
        " │      ",
        "0┤⡀     ",
        " └──────",
        "  0    1",
      ])
    let inf = PlotSeries("n", xs: [0, 0.5, 1], ys: [0, .infinity, 1])
    #expect(draw([inf])[1...3] == draw([nan])[1...3])
  }

  @Test("empty series: axes and legend, no dots; without any range, no tick labels")
  func empty() {
    let lines = draw([PlotSeries("e", xs: [], ys: [])], y: nil, x: nil)
    #expect(lines[0].hasPrefix("⠤⠤⠤ e"))
    #expect(lines[1...3].allSatisfy { $0.removing(" │┤") == "" }, "\(lines)")
    #expect(lines[4].contains("└──"))
    let ranged = draw([PlotSeries("e", xs: [], ys: [])])
    #expect(ranged[1].hasPrefix("1┤") && ranged[3].hasPrefix("0┤") && ranged[5] == "  0    1")
    #expect(draw([]).count == 6)
  }

  @Test("the legend: the title, each curve's sample (dashed too) and name, as many as fit")
  func legend() {
    var b = CellBuffer(width: 40, height: 8)
    let plot = LinePlot(
      series: [
        diagonal, PlotSeries("test", xs: [0, 1], ys: [1, 0], dashed: true, asciiMark: "o"),
      ], title: "loss", xTitle: "steps", capabilities: .full)
    plot.render(into: &b, area: b.area)
    #expect(b.lines[0].hasPrefix("loss  ⠤⠤⠤ up  ⠤ ⠤ test"))
    #expect(b.lines[7].contains("steps"))
    // 5 plot rows: no middle label (7 are needed).
    #expect(b.lines[1].hasPrefix("1┤") && b.lines[5].hasPrefix("0┤"))
    #expect(!b.lines[3].contains("0.5"))
    var a = CellBuffer(width: 40, height: 10)
    LinePlot(series: plot.series, title: "loss", capabilities: .plain).render(
      into: &a, area: a.area)
    #expect(a.lines[0].hasPrefix("loss  *** up  ooo test"))
    #expect(a.lines[4].hasPrefix("0.5+"), "a middle label on 7 rows:\n\(a.plainText)")
  }

  @Test("a dashed line leaves gaps; the later curve's style wins a shared cell")
  func dashedAndStyles() {
    let solid = draw([diagonal], caps: .plain)
    let dashed = draw(
      [PlotSeries("up", xs: [0, 1], ys: [0, 1], dashed: true)], caps: .plain)
    #expect(dashed[1...3].map { $0.filter { $0 == "*" }.count }.reduce(0, +) == 4)
    #expect(solid[1...3].map { $0.filter { $0 == "*" }.count }.reduce(0, +) == 6)
    var b = CellBuffer(width: 8, height: 6)
    let red = Style(fg: .ansi(1))
    let blue = Style(fg: .ansi(4))
    LinePlot(
      series: [
        PlotSeries("a", xs: [0, 1], ys: [0, 1], style: red),
        PlotSeries("b", xs: [0, 1], ys: [0, 1], style: blue),
      ], capabilities: .full
    ).render(into: &b, area: b.area)
    #expect(b[2, 3].style == blue && b[2, 3].glyph == "⡠")
  }

  @Test("markers sit on each point's cell, in Unicode only, and not on dense curves")
  func markers() {
    let few = PlotSeries("m", xs: [0, 1], ys: [0, 1], marker: "•")
    #expect(
      draw([few]) == [
        "⠤•⠤ m   ",
        "1┤    ⡠•",
        " │  ⡠⠊  ",
        "0┤•⠊    ",
        " └──────",
        "  0    1",
      ])
    #expect(
      draw([few], caps: .plain)
        == draw([diagonal], caps: .plain).map {
          $0.replacingOccurrences(of: "up", with: "m ")
        })
    let dense = PlotSeries("m", xs: [0, 0.5, 1], ys: [0, 0.5, 1], marker: "•")
    #expect(!draw([dense]).joined().contains("•"), "3 points in 6 columns")
    #expect(draw([dense])[0].hasPrefix("⠤⠤⠤ m"), "the legend without the marker")
  }

  @Test("x marks sit on the axis at their values; those outside the range are left out")
  func xMarks() {
    var b = CellBuffer(width: 8, height: 6)
    var plot = LinePlot(series: [diagonal], yRange: 0...1, xRange: 0...1, capabilities: .full)
    plot.xMarks = [0.4, 1, 2, -1]
    plot.render(into: &b, area: b.area)
    #expect(b.lines[4] == " └──┴──┴")
    var a = CellBuffer(width: 8, height: 6)
    plot.capabilities = .plain
    plot.theme = .standard(for: .plain)
    plot.render(into: &a, area: a.area)
    #expect(a.lines[4] == " +--+--+")
  }

  @Test("too small an area draws nothing and does not trap")
  func tooSmall() {
    for (w, h) in [(0, 0), (3, 6), (8, 2), (1, 1)] {
      var b = CellBuffer(width: w, height: h)
      LinePlot(series: [diagonal], capabilities: .full).render(into: &b, area: b.area)
      #expect(b.plainText.allSatisfy { $0 == " " || $0 == "\n" })
    }
  }

  @Test("tick labels read short")
  func labels() {
    #expect(LinePlot.shortNumber(450) == "450")
    #expect(LinePlot.shortNumber(0.25) == "0.25")
    #expect(LinePlot.shortNumber(2.302585) == "2.3")
    #expect(LinePlot.shortNumber(12.34) == "12.3")
  }
}

extension String {
  fileprivate func replacingOccurrences(of a: String, with b: String) -> String {
    var out = self
    while let r = out.range(of: a) { out.replaceSubrange(r, with: b) }
    return out
  }

  fileprivate func padded(to n: Int) -> String {
    self + String(repeating: " ", count: max(0, n - count))
  }

  fileprivate func removing(_ set: String) -> String {
    String(filter { !set.contains($0) })
  }
}
