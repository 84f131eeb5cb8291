import ConvCore

// MARK: - Window and output-size mistakes

extension BugInfo {
  /// Stride on the taps instead of the windows.
  public static let strideOnTaps = BugInfo(
    id: "stride-on-taps",
    title: "the stride spaces the kernel taps instead of the windows",
    explanation:
      "Your windows start at every position (i, j) and the stride spreads each window's taps "
      + "apart (x[i + p·s, j + q·s]) — which is what dilation does. The stride moves the window: "
      + "tap (p, q) of window (i, j) reads x[i·s + p·d − pad, j·s + q·d − pad].",
    fix: "Multiply the output index by the stride and the tap index by the dilation: "
      + "row = i*stride + p*dilation - padding.",
    separatingHint: "stride > 1 and a kernel larger than 1×1", affects: [.y, .dx, .dw])

  /// Output size rounded up.
  public static let outputCeil = BugInfo(
    id: "output-ceil",
    title: "the output size is rounded up instead of down",
    explanation:
      "Your output has one more row or column: ⌈(H + 2p − d(k−1) − 1)/s⌉ + 1 windows, the last "
      + "of which runs past the padded input (the part beyond it counted as 0). A window that "
      + "does not fit is not computed: O = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1.",
    fix: "Use floor division: O = (H + 2*p - d*(k-1) - 1) // s + 1.",
    separatingHint: "stride > 1 with H + 2p − d(k−1) − 1 not a multiple of the stride",
    affects: [.y])

  /// The last output row and column missing.
  public static let outputMissingLast = BugInfo(
    id: "output-missing-last",
    title: "the last output row and column are missing (off by one)",
    explanation:
      "The window loops stop one position early — range(H + 2p − k) instead of "
      + "range(H + 2p − k + 1) — so the output lacks its last row and column.",
    fix: "Loop over all O = (H + 2*p - d*(k-1) - 1) // s + 1 positions (note the + 1).",
    separatingHint: "an output of at least 2×2", affects: [.y])

  /// Dilation ignored everywhere.
  public static let dilationIgnored = BugInfo(
    id: "dilation-ignored",
    title: "the dilation is ignored: taps are next to each other and the output is sized for it",
    explanation:
      "Your layer behaves as if dilation were 1: each window's taps are adjacent and the output "
      + "size follows, so the output is larger than the dilated layer's.",
    fix: "Space the taps by the dilation (row = i*s + p*d - pad) and size the output with "
      + "d*(k-1) + 1 as the kernel's extent.",
    separatingHint: "dilation > 1 and a kernel larger than 1×1", affects: [.y, .dx, .dw])

  /// Dilation ignored in the taps only.
  public static let dilationIgnoredInTaps = BugInfo(
    id: "dilation-ignored-in-taps",
    title: "the dilation is ignored in the taps (the output size is right)",
    explanation:
      "The output has the right size, but each window's taps are adjacent instead of `dilation` "
      + "apart.",
    fix: "Read tap (p, q) at row i*s + p*d - pad, column j*s + q*d - pad.",
    separatingHint: "dilation > 1 and a kernel larger than 1×1", affects: [.y, .dx, .dw])
}

extension Bugs {
  /// **Stride on the taps.** Windows start at every position; tap `(p, q)` reads
  /// `x[i + p·s·d − pad, j + q·s·d − pad]`; the output keeps its (correct) size.
  static func strideOnTaps(_ c: BugContext) -> VariantResult? {
    let (s, k) = (c.config.stride, c.config.kernel)
    guard (s.h > 1 && k.h > 1) || (s.w > 1 && k.w > 1) else { return nil }
    var plan = c.plan
    plan.windowStep = Size2(1)
    plan.tapStep = Size2(s.h * c.config.dilation.h, s.w * c.config.dilation.w)
    plan.outputOverride = c.geometry.output
    return VariantResult(c.run(plan))
  }

  /// **Output size rounded up.** `⌈span/s⌉ + 1` windows per axis; reads past the padded input
  /// count as 0.
  static func outputCeil(_ c: BugContext) -> VariantResult? {
    let cfg = c.config
    let g = c.geometry
    func ceilLength(_ n: Int, _ p: Int, _ k: Int, _ s: Int, _ d: Int) -> Int {
      let span = n + 2 * p - d * (k - 1) - 1
      return (span + s - 1) / s + 1
    }
    let size = Size2(
      ceilLength(g.input.h, cfg.padding.h, cfg.kernel.h, cfg.stride.h, cfg.dilation.h),
      ceilLength(g.input.w, cfg.padding.w, cfg.kernel.w, cfg.stride.w, cfg.dilation.w))
    guard size != g.output else { return nil }
    var plan = c.plan
    plan.outputOverride = size
    return VariantResult(c.run(plan, gradients: []))
  }

  /// **Last row and column missing.** One window fewer along each axis.
  static func outputMissingLast(_ c: BugContext) -> VariantResult? {
    let o = c.geometry.output
    guard o.h >= 2, o.w >= 2 else { return nil }
    var plan = c.plan
    plan.outputOverride = Size2(o.h - 1, o.w - 1)
    return VariantResult(c.run(plan, gradients: []))
  }

  /// **Dilation ignored.** The whole layer as if dilation were 1, output size included.
  static func dilationIgnored(_ c: BugContext) -> VariantResult? {
    let (d, k) = (c.config.dilation, c.config.kernel)
    guard (d.h > 1 && k.h > 1) || (d.w > 1 && k.w > 1) else { return nil }
    var plan = c.plan
    plan.tapStep = Size2(1)
    return VariantResult(c.run(plan))
  }

  /// **Dilation ignored in the taps.** Adjacent taps, the correct output size.
  static func dilationIgnoredInTaps(_ c: BugContext) -> VariantResult? {
    let (d, k) = (c.config.dilation, c.config.kernel)
    guard (d.h > 1 && k.h > 1) || (d.w > 1 && k.w > 1) else { return nil }
    var plan = c.plan
    plan.tapStep = Size2(1)
    plan.outputOverride = c.geometry.output
    return VariantResult(c.run(plan))
  }
}
