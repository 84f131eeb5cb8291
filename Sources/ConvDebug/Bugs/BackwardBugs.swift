import ConvCore

// MARK: - Backward-pass mistakes

extension BugInfo {
  /// dw and db from the last sample only.
  public static let lastSampleOnly = BugInfo(
    id: "last-sample-only",
    title: "dw and db are not summed over the batch: only the last sample's remain",
    explanation:
      "Inside the loop over samples the gradients are assigned (dw = …) instead of added "
      + "(dw += …), so each sample overwrites the previous one and only the last is left.",
    fix: "Start dw and db at zero before the batch loop and add every sample's part (or sum "
      + "over axis 0).",
    separatingHint: "a batch of 2 or more", affects: [.dw, .db])

  /// dw and db per sample.
  public static let gradientsPerSample = BugInfo(
    id: "gradients-per-sample",
    title: "dw and db are kept per sample instead of summed over the batch",
    explanation:
      "The weight and bias gradients have a batch axis — dw[N, F, C, KH, KW], db[N, F] — "
      + "but the layer's gradients are sums over the batch.",
    fix: "Sum over the batch axis: dw = dw.sum(axis=0), db = db.sum(axis=0).",
    separatingHint: "a batch of 2 or more", affects: [.dw, .db])

  /// dw and db divided by the batch size.
  public static let dividedByBatch = BugInfo(
    id: "divided-by-batch",
    title: "dw and db are divided by the batch size N (a mean instead of a sum)",
    explanation:
      "Your gradients are 1/N of the correct ones. With dy given as ∂L/∂y, dw and db are sums "
      + "over the batch with no 1/N; a mean over the batch belongs in the loss, and then dy "
      + "(and with it dx, dw and db) all carry the 1/N.",
    fix: "Drop the division by N in dw and db (or divide dy instead, so every gradient agrees).",
    separatingHint: "a batch of 2 or more", affects: [.dw, .db])

  /// db summed over the wrong axes.
  public static let dbWrongAxes = BugInfo(
    id: "db-wrong-axes",
    title: "db is summed over the wrong axes",
    explanation:
      "The bias gradient is the sum of dy over every axis except the filters': over (N, OH, OW). "
      + "Your db sums over another set of axes.",
    fix: "Channels first: db = dy.sum(axis=(0, 2, 3)); channels last (the article's "
      + "[B, O, O, F]): db = dy.sum(axis=(0, 1, 2)).",
    separatingHint: "a batch of 2 or more and an output gradient that differs between cells",
    affects: [.db])

  /// dx not cropped.
  public static let dxNotCropped = BugInfo(
    id: "dx-not-cropped",
    title: "dx is the gradient of the padded input: the padding is not cropped",
    explanation:
      "Your dx has the padded size [N, C, H + 2p, W + 2p]: the gradient was accumulated into a "
      + "padded buffer (right), but the border that belongs to the padding was never cut off.",
    fix: "Crop the padding: dx = dxpad[:, :, ph:ph+H, pw:pw+W].",
    separatingHint: "padding > 0", affects: [.dx])

  /// dx cropped at the corner.
  public static let dxCroppedAtCorner = BugInfo(
    id: "dx-cropped-at-corner",
    title: "dx is cropped at the wrong place: dxpad[:, :, :H, :W]",
    explanation:
      "The padded gradient was cropped from its top-left corner instead of its middle, so dx is "
      + "shifted by the padding and mixes in gradient that belongs to the padding.",
    fix: "Crop the middle: dx = dxpad[:, :, ph:ph+H, pw:pw+W].",
    separatingHint: "padding > 0", affects: [.dx])

  /// The backward pass fed the user's wrong y.
  public static let backwardFromYourY = BugInfo(
    id: "backward-from-your-y",
    title: "the backward pass is right; it was fed your own (wrong) y as dy",
    explanation:
      "The output gradient is the layer's own output here (--grad output, the article's "
      + "dOut = out), and your y is wrong, so every gradient inherits its error. Given your y as "
      + "dy, your gradients are exactly right.",
    fix: "Fix the forward pass first; the gradients will follow.",
    separatingHint: "a forward pass that agrees", affects: [.dx, .dw, .db])
}

