import ConvCore
import NumberText

// MARK: - A constant offset per filter (issue 13)

extension BugInfo {
  /// The bias added twice.
  public static let biasTwice = BugInfo(
    id: "bias-added-twice",
    title: "the bias is added twice",
    explanation:
      "Every output of filter f is off by exactly +b[f]: the bias is added once in the window "
      + "sum and once more after it (or the layer's bias and your own both add it).",
    fix: "Add b[f] once to every output of filter f: y[n, f, i, j] = Σ x·w + b[f].",
    separatingHint: "non-zero biases and other than 2 input channels (the bias once per channel "
      + "then adds C·b, not 2·b)", affects: [.y])

  /// A constant offset per filter that is not ±b.
  public static let constantOffset = BugInfo(
    id: "constant-offset-per-filter",
    title: "every output of a filter is off by the same constant: a wrong bias",
    explanation:
      "Your window sums are right, but each filter's outputs are shifted by one constant: the "
      + "bias added is not b[f] (a bias from another layer or filter, a stale or zeroed one, "
      + "or a constant added by mistake).",
    fix: "Add exactly b[f] to every output of filter f, once; the offsets above are what your "
      + "code adds beyond (or short of) it.",
    separatingHint: "any data", affects: [.y])
}

extension Bugs {
  /// **Bias twice.** `y = Σ x·w + 2·b[f]`.
  static func biasTwice(_ c: BugContext) -> VariantResult? {
    guard c.b.contains(where: { $0 != 0 }), c.wanted.contains(.y), var y = c.correct(.y) else {
      return nil
    }
    let plane = y.shape[2] * y.shape[3]
    for k in y.values.indices {
      let b = c.b[k / plane % c.config.filters]
      y.values[k] += b
      y.magnitude[k] += abs(b)
    }
    return VariantResult([.y: y], detail: offsetDetail("+b", c.b))
  }

  /// **A constant offset per filter.** The correct `y` plus, per filter, the mean of the user's
  /// differences — when that offset is not −b, +b or (C − 1)·b (the bias mistakes named on
  /// their own).
  static func constantOffset(_ c: BugContext) -> VariantResult? {
    guard c.differing.contains(.y), let offsets = filterOffsets(c), var y = c.correct(.y),
      offsets.contains(where: { $0 != 0 })
    else { return nil }
    let channels = Double(c.config.groupChannels)
    for known in [c.b.map { -$0 }, c.b, c.b.map { $0 * (channels - 1) }]
    where zip(offsets, known).allSatisfy({ abs($0 - $1) <= 1e-5 + 1e-4 * abs($1) }) {
      return nil
    }
    let plane = y.shape[2] * y.shape[3]
    for k in y.values.indices {
      let o = offsets[k / plane % c.config.filters]
      y.values[k] += o
      y.magnitude[k] += abs(o)
    }
    return VariantResult([.y: y], detail: offsetDetail(nil, offsets))
  }

  /// Per filter, the mean of the user's `y` minus the correct `y` (nil when `y` was not given
  /// in the right shape).
  static func filterOffsets(_ c: BugContext) -> [Double]? {
    guard let e = c.correct(.y), let theirs = c.user.channelsFirst(.y, expected: e.shape)
    else { return nil }
    let filters = c.config.filters
    let plane = e.shape[2] * e.shape[3]
    var sums = [Double](repeating: 0, count: filters)
    for (k, u) in theirs.doubles.enumerated() {
      sums[k / plane % filters] += u - e.values[k]
    }
    let count = Double(max(1, e.shape[0] * plane))
    return sums.map { s in
      let m = s / count
      return abs(m) < 1e-6 ? 0 : Double(Float(m))
    }
  }

  /// `your y − correct y = +b per filter, f = 0…2: +0.5, −0.25, +1` (`what` nil: `a constant
  /// offset per filter, f = 0…2: +0.5, −0.25, +1`).
  static func offsetDetail(_ what: String?, _ values: [Double]) -> String {
    let shown =
      values.prefix(8).map { v -> String in
        let t = NumberFormat.short(Float(v))
        return v > 0 ? "+" + t : t
      }.joined(separator: ", ") + (values.count > 8 ? ", …" : "")
    let filters = values.count == 1 ? "f = 0" : "f = 0…\(values.count - 1)"
    guard let what else { return "a constant offset per filter, \(filters): \(shown)" }
    return "your y − correct y = \(what) per filter, \(filters): " + shown
  }
}
