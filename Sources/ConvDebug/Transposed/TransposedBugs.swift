import ConvCore

// MARK: - Mistakes of transposed convolutions (issue 15)

extension BugInfo {
  /// The zero-insertion form with the kernel not flipped.
  public static let transposedKernelNotFlipped = BugInfo(
    id: "transposed-kernel-not-flipped",
    title: "the kernel is not flipped 180° in the zero-insertion form",
    explanation:
      "A transposed convolution equals a plain convolution over the input with s−1 zeros "
      + "inserted between its cells and d·(K−1)−p cells of padding around it — but with each "
      + "kernel flipped 180° (w[c, f, ::-1, ::-1]) and its channel axes swapped. Your numbers "
      + "are that convolution with the kernel as it is: every input cell is stamped onto the "
      + "output with its kernel upside down and mirrored (the same as ConvTranspose2d with "
      + "flipped weights), and the gradients follow that layer.",
    fix:
      "Flip the kernel in the zero-insertion form: wc = w[:, :, ::-1, ::-1].transpose(1, 0, 2, "
      + "3) per group; or scatter directly: y[n, f, i·s − p + k·d, …] += x[n, c, i, j]·w[c, f, "
      + "k, l] with no flip at all.",
    separatingHint: "a kernel larger than 1×1 that is not symmetric under a 180° turn",
    affects: [.y, .dx, .dw])

  /// output_padding left out.
  public static let transposedOutputPaddingForgotten = BugInfo(
    id: "transposed-output-padding-forgotten",
    title: "output_padding forgotten: the output lacks its last rows or columns",
    explanation:
      "With stride > 1 several input sizes map to the same transposed output size; "
      + "output_padding picks the larger one by adding that many rows at the bottom and columns "
      + "at the right, OH = (H−1)·s − 2p + d·(K−1) + output_padding + 1. Those cells are real "
      + "outputs: the taps of the last input cells land on them. Your layer computed the output "
      + "without them (or filled them with zeros or the bias instead of computing them), and "
      + "its gradients read dy only where its output is (db too).",
    fix:
      "Add output_padding to the output size and scatter onto the whole output (PyTorch: "
      + "nn.ConvTranspose2d(…, output_padding=op) or F.conv_transpose2d(…, output_padding=op)); "
      + "in the zero-insertion form, pad the bottom and right by d·(K−1)−p+output_padding.",
    separatingHint: "output_padding > 0 on rows or columns that some tap reaches",
    affects: [.y, .dx, .dw, .db])

  /// The padding never cropped off the full output.
  public static let transposedPaddingNotCropped = BugInfo(
    id: "transposed-padding-not-cropped",
    title: "padding not cropped: y is the full scatter, 2·padding rows and columns too large",
    explanation:
      "A transposed convolution's padding does not add cells: it takes padding rows and "
      + "columns off each side of the full scatter, OH = (H−1)·s − 2p + d·(K−1) + "
      + "output_padding + 1. Your y is the whole scatter, every kernel stamp kept, as if the "
      + "padding were 0: the correct output is its middle y_full[:, :, p:p+OH, p:p+OW].",
    fix:
      "Crop the full output: y = y_full[:, :, ph:ph + OH, pw:pw + OW] (PyTorch: "
      + "nn.ConvTranspose2d(…, padding=p) does it).",
    separatingHint: "padding > 0",
    affects: [.y])

  /// Every output channel reading all input channels.
  public static let transposedGroupsIgnored = BugInfo(
    id: "transposed-groups-ignored",
    title: "groups ignored: every output channel reads all C input channels",
    explanation:
      "In a transposed convolution with G groups, input channel c feeds only the F/G output "
      + "channels of its own group g = c // (C/G), through w[c, f′] (f′ = f − g·F/G). Your "
      + "loop over the input channels runs over all C for every output channel f, each through "
      + "its kernel w[c, f % (F/G)]: every group's outputs get every channel's contribution, "
      + "and the gradients follow that layer.",
    fix:
      "Keep each input channel to its group: for c in range(g·C//G, (g+1)·C//G) only, for the "
      + "outputs f = g·F//G + f′ (PyTorch: pass groups=G).",
    separatingHint: "more than one group",
    affects: [.y, .dx, .dw])

  /// w read with its channel axes swapped.
  public static let transposedChannelsSwapped = BugInfo(
    id: "transposed-channels-swapped",
    title: "w read as [F, C/G, KH, KW] (conv2d's order): its channel axes are swapped",
    explanation:
      "A transposed convolution's weights are [C, F/G, KH, KW] — input channels first, the "
      + "other way round from Conv2d's [F, C/G, KH, KW] — because it is the gradient of the "
      + "conv2d that maps F channels to C. Your layer indexes w[f, c] as a conv2d does, so the "
      + "kernel pairing input channel c with output channel f is another pair's.",
    fix:
      "Index the weights w[c, f′, p, q] with c the input channel and f′ = f − g·F/G the output "
      + "channel within its group (PyTorch's ConvTranspose2d.weight layout).",
    separatingHint: "more than one input and more than one output channel per group",
    affects: [.y, .dx, .dw])
}