extension Bugs {
  /// **Last sample only.** `dw` and `db` of sample `N−1` alone (each sample overwrote them).
  static func lastSampleOnly(_ c: BugContext) -> VariantResult? {
    guard c.geometry.batch > 1, !c.wanted.isDisjoint(with: [.dw, .db]),
      let s = c.sample(c.geometry.batch - 1),
      let g = TapEngine.backward(
        s.plan, x: s.x, w: c.w, dy: s.dy, inputShape: s.inputShape,
        weightShape: c.geometry.weightShape)
    else { return nil }
    return VariantResult([.dw: g.dw, .db: g.db])
  }

  /// **Gradients per sample.** `dw[N, F, C, KH, KW]` and `db[N, F]`: one per sample, not
  /// summed.
  static func gradientsPerSample(_ c: BugContext) -> VariantResult? {
    let g = c.geometry
    guard g.batch > 1, !c.wanted.isDisjoint(with: [.dw, .db]) else { return nil }
    var dw = ExpectedTensor(shape: [g.batch] + g.weightShape, values: [], magnitude: [], terms: 0)
    var db = ExpectedTensor(
      shape: [g.batch, c.config.filters], values: [], magnitude: [], terms: 0)
    for n in 0..<g.batch {
      guard let s = c.sample(n),
        let r = TapEngine.backward(
          s.plan, x: s.x, w: c.w, dy: s.dy, inputShape: s.inputShape,
          weightShape: g.weightShape)
      else { return nil }
      dw.values += r.dw.values
      dw.magnitude += r.dw.magnitude
      dw.terms = r.dw.terms
      db.values += r.db.values
      db.magnitude += r.db.magnitude
      db.terms = r.db.terms
    }
    return VariantResult([.dw: dw, .db: db])
  }

  /// **Divided by the batch.** `dw / N` and `db / N`.
  static func dividedByBatch(_ c: BugContext) -> VariantResult? {
    let n = Double(c.geometry.batch)
    guard n > 1, !c.wanted.isDisjoint(with: [.dw, .db]), let g = c.correctBackward() else {
      return nil
    }
    return VariantResult([.dw: g.dw.scaled(1 / n), .db: g.db.scaled(1 / n)])
  }

  /// **db over the wrong axes.** `dy` (in the user's layout) summed over another set of axes
  /// than every axis but the filters'; the set whose result has the shape of — and best fits —
  /// the user's `db` is chosen.
  static func dbWrongAxes(_ c: BugContext) -> VariantResult? {
    guard let userDB = c.user.db else { return nil }
    let layout = c.user.layout
    let dy = ExpectedTensor(
      shape: c.geometry.outputShape, values: c.dy, magnitude: c.dy.map(abs), terms: 1
    ).inFrame(layout)
    let names = layout == .nchw ? ["N", "F", "OH", "OW"] : ["N", "OH", "OW", "F"]
    let right: Set<Int> = layout == .nchw ? [0, 2, 3] : [0, 1, 2]
    var best: (e: ExpectedTensor, axes: [Int], misses: Int)?
    for bits in 1..<16 {
      let axes = (0..<4).filter { bits & (1 << $0) != 0 }
      guard Set(axes) != right else { continue }
      let kept = (0..<4).filter { !axes.contains($0) }
      let shape = kept.map { dy.shape[$0] }
      guard DataLayout.sameUpToUnitAxes(shape, userDB.shape) else { continue }
      let e = sum(dy, over: Set(axes), keeping: kept)
      let misses = CellStats.compare(userDB.data, e, c.tolerance, collect: false).mismatchCount
      if best == nil || misses < (best?.misses ?? 0) { best = (e, axes, misses) }
    }
    guard let best else { return nil }
    let over = best.axes.map { "\($0)" }.joined(separator: ", ")
    let of = names.joined(separator: ", ")
    return VariantResult(
      [.db: best.e],
      detail: "you sum dy over axes (\(over)) of [\(of)], i.e. over "
        + best.axes.map { names[$0] }.joined(separator: ", "))
  }

