import ConvCore
import NumberText

// MARK: - StepReport

/// Text and JSON renderings of steps and states, for `convscope steps`.
public enum StepReport {
  /// The value a step stands for: forward `y` (with bias), backward the `dy` used, ReLU and
  /// pooling their output, pool/ReLU backward the gradient passed on, update the new bias.
  public static func value(of detail: StepDetail) -> Float {
    switch detail {
    case .forward(_, _, _, _, let value): return value
    case .backward(_, let gradient, _): return gradient
    case .relu(_, _, let output): return output
    case .pool(_, _, _, _, _, let value): return value
    case .poolBackward(_, let gradient, _): return gradient
    case .reluBackward(_, _, _, let out): return out
    case .update(_, _, _, _, _, _, let biasAfter, _): return biasAfter
    }
  }

  /// Step `index` of `timeline` (window granularity, counted from 0) for `steps --json` (see
  /// ``StepLine``); its `step` is numbered from 1, as the viewer, `render --step` and
  /// `export --step` count.
  public static func line(_ timeline: Timeline, window index: Int) -> StepLine {
    let detail = timeline.detail(atWindow: index)
    let w = detail.window
    var line = StepLine(
      step: index + 1, phase: timeline.phase.rawValue, sample: w.sample, filter: w.filter,
      out: [w.row, w.column], value: JSONFloat(value(of: detail)),
      formula: detail.arithmetic().text)
    switch detail {
    case .forward(_, let taps, let sums, let bias, _):
      let stride = timeline.trace.geometry.config.stride
      line.origin = [w.row * stride.h, w.column * stride.w]
      line.bias = JSONFloat(bias)
      line.channelSums = sums.map(JSONFloat.init)
      line.taps = taps.map(StepTap.init)
    case .backward(_, _, let taps):
      line.taps = taps.map(StepTap.init)
    case .pool(_, _, _, _, let argmax, _), .poolBackward(_, _, let argmax):
      line.argmax = [argmax.row, argmax.column]
    case .relu, .reluBackward, .update:
      break
    }
    return line
  }

  /// A readable line for step `index` (from 0; printed from 1): `step phase n f [i,j] value
  /// formula`.
  public static func textLine(_ timeline: Timeline, window index: Int) -> String {
    let detail = timeline.detail(atWindow: index)
    let w = detail.window
    let cols = [
      pad("\(index + 1)", 6, right: true), pad(timeline.phase.rawValue, 14),
      pad("\(w.sample)", 3, right: true),
      pad("\(w.filter)", 3, right: true), pad("[\(w.row),\(w.column)]", 9),
      pad(NumberFormat.short(value(of: detail)), 10, right: true),
    ]
    return cols.joined(separator: " ") + "  " + detail.arithmetic().text.replacingNewlines()
  }

  /// The header of ``textLine(_:window:)``'s table.
  public static let textHeader =
    "  step phase            n   f out            value  formula"

  /// The state after window `index` (see ``StepStateReport``): `y` (null where not computed), `dx`,
  /// `dw`, `db` (partial sums), the phase's own map where it has one, `done` (steps run) and the
  /// geometry's teaching facts.
  public static func state(_ timeline: Timeline, window index: Int) -> StepStateReport {
    let trace = timeline.trace
    let g = trace.geometry
    let s = timeline.state(at: (index + 1) * timeline.ticksPerWindow - 1)
    let partial = values(upTo: s.done)
    var state = StepStateReport(
      phase: timeline.phase.rawValue, step: index + 1, done: index + 1,
      y: timeline.phase == .forward ? partial(trace.y) : values(trace.y),
      dx: [], dw: [], db: [],
      reads: g.readCounts(), droppedRows: g.rowsDroppedByFloor(),
      droppedColumns: g.columnsDroppedByFloor())
    addActivationMaps(to: &state, timeline, s)
    addGradients(to: &state, timeline, s)
    return state
  }

  // MARK: The state's parts

  /// ReLU's and pooling's outputs (partial in their own phase, null before it, full after it)
  /// and the gradients the backward phases of ReLU and pooling pass on.
  static func addActivationMaps(
    to state: inout StepStateReport, _ timeline: Timeline, _ s: StepState
  ) {
    let trace = timeline.trace
    let phases = trace.scenario.phases
    let order = phases.firstIndex(of: timeline.phase) ?? 0
    /// A map of phase `own`: partial during it, full after it, null before it.
    func map(_ t: Tensor, of own: Phase) -> StepStateReport.Values {
      let ownOrder = phases.firstIndex(of: own) ?? 0
      if timeline.phase == own { return values(upTo: s.done)(t) }
      return order > ownOrder ? values(t) : Array(repeating: nil, count: t.count)
    }
    if let relu = trace.reluOutput { state.relu = map(relu, of: .relu) }
    if let pooled = trace.pooled?.y { state.pool = map(pooled, of: .pool) }
    if timeline.phase == .poolBackward, let grad = s.poolInputGradient {
      state.poolInputGradient = values(grad)
    }
    if timeline.phase == .reluBackward {
      state.convGradient = values(upTo: s.done)(trace.convGradient)
    }
  }

  /// `dx`, `dw`, `db` — partial sums in the backward pass, final in the update, zeros before —
  /// and in the update the weights and biases updated up to the step's filter.
  static func addGradients(to state: inout StepStateReport, _ timeline: Timeline, _ s: StepState) {
    let trace = timeline.trace
    let g = trace.geometry
    switch timeline.phase {
    case .backward:
      state.dx = values(s.dx ?? Tensor(shape: g.inputShape))
      state.dw = values(s.dw ?? Tensor(shape: g.weightShape))
      state.db = values(s.db ?? Tensor(shape: [g.config.filters]))
    case .update:
      state.dx = values(trace.gradients.dx)
      state.dw = values(trace.gradients.dw)
      state.db = values(trace.gradients.db)
      let per = g.config.groupChannels * g.config.kernel.h * g.config.kernel.w
      var w = trace.scenario.weight
      var b = trace.scenario.bias
      for f in 0..<min(s.done, g.config.filters) {
        for k in (f * per)..<((f + 1) * per) { w.data[k] = trace.weightAfter.data[k] }
        b.data[f] = trace.biasAfter.data[f]
      }
      state.w = values(w)
      state.b = values(b)
    default:
      state.dx = values(Tensor(shape: g.inputShape))
      state.dw = values(Tensor(shape: g.weightShape))
      state.db = values(Tensor(shape: [g.config.filters]))
    }
  }

  /// Every value of `t`.
  static func values(_ t: Tensor) -> StepStateReport.Values { t.data.map(JSONFloat.init) }

  /// The first `done` values of a tensor (`done` global windows), null after them.
  static func values(upTo done: Int) -> (Tensor) -> StepStateReport.Values {
    { t in t.data.indices.map { $0 < done ? JSONFloat(t.data[$0]) : nil } }
  }

  static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return right ? fill + s : s + fill
  }
}

extension String {
  /// The string with newlines replaced by `  |  ` (one line per step in a table).
  func replacingNewlines() -> String {
    split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "  |  ")
  }
}
