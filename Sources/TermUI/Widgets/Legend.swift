import NumberText

// MARK: - LegendItem

/// A special mark a legend can explain.
public enum LegendItem: Sendable, Hashable, CaseIterable {
  /// Padding cells.
  case padding
  /// Values not computed yet.
  case pending
  /// NaN.
  case nan
  /// ±∞.
  case infinity
  /// Rows/columns dropped by the output-size floor.
  case dropped
  /// Values no window reads.
  case unread
  /// Flagged values.
  case mismatch
  /// Padding cells holding a copy of an input cell (reflect, replicate, circular).
  case copy

  /// The words shown after the sample.
  public var label: String {
    switch self {
    case .padding: return "padding"
    case .pending: return "not computed"
    case .nan: return "NaN"
    case .infinity: return "±inf"
    case .dropped: return "dropped"
    case .unread: return "unread"
    case .mismatch: return "mismatch"
    case .copy: return "padding copy"
    }
  }
}

// MARK: - Legend

/// The colour scale of a palette at the current capabilities with its range labels
/// (`−r … 0 … +r`), and the meaning of the special marks.
///
/// ```
/// Red–Blue  −2.5 [██████████0██████████] +2.5      (colour: the cells' backgrounds)
/// Red–Blue  −2.5 ▆▄▂▁ 0 ░▒▓█ +2.5                  (no colour: the glyph families)
/// ╱ padding  · not computed  ! NaN  ▲▼ ±inf  × dropped
/// ```
/// The bar shows the ``Shade`` of each of the shader's ``Shader/scaleSamples(colorSamples:)``
/// with the same ``Shader`` the grids use, drawn as a map cell draws it: a colour, or the value's
/// glyph in its style (the glyph a map cell of any width shows; wider cells add a sign mark).
/// In glyph modes every magnitude level appears once, negative left of `0` and positive right,
/// so sign and magnitude read from the legend alone. With one row, the marks follow the bar as
/// far as they fit.
public struct Legend: Sendable {
  /// The palette.
  public var palette: Palette
  /// The scale range (values at ±range have full intensity).
  public var range: Float
  /// Text before the bar (e.g. the palette name or the scale's scope).
  public var title: String
  /// The special marks to explain.
  public var items: [LegendItem]
  /// What the output can show.
  public var capabilities: Capabilities
  /// Styles.
  public var theme: Theme

