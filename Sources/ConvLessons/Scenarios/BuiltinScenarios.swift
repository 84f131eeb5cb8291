import ConvCore
import ConvStepper

// MARK: - Built-in scenarios

extension Scenario {
  /// The first lesson: a 7×7 input of small integers, a 3×3 integer edge filter, padding 1 —
  /// numbers a student can check by hand.
  public static var firstLesson: Scenario {
    let x: [Float] = [
      0, 0, 1, 2, 1, 0, 0,
      0, 1, 2, 3, 2, 1, 0,
      1, 2, 3, 3, 3, 2, 1,
      2, 3, 3, 0, 3, 3, 2,
      1, 2, 3, 3, 3, 2, 1,
      0, 1, 2, 3, 2, 1, 0,
      0, 0, 1, 2, 1, 0, 0,
    ]
    let w: [Float] = [
      1, 0, -1,
      2, 0, -2,
      1, 0, -1,
    ]
    let config = Conv2DConfig(inChannels: 1, filters: 1, kernel: 3, padding: 1)
    var input = Tensor(shape: [1, 1, 7, 7])
    input.data = x
    var weight = Tensor(shape: [1, 1, 3, 3])
    weight.data = w
    return Scenario(
      title: "A 3×3 filter slides over a 7×7 image",
      text:
        "Each output cell is the sum of the nine products under the window, plus the bias. "
        + "Padding 1 keeps the output 7×7.",
      config: config, input: input, weight: weight, bias: Tensor(shape: [1]),
      gradient: .ones, learningRate: 0.1)
  }

  /// The blog article's layer: input 32, filter 5, 16 filters, stride 1, padding 2, alpha 0.01,
  /// a random batch of 10, and the forward output as the output gradient.
  public static func article(seed: UInt64 = 0, batch: Int = 10) throws -> Scenario {
    let layer = try ArticleConvLayer(
      inputSize: 32, filterSize: 5, numFilters: 16, stride: 1, padding: 2, alpha: 0.01, seed: seed)
    guard batch >= 1 else {
      throw ConvError.invalidParameter(name: "batch", value: "\(batch)", requirement: "≥ 1")
    }
    try WorkBudget.requireWalkable(input: [batch, 1, 32, 32], config: layer.conv.config)
    let x = Tensor.normal(shape: [batch, 1, 32, 32], seed: seed &+ 1)
    return Scenario(
      title: "The article's ConvLayer(32, 5, 16, stride 1, padding 2, alpha 0.01)",
      text:
        "A batch of \(batch) random 32×32 inputs through 16 5×5 filters; the output itself is "
        + "the output gradient, as in the article.",
      config: layer.conv.config, input: x, weight: layer.conv.weight, bias: layer.conv.bias,
      gradient: .output, learningRate: 0.01)
  }
}

// MARK: - Identity convolution

extension Scenario {
  /// A block whose convolution is the identity (1×1, one filter per channel, weight 1, bias 0),
  /// so that a standalone ReLU or max-pool can be walked with the same engine: `y = x` exactly.
  public static func identity(
    input: Tensor, relu: Bool, pool: MaxPool2DConfig?, gradient: GradientSource
  ) throws -> Scenario {
    guard input.rank == 4 else {
      throw ConvError.shapeMismatch(name: "input x", expected: "[N, C, H, W]", actual: input.shape)
    }
    let c = input.shape[1]
    let config = Conv2DConfig(inChannels: c, filters: c, kernel: 1)
    var weight = Tensor(shape: config.weightShape)
    for f in 0..<c { weight.data[f * c + f] = 1 }
    return Scenario(
      config: config, input: input, weight: weight, bias: Tensor(shape: [c]), gradient: gradient,
      relu: relu, pool: pool, startPhase: relu ? .relu : .pool)
  }
}
