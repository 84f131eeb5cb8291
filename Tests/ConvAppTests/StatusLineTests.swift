import ConvCore
import ConvLessons
import ConvStepper
import TermUI
import Testing

@testable import ConvApp

/// The status line at real sizes: never a `…`, never a formula cut mid-token.
@Suite("Status line")
struct StatusLineTests {
  static let levels = [
    Capabilities(color: .ansi256, unicode: true), Capabilities(color: .none, unicode: false),
  ]

  @Test(
    "the first lesson and --article at 80×24, 100×30 and 120×40",
    arguments: [(80, 24), (100, 30), (120, 40)], [false, true])
  func wholeSegments(size: (Int, Int), article: Bool) throws {
    let scenario = article ? try Scenario.article() : Scenario.firstLesson
    for caps in Self.levels {
      for tabs in 0..<3 {
        var m = try Model(scenario: scenario, capabilities: caps, width: size.0, height: size.1)
        for _ in 0..<tabs { _ = update(&m, .key(try #require(Key(spelling: "Tab")))) }
        _ = update(&m, .key(try #require(Key(spelling: "Right"))))
        let theme = Theme.standard(for: caps)
        var b = CellBuffer(width: size.0, height: 1)
        Chrome.status(m, theme: theme, into: &b, area: b.area)
        let line = b.line(0)
        let context = "\(article ? "article" : "first") \(m.phase) \(size)"
        #expect(view(m).lines.contains(line), "\(context): the view shows this status line")
        #expect(!line.contains("…") && !line.contains("~"), "\(context): \(line)")
        #expect(line.contains("step "), "\(context): \(line)")
        #expect(line.hasSuffix("? help  "), "\(context): \(line)")
        // The formula is whole or given as its bare result, never cut.
        let g = m.trace.geometry
        var formula = "O = " + g.config.outputFormula(input: g.input.h, alongHeight: true)
        if !caps.unicode { formula = TextFit.ascii(formula) }
        if line.contains("O = ") {
          #expect(
            line.contains(formula + " ") || line.contains("O = \(g.output.h) "),
            "\(context): \(line)")
        }
      }
    }
  }
}
