import NumberText

// MARK: - HeatGrid

/// Draws a matrix of optional values as a heat map: numbers, shades or half blocks, whichever
/// fits, with index labels, highlighted regions and a scrolling viewport.
///
/// Resolution, in order of preference (``HeatGridMode/auto``): numbers on shaded tiles (3 rows
/// high, then spaced a line apart, then 1), plain numbers at the map's natural width (never
/// shortened: a map too narrow for them gets shades); then shades in
/// tiles (6×3, 4×2), 2 columns per value (square on most fonts), half blocks `▀` (two matrix
/// rows per screen row, 256 colours or more) and 1 column per value. Labels are dropped before
/// the grid scrolls; when nothing fits, the viewport scrolls to keep ``HeatGridModel/focus``
/// visible and arrows (`▲▼◀▶`) show that more is off screen.
///
/// ``HeatGridModel/zoom`` restricts the choice to one scale (one cell a value, half blocks or
/// numbers, see ``HeatGridZoom``). A matrix with ``HeatGridModel/pixels`` is a picture: its cells
/// take those colours (shades by default; 256 colours or more). With
/// ``HeatGridModel/showsOverview``, a matrix that scrolls in shades gets an overview in the
/// corner away from the focus, the viewport framed in it (``GridOverview``); numbers get none,
/// as it would hide values.
///
/// Highlights: the window is tinted amber (without a tint, fewer than 256 colours: underlined,
/// with edges `│` in the gaps beside numbers or a bar `▁` over its columns above shades), the
/// secondary region teal (italic without colour), the current cell is framed `[ ]` (or `●`, or a
/// bright half block), the tap `< >` (or `○`). Labels of the window's rows/columns are amber,
/// those of the current cell reversed, dropped rows/columns red, dropped rows with a `×` in a
/// column of their own. Column labels thin out (every 2nd, 5th, 10th, … value) rather than touch.
public struct HeatGrid {
  /// What to draw.
  public var model: HeatGridModel
  /// What the output can show.
  public var capabilities: Capabilities
  /// Chrome styles.
  public var theme: Theme

  /// A heat grid; the theme defaults to ``Theme/standard(for:)``.
  public init(model: HeatGridModel, capabilities: Capabilities, theme: Theme? = nil) {
    self.model = model
    self.capabilities = capabilities
    self.theme = theme ?? .standard(for: capabilities)
  }

  /// The layout the grid would use in `area` (same as ``render(into:area:)`` returns).
  public func layout(in area: Rect) -> HeatGridLayout {
    HeatGridLayout.compute(model: model, area: area, capabilities: capabilities)
  }

  /// Draws the grid into `area` (clipped to the buffer) and returns where everything went.
  @discardableResult
  public func render(into buffer: inout CellBuffer, area: Rect) -> HeatGridLayout {
    let layout = self.layout(in: area)
    let clip = area.intersection(buffer.area)
    buffer.fill(clip, with: .blank)
    guard !clip.isEmpty, !layout.visibleRows.isEmpty, !layout.visibleCols.isEmpty else {
      return layout
    }
    let painter = Painter(grid: self, layout: layout, clip: clip)
    let dropped = painter.drawCells(into: &buffer)
    painter.drawOutlines(into: &buffer)
    painter.drawMarked(into: &buffer)
    painter.drawLabels(into: &buffer, dropped: dropped)
    painter.drawScrollIndicators(into: &buffer)
    // Over numbers the overview would hide values: only shades and pictures get one.
    if model.showsOverview, layout.resolution != .numbers,
      let overview = GridOverview(
        layout: layout, focus: model.effectiveFocus, capabilities: capabilities)
    {
      overview.render(
        model: model, capabilities: capabilities, theme: theme, into: &buffer, clip: clip)
    }
    return layout
  }
}

extension HeatGrid {
  /// The mark of a ``HeatGridModel/marked`` cell: `*`, or `&` in ASCII (where `*` is a shade).
  public static func markedGlyph(unicode: Bool) -> Character { unicode ? "*" : "&" }
}

// MARK: - Painter

/// The per-frame state of one grid rendering (a class, so the per-cell helpers never copy it).
private final class Painter {
  let model: HeatGridModel
  let caps: Capabilities
  let theme: Theme
  let layout: HeatGridLayout
  let clip: Rect
  let shader: Shader
  /// Shades and colours of ordinary values, cached by quantised `v / range` (513 steps, exact
  /// zero alone at the centre) so big maps compute each colour once.
  let shadeCache: Scratch<Shade?>
  let rgbCache: Scratch<RGB?>
  /// Region membership of the visible rows and columns: bit 0 window, bit 1 secondary.
  let rowRegions: [UInt8]
  let colRegions: [UInt8]
  /// The current cell and the tap (copied out of the model for the per-cell loop).
  let current: GridCell?
  let tap: GridCell?
  let colour: Bool
  /// Whether cells take the picture's colours (``HeatGridModel/pixels``).
  let picture: Bool
  let symbols: Symbols

