import TermUI

// MARK: - PanelPlacement

/// Where the grid panels of a phase go in a rectangle, and how much of its height they use.
///
/// Kernels (small, every value matters) come first: each gets the width that shows all its
/// values whole (``HeatGridLayout/wholeSize(model:capabilities:)``), and the title whole. The
/// maps share the rest in proportion to their columns and grow into it (bigger tiles, then
/// numbers). When the kernels and the maps do not fit side by side (each map at least
/// ``minimumMapWidth``), the maps take a row and the kernels rows of their own under it, a
/// kernel's channels kept together. Every row is as tall as its tallest grid needs.
struct PanelPlacement {
  /// The narrowest a map panel is made beside the kernels.
  static let minimumMapWidth = 24
  /// The narrowest any grid panel is made.
  static let minimumPanelWidth = 12
  /// Columns a panel needs beyond its grid's columns, when widths are shared in proportion.
  static let panelColumnAllowance = 3
  /// The fewest rows a row of maps is given above the kernel rows.
  static let minimumMapRowHeight = 8

  /// The panels with their boxes and grid layouts.
  var panels: [ScreenLayout.PlacedPanel]
  /// Rows used from the top of the rectangle.
  var height: Int
  /// Whether a map shows only part of its matrix (a viewport), so more room would show more.
  var truncated: Bool

  /// Places `built` in `area` (see the type's description).
  static func place(_ built: [GridPanel], in area: Rect, capabilities caps: Capabilities)
    -> PanelPlacement
  {
    guard !built.isEmpty, !area.isEmpty else {
      return PanelPlacement(panels: [], height: 0, truncated: false)
    }
    let kernelWidths = built.map { $0.role == .kernel ? kernelWidth($0, caps) : 0 }
    let maps = built.indices.filter { built[$0].role != .kernel }
    let kernels = built.indices.filter { built[$0].role == .kernel }
    let kernelTotal = kernelWidths.reduce(0, +)
    let mapMinimum = maps.reduce(0) { $0 + mapWidth(built[$1], caps) }
    // 1. Everything side by side when the kernels and the maps' minimums fit, unless rows show
    // the maps at a bigger size.
    var sideBySide: PanelPlacement?
    if kernelTotal + mapMinimum <= area.width || kernels.isEmpty
      || maps.isEmpty
        && kernelTotal <= area.width
    {
      let one = row(built, indices: Array(built.indices), widths: kernelWidths, in: area, caps)
      if kernels.isEmpty || maps.isEmpty { return one }
      sideBySide = one
    }
    // 2. The maps in a row, the kernels in rows under it (a kernel's channels together).
    let kernelRows = flow(kernels.map { (index: $0, width: kernelWidths[$0]) }, built, area.width)
    let kernelHeights = kernelRows.map { r in r.map { kernelHeight(built[$0], caps) }.max() ?? 0 }
    let kernelsHeight = kernelHeights.reduce(0, +)
    if let one = sideBySide, area.height - kernelsHeight < minimumMapRowHeight { return one }
    if maps.isEmpty
      ? kernelsHeight <= area.height : area.height - kernelsHeight >= minimumMapRowHeight
    {
      var placed: [ScreenLayout.PlacedPanel?] = Array(repeating: nil, count: built.count)
      var y = area.y
      var truncated = false
      if !maps.isEmpty {
        let top = Rect(
          x: area.x, y: y, width: area.width, height: area.height - kernelsHeight)
        let r = row(built, indices: maps, widths: kernelWidths, in: top, caps)
        for (i, p) in zip(maps, r.panels) { placed[i] = p }
        y += r.height
        truncated = r.truncated
      }
      for (k, indices) in kernelRows.enumerated() {
        let box = Rect(x: area.x, y: y, width: area.width, height: kernelHeights[k])
        let r = row(built, indices: indices, widths: kernelWidths, in: box, caps, packed: true)
        for (i, p) in zip(indices, r.panels) { placed[i] = p }
        y += r.height
      }
      let rows = PanelPlacement(
        panels: placed.compactMap { $0 }, height: y - area.y, truncated: truncated)
      if let one = sideBySide, !rows.showsMapsBetter(than: one) { return one }
      return rows
    }
    if let one = sideBySide { return one }
    // 3. No room for rows: side by side, the maps squeezed (they scroll) but the kernels whole
    // as long as the screen is wider than they are.
    let squeezed =
      kernelTotal + maps.count * minimumPanelWidth <= area.width
      ? kernelWidths : built.map { $0.role == .kernel ? minimumPanelWidth : 0 }
    return row(built, indices: Array(built.indices), widths: squeezed, in: area, caps)
  }

