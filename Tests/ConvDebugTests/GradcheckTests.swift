import ConvCore
import ConvStepper
import Testing

@testable import ConvDebug

// MARK: - Gradient check maps

@Suite("GradcheckResult and its error maps")
struct GradcheckTests {
  @Test("a layer passes and its maps have the planes' shapes")
  func passes() throws {
    let s = try Layers.random(filters: 3, stride: 2)
    let result = try GradcheckResult(trace: LayerTrace(s))
    #expect(result.passed)
    let dx = try #require(result.map(.dx, plane: (1, 1)))
    #expect((dx.rows, dx.columns) == (5, 6))
    #expect(dx.values.allSatisfy { $0 != nil })
    let dw = try #require(result.map(.dw, plane: (2, 0)))
    #expect((dw.rows, dw.columns) == (3, 3))
    let db = try #require(result.map(.db))
    #expect((db.rows, db.columns) == (1, 3))
    #expect(result.map(.y) == nil)
    #expect(result.map(.dx, plane: (2, 0)) == nil)
    let text = result.text(map: .dw, plane: (2, 0))
    #expect(text.contains("dw[filter 2, channel 0]: relative error per cell (3×3)"))
    #expect(text.contains("Result: the backward pass agrees"))
  }

  @Test("shades per decade, X from the threshold, blank when not checked")
  func glyphs() {
    #expect(ErrorMap.glyph(nil, threshold: 1e-3) == " ")
    #expect(ErrorMap.glyph(0, threshold: 1e-3) == "·")
    #expect(ErrorMap.glyph(5e-7, threshold: 1e-3) == "░")
    #expect(ErrorMap.glyph(5e-6, threshold: 1e-3) == "▒")
    #expect(ErrorMap.glyph(5e-5, threshold: 1e-3) == "▓")
    #expect(ErrorMap.glyph(5e-4, threshold: 1e-3) == "█")
    #expect(ErrorMap.glyph(1e-3, threshold: 1e-3) == "X")
    #expect(ErrorMap.glyph(.infinity, threshold: 1e-3) == "X")
    #expect(ErrorMap.glyph(5e-4, threshold: 1e-3, ascii: true) == "#")
    let map = ErrorMap(title: "t", rows: 1, columns: 3, values: [0, nil, 0.5])
    let lines = map.lines(threshold: 1e-3, ascii: true)
    #expect(lines[1] == "  ..  XX")
    let numbers = map.lines(style: .numbers)
    #expect(numbers[1] == "        0       - 5.0e-01")
  }

  @Test("sampling checks only some cells")
  func sampled() throws {
    let result = try GradcheckResult(trace: LayerTrace(Layers.random()), maxCellsPerTensor: 4)
    #expect(result.report.dx.checked == 4)
    #expect(result.tensor(.dx)?.total == 2 * 2 * 5 * 6)
    #expect(result.tensor(.y) == nil)
  }
}