  init(grid: HeatGrid, layout: HeatGridLayout, clip: Rect) {
    model = grid.model
    caps = grid.capabilities
    theme = grid.theme
    self.layout = layout
    self.clip = clip
    shader = Shader(palette: model.palette, capabilities: caps, range: model.range)
    let cells = layout.visibleRows.count * layout.visibleCols.count
    let cached = cells > 64
    shadeCache = Scratch(count: cached && layout.resolution != .halfBlocks ? 513 : 0, nil)
    rgbCache = Scratch(count: cached && layout.resolution == .halfBlocks ? 513 : 0, nil)
    colour = caps.color >= .ansi256
    picture = model.showsPicture(with: caps)
    let m = model
    current = m.current
    tap = m.tap
    rowRegions = layout.visibleRows.map { r in
      (m.window?.containsRow(r) == true ? 1 : 0) | (m.secondary?.containsRow(r) == true ? 2 : 0)
    }
    colRegions = layout.visibleCols.map { c in
      (m.window?.containsColumn(c) == true ? 1 : 0)
        | (m.secondary?.containsColumn(c) == true ? 2 : 0)
    }
    symbols = caps.symbols
  }

  // MARK: Cells

  /// Draws the visible cells and returns which visible rows and columns are wholly dropped
  /// (their labels are marked).
  func drawCells(into buffer: inout CellBuffer) -> DroppedLines {
    let dropped = DroppedLines(rows: layout.visibleRows, cols: layout.visibleCols)
    if layout.resolution == .halfBlocks {
      drawHalfBlocks(into: &buffer, tally: dropped)
      return dropped
    }
    for r in layout.visibleRows {
      let y = layout.y(ofRow: r)
      for c in layout.visibleCols {
        let v = model.value(r, c)
        let kind = model.kindAt(r, c)
        dropped.count(kind, r, c)
        let x = layout.x(ofColumn: c)
        let cell = Rect(x: x, y: y, width: layout.cellWidth, height: layout.cellHeight)
        if layout.resolution == .numbers {
          drawNumber(v, kind: kind, row: r, col: c, in: cell, into: &buffer)
        } else {
          drawShade(v, kind: kind, row: r, col: c, in: cell, into: &buffer)
        }
      }
    }
    return dropped
  }

  /// The highlight flags of a cell.
  private struct Marks {
    var window = false
    var secondary = false
    var current = false
    var tap = false
  }

  private func marks(_ r: Int, _ c: Int) -> Marks {
    let both =
      rowRegions[r - layout.visibleRows.lowerBound]
      & colRegions[c - layout.visibleCols.lowerBound]
    return Marks(
      window: both & 1 != 0, secondary: both & 2 != 0,
      current: current?.row == r && current?.col == c,
      tap: tap?.row == r && tap?.col == c)
  }

  /// Applies region tints (colour) or attributes (no colour) to a style.
  private func highlighted(_ style: Style, _ m: Marks) -> Style {
    var s = style
    // Regions drawn with an outline keep their true colours.
    let window = m.window && !outlines(model.window)
    let secondary = m.secondary && !outlines(model.secondary)
    guard window || secondary else { return s }
    if colour {
      let base = s.bg.toRGB() ?? RGB(24, 24, 28)
      var rgb = base
      if secondary { rgb = rgb.mixed(with: theme.secondaryTint, theme.tintAmount) }
      if window { rgb = rgb.mixed(with: theme.windowTint, theme.tintAmount) }
      let wasReadable = s.bg != .default
      s.bg = Color(rgb).downgraded(to: caps.color)
      if wasReadable { s.fg = Color.readableForeground(on: s.bg, level: caps.color) }
    } else {
      if window { s.attributes.insert(.underline) }
      if secondary { s.attributes.insert(.italic) }
    }
    return s
  }

  /// The region whose edges (numbers) or bar (shades) are drawn without a tint: the window,
  /// else the secondary region (the backward pass's dx has only that one).
  private var markedRegion: GridRegion? { model.window ?? model.secondary }

  /// Whether `region` is shown by an outline (tall tiles, undilated) rather than a tint.
  private func outlines(_ region: GridRegion?) -> Bool {
    guard let region, layout.gapX >= 1, layout.gapY >= 1 else { return false }
    return region.rowStep == 1 && region.colStep == 1
  }

