import ConvKernels

// MARK: - CanonicalConv

/// The convolution one window at a time, in the one summation order that the step engine shows.
///
/// Forward, for window `(n, f, i, j)`: `acc = 0`, then for every tap in `(c, p, q)` row-major
/// order that reads real input (padding taps contribute nothing) `acc += x · w`; finally
/// `y = acc + b[f]`.
///
/// Backward, for output-gradient cell `dy[n, f, i, j]` in `(n, f, i, j)` order:
/// `db[f] += dy`, then for every tap in `(c, p, q)` order that reads real input
/// `dw[f,c,p,q] += dy · x` and `dx[n,c,h,w] += dy · w[f,c,p,q]`.
///
/// The ``ConvBackend/direct`` path runs exactly these functions over every window, so a walk
/// that runs them step by step ends with bit-identical tensors.
public enum CanonicalConv {
  /// The output value of window `(n, f, i, j)`.
  public static func windowValue(
    x: UnsafeBufferPointer<Float>, w: UnsafeBufferPointer<Float>, bias: Float,
    geometry g: ConvGeometry, n: Int, f: Int, i: Int, j: Int
  ) -> Float {
    let s = checkedShape(g, x: x.count, w: w.count, n: n, f: f, i: i, j: j)
    guard let xp = x.baseAddress, let wp = w.baseAddress else { return bias }
    return CanonicalKernels.windowValue(
      shape: s, x: xp, w: wp, bias: bias, n: n, f: f, i: i, j: j)
  }

  /// Adds the contribution of output-gradient cell `dy[n, f, i, j] = g` to `dx`, `dw` and `db`.
  public static func accumulateWindow(
    x: UnsafeBufferPointer<Float>, w: UnsafeBufferPointer<Float>, gradient gv: Float,
    geometry g: ConvGeometry, n: Int, f: Int, i: Int, j: Int,
    dx: UnsafeMutableBufferPointer<Float>, dw: UnsafeMutableBufferPointer<Float>,
    db: UnsafeMutableBufferPointer<Float>
  ) {
    let s = checkedShape(g, x: x.count, w: w.count, n: n, f: f, i: i, j: j)
    precondition(dx.count == x.count && dw.count == w.count && db.count == s.filters)
    guard let xp = x.baseAddress, let wp = w.baseAddress, let dxp = dx.baseAddress,
      let dwp = dw.baseAddress, let dbp = db.baseAddress
    else { return }
    CanonicalKernels.accumulateWindow(
      shape: s, x: xp, w: wp, gradient: gv, n: n, f: f, i: i, j: j, dx: dxp, dw: dwp, db: dbp)
  }

  /// The whole forward pass in canonical order.
  public static func forward(x: Tensor, weight: Tensor, bias: Tensor, geometry g: ConvGeometry)
    -> Tensor
  {
    KernelBuffers.forward(x: x, weight: weight, bias: bias, geometry: g) { s, xb, wb, bb, yb in
      CanonicalKernels.forward(shape: s, x: xb, w: wb, bias: bb, y: yb)
    }
  }

  /// The whole backward pass in canonical order: `(dx, dw, db)` summed over the batch.
  public static func backward(x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry)
    -> Conv2DGradients
  {
    KernelBuffers.backward(x: x, weight: weight, dy: dy, geometry: g) {
      s, xb, wb, dyb, dxb, dwb, dbb in
      CanonicalKernels.backward(shape: s, x: xb, w: wb, dy: dyb, dx: dxb, dw: dwb, db: dbb)
    }
  }

  /// `g` as the kernels' shape, after checking (in this checked build) that the buffers hold
  /// the geometry's tensors and that `(n, f, i, j)` is a window of it.
  static func checkedShape(
    _ g: ConvGeometry, x: Int, w: Int, n: Int, f: Int, i: Int, j: Int
  ) -> ConvShape {
    let s = ConvShape(g)
    precondition(x == s.inputCount && w == s.weightCount, "buffers do not match the geometry")
    precondition(
      (0..<s.batch).contains(n) && (0..<s.filters).contains(f) && (0..<s.oh).contains(i)
        && (0..<s.ow).contains(j), "no such window")
    return s
  }
}