  /// A legend.
  public init(
    palette: Palette, range: Float, title: String = "", items: [LegendItem] = LegendItem.allCases,
    capabilities: Capabilities, theme: Theme? = nil
  ) {
    self.palette = palette
    self.range = range
    self.title = title
    self.items = items
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// The grids' shader for this legend's palette, capabilities and range.
  var shader: Shader { Shader(palette: palette, capabilities: capabilities, range: range) }

  /// The most colour samples in the bar (odd, so one sits at 0).
  static let maximumBarSamples = 21

  /// The values the bar shows, one per cell of ``barCells(maxWidth:)`` except the blanks
  /// around `0` in glyph modes (empty when the bar does not fit `maxWidth`).
  func barSamples(maxWidth: Int) -> [Float] {
    let sh = shader
    if sh.fillsWithColor {
      var n = min(Self.maximumBarSamples, maxWidth)
      if n % 2 == 0 { n -= 1 }
      return n >= 3 ? sh.scaleSamples(colorSamples: n) : []
    }
    let samples = sh.scaleSamples()
    return samples.count + 2 <= maxWidth ? samples : []
  }

  /// The bar's cells, negative to positive: each sample's shade as a one-column map cell draws
  /// it, with `0` at the centre (between blanks in glyph modes, where zero itself is blank).
  func barCells(maxWidth: Int) -> [Cell] {
    let sh = shader
    var cells: [Cell] = []
    for v in barSamples(maxWidth: maxWidth) {
      let s = sh.shade(v)
      if v != 0 {
        cells.append(Cell(s.glyph, style: s.style))
      } else if sh.fillsWithColor {
        cells.append(Cell("0", style: s.style))
      } else {
        cells += [
          Cell(" ", style: s.style), Cell("0", style: theme.dim), Cell(" ", style: s.style),
        ]
      }
    }
    return cells
  }

  /// The sample glyphs and style of a special mark.
  func sample(_ item: LegendItem) -> (text: String, style: Style) {
    let sh = Shader(palette: palette, capabilities: capabilities, range: 1)
    let u = capabilities.unicode
    switch item {
    case .padding:
      let s = sh.shade(0, kind: .padding)
      return (String(s.glyph), s.style)
    case .pending:
      let s = sh.shade(nil)
      return (String(s.glyph), s.style)
    case .nan:
      let s = sh.shade(.nan)
      return (String(s.glyph), s.style)
    case .infinity:
      let s = sh.shade(.infinity)
      return (
        String(ShadeGlyphs.plusInfinity(unicode: u))
          + String(ShadeGlyphs.minusInfinity(unicode: u)),
        s.style
      )
    case .dropped:
      let s = sh.shade(0.5, kind: .dropped)
      return (String(s.glyph), s.style)
    case .unread:
      // A full value dimmed: a middle one would read as a value's glyph (`+` in ASCII).
      let s = sh.shade(1, kind: .unread)
      return (String(s.glyph == " " ? s.trail : s.glyph), s.style)
    case .mismatch:
      let s = sh.shade(0.5, kind: .mismatch)
      return (String(s.glyph), s.style)
    case .copy:
      let s = sh.shade(0.5, kind: .copy)
      return (String(ShadeGlyphs.copy(unicode: u)), s.style)
    }
  }

  /// Draws the legend; returns the number of rows used.
  @discardableResult
  public func render(into buffer: inout CellBuffer, area: Rect) -> Int {
    let clip = area.intersection(buffer.area)
    guard !area.isEmpty, !clip.isEmpty else { return 0 }
    buffer.fill(clip, with: .blank)
    let minus = capabilities.symbols.minus
    let r = NumberFormat.compact(
      range.isFinite && range > 0 ? range : 1, width: 7,
      unicode: capabilities.unicode)
    let lo = String(minus) + r
    let hi = "+" + r

    // Row 1: title, −r, bar, +r.
    var x = area.x
    var y = area.y
    if !title.isEmpty {
      let t = TextFit.truncate(
        capabilities.drawable(title), width: max(0, area.width - 2),
        ellipsis: capabilities.symbols.ellipsis)
      x = buffer.write(t, x: x, y: y, style: theme.title, clip: clip) + 1
    }
    let barRoom = area.maxX - x - lo.count - hi.count - 2
    let bar = barCells(maxWidth: barRoom)
    if !bar.isEmpty {
      x = buffer.write(lo, x: x, y: y, style: theme.dim, clip: clip) + 1
      for cell in bar {
        buffer.put(cell.glyph, x: x, y: y, style: cell.style, clip: clip)
        x += 1
      }
      x = buffer.write(hi, x: x + 1, y: y, style: theme.dim, clip: clip)
    } else if x < area.maxX {
      x = buffer.write(
        "\(minus)\(r)…+\(r)", x: x, y: y, width: area.maxX - x, style: theme.dim,
        ellipsis: capabilities.symbols.ellipsis, clip: clip)
    }

    // The marks, after the bar if one row, else on the rows below (wrapping).
    var rows = 1
    if area.height > 1 {
      y += 1
      x = area.x
      rows = 2
    } else {
      x += 2
    }
    for item in items {
      let s = sample(item)
      let label = capabilities.drawable(item.label)
      let width = s.text.count + 1 + label.count
      if x > area.x && x + width > area.maxX {
        guard y + 1 < area.maxY, area.height > 1 else { break }
        y += 1
        rows += 1
        x = area.x
      }
      guard x + width <= area.maxX else { break }
      x = buffer.write(s.text, x: x, y: y, style: s.style, clip: clip) + 1
      x = buffer.write(label, x: x, y: y, style: theme.dim, clip: clip) + 2
    }
    return min(rows, area.height)
  }
}