  /// Whether every kernel shows all its values (a box with cells, not scrolled), as numbers
  /// unless it is drawn in shades on purpose.
  var kernelsWhole: Bool {
    panels.allSatisfy { p in
      p.panel.role != .kernel
        || (p.box.width >= 4 && !p.layout.gridRect.isEmpty && !p.layout.scrollsHorizontally
          && !p.layout.scrollsVertically
          && (p.layout.resolution == .numbers || p.panel.grid.mode == .shades))
    }
  }

  /// The screen area each value of the smallest map gets (a half block counts a half), and
  /// whether some map scrolls.
  var mapScale: (area: Double, shown: Double, truncated: Bool) {
    let maps = panels.filter { $0.panel.role != .kernel }.map(\.layout)
    let sizes = maps.map { l -> Double in
      let numbers = l.resolution == .numbers ? 4.0 : 1.0
      return numbers * Double(l.cellWidth * l.cellHeight) / Double(l.rowsPerLine)
    }
    let shown = maps.map { l -> Double in
      Double(l.visibleRows.count * l.visibleCols.count) / Double(max(1, l.totalRows * l.totalCols))
    }
    return (sizes.min() ?? 0, shown.min() ?? 1, truncated)
  }

  /// Whether this placement shows the maps better than `other`: whole where the other scrolls,
  /// more of them when both scroll, else bigger (numbers count four times their area).
  func showsMapsBetter(than other: PanelPlacement) -> Bool {
    let (a, b) = (mapScale, other.mapScale)
    if a.truncated != b.truncated { return !a.truncated }
    if a.truncated && a.shown != b.shown { return a.shown > b.shown }
    return a.area > b.area
  }

  // MARK: Sizes

  /// A kernel panel's width: its values whole, and its title and note (the bias) whole when
  /// they are wider.
  static func kernelWidth(_ p: GridPanel, _ caps: Capabilities) -> Int {
    let whole = HeatGridLayout.wholeSize(model: p.grid, capabilities: caps)
    return max(minimumPanelWidth, whole.width + 2, headerWidth(p))
  }

  /// The width of a panel whose borders show its title and note whole (see ``Panel``): a
  /// kernel's note (its bias) sits on the bottom border, a map's beside the title.
  static func headerWidth(_ p: GridPanel) -> Int {
    if p.role == .kernel { return max(p.title.count, p.note.count) + 4 }
    return p.title.count + 4 + (p.note.isEmpty ? 0 : p.note.count + 3)
  }

  /// A kernel panel's height: its values whole.
  static func kernelHeight(_ p: GridPanel, _ caps: Capabilities) -> Int {
    HeatGridLayout.wholeSize(model: p.grid, capabilities: caps).height + 2
  }

  /// The least width a map is given beside the kernels: all of it in plain numbers when that is
  /// narrower than ``minimumMapWidth``.
  static func mapWidth(_ p: GridPanel, _ caps: Capabilities) -> Int {
    let whole = HeatGridLayout.wholeSize(model: p.grid, capabilities: caps)
    return max(minimumPanelWidth, min(minimumMapWidth, whole.width + 2))
  }

  /// Kernel panels in rows of `width` columns, each group kept on one row when it fits.
  static func flow(_ items: [(index: Int, width: Int)], _ built: [GridPanel], _ width: Int)
    -> [[Int]]
  {
    var groups: [[(index: Int, width: Int)]] = []
    for item in items {
      if let last = groups.last?.last, built[last.index].group == built[item.index].group,
        !built[item.index].group.isEmpty
      {
        groups[groups.count - 1].append(item)
      } else {
        groups.append([item])
      }
    }
    var rows: [[Int]] = []
    var current: [Int] = []
    var used = 0
    for group in groups {
      let w = group.reduce(0) { $0 + $1.width }
      if !current.isEmpty && used + w > width {
        rows.append(current)
        current = []
        used = 0
      }
      for item in group {
        // A group wider than the screen breaks between its channels.
        if !current.isEmpty && used + item.width > width {
          rows.append(current)
          current = []
          used = 0
        }
        current.append(item.index)
        used += item.width
      }
    }
    if !current.isEmpty { rows.append(current) }
    return rows
  }

  /// The width a panel's grid takes drawn at `tile` (its own number width), panel included.
  static func tiledWidth(_ p: GridPanel, tile: HeatGridLayout, _ caps: Capabilities) -> Int {
    let cols = p.grid.cols
    let labels = HeatGridLayout.rowLabelColumns(model: p.grid)
    let nw = HeatGridLayout.numberColumns(model: p.grid, capabilities: caps)
    let cell = nw + max(0, tile.cellWidth - tile.numberWidth)
    return max(headerWidth(p), labels + cols * cell + max(0, cols - 1) * tile.gapX + 2)
  }

