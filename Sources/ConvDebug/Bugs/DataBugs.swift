import ConvCore

// MARK: - Data and layout mistakes

extension BugInfo {
  /// The input's height and width swapped.
  public static let inputTransposed = BugInfo(
    id: "input-transposed",
    title: "the input's height and width are swapped (the input is transposed)",
    explanation:
      "Your layer reads x[n, c, w, h] where it should read x[n, c, h, w] — an image loaded as "
      + "width × height, or a stray transpose — so it convolves the transposed input.",
    fix: "Keep the input [N, C, H, W], rows first; check the transposes where it is loaded.",
    separatingHint: "an input that is not symmetric about its diagonal and a kernel that is "
      + "not either", affects: [.y, .dx, .dw])

  /// The output's rows and columns swapped.
  public static let outputTransposed = BugInfo(
    id: "output-transposed",
    title: "the output's rows and columns are swapped",
    explanation:
      "Each value is right but written to y[n, f, j, i] instead of y[n, f, i, j] (loop "
      + "variables exchanged where the output is stored).",
    fix: "Store window (i, j) — i the row, j the column — at y[n, f, i, j].",
    separatingHint: "an output that is not symmetric about its diagonal", affects: [.y])

  /// The input channels last, read channels first.
  public static let inputChannelsLast = BugInfo(
    id: "input-channels-last",
    title: "the input is laid out NHWC but read as NCHW",
    explanation:
      "The input buffer holds channels last ([N, H, W, C], as images come from PIL, OpenCV or "
      + "TensorFlow) and your code indexes it channels first, so channels and pixels are mixed "
      + "up before they are summed.",
    fix: "Transpose once: x = np.ascontiguousarray(x.transpose(0, 3, 1, 2)), or index "
      + "x[n, h, w, c] throughout.",
    separatingHint: "more than one input channel", affects: [.y, .dw])

  /// The user's files in the other layout.
  public static let layoutSwapped = BugInfo(
    id: "layout-swapped",
    title: "your tensors are in the other memory layout",
    explanation:
      "The values are right, but laid out in the other order than the one convscope was told "
      + "(channels first [N, C, H, W] by default, channels last with --layout nhwc).",
    fix: "Tell convscope the layout your files use (--layout nhwc for [N, H, W, C] output "
      + "and channels-last tensors, the default for [N, C, H, W]), or transpose them: "
      + "y.transpose(0, 3, 1, 2) turns NHWC into NCHW.",
    separatingHint: "more than one filter (or channel) and more than one output cell",
    affects: [.y, .dx, .dw])
}

extension Bugs {
  /// **Input transposed.** The code sees `x[n, c, w, h]` as its `[H, W]` input: a `W×H` image.
  static func inputTransposed(_ c: BugContext) -> VariantResult? {
    let g = c.geometry
    let (C, H, W) = (c.config.inChannels, g.input.h, g.input.w)
    guard H > 1 || W > 1 else { return nil }
    var plan = c.plan
    plan.seen = Size2(W, H)
    plan.inputIndex = { n, ch, h, w in ((n * C + ch) * H + w) * W + h }
    guard plan.output.h >= 1, plan.output.w >= 1 else { return nil }
    return VariantResult(c.run(plan))
  }

  /// **Output transposed.** The correct values stored at `y[n, f, j, i]`.
  static func outputTransposed(_ c: BugContext) -> VariantResult? {
    let o = c.geometry.output
    guard o.h > 1 || o.w > 1, c.wanted.contains(.y), let y = c.correct(.y) else { return nil }
    var t = y
    t.shape = [y.shape[0], y.shape[1], o.w, o.h]
    for a in 0..<(y.shape[0] * y.shape[1]) {
      for i in 0..<o.h {
        for j in 0..<o.w {
          let from = (a * o.h + i) * o.w + j
          let to = (a * o.w + j) * o.h + i
          t.values[to] = y.values[from]
          t.magnitude[to] = y.magnitude[from]
        }
      }
    }
    return VariantResult([.y: t])
  }

  /// **Input NHWC read as NCHW.** The code's `x[n, c, h, w]` is the value at that flat position
  /// of the true input laid out `[N, H, W, C]`.
  static func inputChannelsLast(_ c: BugContext) -> VariantResult? {
    let g = c.geometry
    let (C, H, W) = (c.config.inChannels, g.input.h, g.input.w)
    guard C > 1, H * W > 1 else { return nil }
    var plan = c.plan
    plan.inputIndex = { n, ch, h, w in
      let pos = ((n * C + ch) * H + h) * W + w
      let (c2, w2, h2, n2) = (pos % C, pos / C % W, pos / (C * W) % H, pos / (C * W * H))
      return ((n2 * C + c2) * H + h2) * W + w2
    }
    return VariantResult(c.run(plan, gradients: [.dw]))
  }

  /// **Layout swapped.** The correct `y`, `dx`, `dw` laid out in the other layout than the user
  /// declared (compared as they are, without conversion).
  static func layoutSwapped(_ c: BugContext) -> VariantResult? {
    let g = c.geometry
    let other = c.user.layout.other
    var result: [CheckedTensor: ExpectedTensor] = [:]
    let candidates: [(CheckedTensor, Bool)] = [
      (.y, c.config.filters > 1 && g.output.h * g.output.w > 1),
      (.dx, c.config.inChannels > 1 && g.input.h * g.input.w > 1),
      (.dw, c.config.groupChannels > 1 && c.config.kernel.h * c.config.kernel.w > 1),
    ]
    for (name, differs) in candidates where differs && c.wanted.contains(name) {
      guard var e = c.correct(name) else { continue }
      if other == .nhwc {
        e = e.inFrame(.nhwc)
      } else {
        e.frame = .nchw
      }
      result[name] = e
    }
    guard !result.isEmpty else { return nil }
    return VariantResult(
      result,
      detail: other == .nhwc
        ? "they are channels last: run with --layout nhwc"
        : "they are channels first: run without --layout nhwc")
  }
}
