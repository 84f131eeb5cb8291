import ConvCore
import ConvStepper
import NumberText

// MARK: - More backward-pass mistakes (issue 13)

extension BugInfo {
  /// dx scattered at stride 1.
  public static let dxStrideIgnored = BugInfo(
    id: "dx-stride-ignored",
    title: "dx is scattered at stride 1 although the forward pass used a stride",
    explanation:
      "The backward pass adds window (i, j)'s dy·w to input row i + p·d − pad instead of "
      + "i·s + p·d − pad: it forgets the stride when it scatters the gradient back, so dx lands "
      + "in the wrong cells (packed towards the top left). dw and the forward pass are right.",
    fix: "Scatter to the cells the forward pass read: dx[n, c, i*s + p*d - pad, j*s + q*d - pad] "
      + "+= dy[n, f, i, j] * w[f, c, p, q] (as a full convolution: put s − 1 zeros between dy's "
      + "cells first).",
    separatingHint: "stride > 1", affects: [.dx])

  /// Dilation ignored in the backward pass only.
  public static let dilationIgnoredInBackward = BugInfo(
    id: "dilation-ignored-in-backward",
    title: "the dilation is ignored in the backward pass (the forward pass is right)",
    explanation:
      "Your forward pass spaces the taps by the dilation, but your backward pass reads and "
      + "scatters them next to each other, so dx and dw belong to an undilated kernel.",
    fix: "Use the forward pass's tap positions in backward too: row i*s + p*d - pad, column "
      + "j*s + q*d - pad, for both dw and dx.",
    separatingHint: "dilation > 1 and a kernel larger than 1×1", affects: [.dx, .dw])

  /// dw and db from the first sample only.
  public static let firstSampleOnly = BugInfo(
    id: "first-sample-only",
    title: "dw and db come from the first sample only",
    explanation:
      "The weight and bias gradients are those of x[0] and dy[0] alone: the loop over samples "
      + "stops after one (a misplaced return or break), or x[0] is used where x[n] was meant.",
    fix: "Add every sample's part: dw = Σ over n of the per-sample gradients (or sum over axis "
      + "0), and the same for db.",
    separatingHint: "a batch of 2 or more", affects: [.dw, .db])

  /// The backward pass run with another dy.
  public static let otherGradient = BugInfo(
    id: "backward-other-dy",
    title: "the backward pass is right, but for another dy than the one checked against",
    explanation:
      "Your dx, dw and db are exactly this layer's gradients for a different output gradient "
      + "dy — every one of them differs from the correct ones by the same change of dy at each "
      + "output position. The dy your code used is named above.",
    fix: "Check against the dy your code used (the --grad value named above), or, if that dy "
      + "is not the one you meant, feed your backward pass the intended dy.",
    separatingHint: "an output gradient that is not all ones", affects: [.dx, .dw, .db])
}

extension Bugs {
  /// **dx at stride 1.** The backward pass scatters window `(i, j)` to rows `i + p·d − pad`.
  static func dxStrideIgnored(_ c: BugContext) -> VariantResult? {
    let s = c.config.stride
    guard s.h > 1 || s.w > 1, c.wanted.contains(.dx) else { return nil }
    var plan = c.plan
    plan.windowStep = Size2(1)
    plan.outputOverride = c.geometry.output
    return VariantResult(c.run(plan, forward: false, gradients: [.dx]))
  }

  /// **Dilation ignored in backward.** Adjacent taps in the backward pass only.
  static func dilationIgnoredInBackward(_ c: BugContext) -> VariantResult? {
    let (d, k) = (c.config.dilation, c.config.kernel)
    guard (d.h > 1 && k.h > 1) || (d.w > 1 && k.w > 1) else { return nil }
    var plan = c.plan
    plan.tapStep = Size2(1)
    plan.outputOverride = c.geometry.output
    return VariantResult(c.run(plan, forward: false, gradients: [.dx, .dw]))
  }

  /// **First sample only.** `dw` and `db` of sample 0 alone.
  static func firstSampleOnly(_ c: BugContext) -> VariantResult? {
    guard c.geometry.batch > 1, !c.wanted.isDisjoint(with: [.dw, .db]),
      let s = c.sample(0),
      let g = TapEngine.backward(
        s.plan, x: s.x, w: c.w, dy: s.dy, inputShape: s.inputShape,
        weightShape: c.geometry.weightShape)
    else { return nil }
    return VariantResult([.dw: g.dw, .db: g.db])
  }

  /// **Another dy.** The correct backward pass for the output gradients `--grad` offers (ones,
  /// the output, random with seed 0) and for the given `dy` times the one factor that fits the
  /// user's gradients best; the first that reproduces every gradient the user gave (else the
  /// closest) is returned, with the `--grad` value that reproduces it.
  static func otherGradient(_ c: BugContext) -> VariantResult? {
    let grads: Set<CheckedTensor> = [.dx, .dw, .db]
    guard let source = c.gradientSource, !c.dyIsUsersY,
      !c.differing.intersection(grads).isEmpty
    else { return nil }
    let probe = c.firstDiffering(.dx)
    var best: (result: VariantResult, misses: Int)?
    for (dy, detail) in gradientCandidates(c, source: source) {
      // db is dy summed per filter: a candidate whose db differs is no match.
      if c.wanted.contains(.db), c.misses(dbOf(dy, c), of: .db) != 0 { continue }
      if let probe, !dxAgrees(at: probe, dy: dy, c) { continue }
      guard
        let g = TapEngine.backward(
          c.plan, x: c.x, w: c.w, dy: dy, inputShape: c.geometry.inputShape,
          weightShape: c.geometry.weightShape)
      else { continue }
      var tensors: [CheckedTensor: ExpectedTensor] = [:]
      for (name, e) in [(CheckedTensor.dx, g.dx), (.dw, g.dw), (.db, g.db)]
      where c.wanted.contains(name) {
        tensors[name] = e
      }
      let misses = tensors.reduce(0) { $0 + (c.misses($1.value, of: $1.key) ?? Int.max / 8) }
      if best == nil || misses < (best?.misses ?? 0) {
        best = (VariantResult(tensors, detail: detail), misses)
      }
      if misses == 0 { break }
    }
    return best?.result
  }

