import ConvKernels

// MARK: - TransposedConv

/// PyTorch's `ConvTranspose2d` on the fast path: the gradient of a conv2d with respect to its
/// input, so the same kernels compute it.
///
/// A transposed convolution of `x[N, C, H, W]` with `w[C, F/G, KH, KW]` is the input gradient
/// of the conv2d with `F` input channels, `C` filters, the same stride, padding, dilation and
/// groups, and weights `w` (read as `[C, F/G, KH, KW]`), whose output gradient is `x`. Its
/// backward pass is that conv2d again: `dx` is its forward pass on `dy`, `dw` its weight
/// gradient with `dy` as the input and `x` as the output gradient. Checked against
/// ``GeneralReference`` (the scatter form, in `Double`).
public enum TransposedConv {
  /// The conv2d whose input gradient the transposed convolution of `x` and `w` under `spec`
  /// is, as the kernels' shape (its input is the transposed output), and that output's shape.
  static func convShape(x: [Int], w: [Int], spec: GeneralConvSpec) throws -> (
    ConvShape, [Int]
  ) {
    precondition(spec.transposed, "a transposed spec")
    let d = try GeneralReference.shapes(x: x, w: w, spec: spec)
    let shape = ConvShape(
      batch: d.n, channels: d.f, filters: d.c, height: d.oh, width: d.ow, kh: d.kh, kw: d.kw,
      sh: spec.stride.h, sw: spec.stride.w, ph: spec.padding.h, pw: spec.padding.w,
      dh: spec.dilation.h, dw: spec.dilation.w, oh: d.h, ow: d.w, groups: spec.groups)
    return (shape, [d.n, d.f, d.oh, d.ow])
  }

  /// The output's shape `[N, F, OH, OW]` for `x` and `w` under `spec`; throws a one-line error
  /// when they do not fit (groups, output_padding, an empty output).
  public static func outputShape(x: [Int], w: [Int], spec: GeneralConvSpec) throws -> [Int] {
    try convShape(x: x, w: w, spec: spec).1
  }

  /// `y[N, F, OH, OW]` with `OH = (H − 1)·sh − 2·ph + dh·(KH − 1) + oph + 1` (likewise OW).
  public static func forward(x: Tensor, weight: Tensor, bias: Tensor, spec: GeneralConvSpec)
    throws -> Tensor
  {
    let (shape, outShape) = try convShape(x: x.shape, w: weight.shape, spec: spec)
    try bias.requireShape([outShape[1]], name: "b")
    var y = Tensor(shape: outShape)
    x.data.withUnsafeBufferPointer { xb in
      weight.data.withUnsafeBufferPointer { wb in
        y.data.withUnsafeMutableBufferPointer { yb in
          FastConv.inputGradient(shape: shape, weight: wb, dy: xb, dx: yb)
        }
      }
    }
    let plane = outShape[2] * outShape[3]
    for k in y.data.indices { y.data[k] += bias.data[(k / plane) % outShape[1]] }
    return y
  }

  /// `(dx, dw, db)` for the output gradient `dy`, summed over the batch.
  public static func backward(x: Tensor, weight: Tensor, dy: Tensor, spec: GeneralConvSpec)
    throws -> Conv2DGradients
  {
    let (shape, outShape) = try convShape(x: x.shape, w: weight.shape, spec: spec)
    try dy.requireShape(outShape, name: "dy")
    var dx = Tensor(shape: x.shape)
    var dw = Tensor(shape: weight.shape)
    var db = Tensor(shape: [outShape[1]])
    // dx: the conv2d's forward pass on dy (no bias).
    let zeroBias = [Float](repeating: 0, count: shape.filters)
    // dw: the conv2d's weight gradient, dy as its input and x as its output gradient; its own
    // input gradient (the size of dy) is computed and dropped.
    var unused = [Float](repeating: 0, count: shape.inputCount)
    var unusedBias = [Float](repeating: 0, count: shape.filters)
    dy.data.withUnsafeBufferPointer { dyb in
      weight.data.withUnsafeBufferPointer { wb in
        x.data.withUnsafeBufferPointer { xb in
          zeroBias.withUnsafeBufferPointer { bb in
            dx.data.withUnsafeMutableBufferPointer { dxb in
              FastConv.forward(shape: shape, x: dyb, weight: wb, bias: bb, y: dxb)
            }
          }
          unused.withUnsafeMutableBufferPointer { ub in
            unusedBias.withUnsafeMutableBufferPointer { ubb in
              dw.data.withUnsafeMutableBufferPointer { dwb in
                FastConv.backward(
                  shape: shape, x: dyb, weight: wb, dy: xb, dx: ub, dw: dwb, db: ubb)
              }
            }
          }
        }
      }
    }
    let plane = outShape[2] * outShape[3]
    for k in dy.data.indices { db.data[(k / plane) % outShape[1]] += dy.data[k] }
    return Conv2DGradients(dx: dx, dw: dw, db: db)
  }
}
