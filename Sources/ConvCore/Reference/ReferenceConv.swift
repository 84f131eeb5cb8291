// MARK: - ReferenceConv

/// The oracle: the definitions written as plain loops over every index, accumulated in `Double`.
///
/// It is deliberately independent of the production paths: the backward pass *gathers* each
/// gradient from its definition (`dx[n,c,h,w] = Σ dy[n,f,i,j]·w[f,c,p,q]` over the windows whose
/// tap `(p, q)` lands on `(h, w)`) instead of scattering window by window, and padding is a
/// function (`xpad`) instead of skipped taps. It is slow and obviously correct.
public enum ReferenceConv {
  /// `xpad[n, c, r, s]` in padded coordinates: the input value, or 0 in the padding.
  static func xpad(_ x: [Double], _ g: ConvGeometry, _ n: Int, _ c: Int, _ r: Int, _ s: Int)
    -> Double
  {
    let h = r - g.config.padding.h
    let w = s - g.config.padding.w
    guard h >= 0, h < g.input.h, w >= 0, w < g.input.w else { return 0 }
    return x[((n * g.config.inChannels + c) * g.input.h + h) * g.input.w + w]
  }

  /// `y[n,f,i,j] = b[f] + Σ_c Σ_p Σ_q w[f,c,p,q] · xpad[n,c, i·sh + p·dh, j·sw + q·dw]`.
  public static func outputValue(
    x: [Double], w: [Double], b: [Double], geometry g: ConvGeometry, n: Int, f: Int, i: Int, j: Int
  ) -> Double {
    let k = g.config.kernel
    let s = g.config.stride
    let d = g.config.dilation
    var sum = b[f]
    for c in 0..<g.config.inChannels {
      for p in 0..<k.h {
        for q in 0..<k.w {
          let weight = w[((f * g.config.inChannels + c) * k.h + p) * k.w + q]
          sum += weight * xpad(x, g, n, c, i * s.h + p * d.h, j * s.w + q * d.w)
        }
      }
    }
    return sum
  }

  /// The forward pass in `Double`, flat `[N, F, OH, OW]`.
  public static func forward(x: [Double], w: [Double], b: [Double], geometry g: ConvGeometry)
    -> [Double]
  {
    var y = [Double]()
    y.reserveCapacity(g.outputShape.reduce(1, *))
    for n in 0..<g.batch {
      for f in 0..<g.config.filters {
        for i in 0..<g.output.h {
          for j in 0..<g.output.w {
            y.append(outputValue(x: x, w: w, b: b, geometry: g, n: n, f: f, i: i, j: j))
          }
        }
      }
    }
    return y
  }

  /// The backward pass in `Double`: flat `dx`, `dw`, `db`.
  public static func backward(x: [Double], w: [Double], dy: [Double], geometry g: ConvGeometry)
    -> (dx: [Double], dw: [Double], db: [Double])
  {
    (inputGradient(w: w, dy: dy, g), weightGradient(x: x, dy: dy, g), biasGradient(dy: dy, g))
  }

  /// `dy[n, f, i, j]` of a flat `dy`.
  private static func dyAt(
    _ dy: [Double], _ g: ConvGeometry, _ n: Int, _ f: Int, _ i: Int, _ j: Int
  ) -> Double {
    dy[((n * g.config.filters + f) * g.output.h + i) * g.output.w + j]
  }

  /// `db[f] = Σ_n Σ_i Σ_j dy[n,f,i,j]`.
  private static func biasGradient(dy: [Double], _ g: ConvGeometry) -> [Double] {
    var db = [Double](repeating: 0, count: g.config.filters)
    for f in 0..<g.config.filters {
      for n in 0..<g.batch {
        for i in 0..<g.output.h {
          for j in 0..<g.output.w { db[f] += dyAt(dy, g, n, f, i, j) }
        }
      }
    }
    return db
  }

