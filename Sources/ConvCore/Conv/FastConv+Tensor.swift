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
      ow: g.output.w, groups: c.groups, paddingMode: c.paddingMode)
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
    KernelBuffers.forward(x: x, weight: weight, bias: bias, geometry: g) { s, xb, wb, bb, yb in
      forward(
        shape: s, x: xb, weight: wb, bias: bb, y: yb, strategy: strategy, threads: threads,
        kernels: kernels)
    }
  }

  /// `(dx, dw, db)` summed over the batch; the shapes must match `geometry`. `threads`
  /// overrides ``threadCount`` and `kernels` overrides ``kernels`` for this call.
  static func backward(
    x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry,
    strategy: Strategy = .automatic, threads: Int? = nil, kernels: FastKernelSet? = nil
  ) -> Conv2DGradients {
    // dx, dw and db start at zero, as the kernels require.
    KernelBuffers.backward(x: x, weight: weight, dy: dy, geometry: g) {
      s, xb, wb, dyb, dxb, dwb, dbb in
      backward(
        shape: s, x: xb, weight: wb, dy: dyb, dx: dxb, dw: dwb, db: dbb, strategy: strategy,
        threads: threads, kernels: kernels)
    }
  }
}