  /// Widths before the maps are measured: kernels fixed (growing like maps when the row has
  /// only kernels: the update), maps in proportion to their columns; all fixed when `packed`.
  static func startingWidths(_ panels: [GridPanel], fixed: [Int], packed: Bool) -> [Constraint] {
    if packed { return fixed.map { .fixed($0) } }
    let grow = !fixed.contains(0)
    return zip(panels, fixed).map { p, f in
      grow ? .fill(f) : f > 0 ? .fixed(f) : .fill(p.grid.cols + panelColumnAllowance)
    }
  }

  /// The kernels' widths at the first map's tile (numbers only) and that tile's pitch, when
  /// the row has room for them beside what the maps use (`sized`: what they were given).
  static func grownKernels(
    _ panels: [GridPanel], fixed: [Int], _ placed: [ScreenLayout.PlacedPanel], sized: [Int]?,
    _ area: Rect, _ caps: Capabilities
  ) -> (fixed: [Int], pitch: Int)? {
    guard let tile = placed.first(where: { $0.panel.role != .kernel })?.layout,
      tile.resolution == .numbers
    else { return nil }
    let grown = zip(panels, fixed).map { p, f -> Int in
      f > 0 ? max(f, tiledWidth(p, tile: tile, caps)) : 0
    }
    let mapsUsed =
      sized?.reduce(0, +)
      ?? placed.reduce(0) { total, p in p.panel.role == .kernel ? total : total + usedWidth(p) }
    guard grown.reduce(0, +) + mapsUsed <= area.width, grown != fixed else { return nil }
    return (grown, tile.cellHeight + tile.gapY)
  }

  /// `placed` cut to the height of its tallest grid (at least 3 rows unless `packed`), a
  /// kernel's box ending under its grid (no blank rows inside it beside a taller map).
  static func shortened(
    _ placed: [ScreenLayout.PlacedPanel], in area: Rect, packed: Bool, _ caps: Capabilities
  ) -> (placed: [ScreenLayout.PlacedPanel], height: Int) {
    let tallest =
      placed.map { p -> Int in
        p.layout.gridRect.isEmpty ? p.box.height : p.layout.gridRect.maxY - p.box.y + 1
      }.max() ?? area.height
    let height = min(area.height, max(tallest, packed ? 0 : 3))
    let short = area.with(height: height)
    let boxes = Layout.split(short, .horizontal, placed.map { .fixed($0.box.width) })
    let result = zip(placed, boxes).map { p, box -> ScreenLayout.PlacedPanel in
      var box = box
      if p.panel.role == .kernel, !p.layout.gridRect.isEmpty {
        box = box.with(height: min(box.height, p.layout.gridRect.maxY - box.y + 1))
      }
      return (
        p.panel, box, HeatGrid(model: p.panel.grid, capabilities: caps).layout(in: Panel.inner(box))
      )
    }
    return (result, height)
  }

  /// Row pitches a grid's tiles can have (tile height plus gap), tallest first.
  static let pitches = [6, 4, 3, 2, 1]

  /// The tallest pitch at which every map is drawn whole (no scrolling) beside the kernels'
  /// `fixed` widths in `area`, with the widths that do it.
  static func wholeAtPitch(
    _ panels: [GridPanel], fixed: [Int], in area: Rect, _ caps: Capabilities
  ) -> (pitch: Int, widths: [Constraint], needs: [Int])? {
    let kernels = fixed.reduce(0, +)
    let wide = Rect(x: 0, y: 0, width: 4096, height: max(0, area.height - 2))
    for pitch in pitches {
      var needs: [Int] = []
      for (p, f) in zip(panels, fixed) where f == 0 {
        var grid = p.grid
        grid.maxCellHeight = pitch
        let l = HeatGrid(model: grid, capabilities: caps).layout(in: wide)
        guard !l.scrollsVertically, !l.scrollsHorizontally, !l.gridRect.isEmpty else { break }
        let width = l.gridRect.width + l.rowLabelWidth + 2
        needs.append(max(minimumPanelWidth, width, headerWidth(p)))
      }
      guard needs.count == panels.count - fixed.filter({ $0 > 0 }).count else { continue }
      guard kernels + needs.reduce(0, +) <= area.width else {
        // The widest tiles at this pitch are too wide; narrower ones at it may still fit.
        if let narrow = narrowAtPitch(pitch, panels, fixed: fixed, in: area, caps) {
          return (pitch, narrow.widths, narrow.needs)
        }
        continue
      }
      var k = 0
      let widths = fixed.map { f -> Constraint in
        guard f == 0 else { return .fixed(f) }
        defer { k += 1 }
        return .fill(needs[k])
      }
      return (pitch, widths, needs)
    }
    return nil
  }

