import ConvCore

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

  /// One JSON object for step `index` of `timeline` (window granularity): `step`, `phase`,
  /// `sample`, `filter`, `out` `[i, j]`, `value`, `formula`, and the phase's details.
  public static func jsonLine(_ timeline: Timeline, window index: Int) -> String {
    let detail = timeline.detail(atWindow: index)
    let w = detail.window
    var fields: [(String, String)] = [
      ("step", "\(index)"), ("phase", quote(timeline.phase.rawValue)), ("sample", "\(w.sample)"),
      ("filter", "\(w.filter)"), ("out", "[\(w.row), \(w.column)]"),
      ("value", number(value(of: detail))),
    ]
    switch detail {
    case .forward(_, let taps, let sums, let bias, _):
      let g = timeline.trace.geometry
      fields.append(
        ("origin", "[\(w.row * g.config.stride.h), \(w.column * g.config.stride.w)]"))
      fields.append(("bias", number(bias)))
      fields.append(("channel_sums", "[" + sums.map(number).joined(separator: ", ") + "]"))
      fields.append(("taps", tapsJSON(taps)))
    case .backward(_, _, let taps):
      fields.append(("taps", tapsJSON(taps)))
    case .pool(_, _, _, _, let argmax, _), .poolBackward(_, _, let argmax):
      fields.append(("argmax", "[\(argmax.row), \(argmax.column)]"))
    default:
      break
    }
    fields.append(("formula", quote(detail.arithmetic().text)))
    return "{" + fields.map { "\(quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
  }

  /// A readable line for step `index`: `step phase n f [i,j] value formula`.
  public static func textLine(_ timeline: Timeline, window index: Int) -> String {
    let detail = timeline.detail(atWindow: index)
    let w = detail.window
    let cols = [
      pad("\(index)", 6, right: true), pad(timeline.phase.rawValue, 14),
      pad("\(w.sample)", 3, right: true),
      pad("\(w.filter)", 3, right: true), pad("[\(w.row),\(w.column)]", 9),
      pad(ValueFormat.short(value(of: detail)), 10, right: true),
    ]
    return cols.joined(separator: " ") + "  " + detail.arithmetic().text.replacingNewlines()
  }

  /// The header of ``textLine(_:window:)``'s table.
  public static let textHeader =
    "  step phase            n   f out            value  formula"

  /// The state after window `index` as one JSON object with flat row-major arrays: `y` (null where
  /// not computed), `dx`, `dw`, `db` (partial sums), the phase's own map where it has one, and
  /// `done` (steps run).
  public static func stateJSON(_ timeline: Timeline, window index: Int) -> String {
    let trace = timeline.trace
    let tick = (index + 1) * timeline.ticksPerWindow - 1
    let s = timeline.state(at: tick)
    let phases = trace.scenario.phases
    let order = phases.firstIndex(of: timeline.phase) ?? 0
    func partial(_ t: Tensor) -> String {
      "[" + t.data.indices.map { $0 < s.done ? number(t.data[$0]) : "null" }.joined(separator: ", ")
        + "]"
    }
    func full(_ t: Tensor) -> String { "[" + t.data.map(number).joined(separator: ", ") + "]" }
    func zeros(_ shape: [Int]) -> String { full(Tensor(shape: shape)) }
    let g = trace.geometry
    var fields: [(String, String)] = [
      ("phase", quote(timeline.phase.rawValue)), ("step", "\(index)"), ("done", "\(index + 1)"),
    ]
    fields.append(("y", timeline.phase == .forward ? partial(trace.y) : full(trace.y)))
    if let relu = trace.reluOutput {
      let i = phases.firstIndex(of: .relu) ?? 0
      fields.append(
        (
          "relu",
          timeline.phase == .relu ? partial(relu) : order > i ? full(relu) : nullArray(relu.count)
        ))
    }
    if let pooled = trace.pooled?.y {
      let i = phases.firstIndex(of: .pool) ?? 0
      fields.append(
        (
          "pool",
          timeline.phase == .pool
            ? partial(pooled) : order > i ? full(pooled) : nullArray(pooled.count)
        ))
    }
    if timeline.phase == .poolBackward, let grad = s.poolInputGradient {
      fields.append(("pool_input_gradient", full(grad)))
    }
    if timeline.phase == .reluBackward {
      fields.append(("conv_gradient", partial(trace.convGradient)))
    }
    switch timeline.phase {
    case .backward:
      fields.append(("dx", s.dx.map(full) ?? zeros(g.inputShape)))
      fields.append(("dw", s.dw.map(full) ?? zeros(g.weightShape)))
      fields.append(("db", s.db.map(full) ?? zeros([g.config.filters])))
    case .update:
      fields.append(("dx", full(trace.gradients.dx)))
      fields.append(("dw", full(trace.gradients.dw)))
      fields.append(("db", full(trace.gradients.db)))
      let per = g.config.inChannels * g.config.kernel.h * g.config.kernel.w
      var w = trace.scenario.weight
      var b = trace.scenario.bias
      for f in 0..<min(s.done, g.config.filters) {
        for k in (f * per)..<((f + 1) * per) { w.data[k] = trace.weightAfter.data[k] }
        b.data[f] = trace.biasAfter.data[f]
      }
      fields.append(("w", full(w)))
      fields.append(("b", full(b)))
    default:
      fields.append(("dx", zeros(g.inputShape)))
      fields.append(("dw", zeros(g.weightShape)))
      fields.append(("db", zeros([g.config.filters])))
    }
    // Teaching facts of the geometry: windows (per filter) reading each input cell [H, W], the
    // rows and columns the floor drops.
    fields.append(("reads", "[" + g.readCounts().map(String.init).joined(separator: ", ") + "]"))
    fields.append(
      ("dropped_rows", "[" + g.rowsDroppedByFloor().map(String.init).joined(separator: ", ") + "]"))
    fields.append(
      (
        "dropped_columns",
        "[" + g.columnsDroppedByFloor().map(String.init).joined(separator: ", ") + "]"
      ))
    return "{" + fields.map { "\(quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
  }

  // MARK: Helpers

  static func tapsJSON(_ taps: [Tap]) -> String {
    "["
      + taps.map {
        "{\"c\": \($0.channel), \"p\": \($0.kernelRow), \"q\": \($0.kernelColumn), "
          + ($0.isPadding
            ? "\"input\": \"padding\""
            : "\"input\": [\($0.inputRow), \($0.inputColumn)]")
          + ", \"x\": \(number($0.x)), \"w\": \(number($0.w)), \"product\": \(number($0.isPadding ? 0 : $0.x * $0.w))}"
      }.joined(separator: ", ") + "]"
  }

  static func nullArray(_ count: Int) -> String {
    "[" + Array(repeating: "null", count: count).joined(separator: ", ") + "]"
  }

  /// A JSON number: the shortest `Float` text, `null` when not finite.
  static func number(_ v: Float) -> String { JSONText.number(v) }

  /// A JSON string literal.
  static func quote(_ s: String) -> String { JSONText.quote(s) }

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
