import ConvCore
import ConvStepper
import NumberText

// MARK: - UnfoldFacts

/// The notes of the unfolded view (`u`): the matrices' sizes, the memory unfolding costs and the
/// one matrix product that replaces the window loop.
enum UnfoldFacts {
  /// The lines for the current phase, or nothing when unfold is off.
  static func lines(_ m: Model) -> [String] {
    guard m.display.unfold, let w = m.currentWindow else { return [] }
    let u = Unfolding(m.trace, sample: w.sample, filter: w.filter)
    let hidden = UnfoldPanels.hidden(m)
    let missing =
      hidden.isEmpty
      ? [] : ["Not shown, for want of width: " + hidden.joined(separator: ", ") + "."]
    switch m.phase {
    case .forward: return [cost(m, u), column(m, u, w)] + missing
    case .backward: return [backward(m, u)] + missing
    case .update:
      return [
        "W is w seen as a \(u.filters)×\(u.taps) matrix, one row per filter (the same memory, no copy); the update W − lr·dW is element by element: the same numbers as the kernels."
      ] + missing
    case .relu, .pool, .poolBackward, .reluBackward:
      return [
        "Unfold (u) draws the convolution's forward, backward and update as matrices; ReLU and pooling stay maps."
      ]
    }
  }

  /// Up to how many times an input cell is copied into `cols` (the windows that read it).
  static func copies(_ m: Model) -> Int {
    m.trace.memo("maxReads") { m.trace.readCounts.max() } ?? 0
  }

  /// `441 floats (1.7 KB)`.
  static func floats(_ n: Int) -> String {
    let bytes = Float(n) * 4
    let size =
      bytes < 1024
      ? "\(n * 4) bytes"
      : bytes < 1024 * 1024
        ? NumberFormat.short(bytes / 1024, maxDecimals: 1) + " KB"
        : NumberFormat.short(bytes / 1024 / 1024, maxDecimals: 1) + " MB"
    return "\(n) float\(n == 1 ? "" : "s") (\(size))"
  }

  /// The size of `cols`, what it copies, and the product that replaces the loop.
  static func cost(_ m: Model, _ u: Unfolding) -> String {
    let g = m.trace.geometry
    let cfg = g.config
    let inputValues = cfg.groupChannels * g.input.h * g.input.w
    let input =
      cfg.groupChannels == 1
      ? "a \(g.input.h)×\(g.input.w) input of \(inputValues)"
      : "\(cfg.groupChannels) channels of \(g.input.h)×\(g.input.w), \(inputValues) values"
    var line =
      "Unfolded (im2col): cols is \(u.taps)×\(u.windows) = \(floats(u.taps * u.windows)) for \(input): "
      + "the unfold copies each input cell up to \(copies(m)) times "
      + (cfg.paddingMode == .zeros
        ? "(once per window reading it); " : "(once per tap reading it or a padding copy of it); ")
      + "Y = W·cols is one \(u.filters)×\(u.taps) by \(u.taps)×\(u.windows) matrix product (GEMM) "
      + "instead of \(u.filters * u.windows) window loops"
    if cfg.groups > 1 { line += "; one per group (\(cfg.groups) of them)" }
    if g.batch > 1 { line += "; one per sample (\(g.batch))" }
    return line + "."
  }

  /// How the current window's column and filter's row give the formula's sum.
  static func column(_ m: Model, _ u: Unfolding, _ w: WindowRef) -> String {
    let k = u.column(row: w.row, column: w.column)
    let fr = w.filter - u.firstFilter
    return
      "Column \(k) of cols is window (\(w.row), \(w.column)) and row \(fr) of W is w[\(w.filter)], both flattened in (channel, row, column) order: "
      + "Y[\(fr),\(k)] = W[\(fr),:]·cols[:,\(k)] + b[\(w.filter)] is the formula's sum."
  }

  /// The backward pass as three matrix operations.
  static func backward(_ m: Model, _ u: Unfolding) -> String {
    let cfg = m.trace.geometry.config
    let (f, r, k) = (u.filters, u.taps, u.windows)
    let padding =
      cfg.padding == Size2(0)
      ? ""
      : cfg.paddingMode == .zeros
        ? " (entries on zero padding are dropped)"
        : " (entries on padding go to the cell copied)"
    return
      "Backward as matrices: dW = dY·colsᵀ is (\(f)×\(k))·(\(k)×\(r)) = \(f)×\(r), summed over the batch; "
      + "dcols = Wᵀ·dY is (\(r)×\(f))·(\(f)×\(k)) = \(r)×\(k); col2im adds each column of dcols back onto the input cells its window read, "
      + "so a dx cell sums up to \(copies(m)) entries\(padding); db is the row sums of dY."
  }
}