  /// The widths at which every map is drawn whole at exactly `pitch` in the row's own width
  /// (the maps sharing it in proportion to their columns), or nil.
  static func narrowAtPitch(
    _ pitch: Int, _ panels: [GridPanel], fixed: [Int], in area: Rect, _ caps: Capabilities
  ) -> (widths: [Constraint], needs: [Int])? {
    let widths = zip(panels, fixed).map { p, f -> Constraint in
      f > 0 ? .fixed(f) : .fill(p.grid.cols + panelColumnAllowance)
    }
    let inner = Rect(x: 0, y: 0, width: area.width, height: max(0, area.height))
    let boxes = Layout.split(inner, .horizontal, widths)
    var needs: [Int] = []
    for (p, (f, box)) in zip(panels, zip(fixed, boxes)) where f == 0 {
      var grid = p.grid
      grid.maxCellHeight = pitch
      let l = HeatGrid(model: grid, capabilities: caps).layout(in: Panel.inner(box))
      guard !l.scrollsVertically, !l.scrollsHorizontally, !l.gridRect.isEmpty,
        l.cellHeight + l.gapY == pitch || l.rowsPerLine > 1 && pitch == 1
      else { return nil }
      needs.append(box.width)
    }
    return (widths, needs)
  }

  /// The columns a placed panel's grid uses, borders included.
  static func usedWidth(_ p: ScreenLayout.PlacedPanel) -> Int {
    let g = p.layout.gridRect
    return g.isEmpty ? minimumPanelWidth : max(minimumPanelWidth, g.maxX - p.box.x + 2)
  }

  // MARK: One row

  /// The panels `indices` side by side in `area`: kernels at `widths`, maps sharing the rest
  /// and growing into it, one tile height for all maps, then as tall as the tallest grid.
  static func row(
    _ built: [GridPanel], indices: [Int], widths: [Int], in area: Rect, _ caps: Capabilities,
    packed: Bool = false
  ) -> PanelPlacement {
    var panels = indices.map { built[$0] }
    var fixed = indices.map { built[$0].role == .kernel ? widths[$0] : 0 }
    func layouts(_ constraints: [Constraint], height: Int) -> [ScreenLayout.PlacedPanel] {
      let boxes = Layout.split(area.with(height: height), .horizontal, constraints)
      return zip(panels, boxes).map { p, box in
        (p, box, HeatGrid(model: p.grid, capabilities: caps).layout(in: Panel.inner(box)))
      }
    }
    let anyMap = fixed.contains(0)
    // 1. Widths: the tallest row pitch at which every map fits whole beside the kernels, the
    // maps sharing the rest by what they need; else in proportion to their columns. Every grid
    // picks its tile.
    var constraints = startingWidths(panels, fixed: fixed, packed: packed)
    var sized: [Int]?
    if anyMap && !packed, let fit = wholeAtPitch(panels, fixed: fixed, in: area, caps) {
      sized = fit.needs
      for i in panels.indices { panels[i].grid.maxCellHeight = fit.pitch }
      constraints = fit.widths
    }
    var placed = layouts(constraints, height: area.height)
    // 2. One tile height for all maps, so a value looks the same size in every map.
    // (A row of kernels alone: one tile height for the kernels.)
    let unified = { (p: GridPanel) in anyMap ? p.role != .kernel : true }
    let heights = placed.filter { unified($0.panel) }.map { $0.layout.cellHeight + $0.layout.gapY }
    if let height = heights.min() {
      // Kernels beside maps take no taller a pitch than the maps.
      for i in panels.indices { panels[i].grid.maxCellHeight = height }
      placed = layouts(constraints, height: area.height)
    }
    // 3. Kernels take the maps' tile when the row has room for it, so that a value looks the
    // same size everywhere.
    if !packed, let grown = grownKernels(panels, fixed: fixed, placed, sized: sized, area, caps) {
      fixed = grown.fixed
      for i in panels.indices where panels[i].role == .kernel {
        panels[i].grid.maxCellHeight = grown.pitch
      }
      constraints = zip(constraints, fixed).map { c, g in g > 0 ? .fixed(g) : c }
      placed = layouts(constraints, height: area.height)
    }
    // 4. Maps get what their grids use and share what is left in proportion.
    if anyMap && sized == nil {
      let used = zip(placed, fixed).map { p, f in f > 0 ? f : usedWidth(p) }
      if used.reduce(0, +) <= area.width {
        placed = layouts(
          zip(used, fixed).map { u, f in f > 0 ? .fixed(f) : .fill(u) }, height: area.height)
      }
    }
    // 5. As tall as the tallest grid.
    let height: Int
    (placed, height) = shortened(placed, in: area, packed: packed, caps)
    let truncated = placed.contains {
      $0.panel.role != .kernel && ($0.layout.scrollsVertically || $0.layout.scrollsHorizontally)
    }
    return PanelPlacement(panels: placed, height: height, truncated: truncated)
  }
}