  /// `dw[f,c,p,q] = Σ_n Σ_i Σ_j dy[n,f,i,j] · xpad[n,c, i·sh + p·dh, j·sw + q·dw]`.
  private static func weightGradient(x: [Double], dy: [Double], _ g: ConvGeometry) -> [Double] {
    let (C, F) = (g.config.inChannels, g.config.filters)
    let (k, s, d) = (g.config.kernel, g.config.stride, g.config.dilation)
    var dw = [Double](repeating: 0, count: F * C * k.h * k.w)
    for f in 0..<F {
      for c in 0..<C {
        for p in 0..<k.h {
          for q in 0..<k.w {
            var sum = 0.0
            for n in 0..<g.batch {
              for i in 0..<g.output.h {
                for j in 0..<g.output.w {
                  sum +=
                    dyAt(dy, g, n, f, i, j) * xpad(x, g, n, c, i * s.h + p * d.h, j * s.w + q * d.w)
                }
              }
            }
            dw[((f * C + c) * k.h + p) * k.w + q] = sum
          }
        }
      }
    }
    return dw
  }

  /// `dx[n,c,h,w] = Σ_f Σ_p Σ_q dy[n,f,i,j] · w[f,c,p,q]` over the `(i, j)` with
  /// `i·sh + p·dh = h + ph` and `j·sw + q·dw = w + pw`.
  private static func inputGradient(w: [Double], dy: [Double], _ g: ConvGeometry) -> [Double] {
    let (C, F) = (g.config.inChannels, g.config.filters)
    let (k, s, d, pad) = (g.config.kernel, g.config.stride, g.config.dilation, g.config.padding)
    var dx = [Double](repeating: 0, count: g.batch * C * g.input.h * g.input.w)
    for n in 0..<g.batch {
      for c in 0..<C {
        for h in 0..<g.input.h {
          for col in 0..<g.input.w {
            var sum = 0.0
            for f in 0..<F {
              for p in 0..<k.h {
                let ri = h + pad.h - p * d.h
                guard ri >= 0, ri % s.h == 0, ri / s.h < g.output.h else { continue }
                for q in 0..<k.w {
                  let rj = col + pad.w - q * d.w
                  guard rj >= 0, rj % s.w == 0, rj / s.w < g.output.w else { continue }
                  sum +=
                    dyAt(dy, g, n, f, ri / s.h, rj / s.w) * w[((f * C + c) * k.h + p) * k.w + q]
                }
              }
            }
            dx[((n * C + c) * g.input.h + h) * g.input.w + col] = sum
          }
        }
      }
    }
    return dx
  }

  /// The forward pass on tensors (computed in `Double`, rounded once to `Float`).
  public static func forward(x: Tensor, weight: Tensor, bias: Tensor, geometry g: ConvGeometry)
    -> Tensor
  {
    let y = forward(x: x.doubles, w: weight.doubles, b: bias.doubles, geometry: g)
    return Tensor(rounding: y, shape: g.outputShape)
  }

  /// The backward pass on tensors (computed in `Double`, rounded once to `Float`).
  public static func backward(x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry)
    -> Conv2DGradients
  {
    let r = backward(x: x.doubles, w: weight.doubles, dy: dy.doubles, geometry: g)
    return Conv2DGradients(
      dx: Tensor(rounding: r.dx, shape: g.inputShape),
      dw: Tensor(rounding: r.dw, shape: g.weightShape),
      db: Tensor(rounding: r.db, shape: [g.config.filters]))
  }
}

extension Tensor {
  /// The values widened to `Double`.
  public var doubles: [Double] { data.map(Double.init) }

  /// A tensor whose values are `values` rounded to `Float` (the shape must match the count).
  public init(rounding values: [Double], shape: [Int]) {
    precondition(values.count == shape.reduce(1, *), "values do not fill \(shape)")
    self.init(shape: shape)
    for i in values.indices { data[i] = Float(values[i]) }
  }
}
