import NumberText

// MARK: - HeatGridResolution

/// How a heat grid draws values.
public enum HeatGridResolution: Sendable, Hashable {
  /// A number per cell (on its shade in `.both`/`.auto`).
  case numbers
  /// A shade per cell: a colour, or glyphs, `cellWidth × cellHeight` screen cells per value.
  case shades
  /// Half blocks `▀`: two matrix rows per screen row (upper = foreground, lower = background),
  /// one column per value. Needs 256 colours or more.
  case halfBlocks
}

// MARK: - HeatGridLayout

/// Where a heat grid put everything: which resolution it chose, which part of the matrix is
/// visible, and the geometry needed to map a screen position back to a matrix cell.
public struct HeatGridLayout: Sendable, Hashable {
  /// The area the grid was given.
  public var area: Rect
  /// How values are drawn.
  public var resolution: HeatGridResolution
  /// Columns of number text per value (numbers only; 0 otherwise).
  public var numberWidth: Int
  /// Screen columns per value.
  public var cellWidth: Int
  /// Screen rows per value (per pair of values with half blocks).
  public var cellHeight: Int
  /// Blank columns between values.
  public var gapX: Int
  /// Blank rows between values.
  public var gapY: Int
  /// Matrix rows per screen line of cells: 2 with half blocks, else 1.
  public var rowsPerLine: Int
  /// Columns taken by row labels, including their trailing space (0 = no labels). The labels
  /// sit just left of ``gridRect``.
  public var rowLabelWidth: Int
  /// Rows taken by column labels (0 or 1).
  public var columnLabelHeight: Int
  /// Where the visible cells are drawn.
  public var gridRect: Rect
  /// The matrix rows on screen.
  public var visibleRows: Range<Int>
  /// The matrix columns on screen.
  public var visibleCols: Range<Int>
  /// The matrix size.
  public var totalRows: Int
  /// The matrix size.
  public var totalCols: Int

  /// The top-left visible cell: pass it back as ``HeatGridModel/scrollHint`` next frame.
  public var origin: GridCell { GridCell(row: visibleRows.lowerBound, col: visibleCols.lowerBound) }

  /// Whether some rows are off screen.
  public var scrollsVertically: Bool { visibleRows.count < totalRows }
  /// Whether some columns are off screen.
  public var scrollsHorizontally: Bool { visibleCols.count < totalCols }

  /// The matrix cell drawn at screen `(x, y)`, or `nil` (labels, gaps, outside). With half
  /// blocks a screen cell shows two rows; the upper one is returned.
  public func hitTest(x: Int, y: Int) -> GridCell? {
    guard gridRect.contains(x: x, y: y) else { return nil }
    let px = cellWidth + gapX
    let py = cellHeight + gapY
    guard px > 0, py > 0 else { return nil }
    let lx = x - gridRect.x
    let ly = y - gridRect.y
    guard lx % px < cellWidth, ly % py < cellHeight else { return nil }
    let col = visibleCols.lowerBound + lx / px
    let row = visibleRows.lowerBound + (ly / py) * rowsPerLine
    guard visibleCols.contains(col), visibleRows.contains(row) else { return nil }
    return GridCell(row: row, col: col)
  }

  /// The screen rectangle of a matrix cell, or `nil` when it is not visible. With half blocks
  /// this is the screen cell holding it (shared with its row pair).
  public func screenRect(of cell: GridCell) -> Rect? {
    guard visibleRows.contains(cell.row), visibleCols.contains(cell.col) else { return nil }
    let line = (cell.row - visibleRows.lowerBound) / rowsPerLine
    return Rect(
      x: gridRect.x + (cell.col - visibleCols.lowerBound) * (cellWidth + gapX),
      y: gridRect.y + line * (cellHeight + gapY), width: cellWidth, height: cellHeight)
  }

  /// The screen x of visible column `col`'s first screen column.
  func x(ofColumn col: Int) -> Int {
    gridRect.x + (col - visibleCols.lowerBound) * (cellWidth + gapX)
  }

  /// The screen y of the line holding visible row `row`.
  func y(ofRow row: Int) -> Int {
    gridRect.y + ((row - visibleRows.lowerBound) / rowsPerLine) * (cellHeight + gapY)
  }

  // MARK: Computing

