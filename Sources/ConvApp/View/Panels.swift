import ConvCore
import ConvDebug
import ConvStepper
import NumberText
import TermUI

// MARK: - GridPanel

/// One boxed map on screen: a title, a note, the grid, and what it stands for.
struct GridPanel {
  /// What a panel shows, for hit-testing and focus.
  enum Role {
    /// The phase's input (x, y, dy…).
    case input
    /// A kernel or weight map.
    case kernel
    /// The phase's output, filling in (clicks jump to its windows).
    case output
    /// Anything else.
    case other
  }

  var title: String
  /// The words the title starts with (`Output` of `Output y[0,0,:,:]`), dropped in a box too
  /// narrow for the whole title (see ``shortTitle``).
  var words = ""
  var note: String
  var grid: HeatGridModel
  var role: Role
  /// The largest |v| of the full map, for per-map colour ranges.
  var range: Float
  /// Panels of one group (the channels of one kernel) are kept together in a row.
  var group = ""
  /// What a click on a cell of an output panel selects (filter, output row and column), when
  /// its cells are not the current map's (the unfolded `Y`, see `UnfoldPanels`).
  var hit: ((GridCell) -> (filter: Int, row: Int, column: Int))?

  /// The title without its leading ``words`` (`y[0,0,:,:]`), for a box too narrow for it whole.
  var shortTitle: String {
    words.isEmpty || !title.hasPrefix(words + " ")
      ? title : String(title.dropFirst(words.count + 1))
  }
}

// MARK: - Building the panels of a phase

/// The panels of the current phase, left to right.
enum PhasePanels {
  static func build(_ model: Model) -> [GridPanel] {
    guard let w = model.currentWindow else { return [] }
    var panels: [GridPanel]
    if let walk = model.transposed, walk.view == .stamps {
      panels = TransposedPanels.panels(model, walk)
    } else if let e = model.edit {
      panels = editing(model, e)
    } else if let check = model.gradcheck {
      panels = gradcheckPanels(model, check, w)
    } else {
      panels = phasePanels(model, w)
      if let walk = model.transposed {
        panels = TransposedPanels.relabelled(panels, model, walk, w, channel: shownChannel(model))
      }
    }
    // Colour ranges: per map, or one for all maps of the phase.
    let shared = panels.map(\.range).max() ?? 1
    for i in panels.indices {
      let r = model.display.sharedScale ? shared : panels[i].range
      panels[i].grid.range = r > 0 && r.isFinite ? r : 1
      panels[i].grid.palette = model.display.palette
      panels[i].grid.mode = model.display.mode
      // Zoom and overview are for the maps; kernels stay whole and readable. A map may ask for
      // a zoom of its own when the user has not chosen one (the unfolded matrices: numbers).
      if panels[i].role != .kernel {
        panels[i].grid.zoom = model.display.zoom ?? panels[i].grid.zoom
        panels[i].grid.showsOverview = true
      }
    }
    return panels
  }

  static func phasePanels(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    if model.display.unfold, let unfolded = UnfoldPanels.panels(model, w) { return unfolded }
    let panels: [GridPanel]
    switch model.phase {
    case .forward: panels = forward(model, w)
    case .backward: panels = backward(model, w)
    case .update: panels = update(model, w)
    case .relu: panels = relu(model, w)
    case .pool: panels = pool(model, w)
    case .poolBackward: panels = poolBackward(model, w)
    case .reluBackward: panels = reluBackward(model, w)
    }
    return panels
  }

  // MARK: Helpers

