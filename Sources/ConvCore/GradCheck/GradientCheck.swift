// MARK: - GradientCheckReport

/// The result of a finite-difference gradient check of one convolution.
public struct GradientCheckReport: Sendable, Equatable {
  /// The check of one gradient tensor.
  public struct TensorReport: Sendable, Equatable {
    /// `dx`, `dw` or `db`.
    public var name: String
    /// The largest relative error over the checked cells.
    public var maxRelativeError: Double
    /// The largest absolute error over the checked cells.
    public var maxAbsoluteError: Double
    /// Flat index of the cell with the largest relative error (−1 when nothing was checked).
    public var worstIndex: Int
    /// How many cells were checked.
    public var checked: Int
    /// How many cells the tensor has.
    public var total: Int
    /// Per-cell relative error (`nil` for cells not checked), flat row-major.
    public var relativeErrors: [Double?]
  }

  /// ∂L/∂x.
  public var dx: TensorReport
  /// ∂L/∂w.
  public var dw: TensorReport
  /// ∂L/∂b.
  public var db: TensorReport
  /// The step used for the central differences.
  public var epsilon: Double

  /// The three reports in order dx, dw, db.
  public var tensors: [TensorReport] { [dx, dw, db] }

  /// The largest relative error over all three tensors.
  public var maxRelativeError: Double { tensors.map(\.maxRelativeError).max() ?? 0 }

  /// Whether every relative error is below `threshold` (default 1e-3, ample for `Float`
  /// gradients checked against `Double` differences).
  public func passed(threshold: Double = 1e-3) -> Bool { maxRelativeError < threshold }
}

// MARK: - GradientCheck

/// Central finite differences, in `Double`, of the loss `L = Σ dy · y` with respect to every
/// input, weight and bias, compared with the analytic gradients.
///
/// `L` is linear in each single parameter, so the central difference
/// `(L(θ+ε) − L(θ−ε)) / 2ε` equals the true derivative up to `Double` rounding. Each perturbed
/// loss is evaluated only over the outputs the parameter reaches (the rest cancel exactly), which
/// keeps the check affordable. The relative error of a cell is
/// `|analytic − numeric| / max(|analytic|, |numeric|, 1e-4 · scale)`, where `scale` is the largest
/// |numeric| in that tensor: a floor that keeps cells whose true gradient is nearly zero from
/// dividing `Float` rounding noise by almost nothing.
public enum GradientCheck {
  /// Checks `analytic` against finite differences.
  ///
  /// - Parameters:
  ///   - maxCellsPerTensor: check at most this many cells of each tensor, chosen with `seed`
  ///     (all of them when `nil` or when the tensor is smaller).
  public static func conv2d(
    x: Tensor, weight: Tensor, bias: Tensor, dy: Tensor, config: Conv2DConfig,
    analytic: Conv2DGradients, epsilon: Double = 1e-3, maxCellsPerTensor: Int? = nil,
    seed: UInt64 = 0
  ) throws -> GradientCheckReport {
    let g = try Conv2D.geometry(config: config, x: x, weight: weight, bias: bias)
    try dy.requireShape(g.outputShape, name: "output gradient dy")
    try analytic.dx.requireShape(x.shape, name: "analytic dx")
    try analytic.dw.requireShape(weight.shape, name: "analytic dw")
    try analytic.db.requireShape(bias.shape, name: "analytic db")
    guard epsilon > 0, epsilon.isFinite else {
      throw ConvError.invalidParameter(name: "epsilon", value: "\(epsilon)", requirement: "> 0")
    }

    var xs = x.doubles
    var ws = weight.doubles
    var bs = bias.doubles
    let dys = dy.doubles
    let (F, C) = (g.config.filters, g.config.inChannels)
    let (OH, OW) = (g.output.h, g.output.w)
    let k = g.config.kernel

    func loss(outputs: [(n: Int, f: Int, i: Int, j: Int)]) -> Double {
      var sum = 0.0
      for o in outputs {
        let y = ReferenceConv.outputValue(
          x: xs, w: ws, b: bs, geometry: g, n: o.n, f: o.f, i: o.i, j: o.j)
        sum += dys[((o.n * F + o.f) * OH + o.i) * OW + o.j] * y
      }
      return sum
    }

    func filterOutputs(_ f: Int) -> [(n: Int, f: Int, i: Int, j: Int)] {
      var r: [(n: Int, f: Int, i: Int, j: Int)] = []
      for n in 0..<g.batch {
        for i in 0..<OH {
          for j in 0..<OW { r.append((n, f, i, j)) }
        }
      }
      return r
    }

    /// (L(θ+ε) − L(θ−ε)) / 2ε for a parameter of value `saved` that `set` changes, the loss
    /// evaluated over `outs` (the outputs it reaches); the parameter is restored.
    func central(
      _ saved: Double, _ set: (Double) -> Void, _ outs: [(n: Int, f: Int, i: Int, j: Int)]
    ) -> Double {
      set(saved + epsilon)
      let plus = loss(outputs: outs)
      set(saved - epsilon)
      let minus = loss(outputs: outs)
      set(saved)
      return (plus - minus) / (2 * epsilon)
    }

    // dx
    let dxNumeric = numeric(count: xs.count, limit: maxCellsPerTensor, seed: seed) { idx in
      let col = idx % g.input.w
      let h = (idx / g.input.w) % g.input.h
      let n = idx / (g.input.w * g.input.h * C)
      var outs: [(n: Int, f: Int, i: Int, j: Int)] = []
      for p in 0..<k.h {
        let ri = h + g.config.padding.h - p * g.config.dilation.h
        guard ri >= 0, ri % g.config.stride.h == 0, ri / g.config.stride.h < OH else { continue }
        for q in 0..<k.w {
          let rj = col + g.config.padding.w - q * g.config.dilation.w
          guard rj >= 0, rj % g.config.stride.w == 0, rj / g.config.stride.w < OW else { continue }
          for f in 0..<F { outs.append((n, f, ri / g.config.stride.h, rj / g.config.stride.w)) }
        }
      }
      return central(xs[idx], { xs[idx] = $0 }, outs)
    }

    // dw
    let dwNumeric = numeric(count: ws.count, limit: maxCellsPerTensor, seed: seed &+ 1) { idx in
      let outs = filterOutputs(idx / (C * k.h * k.w))
      return central(ws[idx], { ws[idx] = $0 }, outs)
    }

    // db
    let dbNumeric = numeric(count: bs.count, limit: maxCellsPerTensor, seed: seed &+ 2) { idx in
      let outs = filterOutputs(idx)
      return central(bs[idx], { bs[idx] = $0 }, outs)
    }

    return GradientCheckReport(
      dx: compare("dx", analytic.dx, dxNumeric),
      dw: compare("dw", analytic.dw, dwNumeric),
      db: compare("db", analytic.db, dbNumeric),
      epsilon: epsilon)
  }