  /// Draws the current/tap frame marks around a cell on its middle row.
  private func drawFrameMarks(
    _ m: Marks, cell: Rect, inside: Bool, cellStyle: Style, into buffer: inout CellBuffer
  ) {
    guard m.current || m.tap else { return }
    let (open, close): (Character, Character) = m.current ? ("[", "]") : ("<", ">")
    let y = cell.y + cell.height / 2
    var style: Style
    if inside {
      style = cellStyle
      style.attributes.insert(.bold)
      if !colour { style.attributes.insert(.reverse) }
    } else {
      style = m.current ? theme.currentMark : theme.tapMark
    }
    let lx = inside ? cell.x : cell.x - 1
    let rx = inside ? cell.maxX - 1 : cell.maxX
    if inside && cell.width == 1 {
      let g = m.current ? symbols.currentMark : symbols.tapMark
      buffer.put(g, x: cell.x, y: y, style: style, clip: clip)
      return
    }
    buffer.put(open, x: lx, y: y, style: style, clip: clip)
    buffer.put(close, x: rx, y: y, style: style, clip: clip)
  }

  // MARK: Numbers

  private func numberStyle(_ v: Float?, kind: HeatCellKind, shade: Shade) -> Style {
    guard model.mode == .numbers, colour, !picture, kind != .padding, let v, v.isFinite else {
      return shade.textStyle
    }
    // Numbers only: the text takes the colour of its sign, never too pale to read.
    if v == 0 { return kind == .data ? .plain : shade.textStyle.with(bg: .default) }
    let t = shader.normalized(v)
    let strength = 0.55 + 0.45 * abs(t)
    var style = Style(
      fg: Color(model.palette.color(at: t < 0 ? -strength : strength)).downgraded(to: caps.color))
    if kind == .mismatch { style.attributes = [.bold, .underline] }
    if kind == .dropped || kind == .unread || kind == .copy { style.attributes = .dim }
    return style
  }

  /// The cache slot of a finite value.
  private func slot(_ v: Float) -> Int {
    var i = Int((shader.normalized(v) * 256).rounded()) + 256
    if i == 256 && v != 0 { i += v > 0 ? 1 : -1 }
    return i
  }

  /// ``Shader/shade(_:kind:)`` through the cache for ordinary values.
  private func shade(_ v: Float?, kind: HeatCellKind) -> Shade {
    guard !shadeCache.isEmpty, kind == .data, let v, v.isFinite else {
      return shader.shade(v, kind: kind)
    }
    let i = slot(v)
    if let s = shadeCache[i] { return s }
    let s = shader.shade(Float(i - 256) / 256 * shader.effectiveRange, kind: .data)
    shadeCache[i] = s
    return s
  }

  /// ``Shader/fillRGB(_:kind:odd:)`` through the cache for ordinary values.
  private func fillRGB(_ v: Float?, kind: HeatCellKind, odd: Bool) -> RGB {
    guard !rgbCache.isEmpty, kind == .data, let v, v.isFinite else {
      return shader.fillRGB(v, kind: kind, odd: odd)
    }
    let i = slot(v)
    if let c = rgbCache[i] { return c }
    let c = shader.palette.color(at: Float(i - 256) / 256)
    rgbCache[i] = c
    return c
  }