  /// The channel the input and dx panels show: the chosen one, else the current tap's, else the
  /// first the current filter reads (0, or with groups its group's first).
  static func shownChannel(_ model: Model) -> Int {
    if let c = model.channel { return c }
    if model.granularity == .tap, let detail = model.detail,
      case .forward(_, let taps, _, _, _) = detail
    {
      let k = model.state.subStepsDone - 1
      if k >= 0 && k < taps.count { return taps[k].channel }
    }
    if model.granularity == .tap, let detail = model.detail,
      case .backward(_, _, let taps) = detail
    {
      let k = model.state.subStepsDone - 2
      if k >= 0 && k < taps.count { return taps[k].channel }
    }
    guard let w = model.currentWindow else { return 0 }
    return model.trace.geometry.config.inputChannel(filter: w.filter, weightChannel: 0)
  }

  /// The most kernel channels shown side by side (with more, one at a time).
  static let maximumKernelChannelsShown = 4

  /// Kernel channels shown (the weight's, `0..<C/G`): the one of the chosen input channel when
  /// the filter reads it, or all when there are few.
  static func kernelChannels(_ model: Model) -> [Int] {
    let cfg = model.trace.geometry.config
    let c = cfg.groupChannels
    let first =
      model.currentWindow.map { cfg.inputChannel(filter: $0.filter, weightChannel: 0) } ?? 0
    if let ch = model.channel, (first..<(first + c)).contains(ch) { return [ch - first] }
    if c <= maximumKernelChannelsShown { return Array(0..<c) }
    let shown = shownChannel(model) - first
    return [(0..<c).contains(shown) ? shown : 0]
  }

  /// A map `[n, f]` (or `[n, c]`) of a rank-4 tensor as a grid with values where `done(flat)`.
  /// The number width comes from the same map of `widthFrom` (the final values of a map that
  /// is still filling in), else of `t`, so columns do not shift while it fills.
  static func mapGrid(
    _ trace: LayerTrace, _ t: Tensor, n: Int, f: Int, done: ((Int) -> Bool)? = nil,
    widthFrom: Tensor? = nil
  ) -> (HeatGridModel, Float) {
    let (rows, cols) = (t.shape[2], t.shape[3])
    let base = (n * t.shape[1] + f) * rows * cols
    let data = t.data
    let plane = base..<(base + rows * cols)
    let range = MapStats.maxAbs(t, plane, trace: trace)
    let widthTensor = widthFrom?.count == t.count ? widthFrom ?? t : t
    var grid = HeatGridModel(rows: rows, cols: cols, range: range) { r, c in
      let i = base + r * cols + c
      if let done, !done(i) { return nil }
      return data[i]
    }
    grid.numberWidth = MapStats.numberWidth(widthTensor, plane, trace: trace)
    return (grid, range)
  }

  static func size(_ rows: Int, _ cols: Int) -> String { "\(rows)×\(cols)" }

  // MARK: Forward

