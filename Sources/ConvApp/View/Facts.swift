import ConvCore
import ConvStepper
import NumberText
import TermUI

// MARK: - Facts

/// What the geometry and the current step teach, as short lines for the notes panel: the
/// output size with live numbers, where the window is, what padding and the floor do, which
/// cells no window reads, and how the backward pass gathers its sums.
enum Facts {
  /// The pool's own output-size formula, on the convolution's output:
  /// `Pooled size: ⌊(8 + 2·0 − 2)/2⌋ + 1 = 4`.
  static func poolSizeLines(_ m: Model) -> [String] {
    guard let p = m.scenario.pool else { return [] }
    let out = m.trace.geometry.output
    func formula(_ n: Int, _ k: Int, _ s: Int, _ pad: Int) -> String {
      let o = Conv2DConfig.outputLength(input: n, kernel: k, stride: s, padding: pad, dilation: 1)
      return "⌊(\(n) + 2·\(pad) − \(k))/\(s)⌋ + 1 = \(o)"
    }
    let rows = formula(out.h, p.kernel.h, p.stride.h, p.padding.h)
    if out.h == out.w && p.kernel.isSquare && p.stride.isSquare && p.padding.isSquare {
      return [
        "Pooled size: \(rows) (the conv's output, plus twice the pool padding, less the pool kernel, over the pool stride, floored, plus 1)."
      ]
    }
    let cols = formula(out.w, p.kernel.w, p.stride.w, p.padding.w)
    return ["Pooled size: rows \(rows), columns \(cols)."]
  }

  static func lines(_ m: Model) -> [String] {
    if let walk = m.transposed {
      let own = TransposedChrome.notes(m, walk)
      return m.notes.map { "Data: " + $0 } + (walk.view == .stamps ? own : own + conv2dLines(m))
    }
    return conv2dLines(m)
  }

  /// The notes of a conv2d walk.
  static func conv2dLines(_ m: Model) -> [String] {
    var out: [String] = []
    out += m.debugNotes
    out += m.notes.map { "Data: " + $0 }
    out += UnfoldFacts.lines(m)
    if !m.scenario.text.isEmpty { out.append(m.scenario.text) }
    out.append(outputSize(m.trace.geometry))
    if let picture = PictureView.factLine(m) { out.append(picture) }
    out += phaseLines(m)
    return out
  }

  /// The output size with live numbers.
  static func outputSize(_ g: ConvGeometry) -> String {
    let oh = g.config.outputFormula(input: g.input.h, alongHeight: true)
    let ow = g.config.outputFormula(input: g.input.w, alongHeight: false)
    return oh == ow && g.input.h == g.input.w
      ? "Output size: O = \(oh) (H + 2·padding − dilation·(kernel−1) − 1, over the stride, floored, plus 1)."
      : "Output size: OH = \(oh), OW = \(ow)."
  }

  /// What the current phase does.
  static func phaseLines(_ m: Model) -> [String] {
    let g = m.trace.geometry
    switch m.phase {
    case .forward:
      // A tap on a padding copy is named by the formula's note (StepArithmetic's copyNote).
      return forwardLines(m.trace, window: m.currentWindow)
    case .backward:
      var out = [
        "Each dy cell adds dy·X (its window of the input) to dw[f], dy·w[f] to the window of dx, and dy to db[f]; "
          + (g.config.paddingMode == .zeros
            ? "parts of the window on padding are discarded."
            : "parts on padding go back to the input cells the padding copies (\(g.config.paddingMode.rawValue)).")
      ]
      out += groupLines(g.config, window: m.currentWindow)
      if let mx = m.trace.memo("maxReads", { m.trace.readCounts.max() }) {
        out.append(
          "An input cell is read by up to \(mx) \(g.config.paddingMode == .zeros ? "window" : "window tap")\(mx == 1 ? "" : "s") per filter, so its dx is a sum of up to \(mx * g.config.groupFilters) terms."
        )
      }
      return out
    case .update:
      return [
        "Plain SGD: w ← w − lr·dw and b ← b − lr·db with lr = \(NumberFormat.short(m.scenario.learningRate)), the gradients summed over the batch of \(g.batch)."
      ]
    case .relu:
      return [
        "ReLU keeps positive outputs and sets the rest to 0; its gradient is 1 where y > 0, else 0."
      ]
    case .pool:
      guard let p = m.scenario.pool else { return [] }
      return [
        "Max-pool \(p.kernel.h)×\(p.kernel.w), stride \(p.stride): each window keeps its largest value (ties: the first in reading order)."
      ] + poolSizeLines(m)
    case .poolBackward:
      return [
        "Only the winner of each pooling window receives its gradient; every other cell gets 0. On a tie the first maximum in reading order (row by row) is the winner, as in PyTorch."
      ] + poolSizeLines(m)
    case .reluBackward:
      return [
        "The gradient passes where the convolution's output was positive and stops elsewhere."
      ]
    }
  }