  private func drawNumber(
    _ v: Float?, kind: HeatCellKind, row r: Int, col c: Int, in cell: Rect,
    into buffer: inout CellBuffer
  ) {
    let shade = pictured(self.shade(v, kind: kind), r, c, kind: kind)
    let m = marks(r, c)
    var text = numberStyle(v, kind: kind, shade: shade)
    var fillStyle = kind == .padding ? shade.style : text
    fillStyle.attributes.remove(.underline)
    text = highlighted(text, m)
    fillStyle = highlighted(fillStyle, m)
    if m.current || m.tap {
      text.attributes.insert(.bold)
      if !colour || layout.gapX == 0 { text.attributes.insert(.reverse) }
    }
    drawRegionEdges(row: r, col: c, cell: cell, into: &buffer)
    let fillGlyph: Character = kind == .padding ? ShadeGlyphs.padding(unicode: caps.unicode) : " "
    buffer.fill(cell.intersection(clip), with: Cell(fillGlyph, style: fillStyle))

    let nw = layout.numberWidth
    let s: String
    if kind == .padding, cell.width <= nw {
      // No room for the hatch beside the number: the hatch alone says "padding" (its value is 0).
      s = String(repeating: fillGlyph, count: max(1, min(nw, cell.width)))
    } else if let v {
      s = NumberFormat.compact(v, width: nw, decimals: model.decimals, unicode: caps.unicode)
    } else {
      s = String(ShadeGlyphs.pending(unicode: caps.unicode))
    }
    // Numbers are right-aligned in a field of the number width centred in the cell.
    let y = cell.y + cell.height / 2
    let right = cell.x + (cell.width - nw) / 2 + nw
    let x = v == nil ? cell.x + (cell.width - 1) / 2 : right - s.count
    buffer.write(s, x: x, y: y, style: text, clip: clip.intersection(cell))
    if kind == .dropped || kind == .mismatch || kind == .copy, s.count < cell.width, x > cell.x {
      let g =
        kind == .dropped
        ? ShadeGlyphs.dropped(unicode: caps.unicode)
        : kind == .copy
          ? ShadeGlyphs.copy(unicode: caps.unicode) : ShadeGlyphs.mismatch(unicode: caps.unicode)
      buffer.put(g, x: cell.x, y: y, style: text, clip: clip)
    }
    if (m.current || m.tap) && v != nil && x - 1 >= cell.x - layout.gapX
      && x + s.count <= cell.maxX - 1 + layout.gapX
    {
      // The marks hug the number (`[-6]`, `<0.5>`), in the cell's spare room or its gaps.
      let hug = Rect(x: x - 1, y: cell.y, width: s.count + 2, height: cell.height)
      drawFrameMarks(m, cell: hug, inside: true, cellStyle: text, into: &buffer)
      return
    }
    let inside = layout.gapX == 0 || layout.cellHeight > 1
    drawFrameMarks(m, cell: cell, inside: inside, cellStyle: text, into: &buffer)
  }

  /// Without colour, the window's (or the secondary region's) edges in the gaps beside a
  /// number cell on its first or last column (one-row cells, no spaced rows: those get an
  /// outline).
  private func drawRegionEdges(row r: Int, col c: Int, cell: Rect, into buffer: inout CellBuffer) {
    guard let w = markedRegion, w.containsRow(r), w.colSpan.contains(c), !colour,
      layout.gapX > 0, layout.cellHeight == 1, layout.gapY == 0
    else { return }
    let edge = symbols.vertical
    if c == w.colSpan.lowerBound {
      buffer.put(edge, x: cell.x - 1, y: cell.y, style: theme.labelWindow, clip: clip)
    }
    if c == w.colSpan.upperBound - 1 {
      buffer.put(edge, x: cell.maxX, y: cell.y, style: theme.labelWindow, clip: clip)
    }
  }

  // MARK: Shades

  private func drawShade(
    _ v: Float?, kind: HeatCellKind, row r: Int, col c: Int, in cell: Rect,
    into buffer: inout CellBuffer
  ) {
    let shade = pictured(self.shade(v, kind: kind), r, c, kind: kind)
    let m = marks(r, c)
    let style = highlighted(shade.style, m)
    let mid = cell.y + cell.height / 2
    let visible = cell.intersection(clip)
    if shader.fillsWithColor {
      // Colour carries the value; special glyphs sit in the middle.
      let fillGlyph: Character = kind == .padding ? shade.trail : " "
      buffer.fill(visible, with: Cell(fillGlyph, style: style))
      if cell.width == 1 {
        if kind != .padding { buffer.put(shade.glyph, x: cell.x, y: mid, style: style, clip: clip) }
      } else if kind != .padding {
        let x = cell.x + (cell.width - 2) / 2
        buffer.put(shade.lead, x: x, y: mid, style: style, clip: clip)
        buffer.put(shade.trail, x: x + 1, y: mid, style: style, clip: clip)
      }
    } else if cell.width == 1 {
      buffer.fill(visible, with: Cell(shade.glyph, style: style))
    } else if kind == .padding || (v?.isFinite ?? false) {
      // Glyphs carry the value: the magnitude fills the tile, the sign mark leads the middle row.
      buffer.fill(visible, with: Cell(shade.trail, style: style))
      buffer.put(shade.lead, x: cell.x, y: mid, style: style, clip: clip)
    } else {
      // Not computed, NaN, ±∞: a blank tile with the marks in the middle.
      buffer.fill(visible, with: Cell(" ", style: style))
      let x = cell.x + (cell.width - 2) / 2
      buffer.put(shade.lead, x: x, y: mid, style: style, clip: clip)
      buffer.put(shade.trail, x: x + 1, y: mid, style: style, clip: clip)
    }
    drawFrameMarks(m, cell: cell, inside: true, cellStyle: style, into: &buffer)
  }