  /// One way of drawing the matrix.
  struct Candidate: Hashable {
    var resolution: HeatGridResolution
    var numberWidth = 0
    var cellWidth: Int
    var cellHeight = 1
    var gapX = 0
    var gapY = 0
    var rowsPerLine = 1

    func width(cols: Int) -> Int { cols <= 0 ? 0 : cols * cellWidth + (cols - 1) * gapX }
    func lines(rows: Int) -> Int { (rows + rowsPerLine - 1) / rowsPerLine }
    func height(rows: Int) -> Int {
      let l = lines(rows: rows)
      return l <= 0 ? 0 : l * cellHeight + (l - 1) * gapY
    }
  }

  /// Chooses the resolution and viewport for `model` in `area` (see ``HeatGrid``).
  public static func compute(
    model: HeatGridModel, area: Rect, capabilities: Capabilities
  ) -> HeatGridLayout {
    let labels = LabelSize(model: model)
    let plan = HeatGridLayout.plan(model: model, area: area, capabilities: capabilities)
    let (chosen, showLabels) = choose(from: plan, model: model, area: area, labels: labels)
    return viewport(
      for: chosen, labels: showLabels ? labels.with(chosen) : .none, model: model, area: area)
  }

  /// The room index labels take: row labels on the left, column labels on top.
  struct LabelSize {
    /// Columns of row labels, including the dropped marks' column and the trailing space.
    var width: Int
    /// Rows of column labels.
    var height: Int
    /// Columns of the dropped marks after the row labels (1 when a row is dropped, else 0).
    var markWidth: Int

    static let none = LabelSize(width: 0, height: 0)

    /// The labels' room with `c`: a blank row under the column labels when rows are spaced
    /// (the window's outline is drawn in the gaps, and must not run through the labels).
    func with(_ c: Candidate) -> LabelSize {
      height > 0 && c.gapY > 0
        ? LabelSize(width: width, height: height + 1, markWidth: markWidth) : self
    }

    init(width: Int, height: Int, markWidth: Int = 0) {
      self.width = width
      self.height = height
      self.markWidth = markWidth
    }

    /// The labels `model` would draw (none when it hides them): the widest row label (the
    /// first or the last), a column for the `×` of dropped rows when there are any, a blank.
    init(model: HeatGridModel) {
      guard model.showLabels else {
        self.init(width: 0, height: 0)
        return
      }
      let rowDigits = max(
        String(model.rowLabelOffset).count, String(model.rows - 1 + model.rowLabelOffset).count)
      let marks = Self.hasDroppedRow(model) ? 1 : 0
      self.init(width: rowDigits + marks + 1, height: 1, markWidth: marks)
    }

    /// Whether some row has only dropped cells besides padding. Stops at a row's first cell
    /// that is neither, so it costs about one cell per row.
    static func hasDroppedRow(_ model: HeatGridModel) -> Bool {
      guard model.kind != nil else { return false }
      for r in 0..<model.rows {
        var seen = false
        var all = true
        for c in 0..<model.cols {
          switch model.kindAt(r, c) {
          case .padding, .copy: continue
          case .dropped: seen = true
          case .data, .unread, .mismatch: all = false
          }
          if !all { break }
        }
        if seen && all { return true }
      }
      return false
    }
  }

  /// The candidates for a model, in order of preference.
  struct CandidatePlan {
    /// Candidate groups in order of preference; within a group, fitting with labels beats
    /// fitting without (so numbers without labels beat shades with labels).
    var groups: [[Candidate]]
    /// The candidates that may scroll vertically when no group fits.
    var scrollers: [Candidate]
    /// The candidate that scrolls both ways when nothing else fits.
    var lastResort: Candidate
    /// What is drawn when even the last resort cannot show one whole value (numbers wider
    /// than the area): the narrowest shades.
    var fallback: Candidate

