import ConvKernels

// MARK: - GeneralConvSpec

/// A convolution beyond the plain zero-padded conv2d: groups, a padding mode, or transposed
/// (PyTorch's `Conv2d(groups:, padding_mode:)` and `ConvTranspose2d`), as the shared vectors
/// describe it. Computed only by ``GeneralReference``, the oracle in `Double`.
public struct GeneralConvSpec: Sendable, Equatable {
  /// Transposed (`ConvTranspose2d`: w is `[C, F/groups, KH, KW]`) or not (w is
  /// `[F, C/groups, KH, KW]`).
  public var transposed: Bool
  /// Stride, padding, dilation, as for conv2d.
  public var stride: Size2
  /// Padding on each side.
  public var padding: Size2
  /// Dilation.
  public var dilation: Size2
  /// Extra rows and columns at the bottom and right of a transposed convolution's output.
  public var outputPadding: Size2
  /// Groups: C and F divisible by it.
  public var groups: Int
  /// What padding cells hold (conv2d only; `zeros` for transposed).
  public var paddingMode: PaddingMode

  /// A spec; the defaults are conv2d's.
  public init(
    transposed: Bool = false, stride: Size2 = Size2(1), padding: Size2 = Size2(0),
    dilation: Size2 = Size2(1), outputPadding: Size2 = Size2(0), groups: Int = 1,
    paddingMode: PaddingMode = .zeros
  ) {
    self.transposed = transposed
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.outputPadding = outputPadding
    self.groups = groups
    self.paddingMode = paddingMode
  }
}

// MARK: - GeneralReference

/// The oracle for ``GeneralConvSpec``: plain loops over every index, accumulated in `Double`.
///
/// conv2d: `y[n,f,i,j] = b[f] + Σ w[f,c',p,q]·x[n, g·C/G + c', src(i·sh − ph + p·dh), src(…)]`
/// with `g = f / (F/G)` and `src` the padding mode's source cell (none for a zero). Backward
/// sends each product's gradient to the cell it read, so a copied padding cell's gradient
/// lands on the input cell it copies. Transposed: every input cell adds `x·w[c, f', p, q]` to
/// `y[n, g·F/G + f', i·sh − ph + p·dh, j·sw − pw + q·dw]` (dropped outside the output).
public enum GeneralReference {
  /// Sizes checked against the spec.
  struct Shapes {
    let n: Int, c: Int, h: Int, w: Int
    let f: Int, kh: Int, kw: Int
    let oh: Int, ow: Int
    let cg: Int, fg: Int
  }

  /// The output shape `[N, F, OH, OW]` of `x` and `w` under `spec`; throws a one-line error
  /// when they do not fit it.
  public static func outputShape(x: [Int], w: [Int], spec s: GeneralConvSpec) throws -> [Int] {
    let d = try shapes(x: x, w: w, spec: s)
    return [d.n, d.f, d.oh, d.ow]
  }

  static func shapes(x: [Int], w: [Int], spec s: GeneralConvSpec) throws -> Shapes {
    guard x.count == 4, w.count == 4 else {
      throw ConvError.invalidParameter(
        name: "x and w", value: "\(x) and \(w)", requirement: "four-dimensional")
    }
    let g = s.groups
    guard g >= 1, s.stride.h >= 1, s.stride.w >= 1, s.dilation.h >= 1, s.dilation.w >= 1,
      s.padding.h >= 0, s.padding.w >= 0, s.outputPadding.h >= 0, s.outputPadding.w >= 0
    else {
      throw ConvError.invalidParameter(
        name: "the parameters", value: "\(s)",
        requirement: "groups, stride and dilation ≥ 1 and padding ≥ 0")
    }
    let (n, c, h, wd, kh, kw) = (x[0], x[1], x[2], x[3], w[2], w[3])
    let f = s.transposed ? w[1] * g : w[0]
    guard c % g == 0, f % g == 0, s.transposed ? w[0] == c : w[1] * g == c else {
      throw ConvError.invalidParameter(
        name: "groups", value: "\(g), C = \(c), F = \(f), w \(w)",
        requirement: "a divisor of C and F, with w "
          + (s.transposed ? "[C, F/groups, KH, KW]" : "[F, C/groups, KH, KW]"))
    }
    let oh: Int
    let ow: Int
    if s.transposed {
      guard s.outputPadding.h < max(s.stride.h, s.dilation.h),
        s.outputPadding.w < max(s.stride.w, s.dilation.w)
      else {
        throw ConvError.invalidParameter(
          name: "output_padding", value: "\(s.outputPadding.h),\(s.outputPadding.w)",
          requirement: "smaller than the stride or the dilation")
      }
      oh = (h - 1) * s.stride.h - 2 * s.padding.h + s.dilation.h * (kh - 1) + s.outputPadding.h + 1
      ow = (wd - 1) * s.stride.w - 2 * s.padding.w + s.dilation.w * (kw - 1) + s.outputPadding.w + 1
    } else {
      if s.paddingMode == .reflect, s.padding.h >= h || s.padding.w >= wd {
        throw ConvError.invalidParameter(
          name: "padding", value: "\(s.padding.h),\(s.padding.w)",
          requirement: "smaller than the input for reflect padding")
      }
      oh = (h + 2 * s.padding.h - s.dilation.h * (kh - 1) - 1) / s.stride.h + 1
      ow = (wd + 2 * s.padding.w - s.dilation.w * (kw - 1) - 1) / s.stride.w + 1
    }
    guard oh >= 1, ow >= 1 else {
      throw ConvError.invalidParameter(
        name: "the output size", value: "\(oh)×\(ow)", requirement: "at least 1×1")
    }
    return Shapes(
      n: n, c: c, h: h, w: wd, f: f, kh: kh, kw: kw, oh: oh, ow: ow, cg: c / g, fg: f / g)
  }