  // MARK: Pictures

  /// The picture's colour of a cell (dimmed like the palette's for dropped and unread cells),
  /// or nil where the value's shade is drawn (no picture, padding, no colour for the cell).
  private func pictureRGB(_ r: Int, _ c: Int, kind: HeatCellKind) -> RGB? {
    guard picture, kind != .padding, let rgb = model.pixels?(r, c) else { return nil }
    switch kind {
    case .dropped: return rgb.mixed(with: Shader.dimTarget, 0.6)
    case .unread, .copy: return rgb.mixed(with: Shader.dimTarget, 0.55)
    case .data, .padding, .mismatch: return rgb
    }
  }

  /// `shade` on the picture's colour of the cell (its glyphs kept: `×`, `≠`, the pending dot).
  private func pictured(_ shade: Shade, _ r: Int, _ c: Int, kind: HeatCellKind) -> Shade {
    guard let rgb = pictureRGB(r, c, kind: kind) else { return shade }
    let bg = Color(rgb).downgraded(to: caps.color)
    let fg = Color.readableForeground(on: bg, level: caps.color)
    var s = shade
    s.style.fg = fg
    s.style.bg = bg
    s.textStyle.fg = fg
    s.textStyle.bg = bg
    s.fill = bg
    return s
  }

  // MARK: Half blocks

  private func drawHalfBlocks(into buffer: inout CellBuffer, tally: DroppedLines) {
    let upperHalf: Character = "▀"
    var r = layout.visibleRows.lowerBound
    while r < layout.visibleRows.upperBound {
      let y = layout.y(ofRow: r)
      for c in layout.visibleCols {
        let top = fill(r, c, tally: tally)
        let bottom: Color =
          r + 1 < layout.visibleRows.upperBound ? fill(r + 1, c, tally: tally) : .default
        buffer.put(
          upperHalf, x: layout.x(ofColumn: c), y: y, style: Style(fg: top, bg: bottom), clip: clip)
      }
      r += 2
    }
  }

  /// The half-block colour of one matrix cell, with highlights.
  private func fill(_ r: Int, _ c: Int, tally: DroppedLines) -> Color {
    let kind = model.kindAt(r, c)
    tally.count(kind, r, c)
    let m = marks(r, c)
    var rgb: RGB
    if m.current {
      rgb = theme.currentFill
    } else if m.tap {
      rgb = theme.tapFill
    } else {
      rgb =
        pictureRGB(r, c, kind: kind)
        ?? fillRGB(model.value(r, c), kind: kind, odd: (r + c) % 2 == 1)
      if m.secondary { rgb = rgb.mixed(with: theme.secondaryTint, theme.tintAmount) }
      if m.window { rgb = rgb.mixed(with: theme.windowTint, theme.tintAmount) }
    }
    return Color(rgb).downgraded(to: caps.color)
  }

  // MARK: Marked cells

