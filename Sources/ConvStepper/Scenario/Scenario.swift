import ConvCore

// MARK: - GradientSource

/// Where the output gradient of the walked block comes from.
public enum GradientSource: Sendable, Equatable, CustomStringConvertible {
  /// All ones: `L = Σ y`, so each `dy` cell is 1 (reads best in lessons).
  case ones
  /// The block's own output (the article's choice): `L = ½ Σ y²`.
  case output
  /// Seeded uniform values in [−1, 1].
  case random(seed: UInt64)
  /// Given values, shaped like the block's output.
  case tensor(Tensor)

  /// `ones`, `output`, `random:SEED` or `tensor (shape)`.
  public var description: String {
    switch self {
    case .ones: return "ones"
    case .output: return "output"
    case .random(let seed): return "random:\(seed)"
    case .tensor(let t): return "tensor \(ConvError.format(t.shape))"
    }
  }
}

// MARK: - Scenario

/// Everything a walk needs: the layer, its tensors, the optional ReLU and pooling after it, the
/// output gradient, the learning rate, where to start, and words for the learner.
public struct Scenario: Sendable, Equatable {
  /// A short title, e.g. "What padding does".
  public var title: String
  /// One line (or a few) of explanation.
  public var text: String
  /// The convolution's hyper-parameters.
  public var config: Conv2DConfig
  /// The input `x[N, C, H, W]`.
  public var input: Tensor
  /// The weights `[F, C, KH, KW]`.
  public var weight: Tensor
  /// The bias `[F]`.
  public var bias: Tensor
  /// The output gradient of the block.
  public var gradient: GradientSource
  /// Whether a ReLU follows the convolution.
  public var relu: Bool
  /// Max pooling after the convolution (and ReLU), if any.
  public var pool: MaxPool2DConfig?
  /// The SGD learning rate.
  public var learningRate: Float
  /// The phase a walk starts in.
  public var startPhase: Phase
  /// The step a walk starts at (window granularity, within the first sample).
  public var startStep: Int
  /// The practice a lesson ends with (its question kinds and count), if it names one.
  public var practice: PracticePlan? = nil
  /// Whether the viewer opens with the convolution unfolded into matrices (im2col, the `u` key;
  /// a lesson's `view: unfold`).
  public var startUnfolded = false

  /// A scenario; call ``validate()`` (or use ``validated()``) before walking it.
  public init(
    title: String = "", text: String = "", config: Conv2DConfig, input: Tensor, weight: Tensor,
    bias: Tensor, gradient: GradientSource = .ones, relu: Bool = false,
    pool: MaxPool2DConfig? = nil, learningRate: Float = 0.1, startPhase: Phase = .forward,
    startStep: Int = 0
  ) {
    self.title = title
    self.text = text
    self.config = config
    self.input = input
    self.weight = weight
    self.bias = bias
    self.gradient = gradient
    self.relu = relu
    self.pool = pool
    self.learningRate = learningRate
    self.startPhase = startPhase
    self.startStep = startStep
  }

  /// The convolution's geometry for this input (validates the configuration and shapes).
  public func geometry() throws -> ConvGeometry {
    try Conv2D.geometry(config: config, x: input, weight: weight, bias: bias)
  }

  /// The shape of the block's output: the convolution's, or the pooled one.
  public func blockOutputShape() throws -> [Int] {
    let g = try geometry()
    guard let pool else { return g.outputShape }
    let p = try pool.outputSize(input: g.output)
    return [g.batch, config.filters, p.h, p.w]
  }

  /// The phases a walk of this scenario visits, in order.
  public var phases: [Phase] {
    var p: [Phase] = [.forward]
    if relu { p.append(.relu) }
    if pool != nil { p.append(.pool) }
    if pool != nil { p.append(.poolBackward) }
    if relu { p.append(.reluBackward) }
    p += [.backward, .update]
    return p
  }

  /// The most values of any one tensor a walk holds in memory: 2^24, 64 MiB a tensor
  /// (``WorkBudget/maxWalkValues``).
  public static let maxOutputCells = WorkBudget.maxWalkValues
  /// The most multiply–adds of one pass a walk computes up front: 2^30, a few seconds
  /// (``WorkBudget/maxWalkMACs``).
  public static let maxMACs = WorkBudget.maxWalkMACs

  /// Throws a one-line error when anything does not fit together, or when the layer is too
  /// large to walk (``WorkBudget/requireWalkable(input:config:pool:)``).
  public func validate() throws {
    _ = try geometry()
    try WorkBudget.requireWalkable(input: input.shape, config: config, pool: pool)
    let shape = try blockOutputShape()
    if case .tensor(let t) = gradient {
      try t.requireShape(shape, name: "output gradient dy")
    }
    guard learningRate.isFinite else {
      throw ConvError.invalidParameter(
        name: "learning rate", value: "\(learningRate)", requirement: "finite")
    }
    guard phases.contains(startPhase) else {
      throw ConvError.invalidParameter(
        name: "start phase", value: startPhase.rawValue,
        requirement: "one of \(phases.map(\.rawValue).joined(separator: ", "))")
    }
    guard startStep >= 0 else {
      throw ConvError.invalidParameter(
        name: "start step", value: "\(startStep)", requirement: "≥ 0")
    }
  }

  /// The scenario itself after ``validate()`` succeeded.
  public func validated() throws -> Scenario {
    try validate()
    return self
  }
}
