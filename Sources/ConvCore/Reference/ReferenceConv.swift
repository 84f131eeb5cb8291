// MARK: - ReferenceConv

/// The oracle: the definitions written as plain loops over every index, accumulated in `Double`.
///
/// It is deliberately independent of the production paths: the backward pass *gathers* each
/// gradient from its definition (`dx[n,c,h,w] = Σ dy[n,f,i,j]·w[f,c,p,q]` over the windows whose
/// tap `(p, q)` lands on `(h, w)`) instead of scattering window by window, and padding is a
/// function (`xpad`) instead of skipped taps. Groups pick the channels (`c` runs over the `C/G`
/// weight channels, reading input channel `g·C/G + c`), and a copying padding mode's gradient is
/// gathered on the padded grid, then folded onto the cells the padding copies. It is slow and
/// obviously correct.
public enum ReferenceConv {
  /// `xpad[n, c, r, s]` in padded coordinates: the input value, or in the padding what the
  /// padding mode puts there (0, or the value of the cell it copies).
  static func xpad(_ x: [Double], _ g: ConvGeometry, _ n: Int, _ c: Int, _ r: Int, _ s: Int)
    -> Double
  {
    guard let h = g.sourceRow(r - g.config.padding.h),
      let w = g.sourceColumn(s - g.config.padding.w)
    else { return 0 }
    return x[((n * g.config.inChannels + c) * g.input.h + h) * g.input.w + w]
  }

  /// `y[n,f,i,j] = b[f] + Σ_c Σ_p Σ_q w[f,c,p,q] · xpad[n,c, i·sh + p·dh, j·sw + q·dw]`.
  public static func outputValue(
    x: [Double], w: [Double], b: [Double], geometry g: ConvGeometry, n: Int, f: Int, i: Int, j: Int
  ) -> Double {
    let k = g.config.kernel
    let s = g.config.stride
    let d = g.config.dilation
    let cg = g.config.groupChannels
    var sum = b[f]
    for c in 0..<cg {
      let channel = g.config.inputChannel(filter: f, weightChannel: c)
      for p in 0..<k.h {
        for q in 0..<k.w {
          let weight = w[((f * cg + c) * k.h + p) * k.w + q]
          sum += weight * xpad(x, g, n, channel, i * s.h + p * d.h, j * s.w + q * d.w)
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

  /// `dw[f,c,p,q] = Σ_n Σ_i Σ_j dy[n,f,i,j] · xpad[n, g·C/G + c, i·sh + p·dh, j·sw + q·dw]`.
  private static func weightGradient(x: [Double], dy: [Double], _ g: ConvGeometry) -> [Double] {
    let (C, F) = (g.config.groupChannels, g.config.filters)
    let (k, s, d) = (g.config.kernel, g.config.stride, g.config.dilation)
    var dw = [Double](repeating: 0, count: F * C * k.h * k.w)
    for f in 0..<F {
      for c in 0..<C {
        let channel = g.config.inputChannel(filter: f, weightChannel: c)
        for p in 0..<k.h {
          for q in 0..<k.w {
            var sum = 0.0
            for n in 0..<g.batch {
              for i in 0..<g.output.h {
                for j in 0..<g.output.w {
                  sum +=
                    dyAt(dy, g, n, f, i, j)
                    * xpad(x, g, n, channel, i * s.h + p * d.h, j * s.w + q * d.w)
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

  /// `dx[n,c,h,w]`: the gradient of every padded cell `(r, s)`, `Σ_f Σ_p Σ_q dy[n,f,i,j] ·
  /// w[f, c − g·C/G, p, q]` over the filters `f` of channel `c`'s group and the `(i, j)` with
  /// `i·sh + p·dh = r` and `j·sw + q·dw = s`, added to the input cell that padded cell holds
  /// (itself inside the input, the copied cell in a copying padding, none for a zero).
  private static func inputGradient(w: [Double], dy: [Double], _ g: ConvGeometry) -> [Double] {
    let (C, pad) = (g.config.inChannels, g.config.padding)
    let padded = g.paddedInput
    var dx = [Double](repeating: 0, count: g.batch * C * g.input.h * g.input.w)
    for n in 0..<g.batch {
      for c in 0..<C {
        for r in 0..<padded.h {
          guard let h = g.sourceRow(r - pad.h) else { continue }
          for col in 0..<padded.w {
            guard let wc = g.sourceColumn(col - pad.w) else { continue }
            dx[((n * C + c) * g.input.h + h) * g.input.w + wc] += paddedGradient(
              w: w, dy: dy, g, n: n, channel: c, r: r, s: col)
          }
        }
      }
    }
    return dx
  }

  /// The gradient of padded cell `(r, s)` of channel `channel`, gathered from the windows that
  /// read it.
  private static func paddedGradient(
    w: [Double], dy: [Double], _ g: ConvGeometry, n: Int, channel: Int, r: Int, s col: Int
  ) -> Double {
    let cfg = g.config
    let (k, s, d) = (cfg.kernel, cfg.stride, cfg.dilation)
    let group = channel / cfg.groupChannels
    let c = channel - group * cfg.groupChannels
    var sum = 0.0
    for f in (group * cfg.groupFilters)..<((group + 1) * cfg.groupFilters) {
      for p in 0..<k.h {
        let ri = r - p * d.h
        guard ri >= 0, ri % s.h == 0, ri / s.h < g.output.h else { continue }
        for q in 0..<k.w {
          let rj = col - q * d.w
          guard rj >= 0, rj % s.w == 0, rj / s.w < g.output.w else { continue }
          sum +=
            dyAt(dy, g, n, f, ri / s.h, rj / s.w)
            * w[((f * cfg.groupChannels + c) * k.h + p) * k.w + q]
        }
      }
    }
    return sum
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
