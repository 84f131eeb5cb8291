import TermUI
import TestSupport
import Testing

/// The help overlay in columns: every binding once, whole, inside the frame.
@Suite("Help overlay columns")
struct HelpColumnsTests {
  /// More sections than the sample, with a long description, like an application's help.
  static let sections: [HelpSection] =
    Gallery.helpSections + [
      HelpSection(
        "Data",
        [
          .init("i", "edit values in place (input, kernel, bias, dy)"),
          .init("Shift-Tab", "previous phase"),
          .init("D", "gradient check: finite differences vs the backward pass, as error maps"),
        ]),
      HelpSection("Leave", [.init("?", "close this help"), .init("q", "quit")]),
    ]

  static let levels: [Capabilities] = [
    Capabilities(color: .ansi256, unicode: true), Capabilities(color: .none, unicode: false),
  ]

  static func expected(_ caps: Capabilities) -> [HelpScreen.Entry] {
    sections.flatMap(\.entries).map {
      HelpScreen.Entry(
        caps.drawable($0.keys),
        HelpScreen.normalised(caps.unicode ? $0.description : TextFit.ascii($0.description)))
    }
  }

  @Test(
    "on one screen from 120×40: each binding once, whole, in the frame",
    arguments: [(120, 40), (160, 48), (250, 80), (60, 30)], [0, 1])
  func oneScreen(size: (Int, Int), level: Int) {
    let caps = Self.levels[level]
    var b = CellBuffer(width: size.0, height: size.1, fill: Cell("#"))
    let overlay = HelpOverlay(sections: Self.sections, capabilities: caps)
    let layout = overlay.render(into: &b, area: b.area)
    #expect(layout == overlay.layout(in: b.area))
    #expect(layout.maxScroll == 0)
    #expect(b.area.intersection(layout.box) == layout.box && layout.box.x >= 2 && layout.box.y >= 1)
    let screen = HelpScreen(b, layout)
    #expect(screen.entries == Self.expected(caps))
    #expect(screen.titles == Self.sections.map(\.title))
    #expect(screen.strayText.isEmpty)
    #expect(!b.plainText.contains("more"))
    for y in 0..<b.height {
      for (x, ch) in b.line(y).enumerated() where !layout.box.contains(x: x, y: y) {
        #expect(ch == "#", "overlay drawn outside its box at (\(x), \(y))")
      }
    }
    if size.0 >= 120 { #expect(layout.columns.count > 1) }
  }

  @Test("a short screen scrolls the columns together, marked more ↓ / more ↑", arguments: [0, 1])
  func scrolls(level: Int) {
    let caps = Self.levels[level]
    let overlay = HelpOverlay(sections: Self.sections, capabilities: caps)
    let area = Rect(x: 0, y: 0, width: 80, height: 12)
    let first = overlay.layout(in: area)
    #expect(first.maxScroll > 0 && first.columns.count == 2)
    var seen: [HelpScreen.Entry] = []
    for scroll in 0...first.maxScroll {
      var b = CellBuffer(width: area.width, height: area.height)
      var o = overlay
      o.scroll = scroll
      let layout = o.render(into: &b, area: area)
      let screen = HelpScreen(b, layout)
      #expect(screen.strayText.isEmpty)
      seen += screen.entries.filter { !seen.contains($0) }
      let more = caps.unicode ? ("more ↑", "more ↓") : ("more ^", "more v")
      #expect(b.line(layout.box.y).contains(more.0) == (scroll > 0))
      #expect(b.line(layout.box.maxY - 1).contains(more.1) == (scroll < first.maxScroll))
    }
    // Every binding is read whole at some offset; the rest were cut by the box's bottom edge.
    let expected = Self.expected(caps)
    #expect(Set(expected).isSubset(of: Set(seen)))
    for e in seen where !expected.contains(e) {
      #expect(
        expected.contains { $0.keys == e.keys && $0.description.hasPrefix(e.description + " ") },
        "\(e) is neither whole nor the start of a binding")
    }
  }
}
