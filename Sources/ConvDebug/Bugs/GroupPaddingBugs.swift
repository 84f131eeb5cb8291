import ConvCore

// MARK: - Mistakes of grouped layers and of copying padding modes (issue 15)

extension BugInfo {
  /// A grouped layer computed as a plain one: dw for every channel.
  public static let groupsIgnored = BugInfo(
    id: "groups-ignored",
    title: "groups ignored: every filter reads all C channels (dw is [F, C, KH, KW])",
    explanation:
      "Your dw has a slice for every input channel, as a plain (one-group) layer has: the "
      + "gradient was computed as if every filter read all C channels — e.g. the grouped layer "
      + "run as a plain convolution with its weights laid into a [F, C, KH, KW] tensor, zeros "
      + "outside each filter's group, and dw never cut back to the group. With G groups, filter "
      + "f reads only the C/G channels of its group g = f // (F/G), so w and dw are "
      + "[F, C/G, KH, KW].",
    fix:
      "Keep each filter to its group: dw[f, c] = Σ dy[n, f] · x[n, g·C/G + c] (windows) for c "
      + "in 0..C/G−1 with g = f // (F/G); in PyTorch pass groups=G.",
    separatingHint: "more than one group and a dw of your own", affects: [.dw])

  /// Every filter reading the first group's channels.
  public static let groupsFirstGroup = BugInfo(
    id: "groups-first-group",
    title: "groups ignored: every filter reads the first group's channels 0…C/G−1",
    explanation:
      "The loop over a filter's channels runs c over range(w.shape[1]) = C/G and reads "
      + "x[:, c]: every filter reads channels 0…C/G−1, the first group's, whatever its group. "
      + "Filter f must read the channels of its own group g = f // (F/G): g·C/G … (g+1)·C/G−1.",
    fix: "Read x[:, g*C//G + c] with g = f // (F//G) for weight channel c of filter f.",
    separatingHint: "more than one group and an input that differs between groups",
    affects: [.y, .dx, .dw])

  /// Filters assigned to groups round-robin.
  public static let groupsInterleaved = BugInfo(
    id: "groups-interleaved",
    title: "filter f is put in group f % G instead of f // (F/G)",
    explanation:
      "The groups of the filters are interleaved: filter f reads the channels of group f % G. "
      + "PyTorch keeps a group's filters together: filters g·F/G … (g+1)·F/G−1 form group g, so "
      + "filter f's group is f // (F/G).",
    fix: "Take filter f's group as g = f // (F//G), not f % G.",
    separatingHint: "more than one group with more than one filter each",
    affects: [.y, .dx, .dw])

  /// Reflect padding computed as replicate.
  public static let reflectAsReplicate = BugInfo(
    id: "reflect-as-replicate",
    title: "reflect padding implemented as replicate: the edge cell is repeated",
    explanation:
      "The layer pads with padding_mode='reflect', which mirrors the input without repeating "
      + "the edge (dcb|abcd|cba, NumPy's mode='reflect'); your padding repeats the edge cell "
      + "(aaa|abcd|ddd, NumPy's mode='edge', PyTorch's 'replicate').",
    fix: "Pad with np.pad(x, widths, mode='reflect') (PyTorch: padding_mode='reflect').",
    separatingHint: "padding > 0 and an input whose edge differs from the cells next to it",
    affects: [.y, .dx, .dw])

  /// Replicate padding computed as reflect.
  public static let replicateAsReflect = BugInfo(
    id: "replicate-as-reflect",
    title: "replicate padding implemented as reflect: the input is mirrored",
    explanation:
      "The layer pads with padding_mode='replicate', which repeats the edge cell (aaa|abcd|ddd, "
      + "NumPy's mode='edge'); your padding mirrors the input past the edge (dcb|abcd|cba, "
      + "NumPy's mode='reflect').",
    fix: "Pad with np.pad(x, widths, mode='edge') (PyTorch: padding_mode='replicate').",
    separatingHint: "padding > 0 and an input whose edge differs from the cells next to it",
    affects: [.y, .dx, .dw])

  /// A copying padding mode computed as zeros.
  public static let paddingModeIgnored = BugInfo(
    id: "padding-mode-ignored",
    title: "padding_mode ignored: the padding is zeros",
    explanation:
      "The layer's padding cells copy input cells (reflect, replicate or circular), but your "
      + "padding is zeros (np.pad's default mode='constant', or F.conv2d's padding=, which is "
      + "always zeros): every window that reaches the border is off, and the gradient that "
      + "lands on the padding never flows back to the cells it copies.",
    fix:
      "Pad with the layer's mode — np.pad(x, widths, mode='reflect' | 'edge' | 'wrap') — and "
      + "convolve with padding 0 (PyTorch: F.pad(x, …, mode=…) then F.conv2d, or "
      + "nn.Conv2d(…, padding_mode=…)).",
    separatingHint: "padding > 0 and an input that is not zero near the border",
    affects: [.y, .dx, .dw])

