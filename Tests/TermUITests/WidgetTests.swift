import TestSupport
import Testing

@testable import TermUI

@Suite("Widgets")
struct WidgetTests {
  private let ascii = Capabilities.plain
  private let full = Capabilities.full

  // MARK: Panel

  @Test func panelDrawsBorderTitleAndReturnsInside() {
    var b = CellBuffer(width: 20, height: 4)
    let inner = Panel(title: "Input", note: "3x3", capabilities: ascii).render(
      into: &b, area: b.area)
    #expect(inner == Rect(x: 1, y: 1, width: 18, height: 2))
    #expect(
      b.lines == [
        "+ Input ------ 3x3 +",
        "|                  |",
        "|                  |",
        "+------------------+",
      ])
    var u = CellBuffer(width: 12, height: 3)
    Panel(title: "A long title here", focused: true, capabilities: full).render(
      into: &u, area: u.area)
    #expect(u.lines[0] == "┏ A long … ┓")
    #expect(u.lines[2] == "┗━━━━━━━━━━┛")
    assertSnapshot(u, named: "panel-focused")
  }

  @Test func panelNoteIsWholeOrAbsent() {
    var b = CellBuffer(width: 16, height: 3)
    Panel(title: "Title", note: "a long note", capabilities: ascii).render(into: &b, area: b.area)
    #expect(b.lines[0] == "+ Title -------+")
  }

  @Test func panelTooSmallForABorder() {
    var b = CellBuffer(width: 5, height: 5)
    let inner = Panel(title: "x", capabilities: ascii).render(
      into: &b, area: Rect(x: 1, y: 1, width: 1, height: 3))
    #expect(inner.isEmpty)
    #expect(b.plainText.allSatisfy { $0 == " " || $0 == "\n" })
  }

  // MARK: Formula

  private let formula = Formula(
    lhs: "y[0,2,1,3]", symbolic: "b + Σ x·w",
    terms: ["0.10", "(1.00×−1)", "(0.50×0.25)", "(−0.30×2)", "(0.75×0.5)", "(1.20×−0.25)"],
    total: "1.34", highlight: 3)

  private func text(_ lines: [[FormulaSpan]]) -> [String] {
    lines.map { $0.map(\.text).joined() }
  }

  @Test func formulaFitsWhole() {
    let t = FormulaText(formula: formula, capabilities: full)
    #expect(
      text(t.lines(width: 200, maxLines: 1)) == [
        "y[0,2,1,3] = b + Σ x·w = 0.10 + (1.00×−1) + (0.50×0.25) + (−0.30×2) + (0.75×0.5) + (1.20×−0.25) = 1.34"
      ])
  }

  @Test func formulaElidesTermsButKeepsLhsHighlightAndTotal() {
    let t = FormulaText(formula: formula, capabilities: full)
    let fullLength = text(t.lines(width: 500, maxLines: 1))[0].count
    for width in 1...120 {
      let lines = t.lines(width: width, maxLines: 1)
      #expect(lines.count <= 1)
      let s = text(lines).first ?? ""
      #expect(s.count <= width, "\(width): \(s)")
      if width >= 18 {
        #expect(s.hasPrefix("y[0,2,1,3] = "), "\(width): \(s)")
        #expect(s.hasSuffix(" = 1.34"), "\(width): \(s)")
      }
      if width >= 37 { #expect(s.contains("(−0.30×2)"), "\(width): \(s)") }
      if width < fullLength && width >= 21 { #expect(s.contains("…"), "\(width): \(s)") }
    }
    #expect(
      text(t.lines(width: 60, maxLines: 1)) == [
        "y[0,2,1,3] = b + Σ x·w = 0.10 + … + (−0.30×2) + … = 1.34"
      ])
    #expect(text(t.lines(width: 4, maxLines: 1)) == ["1.34"])
    #expect(text(t.lines(width: 11, maxLines: 1)) == ["y[0… = 1.34"])
  }

  @Test func formulaWrapsOverLines() {
    let t = FormulaText(formula: formula, capabilities: full)
    let lines = text(t.lines(width: 40, maxLines: 3))
    #expect(
      lines == [
        "y[0,2,1,3] = b + Σ x·w = 0.10",
        "  + (1.00×−1) + (0.50×0.25) + (−0.30×2)",
        "  + (0.75×0.5) + (1.20×−0.25) = 1.34",
      ])
    let two = text(t.lines(width: 40, maxLines: 2))
    #expect(two.count == 2 && two[1].hasSuffix("= 1.34") && two.joined().contains("…"))
    #expect(two.joined().contains("(−0.30×2)"))
  }

  @Test func formulaInASCII() {
    let t = FormulaText(formula: formula, capabilities: ascii)
    let s = text(t.lines(width: 60, maxLines: 1)).joined()
    #expect(s.allSatisfy { $0.isASCII })
    #expect(s.contains("...") && s.contains("(-0.30x2)") && s.hasSuffix("= 1.34"))
  }

  @Test func formulaHighlightIsStyled() {
    var b = CellBuffer(width: 60, height: 1)
    FormulaText(formula: formula, capabilities: full).render(into: &b, area: b.area)
    let x = b.line(0).distance(of: "(−0.30×2)")
    #expect(b[x, 0].style.attributes.contains(.underline))
    assertSnapshot(b, named: "formula-60")
  }

  @Test func formulaPanel() {
    var b = CellBuffer(width: 44, height: 5)
    FormulaPanel(title: "Forward", formula: formula, notes: ["bias 0.10"], capabilities: ascii)
      .render(into: &b, area: b.area)
    assertSnapshot(b, named: "formula-panel-ascii")
  }

  // MARK: Status bar

  private func statusText(_ bar: StatusBar, _ width: Int) -> String {
    var b = CellBuffer(width: width, height: 1)
    bar.render(into: &b, area: b.area)
    return b.line(0)
  }

  @Test func statusBarDropsLowPriorityFirst() {
    let bar = StatusBar(
      left: [
        StatusSegment("FORWARD", priority: 10), StatusSegment("step 12/49", priority: 5),
        StatusSegment("paused", priority: 1),
      ],
      right: [StatusSegment("? help", priority: 3)], capabilities: ascii)
    #expect(statusText(bar, 50) == " FORWARD | step 12/49 | paused             ? help ")
    #expect(statusText(bar, 30) == " FORWARD | step 12/49  ? help ")
    #expect(statusText(bar, 22) == " FORWARD | step 12/49 ")
    // Segments are dropped whole, never cut.
    #expect(statusText(bar, 21) == " FORWARD             ")
    #expect(statusText(bar, 9) == " FORWARD ")
    #expect(statusText(bar, 8) == "        ")
    #expect(statusText(bar, 1) == " ")
  }

  @Test func statusBarFallsBackOnShorterFormsBeforeDropping() {
    let bar = StatusBar(
      left: [
        StatusSegment("FORWARD", priority: 10),
        StatusSegment("step 5/25", priority: 9, shorter: ["5/25"]),
        StatusSegment("/home/user/data/input.npy", priority: 1),
      ],
      capabilities: full)
    #expect(statusText(bar, 50) == " FORWARD │ step 5/25 │ /home/user/data/input.npy  ")
    #expect(statusText(bar, 24) == " FORWARD │ step 5/25    ")
    #expect(statusText(bar, 17) == " FORWARD │ 5/25  ")
    #expect(statusText(bar, 15) == " FORWARD       ")
    #expect(!statusText(bar, 24).contains("…"))
  }

  // MARK: Legend

  @Test func legendAtEveryLevel() {
    for (name, caps) in Gallery.allCapabilities {
      var b = CellBuffer(width: 60, height: 2)
      let rows = Legend(palette: .redBlue, range: 2.5, title: "Red–Blue", capabilities: caps)
        .render(into: &b, area: b.area)
      #expect(rows == 2)
      #expect(b.line(0).contains("2.5"))
      #expect(b.line(1).contains("padding") && b.line(1).contains("NaN"))
      assertSnapshot(b, named: "legend-\(name)")
    }
  }

  @Test func legendOnOneRow() {
    var b = CellBuffer(width: 80, height: 1)
    Legend(palette: .grey, range: 1, items: [.padding, .pending], capabilities: ascii)
      .render(into: &b, area: b.area)
    #expect(b.line(0).hasPrefix("-1 "))
    #expect(b.line(0).contains("+1  / padding  . not computed"))
  }

  // MARK: Help overlay

  @Test func helpOverlayIsCentredAndScrolls() {
    var b = CellBuffer(width: 80, height: 24, fill: Cell("#"))
    let layout = HelpOverlay(sections: Gallery.helpSections, capabilities: ascii).render(
      into: &b, area: b.area)
    #expect(layout.maxScroll == 0)
    #expect(layout.box.x > 0 && layout.box.y > 0)
    #expect(abs((layout.box.x) - (80 - layout.box.maxX)) <= 1)
    #expect(b.line(layout.box.maxY - 1).contains("Esc closes"))
    #expect(b.line(layout.box.y).contains("Keys"))
    assertSnapshot(b, named: "help-80x24-ascii")

    var small = CellBuffer(width: 40, height: 8)
    let s = HelpOverlay(sections: Gallery.helpSections, scroll: 100, capabilities: full)
      .render(into: &small, area: small.area)
    #expect(s.maxScroll > 0 && s.scroll == s.maxScroll)
    #expect(small.plainText.contains("more ↑"))
    assertSnapshot(small, named: "help-40x8-scrolled")
  }

  // MARK: Text

  @Test func textBlockWrapsAndMarksCutText() {
    var b = CellBuffer(width: 12, height: 3)
    let total = TextBlock(
      [.init("The quick brown fox jumps over the lazy dog"), .init("Second.")],
      capabilities: full
    ).render(into: &b, area: b.area)
    #expect(total == 6)
    #expect(b.lines == ["The quick   ", "brown fox   ", "jumps over… "])
  }

  @Test func messageLineStyles() {
    var b = CellBuffer(width: 20, height: 1)
    MessageLine("stride must be positive", kind: .error, capabilities: full).render(
      into: &b, area: b.area)
    #expect(b.line(0) == "error: stride must …")
    #expect(b[0, 0].style.attributes.contains(.bold))
  }

  @Test func tooSmallChoosesTheLongestWordingThatFits() {
    func show(_ w: Int, _ h: Int) -> String {
      var b = CellBuffer(width: w, height: h)
      TooSmall(required: (80, 24), actual: (w, h), capabilities: ascii).render(
        into: &b, area: b.area)
      return b.plainText
    }
    #expect(show(1, 1) == "!")
    #expect(show(5, 1) == "80x24")
    #expect(show(10, 1) == "need 80x24")
    #expect(show(40, 5).contains("Terminal too small"))
    #expect(show(40, 5).contains("need 80x24, have 40x5"))
    #expect(show(0, 0) == "")
  }
}

extension String {
  /// The character offset of the first occurrence of `needle` (or -1).
  func distance(of needle: String) -> Int {
    guard let r = firstRange(of: needle) else { return -1 }
    return distance(from: startIndex, to: r.lowerBound)
  }
}