    init(model: HeatGridModel, area: Rect, capabilities: Capabilities) {
      let colour = capabilities.color >= .ansi256
      let halfBlocks = colour && capabilities.unicode
      fallback = Candidate(resolution: .shades, cellWidth: 1)
      switch model.mode {
      case .numbers, .both:
        let n = HeatGridLayout.numberCandidates(
          model: model, area: area, capabilities: capabilities)
        groups = [n]
        scrollers = n.filter { $0.cellHeight == 1 && $0.gapY == 0 }  // scrolling: no blank rows
        lastResort =
          n.first { $0.cellHeight == 1 && $0.gapY == 0 && $0.cellWidth == $0.numberWidth } ?? n[0]
      case .shades:
        let s = HeatGridLayout.shadeCandidates(halfBlocks: halfBlocks)
        groups = [s]
        scrollers = s.filter { $0.cellHeight == 1 }
        lastResort = s[s.count - 1 - (halfBlocks ? 1 : 0)]
      case .auto:
        let s = HeatGridLayout.shadeCandidates(halfBlocks: halfBlocks)
        groups = [
          HeatGridLayout.numberCandidates(model: model, area: area, capabilities: capabilities), s,
        ]
        scrollers = s.filter { $0.cellHeight == 1 }
        lastResort = s[s.count - 1 - (halfBlocks ? 1 : 0)]
      }
    }
  }

  /// The widest a number is drawn (`-1208.8`, `-1.3e-3`): wider values get fewer decimals or
  /// scientific form, which ``NumberFormat/compact(_:width:decimals:unicode:)`` always fits in
  /// this many columns (`-1e-45` is 6), so a value is never cut or turned into `#`.
  public static let maximumNumberWidth = 7
  /// The side of the block of cells measured for the number width in a huge matrix.
  static let numberWidthSample = 64

  /// The columns every value of `values` needs (at most ``maximumNumberWidth``): what an app
  /// passes as ``HeatGridModel/numberWidth`` from a map's final values, so the column width does
  /// not change while the map fills in. Over 65,536 values, an even sample of that many is read.
  public static func numberWidth(
    of values: some Collection<Float>, decimals: Int = 2, unicode: Bool = true
  ) -> Int {
    let limit = 16_384
    let stride = Swift.max(1, values.count / limit)
    var w = 1
    var i = values.startIndex
    // Every stride-th value, reached by offsets (a map of a million values is sampled, never
    // walked: the view asks for a map's width when it first shows it).
    while i != values.endIndex {
      w = Swift.max(w, NumberFormat.naturalWidth(values[i], decimals: decimals, unicode: unicode))
      if w >= maximumNumberWidth { return maximumNumberWidth }
      i = values.index(i, offsetBy: stride, limitedBy: values.endIndex) ?? values.endIndex
    }
    return w
  }

  /// The columns a number takes in `model`: the widest of ``HeatGridModel/numberWidth`` (the
  /// whole map's) and the values it shows now (partial sums may be wider than final values), at
  /// most ``maximumNumberWidth``. Huge matrices are sampled around the focus
  /// (``numberWidthSample`` squared cells) so the cost stays bounded.
  static func naturalNumberWidth(model: HeatGridModel, capabilities: Capabilities) -> Int {
    let f = model.effectiveFocus
    let side = numberWidthSample
    func window(_ n: Int, _ start: Int?) -> Range<Int> {
      guard n > side else { return 0..<n }
      let lo = min(max(0, (start ?? 0) - side / 2), n - side)
      return lo..<(lo + side)
    }
    var w = max(1, model.numberWidth ?? 1)
    guard w < maximumNumberWidth else { return maximumNumberWidth }
    for r in window(model.rows, f?.row) {
      for c in window(model.cols, f?.col) {
        guard let v = model.value(r, c) else { continue }
        w = max(
          w, NumberFormat.naturalWidth(v, decimals: model.decimals, unicode: capabilities.unicode))
        if w >= maximumNumberWidth { return maximumNumberWidth }
      }
    }
    return w
  }

  /// The columns a number of `model` takes (see ``HeatGridModel/numberWidth``).
  public static func numberColumns(model: HeatGridModel, capabilities: Capabilities) -> Int {
    naturalNumberWidth(model: model, capabilities: capabilities)
  }

  /// The columns `model`'s row labels take, their trailing space included (0 without labels).
  public static func rowLabelColumns(model: HeatGridModel) -> Int { LabelSize(model: model).width }

