import ConvKernels

// MARK: - Conv2DGradients

/// The gradients of a convolution's backward pass, summed over the batch (no 1/N).
public struct Conv2DGradients: Sendable, Equatable {
  /// ∂L/∂x, shaped like the input `[N, C, H, W]`.
  public var dx: Tensor
  /// ∂L/∂w, shaped like the weights `[F, C, KH, KW]`.
  public var dw: Tensor
  /// ∂L/∂b, shaped like the bias `[F]`.
  public var db: Tensor

  /// Gradients from their three tensors.
  public init(dx: Tensor, dw: Tensor, db: Tensor) {
    self.dx = dx
    self.dw = dw
    self.db = db
  }
}

// MARK: - ConvBackend

/// Which implementation computes a convolution.
public enum ConvBackend: String, Sendable, CaseIterable {
  /// The oracle: plain loops over every index, gather form, accumulated in `Double`.
  case reference
  /// One window at a time in the step engine's summation order (``CanonicalConv``).
  case direct
  /// The fast path used for whole-layer work.
  case fast
}

// MARK: - Conv2D

/// Stateless 2-D convolution: validated forward and backward passes on whole tensors.
public enum Conv2D {
  /// Validates the shapes of `x`, `weight` and `bias` against `config` and returns the geometry.
  public static func geometry(config: Conv2DConfig, x: Tensor, weight: Tensor, bias: Tensor)
    throws -> ConvGeometry
  {
    let g = try ConvGeometry(config: config, inputShape: x.shape)
    try weight.requireShape(config.weightShape, name: "weights w")
    try bias.requireShape(config.biasShape, name: "bias b")
    return g
  }

  /// `y[N, F, OH, OW]` for input `x[N, C, H, W]`.
  public static func forward(
    x: Tensor, weight: Tensor, bias: Tensor, config: Conv2DConfig, backend: ConvBackend = .fast
  ) throws -> Tensor {
    let g = try geometry(config: config, x: x, weight: weight, bias: bias)
    switch backend {
    case .reference:
      return ReferenceConv.forward(x: x, weight: weight, bias: bias, geometry: g)
    case .direct:
      return CanonicalConv.forward(x: x, weight: weight, bias: bias, geometry: g)
    case .fast:
      return FastConv.forward(x: x, weight: weight, bias: bias, geometry: g)
    }
  }

  /// `(dx, dw, db)` for output gradient `dy[N, F, OH, OW]`, summed over the batch.
  public static func backward(
    x: Tensor, weight: Tensor, dy: Tensor, config: Conv2DConfig, backend: ConvBackend = .fast
  ) throws -> Conv2DGradients {
    let g = try ConvGeometry(config: config, inputShape: x.shape)
    try weight.requireShape(config.weightShape, name: "weights w")
    try dy.requireShape(g.outputShape, name: "output gradient dy")
    switch backend {
    case .reference:
      return ReferenceConv.backward(x: x, weight: weight, dy: dy, geometry: g)
    case .direct:
      return CanonicalConv.backward(x: x, weight: weight, dy: dy, geometry: g)
    case .fast:
      return FastConv.backward(x: x, weight: weight, dy: dy, geometry: g)
    }
  }
}
