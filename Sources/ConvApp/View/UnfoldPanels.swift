import ConvCore
import ConvDebug
import ConvStepper
import NumberText
import TermUI

// MARK: - UnfoldPanels

/// The convolution's phases as frameworks compute them (`u`, im2col): the input unfolded into a
/// matrix `cols` with one column per window, the weights as a matrix `W` with one row per filter,
/// and the output as one matrix product `Y = W·cols + b`; backward `dW = dY·colsᵀ`,
/// `dcols = Wᵀ·dY` and `dx = col2im(dcols)`; the update on `W` as a matrix. Every number is the
/// trace's (``Unfolding`` reads its tensors), and what is done follows the walk.
enum UnfoldPanels {
  /// The most rows a matrix drawn whole like a kernel may have (more: a map, zoomed and scrolled).
  static let maximumKernelRows = 4

  /// The panels of the current phase unfolded, or nil for a phase that is not the convolution's
  /// (ReLU and pooling are drawn as maps).
  static func panels(_ model: Model, _ w: WindowRef) -> [GridPanel]? {
    built(model, w).map { fit($0.panels, priority: $0.priority, model).shown }
  }

  /// The panels of the phase and the order they are kept in when the screen is too narrow for
  /// all of them (nil: not a convolution phase).
  static func built(_ model: Model, _ w: WindowRef) -> (panels: [GridPanel], priority: [Int])? {
    switch model.phase {
    case .forward: return (forward(model, w), [0, 2, 1])
    case .backward: return (backward(model, w), [0, 2, 3, 4, 1])
    case .update: return (update(model, w), [2, 0, 1])
    case .relu, .pool, .poolBackward, .reluBackward: return nil
    }
  }

  /// The width a kernel panel is placed at: in numbers, or in shades when narrower (the layout
  /// falls back to shades for kernels too wide for their numbers).
  static func kernelWidth(_ p: GridPanel, _ caps: Capabilities) -> Int {
    var shaded = p
    shaded.grid.mode = .shades
    return min(PanelPlacement.kernelWidth(p, caps), PanelPlacement.kernelWidth(shaded, caps))
  }

  /// The titles of the panels the screen has no room for, for the notes.
  static func hidden(_ model: Model) -> [String] {
    guard let w = model.currentWindow, let b = built(model, w) else { return [] }
    return fit(b.panels, priority: b.priority, model).hidden
  }

  /// The panels kept, in `priority` order while they fit: maps side by side at least
  /// ``PanelPlacement/minimumMapWidth`` wide, kernels beside them or on rows under them, and no
  /// map's share of the width (shared in proportion to columns) narrower than a panel can be;
  /// the first is always kept. A matrix
  /// that is neither a kernel nor as wide as the others would be squeezed to nothing beside them.
  static func fit(_ panels: [GridPanel], priority: [Int], _ model: Model) -> (
    shown: [GridPanel], hidden: [String]
  ) {
    let caps = model.capabilities
    var kept: [Int] = []
    var hidden: [String] = []
    for i in priority where panels.indices.contains(i) {
      let trial = (kept + [i]).map { panels[$0] }
      let kernels = trial.filter { $0.role == .kernel }.reduce(0) { $0 + kernelWidth($1, caps) }
      let maps = trial.filter { $0.role != .kernel }
      // Kernels too wide to go beside the maps go on rows under them.
      let beside = kernels + maps.count * PanelPlacement.minimumMapWidth <= model.width
      let room = model.width - (beside ? kernels : 0)
      let total = maps.reduce(0) { $0 + $1.grid.cols + PanelPlacement.panelColumnAllowance }
      let squeezed = maps.contains { m in
        room * (m.grid.cols + PanelPlacement.panelColumnAllowance) / max(1, total)
          < PanelPlacement.minimumPanelWidth
      }
      let fits =
        maps.count * PanelPlacement.minimumMapWidth <= model.width && kernels <= model.width
      if kept.isEmpty || (fits && !squeezed) {
        kept.append(i)
      } else {
        hidden.append(panels[i].title)
      }
    }
    return (kept.sorted().map { panels[$0] }, hidden)
  }

  // MARK: Forward

