import ConvCore

// MARK: - TransposedLayer

/// A transposed convolution to check (PyTorch's `ConvTranspose2d`): its tensors and its spec.
///
/// `x[N, C, H, W]`, `w[C, F/G, KH, KW]`, `b[F]`, and the output gradient `dy[N, F, OH, OW]`
/// with `OH = (H − 1)·sh − 2·ph + dh·(KH − 1) + oph + 1` (likewise OW). Every input cell adds
/// `x·w[c, f′, p, q]` to `y[n, g·F/G + f′, i·sh − ph + p·dh, j·sw − pw + q·dw]`: the scatter
/// form, in which a cell of `y` has no window of its own.
public struct TransposedLayer: Sendable {
  /// The input `[N, C, H, W]`.
  public let x: Tensor
  /// The weights `[C, F/G, KH, KW]`.
  public let w: Tensor
  /// The biases `[F]`.
  public let b: Tensor
  /// The output gradient `[N, F, OH, OW]`.
  public let dy: Tensor
  /// Stride, padding, output_padding, dilation, groups (``GeneralConvSpec/transposed`` set).
  public let spec: GeneralConvSpec
  /// The output shape `[N, F, OH, OW]`.
  public let outputShape: [Int]

  /// The layer; throws a one-line error when the tensors do not fit the spec (or the spec is
  /// not transposed). `dy` nil: all ones (the gradient of `L = Σ y`).
  public init(x: Tensor, w: Tensor, b: Tensor, dy: Tensor?, spec: GeneralConvSpec) throws {
    guard spec.transposed else {
      throw ConvError.invalidParameter(
        name: "the spec", value: "conv2d", requirement: "a transposed convolution")
    }
    let out = try GeneralReference.outputShape(x: x.shape, w: w.shape, spec: spec)
    try b.requireShape([out[1]], name: "b")
    let gradient =
      try dy ?? Tensor(shape: out, data: [Float](repeating: 1, count: out.reduce(1, *)))
    try gradient.requireShape(out, name: "dy")
    self.x = x
    self.w = w
    self.b = b
    self.dy = gradient
    self.spec = spec
    outputShape = out
  }

  /// Multiply–adds of one pass: every input cell meets `F/G·KH·KW` weights.
  public var passMACs: Int {
    x.count.multipliedReportingOverflow(by: w.count / max(1, w.shape[0])).partialValue
  }

  /// One line describing the layer: `transposed (ConvTranspose2d): batch 1, 2 channels of
  /// 3×4, w [2, 3, 3, 3] → 3 output channels, stride 2, … → output 7×9`.
  public var line: String {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let s = spec
    func pair(_ v: Size2) -> String { v.h == v.w ? "\(v.h)" : "\(v.h)×\(v.w)" }
    return "transposed convolution (ConvTranspose2d): batch \(n), \(c) channel"
      + "\(c == 1 ? "" : "s") of \(h)×\(wd), w \(ConvError.format(w.shape)) → "
      + "\(outputShape[1]) output channel\(outputShape[1] == 1 ? "" : "s"), "
      + "stride \(pair(s.stride)), padding \(pair(s.padding)), output_padding "
      + "\(pair(s.outputPadding)), dilation \(pair(s.dilation))"
      + (s.groups == 1 ? "" : ", groups \(s.groups)")
      + " → output \(outputShape[2])×\(outputShape[3])"
  }

  /// The correct layer as a scatter plan.
  var scatter: TransposedScatter { TransposedScatter(self) }
}

// MARK: - TransposedScatter

/// A transposed convolution written out in `Double`, product by product, with what the
/// tolerance needs per cell (`Σ|terms|` and how many terms); the known mistakes change how it
/// reads `w`, which channels it pairs, or its output size.
struct TransposedScatter {
  let n: Int, c: Int, h: Int, w: Int
  let f: Int, kh: Int, kw: Int
  let cg: Int, fg: Int
  /// Stride, padding, dilation.
  var spec: GeneralConvSpec
  /// The output size (the spec's, unless a mistake changes it).
  var oh: Int, ow: Int
  /// The flat index of `w` read for input channel `c`, output channel `f`, tap `(p, q)`.
  var weightIndex: (Int, Int, Int, Int) -> Int
  /// Whether output channel `f` reads input channel `c`.
  var reads: (Int, Int) -> Bool