  /// Evaluates `derivative` for every cell, or a seeded sample of `limit` cells.
  static func numeric(
    count: Int, limit: Int?, seed: UInt64, derivative: (Int) -> Double
  ) -> [Double?] {
    var result = [Double?](repeating: nil, count: count)
    var cells = Array(0..<count)
    if let limit, limit < count {
      var generator = SeededGenerator(seed: seed)
      cells.shuffle(using: &generator)
      cells = Array(cells.prefix(max(0, limit))).sorted()
    }
    for idx in cells { result[idx] = derivative(idx) }
    return result
  }

  static func compare(_ name: String, _ analytic: Tensor, _ numeric: [Double?])
    -> GradientCheckReport.TensorReport
  {
    let scale = numeric.reduce(0.0) { max($0, abs($1 ?? 0)) }
    let floor = max(1e-4 * scale, Double.leastNormalMagnitude)
    var report = GradientCheckReport.TensorReport(
      name: name, maxRelativeError: 0, maxAbsoluteError: 0, worstIndex: -1, checked: 0,
      total: analytic.count, relativeErrors: Array(repeating: nil, count: analytic.count))
    for idx in numeric.indices {
      guard let num = numeric[idx] else { continue }
      let a = Double(analytic.data[idx])
      let absErr = abs(a - num)
      let rel = absErr == 0 ? 0 : absErr / max(abs(a), abs(num), floor)
      let relative = rel.isNaN ? Double.infinity : rel
      report.relativeErrors[idx] = relative
      report.checked += 1
      report.maxAbsoluteError = max(report.maxAbsoluteError, absErr.isNaN ? .infinity : absErr)
      if report.worstIndex < 0 || relative > report.maxRelativeError {
        report.maxRelativeError = relative
        report.worstIndex = idx
      }
    }
    return report
  }
}
