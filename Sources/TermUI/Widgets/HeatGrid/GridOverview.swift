// MARK: - GridOverview

/// The overview (minimap) a heat grid draws over a corner of its cells when the matrix is
/// larger than its area (``HeatGridModel/showsOverview``): the whole matrix reduced, in a box,
/// with a frame where the viewport is.
///
/// The matrix is cut into square blocks of ``scale`` × ``scale`` cells, one overview pixel each:
/// with 256 colours and Unicode a character shows two pixels as a half block `▀` (the block's
/// average colour; the frame is a bright line one pixel wide); otherwise a character shows a
/// block `scale` wide and `2·scale` high as a shade glyph and the frame is drawn with box lines
/// (reversed characters when it is less than 3 characters wide or high).
/// The box goes in the corner of the grid away from the focus, so it never hides the window.
struct GridOverview: Sendable, Hashable {
  /// The widest the inside of the box gets, in columns.
  static let maximumWidth = 24
  /// The tallest the inside of the box gets, in rows.
  static let maximumHeight = 12
  /// The most samples per block side when averaging (big blocks are sampled: the overview is
  /// drawn every frame).
  static let samplesPerSide = 3

  /// Matrix cells per pixel side.
  let scale: Int
  /// Whether a character holds two pixels, one above the other.
  let halfBlocks: Bool
  /// The box, border included, in screen coordinates.
  let box: Rect
  /// The matrix size.
  let totalRows: Int
  /// The matrix size.
  let totalCols: Int
  /// The matrix rows and columns on screen (what the frame surrounds).
  let visibleRows: Range<Int>
  /// The matrix columns on screen.
  let visibleCols: Range<Int>

  /// Where the reduced matrix is drawn (inside the box's border).
  var inner: Rect { box.inset(dx: 1, dy: 1) }

  /// Matrix rows per character row.
  var rowsPerLine: Int { 2 * scale }

  /// The overview of `layout`, or nil when the matrix is all on screen or the grid is too small
  /// for a box that leaves most of it visible.
  init?(layout: HeatGridLayout, focus: GridRegion?, capabilities: Capabilities) {
    guard layout.scrollsVertically || layout.scrollsHorizontally else { return nil }
    let g = layout.gridRect
    let roomW = min(GridOverview.maximumWidth, g.width / 3 - 2)
    let roomH = min(GridOverview.maximumHeight, g.height / 2 - 2)
    guard roomW >= 4, roomH >= 2, layout.totalRows > 0, layout.totalCols > 0 else { return nil }
    func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
    let s = max(1, ceilDiv(layout.totalCols, roomW), ceilDiv(layout.totalRows, 2 * roomH))
    scale = s
    halfBlocks = capabilities.color >= .ansi256 && capabilities.unicode
    totalRows = layout.totalRows
    totalCols = layout.totalCols
    visibleRows = layout.visibleRows
    visibleCols = layout.visibleCols
    let w = ceilDiv(layout.totalCols, s) + 2
    let h = ceilDiv(layout.totalRows, 2 * s) + 2
    // The corner away from the focus's middle (bottom right when there is no focus).
    var right = true
    var bottom = true
    if let f = focus,
      let first = layout.screenRect(
        of: GridCell(row: f.rowSpan.lowerBound, col: f.colSpan.lowerBound))
    {
      right = first.x < g.x + g.width / 2
      bottom = first.y < g.y + g.height / 2
    }
    box = Rect(
      x: right ? g.maxX - w : g.x, y: bottom ? g.maxY - h : g.y, width: w, height: h)
  }

  // MARK: The frame

  /// The pixels the frame surrounds: the viewport's rows and columns divided by ``scale``
  /// (a pixel partly on screen counts).
  var framePixels: (rows: Range<Int>, cols: Range<Int>) {
    func span(_ r: Range<Int>) -> Range<Int> {
      (r.lowerBound / scale)..<((r.upperBound + scale - 1) / scale)
    }
    return (span(visibleRows), span(visibleCols))
  }

  /// The screen rectangle of the frame: the characters holding its pixels (with half blocks a
  /// character may hold the frame's edge in one half only).
  var frameRect: Rect {
    let (rows, cols) = framePixels
    // Pixels per character row: 2 half blocks, or one pixel of a block twice as high.
    let top = halfBlocks ? rows.lowerBound / 2 : visibleRows.lowerBound / rowsPerLine
    let bottom =
      halfBlocks
      ? (rows.upperBound + 1) / 2 : (visibleRows.upperBound + rowsPerLine - 1) / rowsPerLine
    return Rect(
      x: inner.x + cols.lowerBound, y: inner.y + top, width: cols.count, height: bottom - top)
  }

  // MARK: Drawing

  /// Draws the box, the reduced matrix and the frame.
  func render(
    model: HeatGridModel, capabilities caps: Capabilities, theme: Theme,
    into buffer: inout CellBuffer, clip: Rect
  ) {
    let clip = clip.intersection(box)
    let sym = caps.roundedSymbols
    buffer.fill(clip, with: Cell(" ", style: theme.border))
    drawBox(box, symbols: sym, style: theme.border, into: &buffer, clip: clip)
    let shader = Shader(palette: model.palette, capabilities: caps, range: model.range)
    if halfBlocks {
      drawHalfBlocks(model: model, shader: shader, caps: caps, theme: theme, into: &buffer)
    } else {
      drawGlyphs(model: model, shader: shader, into: &buffer)
      let frame = frameRect.intersection(inner)
      if frame.width >= 3 && frame.height >= 3 {
        let frameStyle = Style(
          fg: Color(theme.windowTint).downgraded(to: caps.color), attributes: .bold)
        drawBox(frame, symbols: sym, style: frameStyle, into: &buffer, clip: inner)
      } else {
        // Too small for a box: the viewport's characters are reversed.
        buffer.restyle(frame) { $0.attributes.formUnion([.reverse, .bold]) }
      }
    }
  }

