// MARK: - Transposed convolution on the fast path

extension FastConv {
  /// Adds the input gradient of the convolution `s` for the output gradient `dy` into `dx`:
  /// `dx[n, c, h, w] += Σ dy[n, f, i, j] · w[f, c − g·C/G, p, q]` over the windows whose tap
  /// `(p, q)` lands on `(h, w)`. This alone is a transposed convolution's forward pass (its
  /// input is `dy`, its output `dx`), computed as `Wᵀ·dy` and a col2im scatter.
  ///
  /// Groups are cut into plain pieces; the padding mode must be zeros (a transposed convolution
  /// has no other). `s.oh`, `s.ow` may exceed what the output-size formula gives for
  /// `s.height`, `s.width` by less than the stride (a transposed output padding): the windows are
  /// walked as the shape says. The buffers hold `dy` `[N, F, OH, OW]`, `w` `[F, C/G, KH, KW]` and
  /// `dx` `[N, C, H, W]`, and must not overlap.
  public static func inputGradient(
    shape s: ConvShape, weight: UnsafeBufferPointer<Float>, dy: UnsafeBufferPointer<Float>,
    dx: UnsafeMutableBufferPointer<Float>, threads requested: Int? = nil,
    kernels requestedKernels: FastKernelSet? = nil
  ) {
    precondition(s.paddingMode == .zeros, "a transposed convolution pads with zeros")
    precondition(weight.count == s.weightCount && dy.count == s.outputCount)
    precondition(dx.count == s.inputCount)
    guard let wp = weight.baseAddress, let dyp = dy.baseAddress, let dxp = dx.baseAddress else {
      return
    }
    let threads = max(1, requested ?? threads(forMACs: s.forwardMACs))
    let set = kernels(requestedKernels)
    guard s.groups > 1 else {
      Im2colPlan(s, kernels: set).inputGradient(
        w: SendablePointer(readOnly: wp), dy: SendablePointer(readOnly: dyp),
        dx: SendablePointer(dxp), threads: threads)
      return
    }
    var piece = s
    piece.groups = 1
    piece.channels = s.groupChannels
    piece.filters = s.groupFilters
    var dyg = [Float](repeating: 0, count: piece.outputCount)
    var dxg = [Float](repeating: 0, count: piece.inputCount)
    let (inPlane, outPlane) = (s.height * s.width, s.oh * s.ow)
    for g in 0..<s.groups {
      for n in 0..<s.batch {
        for f in 0..<piece.filters {
          let from = dyp + (n * s.filters + g * piece.filters + f) * outPlane
          let to = (n * piece.filters + f) * outPlane
          for k in 0..<outPlane { dyg[to + k] = from[k] }
        }
      }
      for k in dxg.indices { dxg[k] = 0 }
      dyg.withUnsafeMutableBufferPointer { dyb in
        dxg.withUnsafeMutableBufferPointer { dxb in
          guard let dyb = dyb.baseAddress, let dxb = dxb.baseAddress else { return }
          Im2colPlan(piece, kernels: set).inputGradient(
            w: SendablePointer(readOnly: wp + g * piece.weightCount),
            dy: SendablePointer(dyb), dx: SendablePointer(dxb), threads: threads)
        }
      }
      for n in 0..<s.batch {
        for c in 0..<piece.channels {
          let to = dxp + (n * s.channels + g * piece.channels + c) * inPlane
          let from = (n * piece.channels + c) * inPlane
          for k in 0..<inPlane { to[k] += dxg[from + k] }
        }
      }
    }
  }
}