  static func forward(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let u = Unfolding(model.trace, sample: w.sample, filter: w.filter)
    let k = u.column(row: w.row, column: w.column)
    let tapRow = PhasePanels.currentTap(model).map { u.row(of: $0) }
    let cols = colsPanel(model, u, window: k, tapRow: tapRow)
    var weights = matrixPanel(
      model, u, title: "W = " + weightName(u, "w"), rowTitle: { "W[\($0),:] = w[\(w.filter)]" },
      tensor: model.trace.scenario.weight, final: model.trace.scenario.weight, filter: w.filter)
    if let tapRow {
      weights.grid.tap = GridCell(
        row: weights.grid.rows == 1 ? 0 : w.filter - u.firstFilter, col: tapRow)
    }
    return [cols, weights, product(model, u, w, window: k)]
  }

  /// `cols` of `u` with window `window`'s column highlighted and the tap's row marked.
  static func colsPanel(_ model: Model, _ u: Unfolding, window k: Int, tapRow: Int?) -> GridPanel {
    let trace = model.trace
    let x = trace.scenario.input
    var grid = HeatGridModel(rows: u.taps, cols: u.windows, range: 1) { r, c in
      u.entry(r, c).value
    }
    grid.kind = { r, c in u.entry(r, c).kind }
    grid.zoom = .numbers
    grid.window = GridRegion(row: 0, col: k, rows: u.taps, cols: 1)
    if let tapRow { grid.tap = GridCell(row: tapRow, col: k) }
    grid.numberWidth = MapStats.numberWidth(x, u.inputPlanes, trace: trace)
    return GridPanel(
      title: "cols = im2col(" + inputName(u) + ")", words: "cols =",
      note: PhasePanels.size(u.taps, u.windows), grid: grid, role: .input,
      range: MapStats.maxAbs(x, u.inputPlanes, trace: trace))
  }

  /// `Y = W·cols + b` filling in as the walk goes, the current cell marked; a click on a cell
  /// jumps to its window.
  static func product(_ model: Model, _ u: Unfolding, _ w: WindowRef, window k: Int) -> GridPanel {
    let trace = model.trace
    let y = trace.y.data
    let state = model.state
    var grid = HeatGridModel(rows: u.filters, cols: u.windows, range: 1) { fr, c in
      let flat = u.outputIndex(filterRow: fr, window: c)
      return state.isDone(flat) ? y[flat] : nil
    }
    if model.comparison?[.y] != nil {
      grid.kind = { fr, c in
        model.differs(.y, u.outputIndex(filterRow: fr, window: c)) ? .mismatch : .data
      }
    }
    grid.current = GridCell(row: w.filter - u.firstFilter, col: k)
    grid.zoom = .numbers
    grid.numberWidth = MapStats.numberWidth(trace.y, u.outputPlanes, trace: trace)
    var panel = GridPanel(
      title: "Y = W·cols + b", words: "Y =", note: PhasePanels.size(u.filters, u.windows),
      grid: grid, role: .output, range: MapStats.maxAbs(trace.y, u.outputPlanes, trace: trace))
    panel.hit = hit(u)
    return panel
  }

  /// What a click on cell `(fr, k)` of a `[F/G × OH·OW]` matrix selects: filter, output cell.
  static func hit(_ u: Unfolding) -> (GridCell) -> (filter: Int, row: Int, column: Int) {
    let width = u.trace.geometry.output.w
    return { cell in (u.firstFilter + cell.row, cell.col / width, cell.col % width) }
  }

  /// A `[F/G × C/G·KH·KW]` matrix of `tensor` (the weights, dW, a step), titled `title`, the row
  /// of `filter` highlighted; with more than ``maximumKernelRows`` rows only that row, titled
  /// `rowTitle(row)`, unless `preferMap`. Drawn whole like a kernel when its numbers fit in half the screen, or its
  /// shades unless `preferMap` (matrices of one size side by side read better as scrolled
  /// numbers); else as a map, in numbers. Rows where `rowDone` is false are not computed yet;
  /// numbers are as wide as `final`'s.
  static func matrixPanel(
    _ model: Model, _ u: Unfolding, title: String, rowTitle: (Int) -> String, tensor: Tensor,
    final: Tensor, filter: Int, rowDone: ((Int) -> Bool)? = nil, preferMap: Bool = false
  ) -> GridPanel {
    let trace = model.trace
    let current = filter - u.firstFilter
    let whole = u.filters <= maximumKernelRows || preferMap
    let first = whole ? 0 : current
    var grid = HeatGridModel(rows: whole ? u.filters : 1, cols: u.taps, range: 1) { row, r in
      if let rowDone, !rowDone(first + row) { return nil }
      return u.weight(tensor, first + row, r)
    }
    grid.rowLabelOffset = first
    grid.window = GridRegion(row: current - first, col: 0, rows: 1, cols: u.taps)
    grid.numberWidth = MapStats.numberWidth(final, u.weightRows, trace: trace)
    var shaded = grid
    shaded.mode = .shades
    let caps = model.capabilities
    let room = model.width / 2
    let inNumbers = HeatGridLayout.wholeSize(model: grid, capabilities: caps).width + 2 <= room
    let inShades = HeatGridLayout.wholeSize(model: shaded, capabilities: caps).width + 2 <= room
    let small = inNumbers || (inShades && !preferMap)
    if !small { grid.zoom = .numbers }
    return GridPanel(
      title: whole ? title : rowTitle(current),
      note: whole
        ? PhasePanels.size(u.filters, u.taps)
        : "1×\(u.taps) of \(PhasePanels.size(u.filters, u.taps))", grid: grid,
      role: small ? .kernel : .other, range: MapStats.maxAbs(final, u.weightRows, trace: trace))
  }