  /// The gradient on copying padding cells dropped.
  public static let paddingGradientNotFolded = BugInfo(
    id: "padding-gradient-not-folded",
    title: "dx drops the gradient of the padding: it is not folded back to the copied cells",
    explanation:
      "Under a copying padding mode, a padding cell is a copy of an input cell, so the gradient "
      + "that lands on it belongs to that cell. Your dx is the middle of the padded gradient "
      + "dxpad[:, :, ph:ph+H, pw:pw+W] only, as for zero padding: the border cells miss the "
      + "gradient of their copies.",
    fix:
      "Add every padding cell's gradient to the cell it copies before cropping (np.add.at on "
      + "the index map np.pad(np.arange(H*W).reshape(H, W), widths, mode=…)).",
    separatingHint: "padding > 0 and an output gradient that is not zero near the border",
    affects: [.dx])
}

extension Bugs {
  /// Whether the layer has more than one group.
  static func grouped(_ c: BugContext) -> Bool { c.config.groups > 1 }

  /// Whether the layer pads with a copying mode.
  static func padsWithCopies(_ c: BugContext) -> Bool {
    pads(c) && c.config.paddingMode != .zeros
  }

  /// **Groups ignored.** dw of the plain layer: the grouped weights laid into `[F, C, KH, KW]`
  /// (zeros outside each filter's group, so `y` and `dx` stay right) and the gradient taken
  /// for every channel.
  static func groupsIgnored(_ c: BugContext) -> VariantResult? {
    let cfg = c.config
    guard grouped(c), c.wanted.contains(.dw) else { return nil }
    let (C, CG, KH, KW) = (cfg.inChannels, cfg.groupChannels, cfg.kernel.h, cfg.kernel.w)
    var full = [Double](repeating: 0, count: cfg.filters * C * KH * KW)
    for f in 0..<cfg.filters {
      for wc in 0..<CG {
        let ch = cfg.inputChannel(filter: f, weightChannel: wc)
        for k in 0..<(KH * KW) {
          full[(f * C + ch) * KH * KW + k] = c.w[(f * CG + wc) * KH * KW + k]
        }
      }
    }
    var plan = c.plan
    plan.groupChannels = C
    plan.channelOf = { _, ch in ch }
    plan.weightIndex = { f, ch, p, q in ((f * C + ch) * KH + p) * KW + q }
    guard
      let g = TapEngine.backward(
        plan, x: c.x, w: full, dy: c.dy, inputShape: c.geometry.inputShape,
        weightShape: [cfg.filters, C, KH, KW])
    else { return nil }
    return VariantResult([.dw: g.dw])
  }

  /// **Every filter reads the first group.** Weight channel `c` of every filter reads input
  /// channel `c`.
  static func groupsFirstGroup(_ c: BugContext) -> VariantResult? {
    guard grouped(c) else { return nil }
    var plan = c.plan
    plan.channelOf = { _, ch in ch }
    return VariantResult(c.run(plan))
  }

  /// **Groups interleaved.** Filter `f` reads group `f % G`'s channels.
  static func groupsInterleaved(_ c: BugContext) -> VariantResult? {
    let cfg = c.config
    guard grouped(c), cfg.groupFilters > 1 else { return nil }
    let (G, CG) = (cfg.groups, cfg.groupChannels)
    var plan = c.plan
    plan.channelOf = { f, ch in (f % G) * CG + ch }
    return VariantResult(c.run(plan))
  }

  /// **Reflect as replicate.** A reflect-padded layer whose padding repeats the edge.
  static func reflectAsReplicate(_ c: BugContext) -> VariantResult? {
    guard pads(c), c.config.paddingMode == .reflect else { return nil }
    var plan = c.plan
    plan.outside = .edge
    return VariantResult(c.run(plan))
  }

  /// **Replicate as reflect.** A replicate-padded layer whose padding mirrors the input.
  static func replicateAsReflect(_ c: BugContext) -> VariantResult? {
    guard pads(c), c.config.paddingMode == .replicate, c.geometry.input.h > 1,
      c.geometry.input.w > 1
    else { return nil }
    var plan = c.plan
    plan.outside = .reflect
    return VariantResult(c.run(plan))
  }

  /// **Padding mode ignored.** A copying mode computed as zeros (forward and backward).
  static func paddingModeIgnored(_ c: BugContext) -> VariantResult? {
    guard padsWithCopies(c) else { return nil }
    var plan = c.plan
    plan.outside = .zero
    let mode = c.config.paddingMode
    let numpy = mode == .reflect ? "reflect" : mode == .replicate ? "edge" : "wrap"
    return VariantResult(
      c.run(plan),
      detail: "the layer's padding_mode is \(mode.rawValue), np.pad's mode='\(numpy)'")
  }

  /// **Padding gradient not folded.** dx as for zero padding: the gradient on the copying
  /// padding cells is dropped.
  static func paddingGradientNotFolded(_ c: BugContext) -> VariantResult? {
    guard padsWithCopies(c), c.wanted.contains(.dx) else { return nil }
    var plan = c.plan
    plan.outside = .zero
    return VariantResult(c.run(plan, forward: false, gradients: [.dx]))
  }
}
