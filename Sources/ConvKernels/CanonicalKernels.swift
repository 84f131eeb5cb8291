// MARK: - CanonicalKernels

/// The convolution one window at a time in the step engine's summation order, on raw buffers.
///
/// ConvCore's `CanonicalConv` checks the tensors against the geometry and calls these; they live
/// here, built with the kernels' flags, because a walk's trace runs them over every window of
/// every sample (the first frame of a big layer waits for that). The order is the contract:
///
/// - forward, window `(n, f, i, j)`: `acc = 0`, then for every tap in `(c, p, q)` row-major
///   order that reads a value (zero-padding taps are skipped; a copying padding mode's taps read
///   the cell they copy) `acc += x · w`; `y = acc + b[f]`;
/// - backward, output-gradient cell `dy[n, f, i, j] = g` in `(n, f, i, j)` order: `db[f] += g`,
///   then for every such tap in `(c, p, q)` order `dw[f,c,p,q] += g · x`, `dx[n,c,h,w] += g · w`
///   (a padding cell's gradient lands on the input cell it copies).
///
/// Plain multiplies and adds, never fused, so every set of flags gives the same bits. The caller
/// guarantees the buffers hold `shape`'s counts (`inputCount`, `weightCount`, `outputCount`).
public enum CanonicalKernels {
  /// Calls `tap(xi, wi)` for every tap of window `(n, f, i, j)` that reads a value, in
  /// `(c, p, q)` row-major order (`c` over the filter's group of `C/G` channels): `xi` indexes
  /// `x[N, C, H, W]` (for a padding cell under a copying mode, the input cell it copies; zero
  /// padding is skipped), `wi` indexes `w[F, C/G, KH, KW]`. Inlined, so the two passes below run
  /// the plain loops.
  @inline(__always)
  static func forEachTap(
    _ s: ConvShape, n: Int, f: Int, i: Int, j: Int, _ tap: (_ xi: Int, _ wi: Int) -> Void
  ) {
    let cg = s.groupChannels
    let firstChannel = (f / s.groupFilters) * cg
    let mode = s.paddingMode
    for c in 0..<cg {
      let xBase = (n * s.channels + firstChannel + c) * s.height * s.width
      let wBase = (f * cg + c) * s.kh * s.kw
      for p in 0..<s.kh {
        var h = i * s.sh + p * s.dh - s.ph
        if h < 0 || h >= s.height {
          guard let source = mode.source(h, length: s.height) else { continue }
          h = source
        }
        for q in 0..<s.kw {
          var col = j * s.sw + q * s.dw - s.pw
          if col < 0 || col >= s.width {
            guard let source = mode.source(col, length: s.width) else { continue }
            col = source
          }
          tap(xBase + h * s.width + col, wBase + p * s.kw + q)
        }
      }
    }
  }

  /// The output value of window `(n, f, i, j)`.
  public static func windowValue(
    shape s: ConvShape, x: UnsafePointer<Float>, w: UnsafePointer<Float>, bias: Float,
    n: Int, f: Int, i: Int, j: Int
  ) -> Float {
    var acc: Float = 0
    forEachTap(s, n: n, f: f, i: i, j: j) { xi, wi in acc += x[xi] * w[wi] }
    return acc + bias
  }

  /// Adds the contribution of output-gradient cell `dy[n, f, i, j] = gradient` to `dx`, `dw`
  /// and `db`.
  public static func accumulateWindow(
    shape s: ConvShape, x: UnsafePointer<Float>, w: UnsafePointer<Float>, gradient gv: Float,
    n: Int, f: Int, i: Int, j: Int,
    dx: UnsafeMutablePointer<Float>, dw: UnsafeMutablePointer<Float>,
    db: UnsafeMutablePointer<Float>
  ) {
    db[f] += gv
    forEachTap(s, n: n, f: f, i: i, j: j) { xi, wi in
      dw[wi] += gv * x[xi]
      dx[xi] += gv * w[wi]
    }
  }

  /// `y[N, F, OH, OW]`, every window in `(n, f, i, j)` order. The buffers hold `shape`'s counts.
  public static func forward(
    shape s: ConvShape, x: UnsafeBufferPointer<Float>, w: UnsafeBufferPointer<Float>,
    bias: UnsafeBufferPointer<Float>, y: UnsafeMutableBufferPointer<Float>
  ) {
    guard let xp = x.baseAddress, let wp = w.baseAddress, let yp = y.baseAddress else { return }
    var o = 0
    for n in 0..<s.batch {
      for f in 0..<s.filters {
        for i in 0..<s.oh {
          for j in 0..<s.ow {
            yp[o] = windowValue(shape: s, x: xp, w: wp, bias: bias[f], n: n, f: f, i: i, j: j)
            o += 1
          }
        }
      }
    }
  }

  /// `dx`, `dw`, `db` summed over the batch, every output-gradient cell in `(n, f, i, j)` order;
  /// the three must be zero on entry. The buffers hold `shape`'s counts.
  public static func backward(
    shape s: ConvShape, x: UnsafeBufferPointer<Float>, w: UnsafeBufferPointer<Float>,
    dy: UnsafeBufferPointer<Float>, dx: UnsafeMutableBufferPointer<Float>,
    dw: UnsafeMutableBufferPointer<Float>, db: UnsafeMutableBufferPointer<Float>
  ) {
    guard let xp = x.baseAddress, let wp = w.baseAddress, let dxp = dx.baseAddress,
      let dwp = dw.baseAddress, let dbp = db.baseAddress
    else { return }
    var o = 0
    for n in 0..<s.batch {
      for f in 0..<s.filters {
        for i in 0..<s.oh {
          for j in 0..<s.ow {
            accumulateWindow(
              shape: s, x: xp, w: wp, gradient: dy[o], n: n, f: f, i: i, j: j, dx: dxp, dw: dwp,
              db: dbp)
            o += 1
          }
        }
      }
    }
  }
}