  // MARK: Names

  /// `x[0,:,:,:]`, or with groups the group's channels: `x[0,2…3,:,:]`.
  static func inputName(_ u: Unfolding) -> String {
    let cg = u.config.groupChannels
    if u.config.groups == 1 { return ValueFormat.index("x", u.sample, nil, nil, nil) }
    return "x[\(u.sample),\(ValueFormat.range(u.firstChannel, u.firstChannel + cg - 1)),:,:]"
  }

  /// `w` as the rows of a matrix: `w` with one group, `w[2…3]` (the group's filters) with more.
  static func weightName(_ u: Unfolding, _ name: String) -> String {
    if u.config.groups == 1 { return name }
    return "\(name)[\(ValueFormat.range(u.firstFilter, u.firstFilter + u.filters - 1))]"
  }

  // MARK: Backward

  static func backward(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let trace = model.trace
    let u = Unfolding(trace, sample: w.sample, filter: w.filter)
    let k = u.column(row: w.row, column: w.column)
    let tapRow = PhasePanels.currentTap(model).map { u.row(of: $0) }
    var dy = HeatGridModel(rows: u.filters, cols: u.windows, range: 1) { fr, c in
      trace.convGradient.data[u.outputIndex(filterRow: fr, window: c)]
    }
    dy.current = GridCell(row: w.filter - u.firstFilter, col: k)
    dy.zoom = .numbers
    dy.numberWidth = MapStats.numberWidth(trace.convGradient, u.outputPlanes, trace: trace)
    var dyPanel = GridPanel(
      title: "dY = " + outputName(u, "dy"), words: "dY =",
      note: PhasePanels.size(u.filters, u.windows), grid: dy, role: .output,
      range: MapStats.maxAbs(trace.convGradient, u.outputPlanes, trace: trace))
    dyPanel.hit = hit(u)
    let cols = colsPanel(model, u, window: k, tapRow: tapRow)
    var dw = matrixPanel(
      model, u, title: "dW = dY·colsᵀ", rowTitle: { "dW[\($0),:] = dY[\($0),:]·colsᵀ" },
      tensor: model.state.dw ?? trace.gradients.dw, final: trace.gradients.dw, filter: w.filter)
    if let tapRow {
      dw.grid.tap = GridCell(row: dw.grid.rows == 1 ? 0 : w.filter - u.firstFilter, col: tapRow)
    }
    return [
      dyPanel, cols, dw, dcolsPanel(model, u, w, window: k, tapRow: tapRow), dxPanel(model, w),
    ]
  }

  /// `dy[0,:,:,:]`, or with groups the group's maps: `dy[0,2…3,:,:]`.
  static func outputName(_ u: Unfolding, _ name: String) -> String {
    let range =
      u.config.groups == 1
      ? ":" : ValueFormat.range(u.firstFilter, u.firstFilter + u.filters - 1)
    return "\(name)[\(u.sample),\(range),:,:]"
  }

