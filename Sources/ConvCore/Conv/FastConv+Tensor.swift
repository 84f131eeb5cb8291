import ConvKernels

// MARK: - ConvShape from a geometry

extension ConvShape {
  /// The kernels' view of a checked geometry.
  public init(_ g: ConvGeometry) {
    let c = g.config
    self.init(
      batch: g.batch, channels: c.inChannels, filters: c.filters, height: g.input.h,
      width: g.input.w, kh: c.kernel.h, kw: c.kernel.w, sh: c.stride.h, sw: c.stride.w,
      ph: c.padding.h, pw: c.padding.w, dh: c.dilation.h, dw: c.dilation.w, oh: g.output.h,
      ow: g.output.w)
  }
}

// MARK: - FastConv on tensors

/// ``Conv2D``'s fast path: checks the tensors against the geometry (in this checked target),
/// then hands their buffers to the kernels of `ConvKernels`.
extension FastConv {
  /// The number of threads a pass over `geometry` uses with the current ``threadCount``.
  public static func threads(for geometry: ConvGeometry) -> Int {
    threads(forMACs: geometry.forwardMACs)
  }

  /// `y[N, F, OH, OW]`; the shapes must match `geometry` (checked by ``Conv2D``, and again here).
  /// `threads` overrides ``threadCount`` and `kernels` overrides ``kernels`` for this call.
  static func forward(
    x: Tensor, weight: Tensor, bias: Tensor, geometry g: ConvGeometry,
    strategy: Strategy = .automatic, threads: Int? = nil, kernels: FastKernelSet? = nil
  ) -> Tensor {
    precondition(x.shape == g.inputShape && weight.shape == g.weightShape)
    precondition(bias.shape == [g.config.filters])
    var y = Tensor(shape: g.outputShape)
    x.data.withUnsafeBufferPointer { xb in
      weight.data.withUnsafeBufferPointer { wb in
        bias.data.withUnsafeBufferPointer { bb in
          y.data.withUnsafeMutableBufferPointer { yb in
            forward(
              shape: ConvShape(g), x: xb, weight: wb, bias: bb, y: yb, strategy: strategy,
              threads: threads, kernels: kernels)
          }
        }
      }
    }
    return y
  }

  /// `(dx, dw, db)` summed over the batch; the shapes must match `geometry`. `threads`
  /// overrides ``threadCount`` and `kernels` overrides ``kernels`` for this call.
  static func backward(
    x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry,
    strategy: Strategy = .automatic, threads: Int? = nil, kernels: FastKernelSet? = nil
  ) -> Conv2DGradients {
    precondition(x.shape == g.inputShape && weight.shape == g.weightShape)
    precondition(dy.shape == g.outputShape)
    var dx = Tensor(shape: g.inputShape)  // zero, as the kernels require
    var dw = Tensor(shape: g.weightShape)
    var db = Tensor(shape: [g.config.filters])
    x.data.withUnsafeBufferPointer { xb in
      weight.data.withUnsafeBufferPointer { wb in
        dy.data.withUnsafeBufferPointer { dyb in
          dx.data.withUnsafeMutableBufferPointer { dxb in
            dw.data.withUnsafeMutableBufferPointer { dwb in
              db.data.withUnsafeMutableBufferPointer { dbb in
                backward(
                  shape: ConvShape(g), x: xb, weight: wb, dy: dyb, dx: dxb, dw: dwb, db: dbb,
                  strategy: strategy, threads: threads, kernels: kernels)
              }
            }
          }
        }
      }
    }
    return Conv2DGradients(dx: dx, dw: dw, db: db)
  }
}
