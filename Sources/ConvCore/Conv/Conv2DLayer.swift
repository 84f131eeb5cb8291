#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Conv2DLayer

/// A 2-D convolution layer with parameters, a cached input and plain SGD.
///
/// ```swift
/// var layer = try Conv2DLayer(config: .init(inChannels: 1, filters: 16, kernel: 5, padding: 2),
///                             seed: 0)
/// let y = try layer.forward(x)          // caches x
/// let g = try layer.backward(dy)        // stores dw, db
/// try layer.sgdStep(learningRate: 0.01) // w -= lr·dw, b -= lr·db
/// ```
public struct Conv2DLayer: Sendable {
  /// The hyper-parameters.
  public let config: Conv2DConfig
  /// Weights `[F, C, KH, KW]`.
  public private(set) var weight: Tensor
  /// Bias `[F]`.
  public private(set) var bias: Tensor
  /// Which implementation runs the passes.
  public var backend: ConvBackend
  /// The input of the last ``forward(_:)``, needed by ``backward(_:)``.
  public private(set) var cachedInput: Tensor?
  /// The gradients of the last ``backward(_:)``, applied by ``sgdStep(learningRate:)``.
  public private(set) var gradients: Conv2DGradients?

  /// A layer with He-initialised weights (`N(0, 2/(C/G·KH·KW))`, the fan-in of one filter) and
  /// zero bias.
  public init(config: Conv2DConfig, seed: UInt64, backend: ConvBackend = .fast) throws {
    try config.validate()
    let fanIn = Float(config.groupChannels * config.kernel.h * config.kernel.w)
    self.config = config
    self.weight = Tensor.normal(
      shape: config.weightShape, std: (2 / fanIn).squareRoot(), seed: seed)
    self.bias = Tensor(shape: config.biasShape)
    self.backend = backend
  }

  /// A layer with the given weights and bias (their shapes are checked).
  public init(config: Conv2DConfig, weight: Tensor, bias: Tensor, backend: ConvBackend = .fast)
    throws
  {
    try config.validate()
    try weight.requireShape(config.weightShape, name: "weights w")
    try bias.requireShape(config.biasShape, name: "bias b")
    self.config = config
    self.weight = weight
    self.bias = bias
    self.backend = backend
  }

  /// Replaces the weights (shape checked).
  public mutating func setWeight(_ w: Tensor) throws {
    try w.requireShape(config.weightShape, name: "weights w")
    weight = w
  }

  /// Replaces the bias (shape checked).
  public mutating func setBias(_ b: Tensor) throws {
    try b.requireShape(config.biasShape, name: "bias b")
    bias = b
  }

  // MARK: Passes

  /// `y[N, F, OH, OW]` for `x[N, C, H, W]`; caches `x` for the backward pass.
  public mutating func forward(_ x: Tensor) throws -> Tensor {
    let y = try Conv2D.forward(x: x, weight: weight, bias: bias, config: config, backend: backend)
    cachedInput = x
    gradients = nil
    return y
  }

  /// `(dx, dw, db)` for `dy[N, F, OH, OW]`, summed over the batch; stores them for SGD.
  public mutating func backward(_ dy: Tensor) throws -> Conv2DGradients {
    guard let x = cachedInput else {
      throw ConvError.missingPass(needed: "forward", by: "backward")
    }
    let g = try Conv2D.backward(x: x, weight: weight, dy: dy, config: config, backend: backend)
    gradients = g
    return g
  }

  /// One plain SGD step with the stored gradients: `w -= lr·dw`, `b -= lr·db`.
  public mutating func sgdStep(learningRate lr: Float) throws {
    guard let g = gradients else {
      throw ConvError.missingPass(needed: "backward", by: "sgdStep")
    }
    guard lr.isFinite else {
      throw ConvError.invalidParameter(name: "learning rate", value: "\(lr)", requirement: "finite")
    }
    weight = SGD.step(weight, gradient: g.dw, learningRate: lr)
    bias = SGD.step(bias, gradient: g.db, learningRate: lr)
  }
}

// MARK: - SGD

/// Plain stochastic gradient descent.
public enum SGD {
  /// `p − lr·g`, element by element, computed as `p - (lr * g)` in `Float`.
  public static func step(_ p: Tensor, gradient g: Tensor, learningRate lr: Float) -> Tensor {
    precondition(p.shape == g.shape, "parameter and gradient shapes differ")
    var r = p
    for i in r.data.indices { r.data[i] = p.data[i] - lr * g.data[i] }
    return r
  }
}
