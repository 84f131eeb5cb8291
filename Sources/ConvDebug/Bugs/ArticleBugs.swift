import ConvCore

// MARK: - The blog article's mistakes (docs/article-errata.md)

extension BugInfo {
  /// Article bug 2: window loops over the unpadded size.
  public static let articleLoops = BugInfo(
    id: "article-loops",
    title: "the window loops run over the unpadded size (the article's bug 2)",
    explanation:
      "The loops run over range(0, H − K + 1, stride) — the unpadded input — while the output "
      + "has the padded size O, so the windows of the last rows and columns are never computed "
      + "and stay 0 (for the article's demo: rows and columns 28…31 of every 32×32 map).",
    fix: "Loop over all O = (H + 2*p - K) // s + 1 output positions of the padded input.",
    separatingHint: "padding > 0", erratum: 2, affects: [.y])

  /// Article bugs 2 and 4 together: the article's forward pass as published.
  public static let articleForward = BugInfo(
    id: "article-forward",
    title: "the article's forward pass as published: loops over the unpadded size, no bias "
      + "(its bugs 2 and 4)",
    explanation:
      "Both of the article's forward-pass mistakes at once: the last rows and columns of every "
      + "map are never computed (they stay 0), and the bias is never added to the others.",
    fix: "Loop over all O output positions of the padded input, and add b[f] to every output.",
    separatingHint: "padding > 0 and non-zero biases", erratum: 2, affects: [.y])

  /// Article bug 3: backward slices the unpadded input.
  public static let articleBackwardUnpadded = BugInfo(
    id: "article-backward-unpadded",
    title: "the backward pass slices the unpadded input (the article's bug 3)",
    explanation:
      "dW and dX use the windows x[i·s : i·s+K, j·s : j·s+K] of the unpadded input, `padding` "
      + "rows and columns away from the windows the forward pass used; near the bottom and "
      + "right edges the slice is cut short (NumPy raises a broadcast error unless the code "
      + "works around it), and the dX that belongs to the padding is never cropped off.",
    fix: "Slice the padded input in backward exactly as in forward, add dX into a padded "
      + "buffer, then crop it: dX = dXpad[:, :, p:p+H, p:p+W].",
    separatingHint: "padding > 0", erratum: 3, affects: [.dx, .dw])

  /// Article bug 5: SGD inside the batch loop.
  public static let articlePerSampleUpdate = BugInfo(
    id: "article-per-sample-update",
    title: "the weights are updated inside the loop over samples (the article's bug 5)",
    explanation:
      "W −= α·dW and b −= α·db run after every sample, so the dX of samples 2…N is computed "
      + "with weights that were already changed; only the first sample's dX is right.",
    fix: "Compute every sample's dX with the forward pass's weights, sum dW and db over the "
      + "whole batch, then take one step: W −= α·dW, b −= α·db.",
    separatingHint: "a batch of 2 or more and a learning rate other than 0 (--lr)", erratum: 5,
    affects: [.dx])
}

extension Bugs {
  /// Whether window `(i, j)` is one the article's loops visit: its origin lies within
  /// `range(0, H − K + 1, stride)` of the unpadded input along both axes.
  static func articleVisits(_ c: BugContext) -> (Int, Int) -> Bool {
    let g = c.geometry
    let (s, e) = (c.config.stride, c.config.effectiveKernel)
    return { i, j in i * s.h <= g.input.h - e.h && j * s.w <= g.input.w - e.w }
  }

  /// **Article bug 2.** Only the windows whose origin fits the unpadded input are computed
  /// (with their bias); the others stay 0.
  static func articleLoops(_ c: BugContext) -> VariantResult? {
    guard pads(c) else { return nil }
    var plan = c.plan
    plan.computes = articleVisits(c)
    return VariantResult(c.run(plan, gradients: []))
  }

  /// **Article bugs 2 and 4.** As ``articleLoops(_:)`` and without the bias.
  static func articleForward(_ c: BugContext) -> VariantResult? {
    guard pads(c), c.b.contains(where: { $0 != 0 }) else { return nil }
    var plan = c.plan
    plan.computes = articleVisits(c)
    plan.biasScale = 0
    return VariantResult(c.run(plan, gradients: []))
  }

  /// **Article bug 3.** Backward reads `x[i·s + p·d, j·s + q·d]` of the unpadded input (no
  /// `−padding` offset; reads past the input give 0) and scatters `dX` to the same cells.
  static func articleBackwardUnpadded(_ c: BugContext) -> VariantResult? {
    guard pads(c) else { return nil }
    var plan = c.plan
    plan.padBefore = Size2(0)
    plan.outputOverride = c.geometry.output
    // The article's slices past the input are zero-extended whatever the layer's padding mode
    // (its code knows only zeros).
    plan.outside = .zero
    return VariantResult(c.run(plan, forward: false))
  }

  /// **Article bug 5.** Sample by sample: `dX[n]` with the current weights, then
  /// `W −= α·dW[n]` before the next sample.
  static func articlePerSampleUpdate(_ c: BugContext) -> VariantResult? {
    let g = c.geometry
    guard g.batch > 1, c.learningRate != 0, c.wanted.contains(.dx) else { return nil }
    var w = c.w
    var dx = ExpectedTensor(shape: g.inputShape, values: [], magnitude: [], terms: 0)
    for n in 0..<g.batch {
      guard let s = c.sample(n),
        let r = TapEngine.backward(
          s.plan, x: s.x, w: w, dy: s.dy, inputShape: s.inputShape, weightShape: g.weightShape)
      else { return nil }
      dx.values += r.dx.values
      dx.magnitude += r.dx.magnitude
      dx.terms = r.dx.terms
      for k in w.indices { w[k] -= c.learningRate * r.dw.values[k] }
    }
    return VariantResult([.dx: dx])
  }
}
