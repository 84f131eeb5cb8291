import ConvCore

// MARK: - Padding mistakes

extension BugInfo {
  /// Padding ignored.
  public static let paddingIgnored = BugInfo(
    id: "padding-ignored",
    title: "the padding is ignored: the windows slide over the unpadded input",
    explanation:
      "Your output is what the layer gives with padding 0: only the windows that fit inside the "
      + "input are computed, so the output is smaller by 2·padding/stride rows and columns.",
    fix:
      "Pad the input with zeros on every side before sliding — np.pad(x, ((0, 0), (0, 0), "
      + "(ph, ph), (pw, pw))) — and size the output with the padded size.",
    separatingHint: "padding > 0", affects: [.y])

  /// All padding after the input.
  public static let paddingAtEnd = BugInfo(
    id: "padding-at-end",
    title: "the input sits in the top-left corner of the padded buffer (all padding at the end)",
    explanation:
      "The padded buffer has the right size, but the input was copied to its top-left corner "
      + "(xpad[:, :, :H, :W] = x), so all 2·padding rows and columns of padding are at the bottom "
      + "and right, and every window reads `padding` rows and columns too far down and right.",
    fix: "Copy the input to the middle: xpad[:, :, ph:ph+H, pw:pw+W] = x.",
    separatingHint: "padding > 0", affects: [.y, .dx, .dw])

  /// All padding before the input.
  public static let paddingAtStart = BugInfo(
    id: "padding-at-start",
    title: "the input sits in the bottom-right corner of the padded buffer (all padding first)",
    explanation:
      "The padded buffer has the right size, but the input was copied to its bottom-right "
      + "corner (xpad[:, :, 2ph:, 2pw:] = x), so all 2·padding rows and columns of padding are at "
      + "the top and left.",
    fix: "Copy the input to the middle: xpad[:, :, ph:ph+H, pw:pw+W] = x.",
    separatingHint: "padding > 0", affects: [.y, .dx, .dw])

  /// Padding only before the input.
  public static let paddingStartOnly = BugInfo(
    id: "padding-start-only",
    title: "padding is added only at the top and left, not at the bottom and right",
    explanation:
      "The input is padded on one side only — e.g. np.pad(x, ((0, 0), (0, 0), (p, 0), (p, 0))) "
      + "— so the output has fewer rows and columns and is shifted.",
    fix: "Pad both sides: np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))).",
    separatingHint: "padding of 2 or more (with padding 1 and stride 1, padding one side only "
      + "drops exactly the last output row and column, like an off-by-one loop)",
    affects: [.y])

  /// Padding only after the input.
  public static let paddingEndOnly = BugInfo(
    id: "padding-end-only",
    title: "padding is added only at the bottom and right, not at the top and left",
    explanation:
      "The input is padded on one side only — e.g. np.pad(x, ((0, 0), (0, 0), (0, p), (0, p))) "
      + "— so the output has fewer rows and columns.",
    fix: "Pad both sides: np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))).",
    separatingHint: "padding > 0", affects: [.y])

  /// A non-zero padding constant.
  public static let paddingValue = BugInfo(
    id: "padding-value",
    title: "the padding is not zero",
    explanation:
      "The cells outside the input count as a constant other than 0 — a padded buffer made with "
      + "np.ones or np.empty, or np.pad(..., constant_values=v) — so every window that overlaps "
      + "the border gets v·(its weights over the padding) added.",
    fix: "Pad with zeros: np.zeros for the buffer, or np.pad's default constant_values=0.",
    separatingHint: "padding > 0 and weights that do not sum to zero over the border taps",
    affects: [.y, .dw])

  /// Edge-replicating padding.
  public static let paddingEdge = BugInfo(
    id: "padding-edge",
    title: "the padding repeats the edge (mode='edge') instead of zeros",
    explanation:
      "The input is padded by repeating its border cells (np.pad(..., mode='edge'), "
      + "replicate padding), but the layer pads with zeros.",
    fix: "Use zero padding: np.pad(x, widths) with the default mode='constant'.",
    separatingHint: "padding > 0 and an input whose border is not zero", affects: [.y, .dx, .dw])

  /// Reflecting padding.
  public static let paddingReflect = BugInfo(
    id: "padding-reflect",
    title: "the padding mirrors the input (mode='reflect') instead of zeros",
    explanation:
      "The input is padded with its mirror image (np.pad(..., mode='reflect'), reflection "
      + "padding), but the layer pads with zeros.",
    fix: "Use zero padding: np.pad(x, widths) with the default mode='constant'.",
    separatingHint: "padding > 0 and an input that is not zero near the border",
    affects: [.y, .dx, .dw])
}

extension Bugs {
  /// Whether the layer pads at all.
  static func pads(_ c: BugContext) -> Bool { c.config.padding.h > 0 || c.config.padding.w > 0 }

  /// Whether the layer pads with zeros. The mistakes "a constant, edge or mirror instead of
  /// zeros" only make sense there; a layer with a copying mode has its own mistakes
  /// (``BugInfo/paddingModeIgnored`` and the others in `GroupPaddingBugs.swift`).
  static func padsWithZeros(_ c: BugContext) -> Bool {
    pads(c) && c.config.paddingMode == .zeros
  }

