// MARK: - NetLayer

/// One layer of a ``Network``: what it computes and, for conv2d and linear, its weights and bias.
public struct NetLayer: Sendable, Equatable {
  /// What a layer computes.
  public enum Kind: Sendable, Equatable {
    /// A convolution (every geometry: stride, padding, dilation, groups, padding modes);
    /// weights `[F, C/groups, KH, KW]`, bias `[F]`.
    case conv2d(Conv2DConfig)
    /// `max(x, 0)` element by element.
    case relu
    /// Max pooling (padding −∞, ties to the first maximum).
    case maxPool2d(MaxPool2DConfig)
    /// `[N, C, H, W] → [N, C·H·W]`, row-major (a rank-2 input passes through).
    case flatten
    /// `y = x·wᵀ + b`; weights `[out, in]`, bias `[out]`.
    case linear
  }

  /// What the layer computes.
  public var kind: Kind
  /// The weights of a conv2d or linear layer.
  public var weight: Tensor?
  /// The bias of a conv2d or linear layer.
  public var bias: Tensor?

  /// A layer; `weight` and `bias` for conv2d and linear only.
  public init(_ kind: Kind, weight: Tensor? = nil, bias: Tensor? = nil) {
    self.kind = kind
    self.weight = weight
    self.bias = bias
  }

  /// The name the conv-vectors format gives the layer: `conv2d`, `relu`, `maxpool2d`,
  /// `flatten`, `linear`.
  public var typeName: String {
    switch kind {
    case .conv2d: "conv2d"
    case .relu: "relu"
    case .maxPool2d: "maxpool2d"
    case .flatten: "flatten"
    case .linear: "linear"
    }
  }

  /// Whether the layer has weights and a bias (conv2d, linear).
  public var hasWeights: Bool {
    switch kind {
    case .conv2d, .linear: true
    case .relu, .maxPool2d, .flatten: false
    }
  }

  /// The output shape for an input of shape `input`, checked (the weights' shapes too).
  public func outputShape(input: [Int]) throws -> [Int] {
    switch kind {
    case .conv2d(let config):
      try config.validate()
      let g = try ConvGeometry(config: config, inputShape: input)
      try weight?.requireShape(config.weightShape, name: "conv2d weights w")
      try bias?.requireShape(config.biasShape, name: "conv2d bias b")
      return g.outputShape
    case .relu:
      return input
    case .maxPool2d(let config):
      guard input.count == 4 else {
        throw ConvError.shapeMismatch(
          name: "maxpool2d input", expected: "[N, C, H, W]", actual: input)
      }
      try config.validate()
      let out = try config.outputSize(input: Size2(input[2], input[3]))
      return [input[0], input[1], out.h, out.w]
    case .flatten:
      guard input.count >= 2 else {
        throw ConvError.shapeMismatch(name: "flatten input", expected: "[N, …]", actual: input)
      }
      return [input[0], input.dropFirst().reduce(1, *)]
    case .linear:
      guard let w = weight, w.rank == 2 else {
        throw ConvError.missingPass(needed: "weights [out, in]", by: "a linear layer")
      }
      guard input.count == 2, input[1] == w.shape[1] else {
        throw ConvError.shapeMismatch(
          name: "linear input",
          expected: "[N, \(w.shape[1])]"
            + (input.count == 2 ? " (the weights' in)" : " (flatten first)"),
          actual: input)
      }
      try bias?.requireShape([w.shape[0]], name: "linear bias b")
      return [input[0], w.shape[0]]
    }
  }
}