  /// The size (labels included) of the plainest layout that shows every value of `model`
  /// whole without scrolling: numbers at their natural width one column apart (shades two
  /// columns a value in ``HeatGridMode/shades`` mode). What a small map (a kernel) is given
  /// before anything else.
  public static func wholeSize(model: HeatGridModel, capabilities: Capabilities) -> (
    width: Int, height: Int
  ) {
    let labels = LabelSize(model: model)
    let cols = model.cols
    let cellsWidth: Int
    if model.mode == .shades {
      cellsWidth = 2 * cols
    } else {
      let nw = naturalNumberWidth(model: model, capabilities: capabilities)
      cellsWidth = cols <= 0 ? 0 : cols * nw + (cols - 1)
    }
    return (labels.width + cellsWidth, labels.height + model.rows)
  }

  /// The number candidates, largest first (none in auto mode when numbers cannot fit at all).
  /// Every candidate shows whole numbers at the map's natural width: a map too narrow for them
  /// gets shades instead (see ``CandidatePlan``), never shortened numbers.
  static func numberCandidates(
    model: HeatGridModel, area: Rect, capabilities: Capabilities
  ) -> [Candidate] {
    // Cheap rejection: a number needs at least one column and a gap.
    if model.cols * 2 - 1 > area.width || model.rows > area.height, model.mode == .auto {
      return []
    }
    let nw = naturalNumberWidth(model: model, capabilities: capabilities)
    var list: [Candidate] = []
    if model.mode != .numbers && capabilities.color >= .ansi256 {
      // Numbers on shaded tiles.
      list.append(
        Candidate(
          resolution: .numbers, numberWidth: nw, cellWidth: nw + 4, cellHeight: 5, gapX: 1,
          gapY: 1))
      list.append(
        Candidate(
          resolution: .numbers, numberWidth: nw, cellWidth: nw + 2, cellHeight: 3, gapX: 1,
          gapY: 1))
    }
    // Numbers spaced a line apart (tinted tiles in colour), then packed.
    list.append(
      Candidate(resolution: .numbers, numberWidth: nw, cellWidth: nw + 2, gapX: 1, gapY: 1))
    if model.mode != .numbers && capabilities.color >= .ansi256 {
      list.append(Candidate(resolution: .numbers, numberWidth: nw, cellWidth: nw + 2, gapX: 1))
    }
    // Packed across, spaced down (a narrow panel with rows to spare), then packed.
    list.append(Candidate(resolution: .numbers, numberWidth: nw, cellWidth: nw, gapX: 1, gapY: 1))
    list.append(Candidate(resolution: .numbers, numberWidth: nw, cellWidth: nw, gapX: 1))
    return list
  }

  /// The shade candidates, largest first.
  static func shadeCandidates(halfBlocks: Bool) -> [Candidate] {
    var list: [Candidate] = [
      Candidate(resolution: .shades, cellWidth: 6, cellHeight: 3),
      Candidate(resolution: .shades, cellWidth: 4, cellHeight: 2),
      Candidate(resolution: .shades, cellWidth: 2),
    ]
    // Half blocks need the glyph ▀ and colours: without them one colour a cell remains.
    if halfBlocks {
      list.append(Candidate(resolution: .halfBlocks, cellWidth: 1, rowsPerLine: 2))
    }
    list.append(Candidate(resolution: .shades, cellWidth: 1))
    return list
  }

  /// The first candidate of `plan` that fits `area`, and whether its labels are kept.
  static func choose(
    from plan: CandidatePlan, model: HeatGridModel, area: Rect, labels: LabelSize
  ) -> (Candidate, labels: Bool) {
    func fits(_ c: Candidate, labels withLabels: Bool, height checkHeight: Bool) -> Bool {
      if let cap = model.maxCellHeight, c.cellHeight + c.gapY > max(1, cap) { return false }
      let room = withLabels ? labels.with(c) : .none
      return c.width(cols: model.cols) <= area.width - room.width
        && (!checkHeight || c.height(rows: model.rows) <= area.height - room.height)
    }
    for group in plan.groups {
      if let c = group.first(where: { fits($0, labels: true, height: true) }) {
        return (c, model.showLabels)
      }
      if let c = group.first(where: { fits($0, labels: false, height: true) }) {
        return (c, false)
      }
    }
    if let c = plan.scrollers.first(where: { fits($0, labels: true, height: false) }) {
      return (c, model.showLabels)
    }
    // Last resort: scroll both ways; keep labels only if they leave room for cells. A number
    // is never cut: when not even one fits, shades are drawn.
    var c = plan.lastResort
    if c.cellWidth > area.width || c.cellHeight > area.height { c = plan.fallback }
    let keep =
      model.showLabels && area.width - labels.width >= c.cellWidth * 2
      && area.height - labels.height >= c.cellHeight * 2
    return (c, keep)
  }