  /// Marks each visible ``HeatGridModel/marked`` cell with ``HeatGrid/markedGlyph(unicode:)``,
  /// bold in the colours of the spot it takes: the blank just left of its number, else the gap
  /// before or after the cell; a number that fills its cell with no free gap is underlined and bold
  /// instead. Colour shades get the mark over their first column, glyph shades over their last
  /// (the sign leads the tile). Half blocks (two values a character) carry no mark.
  func drawMarked(into buffer: inout CellBuffer) {
    guard layout.resolution != .halfBlocks else { return }
    for cell in model.marked {
      guard let rect = layout.screenRect(of: cell) else { continue }
      let y = rect.y + rect.height / 2
      let inside = (rect.x..<rect.maxX).filter { clip.contains(x: $0, y: y) }
      guard let first = inside.first else { continue }
      var x: Int?
      if layout.resolution == .numbers {
        // The blank just before the value's first character (its left end when it is blank).
        let text = inside.first { buffer[$0, y].glyph != " " } ?? rect.maxX
        if text > first, isBlank(buffer, text - 1, y) {
          x = text - 1
        } else if layout.gapX > 0 {
          x = [rect.x - 1, rect.maxX].first { isBlank(buffer, $0, y) }
        }
      } else if shader.fillsWithColor || inside.count == 1 {
        x = first
      } else {
        x = inside.last  // over the magnitude glyph: the sign mark leading the tile stays
      }
      guard let x else {
        buffer.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1).intersection(clip)) {
          $0.attributes.insert([.bold, .underline])
        }
        continue
      }
      var style = buffer[x, y].style
      style.attributes.insert(.bold)
      buffer.put(HeatGrid.markedGlyph(unicode: caps.unicode), x: x, y: y, style: style, clip: clip)
    }
  }

  /// Whether `(x, y)` is inside the clip and blank.
  private func isBlank(_ buffer: CellBuffer, _ x: Int, _ y: Int) -> Bool {
    clip.contains(x: x, y: y) && buffer[x, y].glyph == " "
  }

  // MARK: Outlines

  /// With gaps on both axes (tall tiles), regions get a box drawn in the gaps around them.
  func drawOutlines(into buffer: inout CellBuffer) {
    guard layout.gapX >= 1, layout.gapY >= 1, layout.resolution != .halfBlocks else { return }
    let bounds = layout.gridRect.inset(dx: -1, dy: -1).intersection(clip)
    let regions = [(model.secondary, theme.secondaryTint), (model.window, theme.windowTint)]
    for case (let region?, let tint) in regions where !region.isEmpty && outlines(region) {
      let left = layout.x(ofColumn: region.colSpan.lowerBound) - 1
      let right = layout.x(ofColumn: region.colSpan.upperBound - 1) + layout.cellWidth
      let top = layout.y(ofRow: region.rowSpan.lowerBound) - 1
      let bottom = layout.y(ofRow: region.rowSpan.upperBound - 1) + layout.cellHeight
      let style = Style(
        fg: Color(tint).downgraded(to: caps.color), attributes: colour ? [] : .bold)
      let sym = caps.roundedSymbols
      buffer.hline(
        sym.horizontal, x: left, y: top, length: right - left + 1, style: style, clip: bounds)
      buffer.hline(
        sym.horizontal, x: left, y: bottom, length: right - left + 1, style: style, clip: bounds)
      buffer.vline(
        sym.vertical, x: left, y: top, length: bottom - top + 1, style: style, clip: bounds)
      buffer.vline(
        sym.vertical, x: right, y: top, length: bottom - top + 1, style: style, clip: bounds)
      buffer.put(sym.topLeft, x: left, y: top, style: style, clip: bounds)
      buffer.put(sym.topRight, x: right, y: top, style: style, clip: bounds)
      buffer.put(sym.bottomLeft, x: left, y: bottom, style: style, clip: bounds)
      buffer.put(sym.bottomRight, x: right, y: bottom, style: style, clip: bounds)
    }
  }

  // MARK: Labels

  /// Draws the row and column index labels, marking the rows and columns `dropped` names.
  func drawLabels(into buffer: inout CellBuffer, dropped: DroppedLines) {
    if layout.rowLabelWidth > 0 { drawRowLabels(into: &buffer, dropped: dropped) }
    if layout.columnLabelHeight > 0 {
      let labels = columnLabels()
      for label in labels {
        let style = labelStyle(
          current: model.current?.col == label.col,
          window: model.window?.containsColumn(label.col) ?? false,
          dropped: dropped.colIsDropped(label.col))
        buffer.write(label.text, x: label.x, y: layout.area.y, style: style, clip: clip)
      }
      drawWindowBar(into: &buffer, labels: labels)
    }
  }

  /// Without a window tint (fewer than 256 colours), shade cells cannot show the window well
  /// (an underline vanishes under `█` and `▆`, italic under any block): a bar `▁` (ASCII `_`)
  /// over the columns of the window (else of the secondary region) marks it in the label row,
  /// in the free cells between the labels, a blank away from the labels of columns outside it
  /// (those inside it may touch the bar).
  private func drawWindowBar(into buffer: inout CellBuffer, labels: [ColumnLabel]) {
    guard !colour, layout.resolution == .shades, let w = markedRegion, !outlines(w) else { return }
    let y = layout.area.y
    let bar: Character = caps.unicode ? "▁" : "_"
    let kept = labels.map { l in
      w.containsColumn(l.col) ? l.x..<(l.x + l.text.count) : (l.x - 1)..<(l.x + l.text.count + 1)
    }
    for c in layout.visibleCols where w.containsColumn(c) {
      let x0 = layout.x(ofColumn: c)
      for x in x0..<(x0 + layout.cellWidth) where !kept.contains(where: { $0.contains(x) }) {
        buffer.put(bar, x: x, y: y, style: theme.labelWindow, clip: clip)
      }
    }
  }

  /// Row labels, right-aligned left of the grid, then the dropped mark's own column (when the
  /// model has dropped rows) and a blank before the cells. Half blocks label every other line.
  /// A line whose blank holds a scroll arrow (`▲` first, `▼` last) keeps the arrow alone.
  private func drawRowLabels(into buffer: inout CellBuffer, dropped: DroppedLines) {
    let markWidth = HeatGridLayout.LabelSize(model: model).markWidth
    let w = layout.rowLabelWidth - 1 - markWidth
    let labelX = layout.gridRect.x - layout.rowLabelWidth
    let g = layout.gridRect
    var arrowLines: [Int] = []
    if layout.visibleRows.lowerBound > 0 { arrowLines.append(g.y) }
    if layout.visibleRows.upperBound < layout.totalRows { arrowLines.append(g.maxY - 1) }
    var lineIndex = 0
    var r = layout.visibleRows.lowerBound
    while r < layout.visibleRows.upperBound {
      let y = layout.y(ofRow: r) + layout.cellHeight / 2
      let rows = r..<min(layout.visibleRows.upperBound, r + layout.rowsPerLine)
      let lineDropped = rows.contains { dropped.rowIsDropped($0) }
      let arrow = arrowLines.contains(y)
      if (layout.rowsPerLine == 1 || lineIndex % 2 == 0) && !arrow {
        let style = labelStyle(
          current: rows.contains { $0 == model.current?.row },
          window: rows.contains { model.window?.containsRow($0) ?? false },
          dropped: lineDropped)
        let s = String(r + model.rowLabelOffset)
        if s.count <= w {
          buffer.write(
            TextFit.pad(s, width: w, alignment: .right), x: labelX, y: y, style: style, clip: clip)
        }
      }
      if lineDropped, markWidth > 0 {
        buffer.put(
          ShadeGlyphs.dropped(unicode: caps.unicode), x: labelX + w, y: y,
          style: theme.labelDropped, clip: clip)
      }
      lineIndex += 1
      r += layout.rowsPerLine
    }
  }

  /// A column label: its column, where it starts and its text.
  struct ColumnLabel: Equatable {
    var col: Int
    var x: Int
    var text: String
  }

  /// The steps column labels thin out by: every label, every 2nd, 5th, 10th, 20th, …
  static let labelSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]

  /// The column labels to draw: those of the smallest step (``labelSteps``, counted on the
  /// label values, so they read 0 5 10 even with an offset) whose labels keep a blank between
  /// each other. The current cell's column is labelled first; labels that would leave the area
  /// or touch a scroll arrow are left out rather than cut.
  func columnLabels() -> [ColumnLabel] {
    let cols = layout.visibleCols
    var arrows: [Int] = []
    // Where drawScrollIndicators puts ◀ and ▶ on the label row.
    if cols.lowerBound > 0 { arrows.append(layout.gridRect.x - 1) }
    if cols.upperBound < layout.totalCols { arrows.append(layout.gridRect.maxX) }
    let first = current.flatMap { cols.contains($0.col) ? label($0.col) : nil }
    func fits(_ l: ColumnLabel) -> Bool {
      l.x >= clip.x && l.x + l.text.count <= clip.maxX
        && !arrows.contains { $0 >= l.x && $0 < l.x + l.text.count }
    }
    func touch(_ a: ColumnLabel, _ b: ColumnLabel) -> Bool {
      a.x <= b.x + b.text.count && b.x <= a.x + a.text.count
    }
    /// Labels every `step`, and whether two of them would touch.
    func labels(step: Int) -> (labels: [ColumnLabel], touch: Bool) {
      var placed: [ColumnLabel] = []
      var touching = false
      for c in cols where (c + model.colLabelOffset) % step == 0 {
        let l = label(c)
        guard fits(l) else { continue }
        if let last = placed.last, touch(last, l) {
          touching = true
          continue
        }
        placed.append(l)
      }
      return (placed, touching)
    }
    // The smallest step whose labels are evenly apart; when every step is cut short by the
    // edges or the arrows, the first that placed any (those never touch either).
    var chosen: [ColumnLabel] = []
    var fallback: [ColumnLabel] = []
    for step in Self.labelSteps {
      let (placed, touching) = labels(step: step)
      if fallback.isEmpty { fallback = placed }
      if !touching && !placed.isEmpty {
        chosen = placed
        break
      }
    }
    if chosen.isEmpty { chosen = fallback }
    // The current column's label goes in, in place of the labels it would touch.
    guard let f = first, fits(f) else { return chosen }
    return (chosen.filter { $0.col != f.col && !touch($0, f) } + [f]).sorted { $0.x < $1.x }
  }

  /// Column `c`'s label where it would be drawn: right-aligned on the numbers, else from the
  /// cell's first column.
  private func label(_ c: Int) -> ColumnLabel {
    let s = String(c + model.colLabelOffset)
    let x0 = layout.x(ofColumn: c)
    guard layout.resolution == .numbers else { return ColumnLabel(col: c, x: x0, text: s) }
    let right = x0 + (layout.cellWidth - layout.numberWidth) / 2 + layout.numberWidth
    return ColumnLabel(col: c, x: right - s.count, text: s)
  }

  private func labelStyle(current: Bool, window: Bool, dropped: Bool) -> Style {
    if current { return theme.labelCurrent }
    if window { return theme.labelWindow }
    if dropped { return theme.labelDropped }
    return theme.label
  }

  // MARK: Scroll indicators

  func drawScrollIndicators(into buffer: inout CellBuffer) {
    // In the gutter the layout keeps for them (see HeatGridLayout.viewport): never on a value.
    let g = layout.gridRect
    let style = theme.scrollIndicator
    let labelled = layout.rowLabelWidth > 0
    let gutterX = labelled ? g.x - 1 : g.maxX
    if layout.visibleRows.lowerBound > 0 {
      buffer.put(symbols.moreUp, x: gutterX, y: g.y, style: style, clip: clip)
    }
    if layout.visibleRows.upperBound < layout.totalRows {
      buffer.put(symbols.moreDown, x: gutterX, y: g.maxY - 1, style: style, clip: clip)
    }
    let across = layout.columnLabelHeight > 0
    let y = across ? layout.area.y : g.maxY
    if layout.visibleCols.lowerBound > 0 {
      buffer.put(symbols.moreLeft, x: across ? g.x - 1 : g.x, y: y, style: style, clip: clip)
    }
    if layout.visibleCols.upperBound < layout.totalCols {
      buffer.put(symbols.moreRight, x: across ? g.maxX : g.maxX - 1, y: y, style: style, clip: clip)
    }
  }
}

