import TestSupport
import Testing

@testable import TermUI

/// Every widget must survive any area: empty, tiny, partly or wholly outside the buffer.
@Suite("Small areas")
struct SmallAreaTests {
  private typealias Render = @Sendable (inout CellBuffer, Rect, Capabilities) -> Void

  private static let widgets: [(String, Render)] = [
    (
      "panel",
      { b, a, c in Panel(title: "Title", note: "n", capabilities: c).render(into: &b, area: a) }
    ),
    (
      "heatgrid",
      { b, a, c in HeatGrid(model: Gallery.inputModel(), capabilities: c).render(into: &b, area: a)
      }
    ),
    (
      "heatgrid-large",
      { b, a, c in HeatGrid(model: Gallery.largeModel(), capabilities: c).render(into: &b, area: a)
      }
    ),
    (
      "heatgrid-numbers",
      { b, a, c in
        HeatGrid(model: Gallery.outputModel(mode: .numbers), capabilities: c).render(
          into: &b, area: a)
      }
    ),
    (
      "formula",
      { b, a, c in
        FormulaText(formula: Gallery.formula(), capabilities: c).render(into: &b, area: a)
      }
    ),
    (
      "formula-panel",
      { b, a, c in
        FormulaPanel(title: "F", formula: Gallery.formula(), notes: ["note"], capabilities: c)
          .render(into: &b, area: a)
      }
    ),
    (
      "status",
      { b, a, c in
        StatusBar(
          left: [StatusSegment("MODE", priority: 2)],
          right: [StatusSegment("? help", shorter: ["?"])],
          capabilities: c
        ).render(into: &b, area: a)
      }
    ),
    (
      "legend",
      { b, a, c in
        Legend(palette: .purpleOrange, range: 1, title: "PuOr", capabilities: c).render(
          into: &b, area: a)
      }
    ),
    (
      "help",
      { b, a, c in
        HelpOverlay(sections: Gallery.helpSections, scroll: 3, capabilities: c).render(
          into: &b, area: a)
      }
    ),
    (
      "text",
      { b, a, c in TextBlock("Some words to wrap around", capabilities: c).render(into: &b, area: a)
      }
    ),
    (
      "message",
      { b, a, c in
        MessageLine("bad stride", kind: .error, capabilities: c).render(into: &b, area: a)
      }
    ),
    (
      "toosmall",
      { b, a, c in
        TooSmall(required: (80, 24), actual: (a.width, a.height), capabilities: c).render(
          into: &b, area: a)
      }
    ),
  ]

  @Test(arguments: [Capabilities.full, .plain, Capabilities(color: .ansi8, unicode: true)])
  func everyWidgetInEverySmallArea(caps: Capabilities) {
    let marker = Cell("@", style: Style(fg: .ansi(3)))
    let offsets = [(0, 0), (1, 1), (-2, -1), (3, 2), (8, 6), (-7, 0), (0, -7)]
    for (name, render) in SmallAreaTests.widgets {
      for bufferSize in [(0, 0), (1, 1), (6, 6), (10, 8)] {
        for w in 0...6 {
          for h in 0...6 {
            for (dx, dy) in offsets {
              var buffer = CellBuffer(width: bufferSize.0, height: bufferSize.1, fill: marker)
              let area = Rect(x: dx, y: dy, width: w, height: h)
              render(&buffer, area, caps)
              // Nothing outside the area changed.
              for y in 0..<buffer.height {
                for x in 0..<buffer.width where !area.contains(x: x, y: y) {
                  if buffer[x, y] != marker {
                    Issue.record("\(name) wrote outside \(area) at \(x),\(y) in \(bufferSize)")
                    return
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  @Test func tooSmallAtOneByOne() {
    var b = CellBuffer(width: 1, height: 1)
    TooSmall(required: (80, 24), actual: (1, 1), capabilities: .plain).render(
      into: &b, area: b.area)
    #expect(b.line(0) == "!")
  }
}
