// MARK: - HeatGridMode

/// What a heat grid shows in each cell.
public enum HeatGridMode: String, Sendable, Hashable, CaseIterable {
  /// Numbers on shaded cells when they fit, shades otherwise.
  case auto
  /// Numbers only (coloured by sign), scrolling when they do not fit.
  case numbers
  /// Shades only (colour, glyphs or half blocks).
  case shades
  /// Numbers on shaded cells, scrolling when they do not fit.
  case both
}

// MARK: - HeatGridModel

/// Everything a ``HeatGrid`` draws: a matrix of optional values with per-cell kinds and
/// highlighted regions. Generic: rows, columns, values; nothing about convolutions.
public struct HeatGridModel {
  /// Number of matrix rows.
  public var rows: Int
  /// Number of matrix columns.
  public var cols: Int
  /// The value at `(row, col)`; `nil` means not computed yet.
  public var value: (_ row: Int, _ col: Int) -> Float?
  /// The kind of `(row, col)`; `nil` means every cell is ``HeatCellKind/data``.
  public var kind: ((_ row: Int, _ col: Int) -> HeatCellKind)?
  /// Values at ±`range` get full intensity (e.g. max |v| over the map, layer or run).
  public var range: Float
  /// The colour scale.
  public var palette: Palette
  /// Numbers, shades or both.
  public var mode: HeatGridMode
  /// The current window (tinted); may be dilated.
  public var window: GridRegion?
  /// A secondary region (tinted differently), e.g. the window of a gradient.
  public var secondary: GridRegion?
  /// The current cell (strongly highlighted with `[ ]`).
  public var current: GridCell?
  /// A single highlighted tap (marked `< >`).
  public var tap: GridCell?
  /// Cells marked with `*` beside their value (e.g. values set by hand); see ``HeatGrid``.
  public var marked: Set<GridCell>
  /// The region the viewport keeps visible when the matrix does not fit; by default the window,
  /// else the current cell, else the tap.
  public var focus: GridRegion?
  /// The previous viewport origin (``HeatGridLayout/origin``): kept while the focus stays
  /// visible, so the view does not jump at every step.
  public var scrollHint: GridCell?
  /// Whether to draw row and column index labels when there is room.
  public var showLabels: Bool
  /// Added to row indices in labels (e.g. −padding so padded rows read −1, −2).
  public var rowLabelOffset: Int
  /// Added to column indices in labels.
  public var colLabelOffset: Int
  /// Most decimals shown in numbers.
  public var decimals: Int
  /// The columns a number takes, measured over the whole map's final values (see
  /// ``HeatGridLayout/numberWidth(of:decimals:unicode:)``), so that columns do not shift while
  /// the map fills in; nil measures the values shown.
  public var numberWidth: Int?
  /// The tallest row pitch allowed (a tile's height plus the blank rows under it; nil: any).
  /// Several grids shown side by side pass the smallest pitch any of them needs, so that one
  /// value looks the same size everywhere.
  public var maxCellHeight: Int?
  /// Per-cell colours when the matrix is a picture (a photograph): shades and half blocks show
  /// these colours instead of the palette's, numbers sit on them, and region marks tint them. A
  /// cell whose colour is `nil` (padding, say) is drawn from its value as usual. Needs 256
  /// colours or more; with fewer the palette draws every cell.
  public var pixels: ((_ row: Int, _ col: Int) -> RGB?)?
  /// The scale values are drawn at; nil picks the best that fits (see ``HeatGridZoom``).
  public var zoom: HeatGridZoom?
  /// Whether a matrix larger than its area gets an overview in the corner away from the focus:
  /// the whole matrix reduced, with the part on screen framed.
  public var showsOverview: Bool

  /// A model over an accessor.
  public init(
    rows: Int, cols: Int, range: Float, palette: Palette = .redBlue, mode: HeatGridMode = .auto,
    value: @escaping (_ row: Int, _ col: Int) -> Float?
  ) {
    self.rows = max(0, rows)
    self.cols = max(0, cols)
    self.value = value
    self.kind = nil
    self.range = range
    self.palette = palette
    self.mode = mode
    self.window = nil
    self.secondary = nil
    self.current = nil
    self.tap = nil
    self.marked = []
    self.focus = nil
    self.scrollHint = nil
    self.showLabels = true
    self.rowLabelOffset = 0
    self.colLabelOffset = 0
    self.decimals = 2
    self.numberWidth = nil
    self.maxCellHeight = nil
    self.pixels = nil
    self.zoom = nil
    self.showsOverview = false
  }

  /// A model over row-major `values` (missing entries read as `nil`).
  public init(
    rows: Int, cols: Int, values: [Float?], range: Float, palette: Palette = .redBlue,
    mode: HeatGridMode = .auto
  ) {
    let c = max(0, cols)
    self.init(rows: rows, cols: cols, range: range, palette: palette, mode: mode) { r, col in
      let i = r * c + col
      return i >= 0 && i < values.count ? values[i] : nil
    }
  }

  /// The region the viewport keeps visible: ``focus``, else the window, the current cell or
  /// the tap.
  public var effectiveFocus: GridRegion? {
    focus ?? window ?? current.map(GridRegion.init) ?? tap.map(GridRegion.init)
  }

  /// The largest |v| over finite values (0 when there is none): a natural ``range``.
  public func maxAbsValue() -> Float {
    var m: Float = 0
    for r in 0..<rows {
      for c in 0..<cols {
        if let v = value(r, c), v.isFinite { m = max(m, abs(v)) }
      }
    }
    return m
  }

  func kindAt(_ r: Int, _ c: Int) -> HeatCellKind { kind?(r, c) ?? .data }

  /// Whether the grid draws ``pixels`` with `capabilities` (a picture needs 256 colours).
  public func showsPicture(with capabilities: Capabilities) -> Bool {
    pixels != nil && capabilities.color >= .ansi256
  }
}