  static func forward(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let trace = model.trace
    let g = trace.geometry
    let cfg = g.config
    let ch = shownChannel(model)
    let x = trace.scenario.input
    let (H, W) = (g.input.h, g.input.w)
    let (ph, pw) = (cfg.padding.h, cfg.padding.w)
    let droppedRows = Set(g.rowsDroppedByFloor())
    let droppedCols = Set(g.columnsDroppedByFloor())
    let reads = trace.readCounts
    let base = (w.sample * cfg.inChannels + ch) * H * W
    let xdata = x.data
    // Each padded row and column's source: itself inside, the copied one under a copying
    // padding mode, nil for a zero.
    let rowSource = (0..<(H + 2 * ph)).map { g.sourceRow($0 - ph) }
    let colSource = (0..<(W + 2 * pw)).map { g.sourceColumn($0 - pw) }
    var input = HeatGridModel(
      rows: H + 2 * ph, cols: W + 2 * pw, range: 1
    ) { r, c in
      guard let h = rowSource[r], let col = colSource[c] else { return 0 }
      return xdata[base + h * W + col]
    }
    let inserted = insertedZeros(model)
    input.kind = { r, c in
      if let inserted, inserted(r, c) { return .padding }
      let (h, col) = (r - ph, c - pw)
      guard h >= 0, h < H, col >= 0, col < W else {
        return rowSource[r] != nil && colSource[c] != nil ? .copy : .padding
      }
      if droppedRows.contains(h) || droppedCols.contains(col) { return .dropped }
      return reads[h * W + col] == 0 ? .unread : .data
    }
    input.window = GridRegion(
      row: w.row * cfg.stride.h, col: w.column * cfg.stride.w, rows: cfg.kernel.h,
      cols: cfg.kernel.w, rowStep: cfg.dilation.h, colStep: cfg.dilation.w)
    let plane = base..<(base + H * W)
    input.numberWidth = MapStats.numberWidth(x, plane, trace: trace)
    input.rowLabelOffset = -ph
    input.colLabelOffset = -pw
    input.marked = model.origin.marked(.input, map: w.sample, channel: ch, padding: cfg.padding)
    let tap = currentTap(model)
    markTap(tap, on: &input, channel: ch, padding: cfg.padding)
    let inputRange = MapStats.maxAbs(x, plane, trace: trace)
    var panels = [
      GridPanel(
        title: "Input " + ValueFormat.index("x", w.sample, ch, nil, nil), words: "Input",
        note: (ph + pw > 0 ? "\(size(H, W)) + padding" : size(H, W)) + groupNote(cfg, w, ch),
        grid: input, role: .input,
        range: inputRange)
    ]
    PictureView.apply(to: &panels[0], model, sample: w.sample, channel: ch)
    panels += kernels(
      model, w, weights: trace.scenario.weight,
      name: "w", words: cfg.groupChannels > 1 ? "" : "Kernel", tap: tap)
    panels.append(forwardOutput(model, w))
    return panels
  }

  /// In the zero-insertion view of a transposed layer: whether an input cell is an inserted zero
  /// or padding (not one of the transposed layer's input cells); nil otherwise.
  static func insertedZeros(_ model: Model) -> ((Int, Int) -> Bool)? {
    guard let walk = model.transposed, walk.view == .zeroInsertion else { return nil }
    let s = walk.trace.scenario
    guard let z = try? ZeroInsertion(spec: s.spec, x: s.input.shape, w: s.weight.shape) else {
      return nil
    }
    let (h, w) = (walk.trace.dims.h, walk.trace.dims.w)
    let (sh, sw) = (s.spec.stride.h, s.spec.stride.w)
    return { r, c in
      let (i, j) = (r - z.lead.h, c - z.lead.w)
      return i < 0 || j < 0 || i % sh != 0 || j % sw != 0 || i / sh >= h || j / sw >= w
    }
  }

  /// With groups, which group input channel `channel` is in, and whether the current filter
  /// reads it: ` · group 1 of 3`, ` · group 0: not read by filter 4`.
  static func groupNote(_ cfg: Conv2DConfig, _ w: WindowRef, _ channel: Int) -> String {
    guard cfg.groups > 1 else { return "" }
    let g = channel / cfg.groupChannels
    return g == cfg.group(ofFilter: w.filter)
      ? " · group \(g) of \(cfg.groups)" : " · group \(g): not read by filter \(w.filter)"
  }

  /// Marks the current tap on the padded input of channel `channel`; on a padding cell that
  /// copies, the cell it copies is marked too.
  static func markTap(_ tap: Tap?, on input: inout HeatGridModel, channel: Int, padding: Size2) {
    guard let tap, tap.channel == channel else { return }
    input.tap = GridCell(row: tap.inputRow + padding.h, col: tap.inputColumn + padding.w)
    if tap.copies {
      input.current = GridCell(row: tap.sourceRow + padding.h, col: tap.sourceColumn + padding.w)
    }
  }

