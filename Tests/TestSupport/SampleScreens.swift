import TermUI

// MARK: - SampleScreens

/// Synthetic matrices and a whole sample screen built from every widget: for the snapshot tests,
/// the gallery and as an example of the widgets' use. The data is made up; nothing here reads
/// files or the terminal.
public enum SampleScreens {
  /// A padded 9×9 input (7×7 data, padding 1) with a smooth signed pattern.
  public static func inputModel(mode: HeatGridMode = .auto, palette: Palette = .redBlue)
    -> HeatGridModel
  {
    let n = 9
    var m = HeatGridModel(rows: n, cols: n, range: 1, palette: palette, mode: mode) { r, c in
      if r == 0 || c == 0 || r == n - 1 || c == n - 1 { return 0 }
      let x = Float(c - 4) / 3
      let y = Float(r - 4) / 3
      return (x * x - y) * 0.9
    }
    m.kind = { r, c in
      if r == 0 || c == 0 || r == n - 1 || c == n - 1 { return .padding }
      if r == n - 2 || c == n - 2 { return .dropped }
      return .data
    }
    m.window = GridRegion(row: 2, col: 3, rows: 3, cols: 3)
    m.tap = GridCell(row: 3, col: 4)
    m.rowLabelOffset = -1
    m.colLabelOffset = -1
    return m
  }

  /// A 3×3 kernel.
  public static func kernelModel(mode: HeatGridMode = .auto) -> HeatGridModel {
    let k: [Float?] = [1, 0, -1, 2, 0.25, -2, 1, 0, -1]
    var m = HeatGridModel(rows: 3, cols: 3, values: k, range: 2, mode: mode)
    m.tap = GridCell(row: 1, col: 1)
    return m
  }

  /// A partly computed 4×4 output with a NaN and an infinity.
  public static func outputModel(mode: HeatGridMode = .auto) -> HeatGridModel {
    var m = HeatGridModel(rows: 4, cols: 4, range: 3, mode: mode) { r, c in
      let i = r * 4 + c
      if i > 9 { return nil }
      if i == 7 { return .nan }
      if i == 8 { return .infinity }
      return Float(i - 4) * 0.6
    }
    m.current = GridCell(row: 2, col: 1)
    m.kind = { r, c in r == 0 && c == 3 ? .mismatch : .data }
    return m
  }

  /// A large map (64×48) to exercise half blocks and scrolling.
  public static func largeModel(mode: HeatGridMode = .auto) -> HeatGridModel {
    var m = HeatGridModel(rows: 48, cols: 64, range: 1, mode: mode) { r, c in
      let x = Float(c) / 63 * 6.3
      let y = Float(r) / 47 * 6.3
      return sinApprox(x) * cosApprox(y)
    }
    m.window = GridRegion(row: 30, col: 40, rows: 5, cols: 5)
    m.current = GridCell(row: 32, col: 42)
    return m
  }

  /// sin on any angle (Taylor series after range reduction), to avoid Foundation.
  static func sinApprox(_ x: Float) -> Float {
    // Bhaskara-free Taylor on a reduced range: good enough for a picture.
    var t = x
    while t > Float.pi { t -= 2 * Float.pi }
    while t < -Float.pi { t += 2 * Float.pi }
    let t2 = t * t
    return t * (1 - t2 / 6 * (1 - t2 / 20 * (1 - t2 / 42)))
  }

  static func cosApprox(_ x: Float) -> Float { sinApprox(x + Float.pi / 2) }

  /// Key bindings for the help overlay sample.
  public static let helpSections = [
    HelpSection(
      "Stepping",
      [
        .init("→ / l", "next window"), .init("← / h", "previous window"),
        .init("Space", "play or pause the animation at the current speed"),
        .init("+ / -", "faster / slower"),
      ]),
    HelpSection(
      "View",
      [
        .init("p", "cycle palette (Red–Blue, Purple–Orange, Grey)"),
        .init("n", "numbers / shades / both"), .init("?", "this help"),
      ]),
  ]

  /// A forward-pass formula with ten terms, the third highlighted.
  public static func formula() -> Formula {
    Formula(
      lhs: "y[0,2,1,3]", symbolic: "b + Σ x·w",
      terms: [
        "0.10", "(1.00×−1)", "(0.50×0.25)", "(−0.30×2)", "(0.75×0.5)", "(1.20×−0.25)",
        "(0.00×1)", "(−1.10×0.5)", "(0.40×−2)", "(0.90×1)",
      ],
      total: "1.34", highlight: 2)
  }

  /// A whole screen (three grid panels, a formula panel, a legend and a status bar, and the help
  /// overlay when `help`) at any size.
  public static func dashboard(
    width: Int, height: Int, capabilities caps: Capabilities, help: Bool = false
  ) -> CellBuffer {
    var b = CellBuffer(width: width, height: height)
    let theme = Theme.standard(for: caps)
    let rows = b.area.rows([.fill(1), .fixed(5), .fixed(2), .fixed(1)])
    let cols = rows[0].columns([.fill(3), .fill(2), .fill(2)])
    let models = [inputModel(), kernelModel(), outputModel()]
    let titles = ["Input x[0] 9×9 (pad 1)", "Kernel w[3]", "Output y[0,3]"]
    for i in 0..<3 {
      let inner = Panel(
        title: titles[i], note: i == 0 ? "stride 1" : "", focused: i == 0,
        capabilities: caps, theme: theme
      ).render(into: &b, area: cols[i])
      HeatGrid(model: models[i], capabilities: caps, theme: theme)
        .render(into: &b, area: inner.inset(left: 1, right: 1))
    }
    FormulaPanel(
      title: "Forward · window 12/49", formula: formula(),
      notes: ["bias 0.10, 9 taps, stride 1, padding 1"], capabilities: caps, theme: theme
    )
    .render(into: &b, area: rows[1])
    Legend(palette: .redBlue, range: 2.5, title: "Red–Blue", capabilities: caps, theme: theme)
      .render(into: &b, area: rows[2].inset(left: 1, right: 1))
    StatusBar(
      left: [
        StatusSegment("FORWARD", style: theme.statusKey, priority: 10),
        StatusSegment("step 12/49", priority: 9), StatusSegment("paused", priority: 3),
        StatusSegment("scale: this map", priority: 2),
      ],
      right: [
        StatusSegment("? help", style: theme.statusKey, priority: 5),
        StatusSegment("q quit", priority: 4),
      ],
      capabilities: caps, theme: theme
    ).render(into: &b, area: rows[3])
    if help {
      HelpOverlay(sections: helpSections, capabilities: caps, theme: theme).render(
        into: &b, area: b.area)
    }
    return b
  }
}