  init(_ layer: TransposedLayer) {
    let (x, wt) = (layer.x.shape, layer.w.shape)
    (n, c, h, w) = (x[0], x[1], x[2], x[3])
    (kh, kw) = (wt[2], wt[3])
    f = layer.outputShape[1]
    (oh, ow) = (layer.outputShape[2], layer.outputShape[3])
    spec = layer.spec
    cg = c / layer.spec.groups
    fg = wt[1]
    let (fg, kh, kw, cg) = (fg, kh, kw, cg)
    weightIndex = { ci, fi, p, q in ((ci * fg + fi % fg) * kh + p) * kw + q }
    reads = { ci, fi in ci / cg == fi / fg }
  }

  /// The output shape `[N, F, OH, OW]`.
  var outputShape: [Int] { [n, f, oh, ow] }

  /// Calls `body(yIndex, xIndex, wIndex)` for every product that lands inside the output.
  func forEachProduct(_ body: (Int, Int, Int) -> Void) {
    let s = spec
    for ni in 0..<n {
      for ci in 0..<c {
        for fi in 0..<f where reads(ci, fi) {
          for p in 0..<kh {
            for q in 0..<kw {
              let wIndex = weightIndex(ci, fi, p, q)
              for i in 0..<h {
                let oi = i * s.stride.h - s.padding.h + p * s.dilation.h
                guard oi >= 0, oi < oh else { continue }
                for j in 0..<w {
                  let oj = j * s.stride.w - s.padding.w + q * s.dilation.w
                  guard oj >= 0, oj < ow else { continue }
                  body(
                    ((ni * f + fi) * oh + oi) * ow + oj, ((ni * c + ci) * h + i) * w + j, wIndex)
                }
              }
            }
          }
        }
      }
    }
  }

  /// `y`, with the biases.
  func forward(x: [Double], w wt: [Double], b: [Double]) -> ExpectedTensor {
    let count = n * f * oh * ow
    var values = [Double](repeating: 0, count: count)
    var magnitude = [Double](repeating: 0, count: count)
    var terms = [Int](repeating: 0, count: count)
    forEachProduct { yi, xi, wi in
      let t = x[xi] * wt[wi]
      values[yi] += t
      magnitude[yi] += abs(t)
      terms[yi] += 1
    }
    let plane = oh * ow
    for k in values.indices {
      let bias = b[(k / plane) % f]
      values[k] += bias
      magnitude[k] += abs(bias)
    }
    return ExpectedTensor(
      shape: outputShape, values: values, magnitude: magnitude, terms: (terms.max() ?? 0) + 1)
  }

  /// `dx`, `dw` (in the shape `weightShape`) and `db` for the output gradient `dy` (of
  /// ``outputShape``).
  func backward(x: [Double], w wt: [Double], dy: [Double], weightShape: [Int]) -> (
    dx: ExpectedTensor, dw: ExpectedTensor, db: ExpectedTensor
  ) {
    var dx = Accumulator(count: x.count)
    var dw = Accumulator(count: wt.count)
    forEachProduct { yi, xi, wi in
      dx.add(dy[yi] * wt[wi], at: xi)
      dw.add(dy[yi] * x[xi], at: wi)
    }
    var db = Accumulator(count: f)
    let plane = oh * ow
    for k in dy.indices { db.add(dy[k], at: (k / plane) % f) }
    return (
      dx.tensor([n, c, h, w]), dw.tensor(weightShape), db.tensor([f])
    )
  }

  /// Sums with their magnitudes and term counts.
  struct Accumulator {
    var values: [Double]
    var magnitude: [Double]
    var terms: [Int]

    init(count: Int) {
      values = [Double](repeating: 0, count: count)
      magnitude = values
      terms = [Int](repeating: 0, count: count)
    }

    mutating func add(_ t: Double, at k: Int) {
      values[k] += t
      magnitude[k] += abs(t)
      terms[k] += 1
    }

    func tensor(_ shape: [Int]) -> ExpectedTensor {
      ExpectedTensor(
        shape: shape, values: values, magnitude: magnitude, terms: terms.max() ?? 0)
    }
  }
}
