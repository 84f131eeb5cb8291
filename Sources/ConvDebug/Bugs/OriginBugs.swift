import ConvCore

// MARK: - Window origin off by one, and filters and channels swapped (issue 13)

extension BugInfo {
  /// Every window starts one row or column off.
  public static let windowOriginOffByOne = BugInfo(
    id: "window-origin-off-by-one",
    title: "the windows start one row or one column off: the output is shifted",
    explanation:
      "The windows read from one row (or column) before or after the right one — an off-by-one "
      + "in the window's origin i·s − pad (a pad of p ± 1, a +1 in a slice, or 1-based indices) — "
      + "so each output map is the right map moved by one cell, with the row or column at the "
      + "edge reading the padding.",
    fix: "Start window (i, j) at row i*stride - padding and column j*stride - padding of the "
      + "input (0-based; in the padded input at i*stride and j*stride).",
    separatingHint: "an input that changes from row to row and from column to column",
    affects: [.y, .dx, .dw])

  /// The weights read as [C, F, KH, KW].
  public static let filtersChannelsSwapped = BugInfo(
    id: "weights-filters-channels-swapped",
    title: "the weights are read as [C, F, KH, KW]: filters and channels swapped",
    explanation:
      "Your code takes the kernel of filter f and channel c from w[c, f] — the weight buffer "
      + "read in the [C, F, KH, KW] order (ConvTranspose2d's, or a reshape to (C, F, KH, KW)) "
      + "instead of Conv2d's [F, C, KH, KW] — so each filter sums the channels with other "
      + "filters' kernels.",
    fix: "Index the weights as w[f, c, p, q] of [F, C, KH, KW] (no reshape to (C, F, …)); "
      + "weights stored [C, F, KH, KW] need w = w.transpose(1, 0, 2, 3) once.",
    separatingHint: "more than one input channel and more than one filter",
    affects: [.y, .dx])
}

extension Bugs {
  /// **Window origin off by one.** Windows one row down or up, or one column right or left,
  /// with the output size unchanged; the shift that best fits the user's `y` is chosen.
  static func windowOriginOffByOne(_ c: BugContext) -> VariantResult? {
    guard c.differing.contains(.y) else { return nil }
    let p = c.config.padding
    let shifts: [(Int, Int, String)] = [
      (1, 0, "one row lower: row i·s − pad + 1"),
      (-1, 0, "one row higher: row i·s − pad − 1"),
      (0, 1, "one column to the right: column j·s − pad + 1"),
      (0, -1, "one column to the left: column j·s − pad − 1"),
    ]
    guard let probe = c.firstDiffering(.y) else { return nil }
    let o = c.geometry.output
    let (i0, j0) = (probe.flat / o.w % o.h, probe.flat % o.w)
    var best: (plan: TapPlan, y: ExpectedTensor, detail: String, misses: Int)?
    for (dh, dw, detail) in shifts {
      var plan = c.plan
      plan.padBefore = Size2(p.h - dh, p.w - dw)
      plan.outputOverride = o
      // One window first: a shift that does not give the first differing cell is no match.
      var one = plan
      one.computes = { i, j in i == i0 && j == j0 }
      let cell = TapEngine.forward(one, x: c.x, w: c.w, b: c.b)
      guard
        c.tolerance.accepts(
          probe.user, correct: cell.values[probe.flat], magnitude: cell.magnitude[probe.flat],
          terms: cell.terms)
      else { continue }
      let y = TapEngine.forward(plan, x: c.x, w: c.w, b: c.b)
      let misses = c.misses(y, of: .y) ?? Int.max
      if best == nil || misses < (best?.misses ?? 0) { best = (plan, y, detail, misses) }
      if misses == 0 { break }
    }
    guard let best else { return nil }
    // The gradients only when the user's differ too (the same shift in their backward pass).
    var tensors = c.run(best.plan, forward: false, gradients: c.differing.intersection([.dx, .dw]))
    tensors[.y] = best.y
    return VariantResult(tensors, detail: best.detail)
  }

  /// **Filters and channels swapped.** The code's `w[f, c, p, q]` is the value at that position
  /// of the true weights read as `[C, F, KH, KW]`: flat `((c·F + f)·KH + p)·KW + q`.
  static func filtersChannelsSwapped(_ c: BugContext) -> VariantResult? {
    // Under groups the weights [F, C/G, KH, KW] are read as [C/G, F, KH, KW].
    let (k, C, F) = (c.config.kernel, c.config.groupChannels, c.config.filters)
    guard C > 1, F > 1 else { return nil }
    var plan = c.plan
    plan.weightIndex = { f, ch, p, q in ((ch * F + f) * k.h + p) * k.w + q }
    return VariantResult(c.run(plan, gradients: [.dx]))
  }
}
