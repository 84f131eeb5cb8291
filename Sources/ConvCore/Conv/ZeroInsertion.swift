// MARK: - ZeroInsertion

/// A transposed convolution as conv_arithmetic draws it: a plain convolution (stride 1, the same
/// dilation and groups) over the input with `s − 1` zeros inserted between its cells and
/// `d·(K − 1) − p` cells of zero padding around it (`+ output_padding` at the bottom and right;
/// cropped instead where that is negative), with the kernel flipped 180° and its two channel
/// axes swapped. Both give the same numbers; ``TransposedConv`` computes the transposed form.
public struct ZeroInsertion: Sendable {
  /// The spec of the transposed convolution.
  public let spec: GeneralConvSpec
  /// The transposed convolution's input shape `[N, C, H, W]`.
  public let inputShape: [Int]
  /// The convolution that computes it: `C` input channels, `F` filters, stride 1, no padding
  /// (it is in ``input``), the spec's dilation and groups.
  public let config: Conv2DConfig
  /// The zero padding before the first input cell, top and left (negative: cells cropped).
  public let lead: Size2

  /// The plain convolution equivalent to `spec` on an input of shape `x` with weights of shape
  /// `w` (`[C, F/G, KH, KW]`); throws when they do not fit.
  public init(spec: GeneralConvSpec, x: [Int], w: [Int]) throws {
    precondition(spec.transposed, "a transposed spec")
    let d = try GeneralReference.shapes(x: x, w: w, spec: spec)
    self.spec = spec
    inputShape = x
    lead = Size2(
      spec.dilation.h * (d.kh - 1) - spec.padding.h, spec.dilation.w * (d.kw - 1) - spec.padding.w)
    config = Conv2DConfig(
      inChannels: d.c, filters: d.f, kernel: Size2(d.kh, d.kw), dilation: spec.dilation,
      groups: spec.groups)
  }

  /// The size of the zero-inserted, padded input along one axis.
  static func length(_ n: Int, stride s: Int, lead: Int, outputPadding op: Int) -> Int {
    (n - 1) * s + 1 + 2 * lead + op
  }

  /// The padded input's size `H′×W′`.
  public var size: Size2 {
    Size2(
      ZeroInsertion.length(
        inputShape[2], stride: spec.stride.h, lead: lead.h, outputPadding: spec.outputPadding.h),
      ZeroInsertion.length(
        inputShape[3], stride: spec.stride.w, lead: lead.w, outputPadding: spec.outputPadding.w))
  }

  /// Where input cell `(i, j)` sits in the padded input (it may be cropped away: outside
  /// ``size``).
  public func position(row i: Int, column j: Int) -> (row: Int, column: Int) {
    (lead.h + i * spec.stride.h, lead.w + j * spec.stride.w)
  }

  /// `x` with zeros inserted and padding around it, `[N, C, H′, W′]`.
  public func input(_ x: Tensor) -> Tensor {
    precondition(x.shape == inputShape)
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let out = size
    var t = Tensor(shape: [n, c, out.h, out.w])
    for plane in 0..<(n * c) {
      for i in 0..<h {
        for j in 0..<w {
          let (r, col) = position(row: i, column: j)
          guard (0..<out.h).contains(r), (0..<out.w).contains(col) else { continue }
          t.data[(plane * out.h + r) * out.w + col] = x.data[(plane * h + i) * w + j]
        }
      }
    }
    return t
  }

  /// The weights `[C, F/G, KH, KW]` as the convolution's `[F, C/G, KH, KW]`: each kernel
  /// flipped 180° and the channel axes swapped within each group.
  public func weights(_ w: Tensor) -> Tensor {
    let (c, fg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let g = spec.groups
    let cg = c / g
    var t = Tensor(shape: [fg * g, cg, kh, kw])
    for ci in 0..<c {
      let (group, cl) = (ci / cg, ci % cg)
      for fl in 0..<fg {
        let f = group * fg + fl
        for p in 0..<kh {
          for q in 0..<kw {
            t.data[((f * cg + cl) * kh + (kh - 1 - p)) * kw + (kw - 1 - q)] =
              w.data[((ci * fg + fl) * kh + p) * kw + q]
          }
        }
      }
    }
    return t
  }

  /// The transposed convolution's gradients from the convolution's: `dx` read at the input
  /// cells' positions (the inserted zeros and the padding are not the input's), `dw` flipped
  /// and swapped back, `db` as it is.
  public func gradients(_ g: Conv2DGradients, weightShape: [Int]) -> Conv2DGradients {
    let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
    let out = size
    var dx = Tensor(shape: inputShape)
    for plane in 0..<(n * c) {
      for i in 0..<h {
        for j in 0..<w {
          let (r, col) = position(row: i, column: j)
          guard (0..<out.h).contains(r), (0..<out.w).contains(col) else { continue }
          dx.data[(plane * h + i) * w + j] = g.dx.data[(plane * out.h + r) * out.w + col]
        }
      }
    }
    var dw = Tensor(shape: weightShape)
    let (fg, kh, kw) = (weightShape[1], weightShape[2], weightShape[3])
    let cg = c / spec.groups
    for ci in 0..<c {
      for fl in 0..<fg {
        let f = ci / cg * fg + fl
        for p in 0..<kh {
          for q in 0..<kw {
            dw.data[((ci * fg + fl) * kh + p) * kw + q] =
              g.dw.data[((f * cg + ci % cg) * kh + (kh - 1 - p)) * kw + (kw - 1 - q)]
          }
        }
      }
    }
    return Conv2DGradients(dx: dx, dw: dw, db: g.db)
  }
}
