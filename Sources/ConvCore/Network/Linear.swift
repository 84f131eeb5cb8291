// MARK: - Linear

/// A fully connected layer, PyTorch's `Linear`: `y = x·wᵀ + b` for `x [N, in]`, `w [out, in]`,
/// `b [out]`.
///
/// The fast path is the convolution's: `x` as one image `[1, in, N, 1]` (the batch as the map's
/// rows) and `w` as `[out, in, 1, 1]` make a 1×1 convolution, which is exactly this product,
/// done by the kernels as one matrix product rather than N of one row each. `.reference` is plain loops in
/// `Double`, the oracle the tests hold the fast path to.
public enum Linear {
  /// `y [N, out]`.
  public static func forward(
    x: Tensor, weight: Tensor, bias: Tensor, backend: ConvBackend = .fast
  ) throws -> Tensor {
    let (n, inputs, outputs) = try shapes(x: x, weight: weight)
    try bias.requireShape([outputs], name: "linear bias b")
    if backend == .reference {
      var y = Tensor(shape: [n, outputs])
      for r in 0..<n {
        for o in 0..<outputs {
          var sum = Double(bias.data[o])
          for i in 0..<inputs {
            sum += Double(x.data[r * inputs + i]) * Double(weight.data[o * inputs + i])
          }
          y.data[r * outputs + o] = Float(sum)
        }
      }
      return y
    }
    let config = Conv2DConfig(inChannels: inputs, filters: outputs, kernel: Size2(1))
    // The batch as the map's rows: one image `[1, in, N, 1]`, so the kernels do one product
    // of N rows rather than N products of one.
    let y = try Conv2D.forward(
      x: Self.asMap(x), weight: weight.reshaped([outputs, inputs, 1, 1]),
      bias: bias, config: config, backend: backend)
    return Self.fromMap(y, rows: n)
  }

  /// `[N, F]` as one image `[1, F, N, 1]` (the transpose, then a reshape).
  static func asMap(_ t: Tensor) -> Tensor {
    let (n, f) = (t.shape[0], t.shape[1])
    var out = Tensor(shape: [1, f, n, 1])
    t.data.withUnsafeBufferPointer { src in
      out.data.withUnsafeMutableBufferPointer { dst in
        for r in 0..<n {
          for c in 0..<f { dst[c * n + r] = src[r * f + c] }
        }
      }
    }
    return out
  }

  /// One image `[1, F, N, 1]` back as `[N, F]`.
  static func fromMap(_ t: Tensor, rows n: Int) -> Tensor {
    let f = t.shape[1]
    var out = Tensor(shape: [n, f])
    t.data.withUnsafeBufferPointer { src in
      out.data.withUnsafeMutableBufferPointer { dst in
        for c in 0..<f {
          for r in 0..<n { dst[r * f + c] = src[c * n + r] }
        }
      }
    }
    return out
  }

  /// `dx [N, in]`, `dw [out, in]` and `db [out]` for `dy [N, out]`, summed over the batch.
  public static func backward(
    x: Tensor, weight: Tensor, dy: Tensor, backend: ConvBackend = .fast
  ) throws -> Conv2DGradients {
    let (n, inputs, outputs) = try shapes(x: x, weight: weight)
    try dy.requireShape([n, outputs], name: "linear output gradient dy")
    if backend == .reference { return reference(x: x, weight: weight, dy: dy) }
    let config = Conv2DConfig(inChannels: inputs, filters: outputs, kernel: Size2(1))
    let g = try Conv2D.backward(
      x: Self.asMap(x), weight: weight.reshaped([outputs, inputs, 1, 1]),
      dy: Self.asMap(dy), config: config, backend: backend)
    return Conv2DGradients(
      dx: Self.fromMap(g.dx, rows: n), dw: try g.dw.reshaped([outputs, inputs]), db: g.db)
  }

  /// `(N, in, out)`, after checking that `x` is `[N, in]` and `w` is `[out, in]`.
  static func shapes(x: Tensor, weight: Tensor) throws -> (Int, Int, Int) {
    guard x.rank == 2 else {
      throw ConvError.shapeMismatch(
        name: "linear input x", expected: "[N, features] (flatten first)", actual: x.shape)
    }
    guard weight.rank == 2, weight.shape[1] == x.shape[1] else {
      throw ConvError.shapeMismatch(
        name: "linear weights w", expected: "[out, \(x.shape[1])]", actual: weight.shape)
    }
    return (x.shape[0], x.shape[1], weight.shape[0])
  }

  /// The backward pass in plain loops, accumulated in `Double`.
  static func reference(x: Tensor, weight: Tensor, dy: Tensor) -> Conv2DGradients {
    let (n, inputs, outputs) = (x.shape[0], x.shape[1], weight.shape[0])
    var dx = Tensor(shape: x.shape)
    var dw = Tensor(shape: weight.shape)
    var db = Tensor(shape: [outputs])
    for i in 0..<inputs {
      for r in 0..<n {
        var sum = 0.0
        for o in 0..<outputs {
          sum += Double(dy.data[r * outputs + o]) * Double(weight.data[o * inputs + i])
        }
        dx.data[r * inputs + i] = Float(sum)
      }
      for o in 0..<outputs {
        var sum = 0.0
        for r in 0..<n { sum += Double(dy.data[r * outputs + o]) * Double(x.data[r * inputs + i]) }
        dw.data[o * inputs + i] = Float(sum)
      }
    }
    for o in 0..<outputs {
      var sum = 0.0
      for r in 0..<n { sum += Double(dy.data[r * outputs + o]) }
      db.data[o] = Float(sum)
    }
    return Conv2DGradients(dx: dx, dw: dw, db: db)
  }
}