  private func drawBox(
    _ r: Rect, symbols sym: Symbols, style: Style, into buffer: inout CellBuffer, clip: Rect
  ) {
    guard r.width >= 2, r.height >= 2 else {
      buffer.fill(r.intersection(clip), with: Cell(sym.horizontal, style: style))
      return
    }
    buffer.hline(sym.horizontal, x: r.x, y: r.y, length: r.width, style: style, clip: clip)
    buffer.hline(sym.horizontal, x: r.x, y: r.maxY - 1, length: r.width, style: style, clip: clip)
    buffer.vline(sym.vertical, x: r.x, y: r.y, length: r.height, style: style, clip: clip)
    buffer.vline(sym.vertical, x: r.maxX - 1, y: r.y, length: r.height, style: style, clip: clip)
    buffer.put(sym.topLeft, x: r.x, y: r.y, style: style, clip: clip)
    buffer.put(sym.topRight, x: r.maxX - 1, y: r.y, style: style, clip: clip)
    buffer.put(sym.bottomLeft, x: r.x, y: r.maxY - 1, style: style, clip: clip)
    buffer.put(sym.bottomRight, x: r.maxX - 1, y: r.maxY - 1, style: style, clip: clip)
  }

  /// Two pixels a character; frame pixels in the frame colour.
  private func drawHalfBlocks(
    model: HeatGridModel, shader: Shader, caps: Capabilities, theme: Theme,
    into buffer: inout CellBuffer
  ) {
    let (frameRows, frameCols) = framePixels
    let picture = model.showsPicture(with: caps)
    let pixelRows = (totalRows + scale - 1) / scale
    func onFrame(_ pr: Int, _ pc: Int) -> Bool {
      frameRows.contains(pr) && frameCols.contains(pc)
        && (pr == frameRows.lowerBound || pr == frameRows.upperBound - 1
          || pc == frameCols.lowerBound || pc == frameCols.upperBound - 1)
    }
    func colour(_ pr: Int, _ pc: Int) -> Color {
      guard pr < pixelRows else { return .default }
      let rgb =
        onFrame(pr, pc)
        ? GridOverview.frameColour
        : average(
          model: model, shader: shader, picture: picture, rows: pr * scale, cols: pc * scale,
          height: scale, width: scale)
      return Color(rgb).downgraded(to: caps.color)
    }
    for y in 0..<inner.height {
      for x in 0..<inner.width {
        buffer.put(
          "▀", x: inner.x + x, y: inner.y + y,
          style: Style(fg: colour(2 * y, x), bg: colour(2 * y + 1, x)))
      }
    }
  }

  /// The colour of the frame with half blocks: white, bright on every palette and picture.
  static let frameColour = RGB(255, 255, 255)

  /// One shade glyph a character (a block `scale` wide and `2·scale` high).
  private func drawGlyphs(model: HeatGridModel, shader: Shader, into buffer: inout CellBuffer) {
    for y in 0..<inner.height {
      for x in 0..<inner.width {
        let v = averageValue(
          model: model, rows: y * rowsPerLine, cols: x * scale, height: rowsPerLine, width: scale)
        let shade = shader.shade(v)
        buffer.put(shade.glyph, x: inner.x + x, y: inner.y + y, style: shade.style)
      }
    }
  }

  /// The matrix cells sampled in a block: every cell of a small block, an even spread of
  /// ``samplesPerSide`` per side of a big one.
  private func samples(start: Int, length: Int, total: Int) -> [Int] {
    let end = min(total, start + length)
    guard end > start else { return [] }
    let n = end - start
    guard n > GridOverview.samplesPerSide else { return Array(start..<end) }
    return (0..<GridOverview.samplesPerSide).map {
      start + ($0 * 2 + 1) * n / (2 * GridOverview.samplesPerSide)
    }
  }

  /// The average colour of a block (padding and special values in their own colours).
  private func average(
    model: HeatGridModel, shader: Shader, picture: Bool, rows: Int, cols: Int, height: Int,
    width: Int
  ) -> RGB {
    var (r, g, b, n) = (0, 0, 0, 0)
    for row in samples(start: rows, length: height, total: totalRows) {
      for col in samples(start: cols, length: width, total: totalCols) {
        let kind = model.kindAt(row, col)
        let rgb =
          (picture && kind != .padding ? model.pixels?(row, col) : nil)
          ?? shader.fillRGB(model.value(row, col), kind: kind, odd: (row + col) % 2 == 1)
        r += Int(rgb.r)
        g += Int(rgb.g)
        b += Int(rgb.b)
        n += 1
      }
    }
    guard n > 0 else { return .black }
    return RGB(UInt8(r / n), UInt8(g / n), UInt8(b / n))
  }

  /// The average of the finite values of a block (nil when it has none).
  private func averageValue(model: HeatGridModel, rows: Int, cols: Int, height: Int, width: Int)
    -> Float?
  {
    var sum: Float = 0
    var n = 0
    for row in samples(start: rows, length: height, total: totalRows) {
      for col in samples(start: cols, length: width, total: totalCols) {
        if let v = model.value(row, col), v.isFinite {
          sum += v
          n += 1
        }
      }
    }
    return n > 0 ? sum / Float(n) : nil
  }
}