  /// The forward pass: where the window is, what the floor drops, which cells the stride or the
  /// dilation skips, what padding adds.
  static func forwardLines(_ trace: LayerTrace, window: WindowRef?) -> [String] {
    let g = trace.geometry
    let cfg = g.config
    var out: [String] = []
    if let w = window {
      let r0 = w.row * cfg.stride.h - cfg.padding.h
      let c0 = w.column * cfg.stride.w - cfg.padding.w
      let eff = cfg.effectiveKernel
      out.append(
        "This window covers input rows \(ValueFormat.range(r0, r0 + eff.h - 1)), columns "
          + "\(ValueFormat.range(c0, c0 + eff.w - 1))"
          + (cfg.dilation == Size2(1)
            ? ""
            : cfg.dilation.h == cfg.dilation.w
              ? " (every \(NumberFormat.ordinal(cfg.dilation.h)) cell: dilation)"
              : " (every \(NumberFormat.ordinal(cfg.dilation.h)) row and "
                + "\(NumberFormat.ordinal(cfg.dilation.w)) column: dilation)")
          + "; it multiplies \(cfg.groupChannels * cfg.kernel.h * cfg.kernel.w) pairs and adds the bias."
      )
    }
    out += groupLines(cfg, window: window)
    let droppedR = g.rowsDroppedByFloor()
    let droppedC = g.columnsDroppedByFloor()
    if !droppedR.isEmpty || !droppedC.isEmpty {
      out.append(
        "The floor drops " + describe(rows: droppedR, columns: droppedC)
          + ": no window reaches them (marked ×), so they never affect y and their dx stays 0.")
    }
    let unread =
      trace.memo("unreadCount") { trace.readCounts.filter { $0 == 0 }.count } - droppedCount(g)
    if unread > 0 {
      out.append(
        "\(unread) input cell\(unread == 1 ? " is" : "s are") skipped by the stride or the dilation (dimmed): no window reads them."
      )
    }
    if cfg.padding != Size2(0) { out.append(paddingLine(cfg)) }
    return out
  }

  /// What the padding holds, by mode.
  static func paddingLine(_ cfg: Conv2DConfig) -> String {
    let p = cfg.padding
    switch cfg.paddingMode {
    case .zeros:
      return
        "Padding \(p) adds zeros around the input (hatched); windows on the border read them, and they contribute nothing."
    case .reflect:
      return
        "Reflect padding \(p) mirrors the input about its edge, the edge itself not repeated (x₋₁ = x₁; marked ↺): border windows read real values, and backward their gradient goes back to the cell copied."
    case .replicate:
      return
        "Replicate padding \(p) repeats the edge cell outwards (x₋₁ = x₋₂ = x₀; marked ↺): border windows read real values, and backward their gradient goes back to the edge cell."
    case .circular:
      return
        "Circular padding \(p) wraps around: the top padding copies the bottom rows, the left the right columns (x₋₁ = x_{H−1}; marked ↺); backward their gradient goes back to the cell copied."
    }
  }

  /// With groups: which channels the current filter reads, and what the groups save.
  static func groupLines(_ cfg: Conv2DConfig, window: WindowRef?) -> [String] {
    guard cfg.groups > 1 else { return [] }
    let (cg, fg) = (cfg.groupChannels, cfg.groupFilters)
    let taps = cfg.kernel.h * cfg.kernel.w
    var out: [String] = []
    if let w = window {
      let g = cfg.group(ofFilter: w.filter)
      out.append(
        "Groups \(cfg.groups)\(cfg.groups == cfg.inChannels ? " (depthwise)" : ""): filter \(w.filter) is in group \(g), "
          + "filter\(fg == 1 ? "" : "s") \(ValueFormat.range(g * fg, g * fg + fg - 1)) read\(fg == 1 ? "s" : "") only input channel\(cg == 1 ? "" : "s") "
          + "\(ValueFormat.range(g * cg, g * cg + cg - 1)) (w[f] is \(cg)×\(cfg.kernel.h)×\(cfg.kernel.w), not \(cfg.inChannels)×\(cfg.kernel.h)×\(cfg.kernel.w))."
      )
    }
    out.append(bands(cfg, current: window.map { cfg.group(ofFilter: $0.filter) }))
    out.append(
      "With \(cfg.groups) groups the layer has \(cfg.groups)× fewer weights and multiply–adds than with one: \(cfg.filters)·\(cg)·\(taps) = \(cfg.filters * cg * taps) weights instead of \(cfg.filters * cfg.inChannels * taps)."
    )
    return out
  }

  /// The groups as bands: for each group its filters and a strip of the input channels, the
  /// ones it reads filled (`f2…3 □□■■`); the current group marked `▸`. With many groups, the
  /// first two, the current one and the last.
  static func bands(_ cfg: Conv2DConfig, current: Int?) -> String {
    let (cg, fg, groups) = (cfg.groupChannels, cfg.groupFilters, cfg.groups)
    let strip = cfg.inChannels <= 32
    func band(_ g: Int) -> String {
      let filters = "f" + ValueFormat.range(g * fg, g * fg + fg - 1)
      let channels =
        strip
        ? String((0..<cfg.inChannels).map { $0 / cg == g ? "■" : "□" })
        : "c" + ValueFormat.range(g * cg, g * cg + cg - 1)
      return (g == current ? "▸" : "") + filters + " " + channels
    }
    var shown = Array(0..<groups)
    if groups > 4 {
      shown = Array(Set([0, 1, groups - 1] + (current.map { [$0] } ?? []))).sorted()
    }
    var parts: [String] = []
    for (k, g) in shown.enumerated() {
      if k > 0, g != shown[k - 1] + 1 { parts.append("…") }
      parts.append(band(g))
    }
    return "Channels each group of filters reads (■): " + parts.joined(separator: "  ")
  }

  static func droppedCount(_ g: ConvGeometry) -> Int {
    let r = g.rowsDroppedByFloor().count
    let c = g.columnsDroppedByFloor().count
    return r * g.input.w + c * g.input.h - r * c
  }

  static func describe(rows: [Int], columns: [Int]) -> String {
    func list(_ v: [Int]) -> String {
      ValueFormat.range(v.first ?? 0, v.last ?? 0)
    }
    var parts: [String] = []
    if !rows.isEmpty { parts.append("row\(rows.count == 1 ? "" : "s") \(list(rows))") }
    if !columns.isEmpty { parts.append("column\(columns.count == 1 ? "" : "s") \(list(columns))") }
    return parts.joined(separator: " and ")
  }
}
