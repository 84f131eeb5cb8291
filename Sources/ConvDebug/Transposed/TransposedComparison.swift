import ConvCore
import ConvStepper
import NumberText

// MARK: - TransposedComparison

/// The user's tensors compared with the correct ones for a transposed convolution: what
/// ``Comparison`` is for a conv2d, for `convscope check --case` on a `conv_transpose2d` case.
///
/// The correct values are the scatter form's, summed in `Double` from the float32 tensors; the
/// comparison follows the same ``Tolerance`` (numpy.allclose plus the float32 allowance, from
/// each cell's own terms) and gives the same ``TensorComparison`` per tensor. A transposed layer
/// has no conv2d window, so there is no forward window to jump to: a differing cell's formula
/// lists the products that land on it instead (``correctFormula(_:flat:ascii:maxTerms:)``).
public struct TransposedComparison: Sendable {
  /// The layer.
  public let layer: TransposedLayer
  /// The user's tensors.
  public let user: UserTensors
  /// The tolerance.
  public let tolerance: Tolerance
  /// One result per tensor the user gave, in the order y, dx, dw, db.
  public let results: [TensorComparison]
  /// The correct tensors, channels first.
  let expected: [CheckedTensor: ExpectedTensor]
  let x: [Double]
  let w: [Double]
  let b: [Double]
  let dy: [Double]

  /// Compares `user` with the correct results of `layer`; throws only for a tolerance that is
  /// not finite and ≥ 0.
  public init(layer: TransposedLayer, user: UserTensors, tolerance: Tolerance = Tolerance())
    throws
  {
    try tolerance.validate()
    self.layer = layer
    self.user = user
    self.tolerance = tolerance
    (x, w, b, dy) = (layer.x.doubles, layer.w.doubles, layer.b.doubles, layer.dy.doubles)
    let scatter = layer.scatter
    let grads = scatter.backward(x: x, w: w, dy: dy, weightShape: layer.w.shape)
    let expected: [CheckedTensor: ExpectedTensor] = [
      .y: scatter.forward(x: x, w: w, b: b), .dx: grads.dx, .dw: grads.dw, .db: grads.db,
    ]
    self.expected = expected
    results = user.given.compactMap { name in
      guard let t = user[name], let e = expected[name] else { return nil }
      return TensorComparison(name, user: user, userTensor: t, expected: e, tolerance: tolerance)
    }
  }

  /// The result for `name`, if the user gave it.
  public subscript(_ name: CheckedTensor) -> TensorComparison? {
    results.first { $0.tensor == name }
  }

  /// Whether every tensor the user gave agrees.
  public var allMatch: Bool { results.allSatisfy(\.matches) }

  /// The tensors that disagree (wrong shape or differing cells).
  public var mismatching: [CheckedTensor] { results.filter { !$0.matches }.map(\.tensor) }

  /// The correct value of a tensor (channels first), for tensors the user did not give too.
  public func correct(_ name: CheckedTensor) -> Tensor? { expected[name]?.tensor }

  /// Cell `flat` (channels first) of `tensor`, when the user gave that tensor in the right shape.
  public func cell(_ tensor: CheckedTensor, flat: Int) -> CellCheck? {
    guard let r = self[tensor], let u = r.user, flat >= 0, flat < u.count else { return nil }
    return CellCheck(
      tensor: tensor, flat: flat, index: r.index(ofFlat: flat), user: u.data[flat],
      correct: r.correct.data[flat], differs: r.mask[flat])
  }
}

// MARK: - The correct formula of a cell

extension TransposedComparison {
  /// How the correct value of cell `flat` (channels first) of `tensor` is made, with numbers,
  /// in the scatter form (no window: the products that land on the cell):
  /// - `y`: `y[n,f,i,j] = b + Σ x·w = 0.1 + (1×−1) + … = 2.5` over the input cells and taps
  ///   that land on it;
  /// - `dx`: `Σ dy·w` over the output cells the input cell lands on;
  /// - `dw`: `Σ dy·x` over every input cell and the output cell its tap lands on;
  /// - `db`: `Σ dy`.
  ///
  /// After `maxTerms` terms the rest is summarised as `+ … (k more)`; the total is always the
  /// correct value. nil for an index out of range.
  public func correctFormula(
    _ tensor: CheckedTensor, flat: Int, ascii: Bool = false, maxTerms: Int = 12
  ) -> String? {
    guard let e = expected[tensor], flat >= 0, flat < e.values.count else { return nil }
    let symbols = ArithmeticSymbols(ascii: ascii)
    let f = { (v: Double) in NumberFormat.short(Float(v), ascii: ascii) }
    var pairs: [(Double, Double)] = []
    var singles: [Double] = []
    switch tensor {
    case .y:
      layer.scatter.forEachProduct { yi, xi, wi in if yi == flat { pairs.append((x[xi], w[wi])) } }
    case .dx:
      layer.scatter.forEachProduct { yi, xi, wi in if xi == flat { pairs.append((dy[yi], w[wi])) } }
    case .dw:
      layer.scatter.forEachProduct { yi, xi, wi in if wi == flat { pairs.append((dy[yi], x[xi])) } }
    case .db:
      let plane = layer.outputShape[2] * layer.outputShape[3]
      for k in dy.indices where (k / plane) % b.count == flat { singles.append(dy[k]) }
    }
    let label =
      "\(tensor)["
      + TensorComparison.unflatten(flat, shape: e.shape).map(String.init)
      .joined(separator: ",") + "]"
    let (dot, sigma) = (symbols.dot, symbols.sigma + " ")
    let symbolic: String
    var terms: [String]
    let count: Int
    switch tensor {
    case .y:
      let bias = b[flat / (layer.outputShape[2] * layer.outputShape[3]) % b.count]
      symbolic = "b + \(sigma)x\(dot)w"
      terms = [f(bias)] + pairs.prefix(maxTerms).map { "(\(f($0.0))\(symbols.times)\(f($0.1)))" }
      count = pairs.count + 1
    case .db:
      symbolic = "\(sigma)dy"
      terms = singles.prefix(maxTerms).map(f)
      count = singles.count
    case .dx, .dw:
      symbolic = tensor == .dx ? "\(sigma)dy\(dot)w" : "\(sigma)dy\(dot)x"
      terms = pairs.prefix(maxTerms).map { "(\(f($0.0))\(symbols.times)\(f($0.1)))" }
      count = pairs.count
    }
    var body = terms.isEmpty ? "0" : terms.joined(separator: " + ")
    if count > terms.count { body += " + \(symbols.ellipsis) (\(count - terms.count) more)" }
    return "\(label) = \(symbolic) = \(body) = \(f(e.values[flat]))"
  }
}
