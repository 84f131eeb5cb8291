// MARK: - SGDConfig

/// The settings of ``SGDOptimizer``: PyTorch's `torch.optim.SGD(params, lr, momentum, weight_decay)`
/// (no dampening, no Nesterov).
public struct SGDConfig: Sendable, Equatable {
  /// The learning rate `lr` (> 0).
  public var learningRate: Double
  /// The momentum `μ` in `[0, 1)`; 0 is plain SGD (the article's `W -= alpha·dW`).
  public var momentum: Double
  /// The L2 penalty `λ` (≥ 0), added to every gradient as `λ·p` (biases too, as PyTorch does
  /// when it is given `model.parameters()`).
  public var weightDecay: Double

  /// Settings of an SGD optimiser.
  public init(learningRate: Double, momentum: Double = 0, weightDecay: Double = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
  }

  /// Throws a one-line ``ConvError`` for a setting out of its range (or not finite).
  public func validate() throws {
    guard learningRate.isFinite, learningRate > 0 else {
      throw ConvError.invalidParameter(
        name: "learning rate", value: "\(learningRate)", requirement: "a number above 0")
    }
    guard momentum.isFinite, (0..<1).contains(momentum) else {
      throw ConvError.invalidParameter(
        name: "momentum", value: "\(momentum)", requirement: "a number from 0 up to (not) 1")
    }
    guard weightDecay.isFinite, weightDecay >= 0 else {
      throw ConvError.invalidParameter(
        name: "weight decay", value: "\(weightDecay)", requirement: "a number 0 or above")
    }
  }
}

// MARK: - SGD

/// Mini-batch stochastic gradient descent with momentum and weight decay, step for step what
/// PyTorch's `torch.optim.SGD` does to each parameter `p` with gradient `g`:
///
/// ```
/// d = g + λ·p                      (weight decay)
/// v = d on the first step, μ·v + d after it   (momentum buffer; skipped when μ = 0)
/// p = p − lr·v
/// ```
///
/// The buffers `v` live here, one per weight and bias, created on the first step.
public struct SGDOptimizer: Sendable, Equatable {
  /// The optimiser's settings.
  public var config: SGDConfig
  /// The momentum buffers, by layer: weight then bias (nil before the first step, or for a
  /// layer without weights).
  public private(set) var buffers: [(w: [Float], b: [Float])?]
  /// The number of steps taken.
  public private(set) var steps = 0

  /// An optimiser with `config` and no momentum yet.
  public init(config: SGDConfig) {
    self.config = config
    buffers = []
  }

  /// Whether two optimisers have the same settings, step count and buffers.
  public static func == (a: SGDOptimizer, b: SGDOptimizer) -> Bool {
    guard a.config == b.config, a.steps == b.steps, a.buffers.count == b.buffers.count else {
      return false
    }
    return zip(a.buffers, b.buffers).allSatisfy { l, r in
      l?.w == r?.w && l?.b == r?.b
    }
  }

  /// Updates every weighted layer of `network` by its gradients (``LayerGradients``, one per
  /// layer, as ``Network/lossAndGradients(x:targets:backend:)`` gives them).
  public mutating func step(_ network: inout Network, gradients: [LayerGradients]) throws {
    guard gradients.count == network.layers.count else {
      throw ConvError.invalidParameter(
        name: "gradients", value: "\(gradients.count) layers",
        requirement: "one per layer of the network (\(network.layers.count))")
    }
    if buffers.count != network.layers.count {
      buffers = Array(repeating: nil, count: network.layers.count)
    }
    for k in network.layers.indices where network.layers[k].hasWeights {
      guard var w = network.layers[k].weight, var b = network.layers[k].bias,
        let dw = gradients[k].dw, let db = gradients[k].db
      else {
        throw ConvError.missingPass(needed: "weights, a bias and their gradients", by: "SGD")
      }
      try dw.requireShape(w.shape, name: "layer \(k + 1) dw")
      try db.requireShape(b.shape, name: "layer \(k + 1) db")
      var buffer = buffers[k] ?? (w: [], b: [])
      update(&w.data, gradient: dw.data, buffer: &buffer.w)
      update(&b.data, gradient: db.data, buffer: &buffer.b)
      if config.momentum > 0 { buffers[k] = buffer }
      network.layers[k].weight = w
      network.layers[k].bias = b
    }
    steps += 1
  }

  /// One parameter tensor's update, in `Float` as PyTorch's float32 parameters are.
  private func update(_ p: inout [Float], gradient g: [Float], buffer v: inout [Float]) {
    let lr = Float(config.learningRate)
    let mu = Float(config.momentum)
    let decay = Float(config.weightDecay)
    let first = v.isEmpty
    if mu > 0 && first { v = [Float](repeating: 0, count: p.count) }
    p.withUnsafeMutableBufferPointer { p in
      g.withUnsafeBufferPointer { g in
        v.withUnsafeMutableBufferPointer { v in
          for i in 0..<p.count {
            var d = g[i]
            if decay != 0 { d += decay * p[i] }
            if mu > 0 {
              v[i] = first ? d : mu * v[i] + d
              d = v[i]
            }
            p[i] -= lr * d
          }
        }
      }
    }
  }
}