  /// Whether the correct backward pass with output gradient `dy` gives the user's value at
  /// `probe`, a cell of `dx` (only the windows that read that cell are run).
  static func dxAgrees(at probe: (flat: Int, user: Float), dy: [Double], _ c: BugContext) -> Bool {
    let g = c.geometry
    let (s, d, pad, k) = (c.config.stride, c.config.dilation, c.config.padding, c.config.kernel)
    let (h, w) = (probe.flat / g.input.w % g.input.h, probe.flat % g.input.w)
    var plan = c.plan
    // The windows that read the cell, directly or through a copying padding cell.
    plan.computes = { i, j in
      (0..<k.h).contains { g.sourceRow(i * s.h + $0 * d.h - pad.h) == h }
        && (0..<k.w).contains { g.sourceColumn(j * s.w + $0 * d.w - pad.w) == w }
    }
    guard
      let r = TapEngine.backward(
        plan, x: c.x, w: c.w, dy: dy, inputShape: g.inputShape, weightShape: g.weightShape)
    else { return false }
    return c.tolerance.accepts(
      probe.user, correct: r.dx.values[probe.flat], magnitude: r.dx.magnitude[probe.flat],
      terms: r.dx.terms)
  }

  /// `db` for output gradient `dy`: its sum per filter.
  static func dbOf(_ dy: [Double], _ c: BugContext) -> ExpectedTensor {
    let filters = c.config.filters
    let plane = c.geometry.output.h * c.geometry.output.w
    var db = [Double](repeating: 0, count: filters)
    var magnitude = db
    for (k, v) in dy.enumerated() {
      db[k / plane % filters] += v
      magnitude[k / plane % filters] += abs(v)
    }
    return ExpectedTensor(
      shape: [filters], values: db, magnitude: magnitude, terms: c.geometry.batch * plane)
  }

  /// The output gradients to try, each with what to say when it fits.
  static func gradientCandidates(_ c: BugContext, source: GradientSource) -> [(
    [Double], String
  )] {
    let shape = c.geometry.outputShape
    let count = shape.reduce(1, *)
    var list: [([Double], String)] = []
    if source != .ones {
      list.append(
        (
          [Double](repeating: 1, count: count),
          "your gradients are those of dy = ones: check with --grad ones"
        ))
    }
    if source != .output, let y = c.correct(.y) {
      list.append((y.values, "your gradients are those of dy = y: check with --grad output"))
    }
    if source != .random(seed: 0) {
      list.append(
        (
          Tensor.uniform(shape: shape, seed: 0).doubles,
          "your gradients are those of a random dy: check with --grad random --seed 0"
        ))
    }
    if let k = gradientScale(c), abs(k - 1) > 1e-3 {
      let inverse = 1 / k
      let shown =
        abs(inverse - inverse.rounded()) < 1e-3 * abs(inverse) && abs(inverse) >= 2
        ? "dy ÷ \(Int(inverse.rounded()))" : "dy × \(NumberFormat.short(Float(k)))"
      list.append(
        (
          c.dy.map { $0 * k },
          "your gradients are those of \(shown), as with a mean in the loss: check with --grad "
            + "FILE holding \(shown)"
        ))
    }
    return list
  }

  /// The factor `k` that makes `k ×` the correct gradient closest (least squares) to the user's,
  /// from the first of dw, dx, db the user gave in the right shape; nil when there is none or it
  /// is 0.
  static func gradientScale(_ c: BugContext) -> Double? {
    for name in [CheckedTensor.dw, .dx, .db] {
      guard let e = c.correct(name), let theirs = c.user.channelsFirst(name, expected: e.shape)
      else { continue }
      var (uc, cc) = (0.0, 0.0)
      for (u, v) in zip(theirs.doubles, e.values) {
        uc += u * v
        cc += v * v
      }
      guard cc > 0, uc.isFinite else { continue }
      let k = uc / cc
      return k != 0 ? k : nil
    }
    return nil
  }
}

extension BugContext {
  /// The first cell (channels first) where the user's `name` differs from the correct value,
  /// with the user's value there; nil when it agrees or was not given in the right shape.
  func firstDiffering(_ name: CheckedTensor) -> (flat: Int, user: Float)? {
    guard let e = correct(name), let theirs = user.channelsFirst(name, expected: e.shape)
    else { return nil }
    for k in e.values.indices
    where !tolerance.accepts(
      theirs.data[k], correct: e.values[k], magnitude: e.magnitude[k], terms: e.terms)
    {
      return (k, theirs.data[k])
    }
    return nil
  }

  /// How many cells of the user's `name` differ from `e` (nil when the user did not give it or
  /// its shape differs).
  func misses(_ e: ExpectedTensor, of name: CheckedTensor) -> Int? {
    guard let theirs = user[name] else { return nil }
    let framed = e.inFrame(user.layout)
    guard DataLayout.sameUpToUnitAxes(framed.shape, theirs.shape) else { return nil }
    return CellStats.compare(theirs.data, framed, tolerance, collect: false).mismatchCount
  }
}
