// MARK: - Network

/// A stack of layers ending in logits, trained with softmax cross-entropy (``CrossEntropy``).
///
/// Forward and backward run through every layer on the fast path (`.fast`: the convolution
/// kernels, the linear layer as a 1×1 convolution) or on the oracle (`.reference`: in `Double`).
public struct Network: Sendable, Equatable {
  /// The layers, first to last.
  public var layers: [NetLayer]

  /// A network of `layers`.
  public init(layers: [NetLayer]) {
    self.layers = layers
  }

  /// Every layer's output shape for an input of shape `input` (the first element is `input`),
  /// or the first layer that does not fit the shape it is given.
  public func shapes(input: [Int]) throws(NetShapeError) -> [[Int]] {
    var result = [input]
    for (k, layer) in layers.enumerated() {
      let shape = result[result.count - 1]
      do {
        result.append(try layer.outputShape(input: shape))
      } catch {
        throw NetShapeError(layer: k, input: shape, reason: "\(error)")
      }
    }
    return result
  }

  /// The forward pass: each layer's input, then the logits.
  public func forward(_ x: Tensor, backend: ConvBackend = .fast) throws -> NetworkActivations {
    var values = [x]
    var argmax: [[Int]] = []
    for layer in layers {
      let input = values[values.count - 1]
      var winners: [Int] = []
      values.append(try Self.forward(layer, input, backend: backend, argmax: &winners))
      argmax.append(winners)
    }
    return NetworkActivations(values: values, argmax: argmax)
  }

  /// Logits, the mean cross-entropy loss against `targets`, `dx` and every layer's gradients.
  public func lossAndGradients(
    x: Tensor, targets: [Int], backend: ConvBackend = .fast
  ) throws -> NetworkGradients {
    let pass = try forward(x, backend: backend)
    let (loss, dLogits) = try CrossEntropy.lossAndGradient(logits: pass.logits, targets: targets)
    var dy = dLogits
    var grads = [LayerGradients](repeating: LayerGradients(), count: layers.count)
    var activationGradients = [dy]
    for k in layers.indices.reversed() {
      let (dx, g) = try Self.backward(
        layers[k], input: pass.values[k], dy: dy, argmax: pass.argmax[k], backend: backend)
      grads[k] = g
      dy = dx
      activationGradients.insert(dy, at: 0)
    }
    return NetworkGradients(
      logits: pass.logits, loss: loss, dx: dy, layers: grads,
      activationGradients: activationGradients)
  }

  static func forward(
    _ layer: NetLayer, _ x: Tensor, backend: ConvBackend, argmax: inout [Int]
  ) throws -> Tensor {
    switch layer.kind {
    case .conv2d(let config):
      let (w, b) = try weights(layer)
      return try Conv2D.forward(x: x, weight: w, bias: b, config: config, backend: backend)
    case .relu:
      return ReLU.forward(x)
    case .maxPool2d(let config):
      let out = try MaxPool2D.forward(x, config: config)
      argmax = out.argmax
      return out.y
    case .flatten:
      return try x.reshaped(try layer.outputShape(input: x.shape))
    case .linear:
      let (w, b) = try weights(layer)
      return try Linear.forward(x: x, weight: w, bias: b, backend: backend)
    }
  }

  /// The layer's input gradient and its weight gradients, for output gradient `dy`.
  static func backward(
    _ layer: NetLayer, input x: Tensor, dy: Tensor, argmax: [Int], backend: ConvBackend
  ) throws -> (Tensor, LayerGradients) {
    switch layer.kind {
    case .conv2d(let config):
      let g = try Conv2D.backward(
        x: x, weight: try weights(layer).0, dy: dy, config: config, backend: backend)
      return (g.dx, LayerGradients(dw: g.dw, db: g.db))
    case .relu:
      return (try ReLU.backward(x: x, dy: dy), LayerGradients())
    case .maxPool2d:
      return (
        try MaxPool2D.backward(inputShape: x.shape, dy: dy, argmax: argmax), LayerGradients()
      )
    case .flatten:
      return (try dy.reshaped(x.shape), LayerGradients())
    case .linear:
      let g = try Linear.backward(x: x, weight: try weights(layer).0, dy: dy, backend: backend)
      return (g.dx, LayerGradients(dw: g.dw, db: g.db))
    }
  }

  static func weights(_ layer: NetLayer) throws -> (Tensor, Tensor) {
    guard let w = layer.weight, let b = layer.bias else {
      throw ConvError.missingPass(needed: "weights and a bias", by: "a \(layer.typeName) layer")
    }
    return (w, b)
  }
}

// MARK: - NetworkActivations

/// A forward pass: the input of every layer and the last layer's output.
public struct NetworkActivations: Sendable, Equatable {
  /// `values[k]` is layer `k`'s input; the last one is the logits.
  public var values: [Tensor]
  /// For each max-pool layer, the winning input cell of every output (empty for other layers).
  public var argmax: [[Int]]

  /// The network's output `[N, classes]`.
  public var logits: Tensor { values[values.count - 1] }
}

// MARK: - Gradients

/// A weighted layer's `dw` and `db` (both nil for a layer without weights).
public struct LayerGradients: Sendable, Equatable {
  /// ∂loss/∂w, shaped like the weights.
  public var dw: Tensor?
  /// ∂loss/∂b, shaped like the bias.
  public var db: Tensor?

  /// Gradients of a layer (none for a layer without weights).
  public init(dw: Tensor? = nil, db: Tensor? = nil) {
    self.dw = dw
    self.db = db
  }
}

/// What one forward and backward pass of a ``Network`` gives.
public struct NetworkGradients: Sendable, Equatable {
  /// The network's output `[N, classes]`.
  public var logits: Tensor
  /// The mean cross-entropy loss over the batch.
  public var loss: Double
  /// ∂loss/∂x, shaped like the input.
  public var dx: Tensor
  /// Each layer's weight gradients, in layer order.
  public var layers: [LayerGradients]
  /// ∂loss/∂(layer k's input) for every k, then ∂loss/∂logits.
  public var activationGradients: [Tensor]
}