  /// The forward output map filling in, the user's differing cells marked.
  static func forwardOutput(_ model: Model, _ w: WindowRef) -> GridPanel {
    let g = model.trace.geometry
    let state = model.state
    var (out, range) = mapGrid(
      model.trace, model.trace.y, n: w.sample, f: w.filter, done: { state.isDone($0) })
    if model.comparison?[.y] != nil {
      let base = (w.sample * g.config.filters + w.filter) * g.output.h * g.output.w
      let width = g.output.w
      out.kind = { r, c in model.differs(.y, base + r * width + c) ? .mismatch : .data }
    }
    out.current = GridCell(row: w.row, col: w.column)
    return GridPanel(
      title: "Output " + ValueFormat.index("y", w.sample, w.filter, nil, nil), words: "Output",
      note: size(g.output.h, g.output.w), grid: out,
      role: .output, range: range)
  }

  /// The tap the position is at (tap granularity, mid-window), if any.
  static func currentTap(_ model: Model) -> Tap? {
    guard model.granularity == .tap, let detail = model.detail else { return nil }
    switch detail {
    case .forward(_, let taps, _, _, _):
      let k = model.state.subStepsDone - 1
      return k >= 0 && k < taps.count ? taps[k] : nil
    case .backward(_, _, let taps):
      let k = model.state.subStepsDone - 2
      return k >= 0 && k < taps.count ? taps[k] : nil
    default:
      return nil
    }
  }

  /// Kernel panels of filter `w.filter` from `weights` `[F, C, KH, KW]`, one per channel shown,
  /// titled `words name[f,c,:,:] suffix` (`Kernel w[0,0,:,:]`, `w[0,2,:,:] after`); the values
  /// set by hand are marked when `weights` are the layer's own.
  static func kernels(
    _ model: Model, _ w: WindowRef, weights: Tensor, name: String, words: String = "",
    suffix: String = "", tap: Tap?, note: String? = nil, check: CheckedTensor? = nil,
    widthFrom: Tensor? = nil
  ) -> [GridPanel] {
    let cfg = model.trace.geometry.config
    let (kh, kw) = (cfg.kernel.h, cfg.kernel.w)
    let data = weights.data
    let bias = model.trace.scenario.bias.data[w.filter]
    let own = !model.origin.edits.isEmpty && weights == model.scenario.weight
    return kernelChannels(model).map { c in
      let base = (w.filter * cfg.groupChannels + c) * kh * kw
      var grid = HeatGridModel(rows: kh, cols: kw, range: 1) { r, q in data[base + r * kw + q] }
      if let check, model.comparison?[check] != nil {
        grid.kind = { r, q in model.differs(check, base + r * kw + q) ? .mismatch : .data }
      }
      if let tap, tap.weightChannel == c {
        grid.tap = GridCell(row: tap.kernelRow, col: tap.kernelColumn)
      }
      let widthData = (widthFrom?.count == weights.count ? widthFrom?.data : nil) ?? data
      grid.numberWidth = HeatGridLayout.numberWidth(
        of: widthData[base..<(base + kh * kw)], unicode: model.capabilities.unicode)
      if own { grid.marked = model.origin.marked(.kernel, map: w.filter, channel: c) }
      return GridPanel(
        title: (words.isEmpty ? "" : words + " ") + ValueFormat.index(name, w.filter, c, nil, nil)
          + suffix, words: words,
        note: note ?? "b = \(NumberFormat.short(bias, ascii: !model.capabilities.unicode))",
        grid: grid, role: .kernel, range: MapStats.maxAbs(data[base..<(base + kh * kw)]),
        group: (words.isEmpty ? "" : words + " ") + "\(name)[\(w.filter)]")
    }
  }

  // MARK: Backward

