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
  @inlinable
  public static func windowValue(
    x: UnsafeBufferPointer<Float>, w: UnsafeBufferPointer<Float>, bias: Float,
    geometry g: ConvGeometry, n: Int, f: Int, i: Int, j: Int
  ) -> Float {
    let cfg = g.config
    let (H, W) = (g.input.h, g.input.w)
    var acc: Float = 0
    for c in 0..<cfg.inChannels {
      let xBase = (n * cfg.inChannels + c) * H * W
      let wBase = (f * cfg.inChannels + c) * cfg.kernel.h * cfg.kernel.w
      for p in 0..<cfg.kernel.h {
        let h = g.inputRow(outputRow: i, kernelRow: p)
        if h < 0 || h >= H { continue }
        for q in 0..<cfg.kernel.w {
          let col = g.inputColumn(outputColumn: j, kernelColumn: q)
          if col < 0 || col >= W { continue }
          acc += x[xBase + h * W + col] * w[wBase + p * cfg.kernel.w + q]
        }
      }
    }
    return acc + bias
  }

  /// Adds the contribution of output-gradient cell `dy[n, f, i, j] = g` to `dx`, `dw` and `db`.
  @inlinable
  public static func accumulateWindow(
    x: UnsafeBufferPointer<Float>, w: UnsafeBufferPointer<Float>, gradient gv: Float,
    geometry g: ConvGeometry, n: Int, f: Int, i: Int, j: Int,
    dx: UnsafeMutableBufferPointer<Float>, dw: UnsafeMutableBufferPointer<Float>,
    db: UnsafeMutableBufferPointer<Float>
  ) {
    let cfg = g.config
    let (H, W) = (g.input.h, g.input.w)
    db[f] += gv
    for c in 0..<cfg.inChannels {
      let xBase = (n * cfg.inChannels + c) * H * W
      let wBase = (f * cfg.inChannels + c) * cfg.kernel.h * cfg.kernel.w
      for p in 0..<cfg.kernel.h {
        let h = g.inputRow(outputRow: i, kernelRow: p)
        if h < 0 || h >= H { continue }
        for q in 0..<cfg.kernel.w {
          let col = g.inputColumn(outputColumn: j, kernelColumn: q)
          if col < 0 || col >= W { continue }
          let xi = xBase + h * W + col
          let wi = wBase + p * cfg.kernel.w + q
          dw[wi] += gv * x[xi]
          dx[xi] += gv * w[wi]
        }
      }
    }
  }

  /// The whole forward pass in canonical order.
  public static func forward(x: Tensor, weight: Tensor, bias: Tensor, geometry g: ConvGeometry)
    -> Tensor
  {
    var y = Tensor(shape: g.outputShape)
    let (F, OH, OW) = (g.config.filters, g.output.h, g.output.w)
    x.data.withUnsafeBufferPointer { xp in
      weight.data.withUnsafeBufferPointer { wp in
        y.data.withUnsafeMutableBufferPointer { yp in
          var o = 0
          for n in 0..<g.batch {
            for f in 0..<F {
              let b = bias.data[f]
              for i in 0..<OH {
                for j in 0..<OW {
                  yp[o] = windowValue(x: xp, w: wp, bias: b, geometry: g, n: n, f: f, i: i, j: j)
                  o += 1
                }
              }
            }
          }
        }
      }
    }
    return y
  }

  /// The whole backward pass in canonical order: `(dx, dw, db)` summed over the batch.
  public static func backward(x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry)
    -> Conv2DGradients
  {
    var dx = Tensor(shape: g.inputShape)
    var dw = Tensor(shape: g.weightShape)
    var db = Tensor(shape: [g.config.filters])
    let (F, OH, OW) = (g.config.filters, g.output.h, g.output.w)
    x.data.withUnsafeBufferPointer { xp in
      weight.data.withUnsafeBufferPointer { wp in
        dx.data.withUnsafeMutableBufferPointer { dxp in
          dw.data.withUnsafeMutableBufferPointer { dwp in
            db.data.withUnsafeMutableBufferPointer { dbp in
              var o = 0
              for n in 0..<g.batch {
                for f in 0..<F {
                  for i in 0..<OH {
                    for j in 0..<OW {
                      accumulateWindow(
                        x: xp, w: wp, gradient: dy.data[o], geometry: g, n: n, f: f, i: i, j: j,
                        dx: dxp, dw: dwp, db: dbp)
                      o += 1
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return Conv2DGradients(dx: dx, dw: dw, db: db)
  }
}
