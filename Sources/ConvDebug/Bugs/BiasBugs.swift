import ConvCore

// MARK: - Bias mistakes

extension BugInfo {
  /// The bias never added.
  public static let biasMissing = BugInfo(
    id: "bias-missing",
    title: "the bias is never added",
    explanation:
      "Every output of filter f is off by exactly b[f]: the window sums are right, the bias is "
      + "missing. (The blog article's forward pass does this: out = np.sum(window * filter).)",
    fix: "Add b[f] once to every output of filter f: y[n, f, i, j] = Σ x·w + b[f].",
    separatingHint: "non-zero biases", erratum: 4, affects: [.y])

  /// The bias added once per input channel.
  public static let biasPerChannel = BugInfo(
    id: "bias-per-channel",
    title: "the bias is added once per input channel (C times)",
    explanation:
      "The bias add sits inside the loop over input channels, so every output gets C·b[f] "
      + "instead of b[f] (C/G·b[f] in a grouped layer, whose filters read C/G channels).",
    fix: "Add b[f] once per window, after the sum over channels.",
    separatingHint: "more than one input channel and non-zero biases", affects: [.y])
}

extension Bugs {
  /// **Bias missing.** `y = Σ x·w` without `b[f]`.
  static func biasMissing(_ c: BugContext) -> VariantResult? {
    guard c.b.contains(where: { $0 != 0 }) else { return nil }
    var plan = c.plan
    plan.biasScale = 0
    return VariantResult(
      c.run(plan, gradients: []), detail: offsetDetail("−b", c.b.map { -$0 }))
  }

  /// **Bias once per channel.** `y = Σ x·w + C·b[f]`.
  static func biasPerChannel(_ c: BugContext) -> VariantResult? {
    // The loop over a filter's channels adds b once per channel it reads: C/G under groups.
    let channels = c.config.groupChannels
    guard channels > 1, c.b.contains(where: { $0 != 0 }) else { return nil }
    var plan = c.plan
    plan.biasScale = Double(channels)
    let extra = Double(channels - 1)
    return VariantResult(
      c.run(plan, gradients: []),
      detail: offsetDetail(
        c.config.groups == 1 ? "+(C − 1)·b" : "+(C/G − 1)·b", c.b.map { $0 * extra }))
  }
}