  static func backward(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let trace = model.trace
    let g = trace.geometry
    let cfg = g.config
    var (dy, dyRange) = mapGrid(model.trace, trace.convGradient, n: w.sample, f: w.filter)
    dy.current = GridCell(row: w.row, col: w.column)
    if !trace.scenario.relu, trace.scenario.pool == nil {
      dy.marked = model.origin.marked(.gradient, map: w.sample, channel: w.filter)
    }
    let ch = shownChannel(model)
    let dxTensor = model.state.dx ?? trace.gradients.dx
    var (dx, _) = mapGrid(model.trace, dxTensor, n: w.sample, f: ch, widthFrom: trace.gradients.dx)
    let finalDx = trace.gradients.dx
    let base = (w.sample * cfg.inChannels + ch) * g.input.h * g.input.w
    let dxRange = MapStats.maxAbs(finalDx, base..<(base + g.input.h * g.input.w), trace: trace)
    dx.secondary = GridRegion(
      row: w.row * cfg.stride.h - cfg.padding.h, col: w.column * cfg.stride.w - cfg.padding.w,
      rows: cfg.kernel.h, cols: cfg.kernel.w, rowStep: cfg.dilation.h, colStep: cfg.dilation.w)
    let tap = currentTap(model)
    if let tap, !tap.isPadding, tap.channel == ch {
      // A padding cell that copies passes its gradient to the cell it copies.
      dx.tap = GridCell(row: tap.sourceRow, col: tap.sourceColumn)
    }
    let reads = trace.readCounts
    let inputWidth = g.input.w
    dx.kind = { r, c in
      model.differs(.dx, base + r * inputWidth + c)
        ? .mismatch : reads[r * inputWidth + c] == 0 ? .unread : .data
    }
    let db = model.state.db?.data[w.filter] ?? 0
    var panels = [
      GridPanel(
        title: ValueFormat.index("dy", w.sample, w.filter, nil, nil),
        note: size(g.output.h, g.output.w), grid: dy,
        role: .output, range: dyRange),
      GridPanel(
        title: ValueFormat.index("dx", w.sample, ch, nil, nil),
        note: size(g.input.h, g.input.w) + groupNote(cfg, w, ch), grid: dx, role: .other,
        range: dxRange),
    ]
    let dwTensor = model.state.dw ?? trace.gradients.dw
    var dws = kernels(
      model, w, weights: dwTensor, name: "dw", tap: tap,
      note: "db = \(NumberFormat.short(db, ascii: !model.capabilities.unicode))"
        + (model.differs(.db, w.filter) ? " ≠" : ""), check: .dw, widthFrom: trace.gradients.dw)
    let finalRange = MapStats.maxAbs(trace.gradients.dw, 0..<trace.gradients.dw.count, trace: trace)
    for i in dws.indices { dws[i].range = finalRange }
    panels += dws
    return panels
  }

  // MARK: Update

  static func update(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let trace = model.trace
    let lr = trace.scenario.learningRate
    let step = trace.gradients.dw.map { -lr * $0 }
    let done = model.state.done > w.filter
    let ascii = !model.capabilities.unicode
    let f = { (v: Float) in NumberFormat.short(v, ascii: ascii) }
    let before = kernels(
      model, w, weights: trace.scenario.weight, name: "w", suffix: " before", tap: nil)
    let delta = kernels(
      model, w, weights: step, name: "−lr·dw", tap: nil,
      note: "−lr·db = \(f(-lr * trace.gradients.db.data[w.filter]))")
    let after = kernels(
      model, w, weights: done ? trace.weightAfter : trace.scenario.weight,
      name: "w", suffix: " after", tap: nil,
      note: "b = \(f(done ? trace.biasAfter.data[w.filter] : trace.scenario.bias.data[w.filter]))")
    return before + delta + after
  }

  // MARK: ReLU and pooling

  static func relu(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let trace = model.trace
    let state = model.state
    var (y, yRange) = mapGrid(model.trace, trace.y, n: w.sample, f: w.filter)
    y.current = GridCell(row: w.row, col: w.column)
    var (r, rRange) = mapGrid(
      model.trace, trace.reluOutput ?? trace.y, n: w.sample, f: w.filter, done: { state.isDone($0) }
    )
    r.current = y.current
    let s = size(trace.geometry.output.h, trace.geometry.output.w)
    return [
      GridPanel(
        title: ValueFormat.index("y", w.sample, w.filter, nil, nil), note: s, grid: y, role: .input,
        range: yRange),
      GridPanel(
        title: ValueFormat.index("relu", w.sample, w.filter, nil, nil), note: s, grid: r,
        role: .output, range: rRange),
    ]
  }