  /// `dcols = Wᵀ·dY` filling in as the walk goes (a window walked tap by tap adds its rows one
  /// at a time), the current window's column highlighted.
  static func dcolsPanel(
    _ model: Model, _ u: Unfolding, _ w: WindowRef, window k: Int, tapRow: Int?
  ) -> GridPanel {
    let state = model.state
    let sub = state.window == nil ? 0 : state.subStepsDone
    let partial =
      sub > 0 && sub < model.timeline.ticksPerWindow
      ? (filterRow: w.filter - u.firstFilter, window: k, taps: sub - 1) : nil
    var grid = HeatGridModel(rows: u.taps, cols: u.windows, range: 1) { r, c in
      u.dcols(r, c, done: state.isDone, partial: partial)
    }
    grid.kind = { r, c in u.entry(r, c).kind == .padding ? .padding : .data }
    grid.window = GridRegion(row: 0, col: k, rows: u.taps, cols: 1)
    grid.zoom = .numbers
    if let tapRow { grid.tap = GridCell(row: tapRow, col: k) }
    let finals = sampledFinals(u)
    grid.numberWidth = HeatGridLayout.numberWidth(of: finals, unicode: model.capabilities.unicode)
    return GridPanel(
      title: "dcols = Wᵀ·dY", words: "dcols =", note: PhasePanels.size(u.taps, u.windows),
      grid: grid, role: .other, range: MapStats.maxAbs(finals[...]))
  }

  /// Final `dcols` entries, all of a small matrix and an even sample of a big one (for the
  /// number width and the colour range: computing all of a huge one every frame would be slow).
  static func sampledFinals(_ u: Unfolding) -> [Float] {
    let count = u.taps * u.windows
    let stride = max(1, count / 4096)
    return u.trace.memo("unfold dcols \(u.sample) \(u.group)") {
      Swift.stride(from: 0, to: count, by: stride).map { i in
        u.dcols(i / u.windows, i % u.windows, done: { _ in true }) ?? 0
      }
    }
  }

  /// `dx = col2im(dcols)`: the input gradient of the shown channel, as the maps show it.
  static func dxPanel(_ model: Model, _ w: WindowRef) -> GridPanel {
    let trace = model.trace
    let g = trace.geometry
    let cfg = g.config
    let ch = PhasePanels.shownChannel(model)
    let partial = model.state.dx ?? trace.gradients.dx
    var (dx, _) = PhasePanels.mapGrid(
      trace, partial, n: w.sample, f: ch, widthFrom: trace.gradients.dx)
    dx.secondary = GridRegion(
      row: w.row * cfg.stride.h - cfg.padding.h, col: w.column * cfg.stride.w - cfg.padding.w,
      rows: cfg.kernel.h, cols: cfg.kernel.w, rowStep: cfg.dilation.h, colStep: cfg.dilation.w)
    if let tap = PhasePanels.currentTap(model), !tap.isPadding, tap.channel == ch {
      dx.tap = GridCell(row: tap.sourceRow, col: tap.sourceColumn)
    }
    let plane = g.input.h * g.input.w
    let base = (w.sample * cfg.inChannels + ch) * plane
    return GridPanel(
      title: "col2im → " + ValueFormat.index("dx", w.sample, ch, nil, nil), words: "col2im →",
      note: PhasePanels.size(g.input.h, g.input.w), grid: dx, role: .other,
      range: MapStats.maxAbs(trace.gradients.dx, base..<(base + plane), trace: trace))
  }

  // MARK: Update

  static func update(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let trace = model.trace
    let u = Unfolding(trace, sample: 0, filter: w.filter)
    let lr = trace.scenario.learningRate
    let step = trace.gradients.dw.map { -lr * $0 }
    let done = model.state.done
    let before = matrixPanel(
      model, u, title: "W = " + weightName(u, "w"), rowTitle: { "W[\($0),:]" },
      tensor: trace.scenario.weight, final: trace.scenario.weight, filter: w.filter, preferMap: true
    )
    let delta = matrixPanel(
      model, u, title: "−lr·dW", rowTitle: { "−lr·dW[\($0),:]" }, tensor: step, final: step,
      filter: w.filter, preferMap: true)
    let after = matrixPanel(
      model, u, title: "W − lr·dW", rowTitle: { "W[\($0),:] − lr·dW[\($0),:]" },
      tensor: trace.weightAfter, final: trace.weightAfter, filter: w.filter,
      rowDone: { fr in u.firstFilter + fr < done }, preferMap: true)
    // One role for the three, so that they sit side by side in the same order.
    var panels = [before, delta, after]
    if panels.contains(where: { $0.role != .kernel }) {
      for i in panels.indices {
        panels[i].role = .other
        panels[i].grid.zoom = .numbers
      }
    }
    return panels
  }
}