  /// The layout of `chosen` in `area`: how many rows and columns fit, scrolled to keep the focus
  /// visible, centred horizontally (labels included) and top-aligned.
  static func viewport(
    for chosen: Candidate, labels: LabelSize, model: HeatGridModel, area: Rect
  ) -> HeatGridLayout {
    let rows = model.rows
    let cols = model.cols
    var availW = max(0, area.width - labels.width)
    var availH = max(0, area.height - labels.height)
    func fit() -> (cols: Int, rows: Int) {
      let c = min(cols, (availW + chosen.gapX) / max(1, chosen.cellWidth + chosen.gapX))
      let lines = (availH + chosen.gapY) / max(1, chosen.cellHeight + chosen.gapY)
      return (c, min(rows, lines * chosen.rowsPerLine))
    }
    // A scrolling grid keeps a gutter for its scroll marks, so they never cover a value or a
    // label: ▶ (and, without labels, ◀) right of or under the cells, ▲▼ right of them without
    // labels (with labels they sit in the labels' trailing space).
    var (fitCols, fitRows) = fit()
    let scrollsAcross = fitCols < cols
    let scrollsDown = fitRows < rows
    if scrollsAcross && labels.height > 0 { availW -= 1 }
    if scrollsAcross && labels.height == 0 { availH -= 1 }
    if scrollsDown && labels.width == 0 { availW -= 1 }
    if scrollsAcross || scrollsDown {
      availW = max(0, availW)
      availH = max(0, availH)
      (fitCols, fitRows) = fit()
    }

    let focus = model.effectiveFocus
    let rowOrigin = scrollOrigin(
      total: rows, visible: fitRows, hint: model.scrollHint?.row, focus: focus?.rowSpan,
      align: chosen.rowsPerLine)
    let colOrigin = scrollOrigin(
      total: cols, visible: fitCols, hint: model.scrollHint?.col, focus: focus?.colSpan, align: 1)

    let gridWidth = chosen.width(cols: fitCols)
    let slack = max(0, availW - gridWidth)
    let grid = Rect(
      x: area.x + slack / 2 + labels.width, y: area.y + labels.height, width: gridWidth,
      height: chosen.height(rows: fitRows))
    return HeatGridLayout(
      area: area, resolution: chosen.resolution, numberWidth: chosen.numberWidth,
      cellWidth: chosen.cellWidth, cellHeight: chosen.cellHeight, gapX: chosen.gapX,
      gapY: chosen.gapY, rowsPerLine: chosen.rowsPerLine, rowLabelWidth: labels.width,
      columnLabelHeight: labels.height, gridRect: grid,
      visibleRows: rowOrigin..<min(rows, rowOrigin + fitRows),
      visibleCols: colOrigin..<min(cols, colOrigin + fitCols), totalRows: rows, totalCols: cols)
  }

  /// The first visible index: the hint when the focus stays visible, else the least scroll that
  /// shows the focus (with one cell of margin when there is room), aligned to `align`.
  static func scrollOrigin(
    total: Int, visible: Int, hint: Int?, focus: Range<Int>?, align: Int
  ) -> Int {
    guard visible > 0, visible < total else { return 0 }
    let maxOrigin = total - visible
    var origin = min(maxOrigin, max(0, hint ?? 0))
    if let f = focus.map({ $0.clamped(to: 0..<total) }), !f.isEmpty {
      if f.count >= visible {
        origin = f.lowerBound
      } else {
        let margin = f.count + 2 <= visible ? 1 : 0
        if f.lowerBound - margin < origin { origin = f.lowerBound - margin }
        if f.upperBound + margin > origin + visible { origin = f.upperBound + margin - visible }
      }
    }
    origin = min(maxOrigin, max(0, origin))
    if align > 1 {
      origin -= origin % align
      // Aligning down may push the focus's last row out; step forward again if so.
      if let f = focus, f.count < visible, f.upperBound > origin + visible,
        origin + align <= maxOrigin
      {
        origin += align
      }
    }
    return origin
  }
}