// MARK: - DroppedLines

/// Which visible rows and columns are dropped, tallied while the cells are drawn: per row and
/// column, the cells seen that are not padding and how many of them were dropped. A row or
/// column is dropped when all its non-padding cells are. A class, so the per-cell loop adds to
/// it without copies.
private final class DroppedLines {
  let rows: Range<Int>
  let cols: Range<Int>
  private let rowSeen: Scratch<Int>
  private let rowDroppedCount: Scratch<Int>
  private let colSeen: Scratch<Int>
  private let colDroppedCount: Scratch<Int>

  init(rows: Range<Int>, cols: Range<Int>) {
    self.rows = rows
    self.cols = cols
    rowSeen = Scratch(count: rows.count, 0)
    rowDroppedCount = Scratch(count: rows.count, 0)
    colSeen = Scratch(count: cols.count, 0)
    colDroppedCount = Scratch(count: cols.count, 0)
  }

  /// Counts the cell at `(r, c)` of kind `kind`.
  func count(_ kind: HeatCellKind, _ r: Int, _ c: Int) {
    guard kind != .padding, kind != .copy else { return }
    let ri = r - rows.lowerBound
    let ci = c - cols.lowerBound
    rowSeen[ri] += 1
    colSeen[ci] += 1
    if kind == .dropped {
      rowDroppedCount[ri] += 1
      colDroppedCount[ci] += 1
    }
  }