  /// Calls `body(n, f, i, j, xIndex, wIndex)` for every product of the convolution: output cell
  /// `(n, f, i, j)` (of y for conv2d; for transposed, the cell the input cell lands on) gets
  /// `x[xIndex] · w[wIndex]`.
  static func forEachProduct(
    _ d: Shapes, _ s: GeneralConvSpec, _ body: (Int, Int, Int, Int, Int, Int) -> Void
  ) {
    for n in 0..<d.n {
      for f in 0..<d.f {
        let g = f / d.fg
        for cl in 0..<d.cg {
          let c = g * d.cg + cl
          for p in 0..<d.kh {
            for q in 0..<d.kw {
              if s.transposed {
                let wIndex = ((c * d.fg + f % d.fg) * d.kh + p) * d.kw + q
                for i in 0..<d.h {
                  let oi = i * s.stride.h - s.padding.h + p * s.dilation.h
                  guard (0..<d.oh).contains(oi) else { continue }
                  for j in 0..<d.w {
                    let oj = j * s.stride.w - s.padding.w + q * s.dilation.w
                    guard (0..<d.ow).contains(oj) else { continue }
                    body(n, f, oi, oj, ((n * d.c + c) * d.h + i) * d.w + j, wIndex)
                  }
                }
              } else {
                let wIndex = ((f * d.cg + cl) * d.kh + p) * d.kw + q
                for i in 0..<d.oh {
                  guard
                    let hh = s.paddingMode.source(
                      i * s.stride.h - s.padding.h + p * s.dilation.h, length: d.h)
                  else { continue }
                  for j in 0..<d.ow {
                    guard
                      let ww = s.paddingMode.source(
                        j * s.stride.w - s.padding.w + q * s.dilation.w, length: d.w)
                    else { continue }
                    body(n, f, i, j, ((n * d.c + c) * d.h + hh) * d.w + ww, wIndex)
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// `y[N, F, OH, OW]`.
  public static func forward(x: Tensor, weight: Tensor, bias: Tensor, spec: GeneralConvSpec) throws
    -> Tensor
  {
    let d = try shapes(x: x.shape, w: weight.shape, spec: spec)
    try bias.requireShape([d.f], name: "b")
    var acc = [Double](repeating: 0, count: d.n * d.f * d.oh * d.ow)
    forEachProduct(d, spec) { n, f, i, j, xi, wi in
      acc[((n * d.f + f) * d.oh + i) * d.ow + j] += Double(x.data[xi]) * Double(weight.data[wi])
    }
    let plane = d.oh * d.ow
    for k in acc.indices { acc[k] += Double(bias.data[(k / plane) % d.f]) }
    return try Tensor(shape: [d.n, d.f, d.oh, d.ow], data: acc.map { Float($0) })
  }

  /// `(dx, dw, db)` for the output gradient `dy`, summed over the batch.
  public static func backward(x: Tensor, weight: Tensor, dy: Tensor, spec: GeneralConvSpec) throws
    -> Conv2DGradients
  {
    let d = try shapes(x: x.shape, w: weight.shape, spec: spec)
    try dy.requireShape([d.n, d.f, d.oh, d.ow], name: "dy")
    var dx = [Double](repeating: 0, count: x.count)
    var dw = [Double](repeating: 0, count: weight.count)
    var db = [Double](repeating: 0, count: d.f)
    forEachProduct(d, spec) { n, f, i, j, xi, wi in
      let g = Double(dy.data[((n * d.f + f) * d.oh + i) * d.ow + j])
      dx[xi] += g * Double(weight.data[wi])
      dw[wi] += g * Double(x.data[xi])
    }
    let plane = d.oh * d.ow
    for k in dy.data.indices { db[(k / plane) % d.f] += Double(dy.data[k]) }
    return Conv2DGradients(
      dx: try Tensor(shape: x.shape, data: dx.map { Float($0) }),
      dw: try Tensor(shape: weight.shape, data: dw.map { Float($0) }),
      db: try Tensor(shape: [d.f], data: db.map { Float($0) }))
  }
}