// MARK: - The mistakes recomputed

/// The data the transposed mistakes run on.
struct TransposedBugContext {
  let layer: TransposedLayer
  let x: [Double]
  let w: [Double]
  let b: [Double]
  let dy: [Double]
  let user: UserTensors
  let tolerance: Tolerance
  var wanted: Set<CheckedTensor> { Set(user.given) }

  /// `y`, `dx` and `dw` of the layer `scatter` computes, `dw` in `weightShape` (`w`'s by
  /// default).
  func run(_ scatter: TransposedScatter, weightShape: [Int]? = nil) -> VariantResult {
    var tensors: [CheckedTensor: ExpectedTensor] = [:]
    if wanted.contains(.y) { tensors[.y] = scatter.forward(x: x, w: w, b: b) }
    if wanted.contains(.dx) || wanted.contains(.dw) {
      let g = scatter.backward(x: x, w: w, dy: dy, weightShape: weightShape ?? layer.w.shape)
      tensors[.dx] = g.dx
      tensors[.dw] = g.dw
    }
    return VariantResult(tensors)
  }
}

/// A transposed mistake and the function that recomputes the layer with it.
struct TransposedBugVariant: Sendable {
  let info: BugInfo
  let compute: @Sendable (TransposedBugContext) -> VariantResult?
}

extension BugCatalog {
  /// The mistakes of transposed convolutions, in the order reports list equally good matches.
  static let transposedVariants: [TransposedBugVariant] = [
    TransposedBugVariant(info: .transposedKernelNotFlipped, compute: TransposedBugs.notFlipped),
    TransposedBugVariant(
      info: .transposedOutputPaddingForgotten, compute: TransposedBugs.outputPaddingForgotten),
    TransposedBugVariant(
      info: .transposedPaddingNotCropped, compute: TransposedBugs.paddingNotCropped),
    TransposedBugVariant(info: .transposedGroupsIgnored, compute: TransposedBugs.groupsIgnored),
    TransposedBugVariant(
      info: .transposedChannelsSwapped, compute: TransposedBugs.channelsSwapped),
  ]

  /// Every mistake of transposed convolutions that `check` recognises.
  public static var transposed: [BugInfo] { transposedVariants.map(\.info) }
}

/// The functions that recompute a transposed layer with a mistake (nil when it cannot show).
enum TransposedBugs {
  /// **Kernel not flipped.** Every kernel read turned 180°.
  static func notFlipped(_ c: TransposedBugContext) -> VariantResult? {
    var s = c.layer.scatter
    guard s.kh * s.kw > 1 else { return nil }
    let (fg, kh, kw) = (s.fg, s.kh, s.kw)
    s.weightIndex = { ci, fi, p, q in ((ci * fg + fi % fg) * kh + kh - 1 - p) * kw + kw - 1 - q }
    return c.run(s)
  }

  /// **Padding not cropped.** `y` of the same layer with padding 0 (the full scatter), its
  /// output `2·padding` larger.
  static func paddingNotCropped(_ c: TransposedBugContext) -> VariantResult? {
    let p = c.layer.spec.padding
    guard p.h > 0 || p.w > 0, c.wanted.contains(.y) else { return nil }
    var s = c.layer.scatter
    s.spec.padding = Size2(0)
    (s.oh, s.ow) = (s.oh + 2 * p.h, s.ow + 2 * p.w)
    return VariantResult(
      [.y: s.forward(x: c.x, w: c.w, b: c.b)],
      detail:
        "y is \(ConvError.format(s.outputShape)), not \(ConvError.format(c.layer.outputShape))")
  }

  /// **Groups ignored.** Output channel `f` reads every input channel `c` through
  /// `w[c, f % (F/G)]`.
  static func groupsIgnored(_ c: TransposedBugContext) -> VariantResult? {
    var s = c.layer.scatter
    guard c.layer.spec.groups > 1 else { return nil }
    s.reads = { _, _ in true }
    return c.run(s)
  }

  /// **Channel axes swapped.** `w` read as `[F, C/G, KH, KW]`; `dw` written the same way (in
  /// the shape `[F, C/G, KH, KW]` when the user's has it). A group's kernels are a C/G × F/G
  /// block of `w` either way, read transposed: the same when either side is 1.
  static func channelsSwapped(_ c: TransposedBugContext) -> VariantResult? {
    var s = c.layer.scatter
    guard s.cg > 1 && s.fg > 1 else { return nil }
    let (cg, kh, kw) = (s.cg, s.kh, s.kw)
    s.weightIndex = { ci, fi, p, q in ((fi * cg + ci % cg) * kh + p) * kw + q }
    let conv2dShape = [s.f, cg, kh, kw]
    let shape = c.user.dw?.shape == conv2dShape ? conv2dShape : c.layer.w.shape
    return c.run(s, weightShape: shape)
  }
}