  /// Whether every non-padding cell of visible row `r` is dropped (false with none).
  func rowIsDropped(_ r: Int) -> Bool {
    let i = r - rows.lowerBound
    return rowSeen[i] > 0 && rowDroppedCount[i] == rowSeen[i]
  }

  /// Whether every non-padding cell of visible column `c` is dropped (false with none).
  func colIsDropped(_ c: Int) -> Bool {
    let i = c - cols.lowerBound
    return colSeen[i] > 0 && colDroppedCount[i] == colSeen[i]
  }
}

// MARK: - Scratch

/// A fixed-size scratch array whose elements are written through a pointer, so the per-cell loop
/// pays neither copy-on-write checks nor dynamic exclusivity checks.
private final class Scratch<Element> {
  private let base: UnsafeMutablePointer<Element>
  let count: Int

  init(count: Int, _ value: Element) {
    self.count = max(0, count)
    base = .allocate(capacity: self.count)
    base.initialize(repeating: value, count: self.count)
  }

  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }

  var isEmpty: Bool { count == 0 }

  subscript(i: Int) -> Element {
    get {
      precondition(i >= 0 && i < count)
      return base[i]
    }
    set {
      precondition(i >= 0 && i < count)
      base[i] = newValue
    }
  }
}

extension Style {
  /// This style with another background.
  func with(bg: Color) -> Style {
    var s = self
    s.bg = bg
    return s
  }
}
