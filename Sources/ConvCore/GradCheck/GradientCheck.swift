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
  ///   - progress: called after each checked cell with the outputs evaluated so far and the
  ///     most there can be (dx, dw and db together), for a progress line.
  public static func conv2d(
    x: Tensor, weight: Tensor, bias: Tensor, dy: Tensor, config: Conv2DConfig,
    analytic: Conv2DGradients, epsilon: Double = 1e-3, maxCellsPerTensor: Int? = nil,
    seed: UInt64 = 0, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
  ) throws -> GradientCheckReport {
    let g = try Conv2D.geometry(config: config, x: x, weight: weight, bias: bias)
    try dy.requireShape(g.outputShape, name: "output gradient dy")
    try analytic.dx.requireShape(x.shape, name: "analytic dx")
    try analytic.dw.requireShape(weight.shape, name: "analytic dw")
    try analytic.db.requireShape(bias.shape, name: "analytic db")
    guard epsilon > 0, epsilon.isFinite else {
      throw ConvError.invalidParameter(name: "epsilon", value: "\(epsilon)", requirement: "> 0")
    }
    let d = FiniteDifferences(
      x: x, weight: weight, bias: bias, dy: dy, geometry: g, epsilon: epsilon)
    let taps = g.config.groupChannels * g.config.kernel.h * g.config.kernel.w
    // Progress counts the outputs evaluated (the work), against the most there can be.
    let counts = [d.xs.count, d.ws.count, d.bs.count]
    let checked = counts.map { min($0, maxCellsPerTensor ?? $0) }
    let perFilter = g.batch * g.output.h * g.output.w
    let total =
      checked[0] * WorkBudget.dxReach(geometry: g) + (checked[1] + checked[2]) * perFilter
    var done = 0
    func evaluate(
      _ parameter: ReferenceWritableKeyPath<FiniteDifferences, [Double]>, _ idx: Int,
      _ outputs: [FiniteDifferences.Output]
    ) -> Double {
      defer {
        done += outputs.count
        progress?(done, total)
      }
      return d.derivative(parameter, idx, over: outputs)
    }
    let dxNumeric = numeric(count: counts[0], limit: maxCellsPerTensor, seed: seed) { idx in
      evaluate(\.xs, idx, d.outputsReached(byInput: idx))
    }
    let dwNumeric = numeric(count: counts[1], limit: maxCellsPerTensor, seed: seed &+ 1) { idx in
      evaluate(\.ws, idx, d.outputs(ofFilter: idx / taps))
    }
    let dbNumeric = numeric(count: counts[2], limit: maxCellsPerTensor, seed: seed &+ 2) { idx in
      evaluate(\.bs, idx, d.outputs(ofFilter: idx))
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

// MARK: - FiniteDifferences

/// The parameters of one check in `Double`, perturbed one at a time.
private final class FiniteDifferences {
  /// One output cell `y[n, f, i, j]`.
  typealias Output = (n: Int, f: Int, i: Int, j: Int)

  var xs: [Double]
  var ws: [Double]
  var bs: [Double]
  let dys: [Double]
  let g: ConvGeometry
  let epsilon: Double

  init(x: Tensor, weight: Tensor, bias: Tensor, dy: Tensor, geometry: ConvGeometry, epsilon: Double)
  {
    xs = x.doubles
    ws = weight.doubles
    bs = bias.doubles
    dys = dy.doubles
    g = geometry
    self.epsilon = epsilon
  }

  /// `Σ dy · y` over `outputs`, with the parameters as they are now.
  func loss(_ outputs: [Output]) -> Double {
    let (f, oh, ow) = (g.config.filters, g.output.h, g.output.w)
    var sum = 0.0
    for o in outputs {
      let y = ReferenceConv.outputValue(
        x: xs, w: ws, b: bs, geometry: g, n: o.n, f: o.f, i: o.i, j: o.j)
      sum += dys[((o.n * f + o.f) * oh + o.i) * ow + o.j] * y
    }
    return sum
  }

  /// `(L(θ+ε) − L(θ−ε)) / 2ε` for the parameter `parameter[index]`, the loss evaluated over
  /// `outputs` (the outputs it reaches); the parameter is restored.
  func derivative(
    _ parameter: ReferenceWritableKeyPath<FiniteDifferences, [Double]>, _ index: Int,
    over outputs: [Output]
  ) -> Double {
    let saved = self[keyPath: parameter][index]
    self[keyPath: parameter][index] = saved + epsilon
    let plus = loss(outputs)
    self[keyPath: parameter][index] = saved - epsilon
    let minus = loss(outputs)
    self[keyPath: parameter][index] = saved
    return (plus - minus) / (2 * epsilon)
  }

  /// Every output of filter `f` (what one of its weights or its bias reaches).
  func outputs(ofFilter f: Int) -> [Output] {
    var r: [Output] = []
    for n in 0..<g.batch {
      for i in 0..<g.output.h {
        for j in 0..<g.output.w { r.append((n, f, i, j)) }
      }
    }
    return r
  }

  /// The outputs whose window reads input cell `index` (flat, row-major), directly or through a
  /// padding cell that copies it, in every filter of its channel's group; each output once.
  func outputsReached(byInput index: Int) -> [Output] {
    let c = g.config
    let col = index % g.input.w
    let h = (index / g.input.w) % g.input.h
    let channel = (index / (g.input.w * g.input.h)) % c.inChannels
    let n = index / (g.input.w * g.input.h * c.inChannels)
    let rows = Set(g.readers(ofRow: h).map(\.i)).sorted()
    let cols = Set(g.readers(ofColumn: col).map(\.j)).sorted()
    var outs: [Output] = []
    for f in g.filters(readingChannel: channel).filters {
      for i in rows {
        for j in cols { outs.append((n, f, i, j)) }
      }
    }
    return outs
  }
}