  /// A plan with other padding before and after the input, or nil when no window fits.
  static func padded(_ c: BugContext, before: Size2, after: Size2, keepOutput: Bool) -> TapPlan? {
    var plan = c.plan
    plan.padBefore = before
    plan.padAfter = after
    if keepOutput { plan.outputOverride = c.geometry.output }
    return plan.output.h >= 1 && plan.output.w >= 1 ? plan : nil
  }

  /// **Padding ignored.** The windows slide over the unpadded input (padding 0); the output is
  /// smaller.
  static func paddingIgnored(_ c: BugContext) -> VariantResult? {
    guard pads(c), let plan = padded(c, before: Size2(0), after: Size2(0), keepOutput: false)
    else { return nil }
    return VariantResult(c.run(plan))
  }

  /// **Padding all at the end.** `xpad[:, :, :H, :W] = x`: the windows read `x[i·s + p·d]`
  /// without the `−padding` offset; the output keeps its size.
  static func paddingAtEnd(_ c: BugContext) -> VariantResult? {
    let p = c.config.padding
    guard pads(c),
      let plan = padded(c, before: Size2(0), after: Size2(2 * p.h, 2 * p.w), keepOutput: true)
    else { return nil }
    return VariantResult(c.run(plan))
  }

  /// **Padding all at the start.** `xpad[:, :, 2p:, 2p:] = x`: every read is offset by
  /// `−2·padding`; the output keeps its size.
  static func paddingAtStart(_ c: BugContext) -> VariantResult? {
    let p = c.config.padding
    guard pads(c),
      let plan = padded(c, before: Size2(2 * p.h, 2 * p.w), after: Size2(0), keepOutput: true)
    else { return nil }
    return VariantResult(c.run(plan))
  }

  /// **Padding only at the start.** `np.pad(x, (p, 0))` on both axes: fewer windows.
  static func paddingStartOnly(_ c: BugContext) -> VariantResult? {
    guard pads(c),
      let plan = padded(c, before: c.config.padding, after: Size2(0), keepOutput: false)
    else { return nil }
    return VariantResult(c.run(plan))
  }

  /// **Padding only at the end.** `np.pad(x, (0, p))` on both axes: fewer windows, no offset.
  static func paddingEndOnly(_ c: BugContext) -> VariantResult? {
    guard pads(c),
      let plan = padded(c, before: Size2(0), after: c.config.padding, keepOutput: false)
    else { return nil }
    return VariantResult(c.run(plan))
  }

  /// **Padding with a non-zero constant.** Reads outside the input give `v` instead of 0. `v`
  /// is estimated from the user's `y` (at the cell whose padding taps weigh most), else taken
  /// as 1; it contributes `w·v` to `y` and `dy·v` to `dw`, nothing to `dx`.
  static func paddingValue(_ c: BugContext) -> VariantResult? {
    guard padsWithZeros(c) else { return nil }
    let v = estimatedPaddingValue(c) ?? 1
    guard v != 0, v.isFinite else { return nil }
    var plan = c.plan
    plan.outside = .constant(v)
    return VariantResult(
      c.run(plan, gradients: [.dw]), detail: "the padding value is \(niceNumber(v))")
  }

  /// `(yours − correct) / Σ w over the padding taps` at the cell where that sum is largest.
  static func estimatedPaddingValue(_ c: BugContext) -> Double? {
    guard let user = c.user.channelsFirst(.y, expected: c.geometry.outputShape),
      let correct = c.correct(.y)
    else { return nil }
    var plan = c.plan
    plan.outside = .constant(1)
    let zeros = [Double](repeating: 0, count: c.x.count)
    let padWeights = TapEngine.forward(
      plan, x: zeros, w: c.w, b: [Double](repeating: 0, count: c.b.count))
    guard
      let k = padWeights.values.indices.max(by: {
        abs(padWeights.values[$0]) < abs(padWeights.values[$1])
      }), abs(padWeights.values[k]) > 1e-6 * max(1, padWeights.magnitude[k])
    else { return nil }
    let v = (Double(user.data[k]) - correct.values[k]) / padWeights.values[k]
    let nice = (v * 64).rounded() / 64
    return abs(v - nice) <= 1e-4 * max(1, abs(v)) ? nice : v
  }

  /// `v` printed briefly (`1`, `0.5`, `-1.25`, `0.3127`).
  static func niceNumber(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e9 { return String(Int(v)) }
    let r = (v * 10_000).rounded() / 10_000
    return "\(r)"
  }

  /// **Edge padding.** Reads outside the input take the nearest border cell (`mode='edge'`),
  /// which also routes gradient to the border cells.
  static func paddingEdge(_ c: BugContext) -> VariantResult? {
    guard padsWithZeros(c) else { return nil }
    var plan = c.plan
    plan.outside = .edge
    return VariantResult(c.run(plan))
  }

  /// **Reflect padding.** Reads outside the input take the mirror cell without repeating the
  /// edge (`mode='reflect'`).
  static func paddingReflect(_ c: BugContext) -> VariantResult? {
    guard padsWithZeros(c), c.geometry.input.h > 1, c.geometry.input.w > 1 else { return nil }
    var plan = c.plan
    plan.outside = .reflect
    return VariantResult(c.run(plan))
  }
}