  static func pool(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let trace = model.trace
    let state = model.state
    let source = trace.reluOutput ?? trace.y
    let cfg = trace.scenario.pool ?? MaxPool2DConfig(kernel: 1)
    var (input, inRange) = mapGrid(model.trace, source, n: w.sample, f: w.filter)
    input.window = GridRegion(
      row: w.row * cfg.stride.h - cfg.padding.h, col: w.column * cfg.stride.w - cfg.padding.w,
      rows: cfg.kernel.h, cols: cfg.kernel.w)
    if case .pool(_, _, _, _, let argmax, _) = model.detail {
      input.tap = GridCell(row: argmax.row, col: argmax.column)
    }
    var (out, outRange) = mapGrid(
      model.trace, trace.pooled?.y ?? source, n: w.sample, f: w.filter, done: { state.isDone($0) })
    out.current = GridCell(row: w.row, col: w.column)
    let ps = trace.pooledSize ?? Size2(0)
    return [
      GridPanel(
        title: ValueFormat.index(
          trace.reluOutput == nil ? "y" : "relu", w.sample, w.filter, nil, nil),
        note: size(trace.geometry.output.h, trace.geometry.output.w), grid: input, role: .input,
        range: inRange),
      GridPanel(
        title: "max-pool " + ValueFormat.index("pool", w.sample, w.filter, nil, nil),
        words: "max-pool", note: size(ps.h, ps.w),
        grid: out, role: .output, range: outRange),
    ]
  }

  static func poolBackward(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let trace = model.trace
    var (dy, dyRange) = mapGrid(model.trace, trace.blockGradient, n: w.sample, f: w.filter)
    dy.current = GridCell(row: w.row, col: w.column)
    let partial = model.state.poolInputGradient ?? trace.poolInputGradient ?? trace.y
    var (grad, _) = mapGrid(
      model.trace, partial, n: w.sample, f: w.filter, widthFrom: trace.poolInputGradient)
    let finalRange = mapGrid(
      model.trace, trace.poolInputGradient ?? partial, n: w.sample, f: w.filter
    ).1
    if case .poolBackward(_, _, let argmax) = model.detail {
      grad.tap = GridCell(row: argmax.row, col: argmax.column)
    }
    let ps = trace.pooledSize ?? Size2(0)
    return [
      GridPanel(
        title: "dy (pooled)", note: size(ps.h, ps.w), grid: dy, role: .output, range: dyRange),
      GridPanel(
        title: "d(pool input)", note: size(trace.geometry.output.h, trace.geometry.output.w),
        grid: grad, role: .other, range: finalRange),
    ]
  }

  static func reluBackward(_ model: Model, _ w: WindowRef) -> [GridPanel] {
    let trace = model.trace
    let state = model.state
    var (gin, ginRange) = mapGrid(
      model.trace, trace.poolInputGradient ?? trace.blockGradient, n: w.sample, f: w.filter)
    gin.current = GridCell(row: w.row, col: w.column)
    var (y, yRange) = mapGrid(model.trace, trace.y, n: w.sample, f: w.filter)
    y.current = gin.current
    var (gout, goutRange) = mapGrid(
      model.trace, trace.convGradient, n: w.sample, f: w.filter, done: { state.isDone($0) })
    gout.current = gin.current
    let s = size(trace.geometry.output.h, trace.geometry.output.w)
    return [
      GridPanel(title: "gradient in", note: s, grid: gin, role: .input, range: ginRange),
      GridPanel(title: "y (passes where > 0)", note: s, grid: y, role: .other, range: yRange),
      GridPanel(title: "dy of the conv", note: s, grid: gout, role: .output, range: goutRange),
    ]
  }
}