  /// `t` (rank 4) summed over `axes`, keeping `kept` in order; compared as is.
  static func sum(_ t: ExpectedTensor, over axes: Set<Int>, keeping kept: [Int]) -> ExpectedTensor {
    let s = t.shape
    let outShape = kept.map { s[$0] }
    let count = outShape.reduce(1, *)
    var values = [Double](repeating: 0, count: count)
    var magnitude = values
    var index = [0, 0, 0, 0]
    for k in 0..<t.values.count {
      var rest = k
      for a in stride(from: 3, through: 0, by: -1) {
        index[a] = rest % s[a]
        rest /= s[a]
      }
      var o = 0
      for a in kept { o = o * s[a] + index[a] }
      values[o] += t.values[k]
      magnitude[o] += t.magnitude[k]
    }
    let terms = axes.map { s[$0] }.reduce(1, *)
    return ExpectedTensor(
      shape: outShape, values: values, magnitude: magnitude, terms: terms, frame: .nchw)
  }

  /// The gradient of the zero-padded input `xpad[N, C, H + 2p, W + 2p]`.
  static func paddedInputGradient(_ c: BugContext) -> ExpectedTensor? {
    let g = c.geometry
    let p = c.config.padding
    guard p.h > 0 || p.w > 0 else { return nil }
    var config = c.config
    config.padding = Size2(0)
    config.paddingMode = .zeros
    let padded = [g.batch, config.inChannels, g.input.h + 2 * p.h, g.input.w + 2 * p.w]
    guard let pg = try? ConvGeometry(config: config, inputShape: padded) else { return nil }
    // The padded input as the layer pads it: zeros, or copies under a copying mode.
    var xpad = [Double](repeating: 0, count: padded.reduce(1, *))
    for a in 0..<(g.batch * config.inChannels) {
      for h in 0..<padded[2] {
        guard let sh = g.sourceRow(h - p.h) else { continue }
        for w in 0..<padded[3] {
          guard let sw = g.sourceColumn(w - p.w) else { continue }
          xpad[(a * padded[2] + h) * padded[3] + w] = c.x[(a * g.input.h + sh) * g.input.w + sw]
        }
      }
    }
    return TapEngine.backward(
      TapPlan(pg), x: xpad, w: c.w, dy: c.dy, inputShape: padded, weightShape: g.weightShape)?
      .dx
  }

  /// **dx not cropped.** The gradient of the padded input, `[N, C, H + 2p, W + 2p]`.
  static func dxNotCropped(_ c: BugContext) -> VariantResult? {
    guard c.wanted.contains(.dx), let dx = paddedInputGradient(c) else { return nil }
    return VariantResult([.dx: dx])
  }

  /// **dx cropped at the corner.** `dxpad[:, :, :H, :W]`.
  static func dxCroppedAtCorner(_ c: BugContext) -> VariantResult? {
    guard c.wanted.contains(.dx), let dxpad = paddedInputGradient(c) else { return nil }
    let g = c.geometry
    var dx = ExpectedTensor(
      shape: g.inputShape, values: [], magnitude: [], terms: dxpad.terms)
    let (hp, wp) = (dxpad.shape[2], dxpad.shape[3])
    for a in 0..<(g.batch * c.config.inChannels) {
      for h in 0..<g.input.h {
        for w in 0..<g.input.w {
          dx.values.append(dxpad.values[(a * hp + h) * wp + w])
          dx.magnitude.append(dxpad.magnitude[(a * hp + h) * wp + w])
        }
      }
    }
    return VariantResult([.dx: dx])
  }

  /// **Backward from your y.** The correct backward pass with the user's own `y` as `dy`
  /// (only when the gradient is the output itself).
  static func backwardFromYourY(_ c: BugContext) -> VariantResult? {
    guard c.dyIsUsersY, let g = c.correctBackward() else { return nil }
    var result: [CheckedTensor: ExpectedTensor] = [:]
    for (name, e) in [(CheckedTensor.dx, g.dx), (.dw, g.dw), (.db, g.db)]
    where c.wanted.contains(name) {
      result[name] = e
    }
    return result.isEmpty ? nil : VariantResult(result)
  }
}
