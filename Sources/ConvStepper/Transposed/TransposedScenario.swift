import ConvCore

// MARK: - TransposedView

/// How a transposed convolution is shown: as it is defined (each input cell stamps the kernel
/// onto the output), as conv_arithmetic draws it (a plain convolution over the input with zeros
/// inserted, the kernel flipped), or as the conv2d whose input gradient it is.
public enum TransposedView: String, Sendable, Hashable, CaseIterable {
  /// One input cell a step: `x[n,c,i,j] · w[c]` added onto the output at `(i·s − p, j·s − p)`.
  case stamps
  /// A plain convolution over the zero-inserted, padded input with the flipped kernel.
  case zeroInsertion = "zero-insertion"
  /// The conv2d (same w, stride, padding, dilation, groups) whose backward `dx`, for an output
  /// gradient equal to this layer's input, is this layer's output minus its bias.
  case adjoint
}

// MARK: - TransposedScenario

/// Everything a walk of a transposed convolution (PyTorch's `ConvTranspose2d`) needs: the layer,
/// its tensors, the output gradient, the learning rate, where to start and how to show it.
public struct TransposedScenario: Sendable, Equatable {
  /// A short title.
  public var title: String
  /// One line (or a few) of explanation.
  public var text: String
  /// Stride, padding, output_padding, dilation, groups (`transposed` is true).
  public var spec: GeneralConvSpec
  /// The input `x[N, C, H, W]`.
  public var input: Tensor
  /// The weights `[C, F/G, KH, KW]` (input channels first, as PyTorch stores them).
  public var weight: Tensor
  /// The bias `[F]`.
  public var bias: Tensor
  /// The output gradient.
  public var gradient: GradientSource
  /// The SGD learning rate.
  public var learningRate: Float
  /// The phase a walk starts in: forward, backward or update.
  public var startPhase: Phase
  /// The step a walk starts at (within the first sample).
  public var startStep: Int
  /// The view a walk opens in.
  public var startView: TransposedView
  /// The practice a lesson ends with: asked on the zero-insertion conv2d (the same `y`).
  public var practice: PracticePlan? = nil

  /// A scenario; call ``validate()`` before walking it.
  public init(
    title: String = "", text: String = "", spec: GeneralConvSpec, input: Tensor, weight: Tensor,
    bias: Tensor, gradient: GradientSource = .ones, learningRate: Float = 0.1,
    startPhase: Phase = .forward, startStep: Int = 0, startView: TransposedView = .stamps
  ) {
    self.title = title
    self.text = text
    var s = spec
    s.transposed = true
    s.paddingMode = .zeros
    self.spec = s
    self.input = input
    self.weight = weight
    self.bias = bias
    self.gradient = gradient
    self.learningRate = learningRate
    self.startPhase = startPhase
    self.startStep = startStep
    self.startView = startView
  }

  /// The phases a walk visits.
  public static let phases: [Phase] = [.forward, .backward, .update]

  /// The output's shape `[N, F, OH, OW]`; throws a one-line error when the shapes and the
  /// parameters do not fit.
  public func outputShape() throws -> [Int] {
    try TransposedConv.outputShape(x: input.shape, w: weight.shape, spec: spec)
  }

  /// Throws a one-line error when anything does not fit together, or when the layer is too
  /// large to walk (the limits of ``WorkBudget``, as for a conv2d walk).
  public func validate() throws {
    let out = try outputShape()
    try bias.requireShape([out[1]], name: "b")
    for (name, shape) in [
      ("the input", input.shape), ("the weights", weight.shape), ("the output", out),
    ] {
      try WorkBudget.require(
        WorkBudget.product(shape), atMost: WorkBudget.maxWalkValues, flag: name,
        value: ConvError.format(shape), unit: "values",
        hint: "reduce --size, --batch or the channels")
    }
    let macs = WorkBudget.product(
      input.shape + [weight.shape[1], weight.shape[2], weight.shape[3]])
    try WorkBudget.require(
      macs, atMost: WorkBudget.maxWalkMACs, flag: "the layer",
      value: "\(ConvError.format(input.shape)) → \(ConvError.format(out))",
      unit: "multiply–adds a pass", hint: "reduce --size, --batch or the channels")
    if case .tensor(let t) = gradient { try t.requireShape(out, name: "output gradient dy") }
    guard learningRate.isFinite else {
      throw ConvError.invalidParameter(
        name: "learning rate", value: "\(learningRate)", requirement: "finite")
    }
    guard TransposedScenario.phases.contains(startPhase) else {
      throw ConvError.invalidParameter(
        name: "start phase", value: startPhase.rawValue,
        requirement: "forward, backward or update for a transposed convolution")
    }
    guard startStep >= 0 else {
      throw ConvError.invalidParameter(
        name: "start step", value: "\(startStep)", requirement: "≥ 0")
    }
  }

  /// The scenario itself after ``validate()`` succeeded.
  public func validated() throws -> TransposedScenario {
    try validate()
    return self
  }

  // MARK: The same numbers as a conv2d

  /// conv_arithmetic's form as a walkable conv2d: the input with `s − 1` zeros inserted between
  /// cells and `d·(K − 1) − p` of padding around it, the kernels flipped 180° with their channel
  /// axes swapped, stride 1; its output is this layer's, and `dy` its output gradient.
  public func zeroInsertionScenario(dy: Tensor) throws -> Scenario {
    let z = try ZeroInsertion(spec: spec, x: input.shape, w: weight.shape)
    var s = Scenario(
      title: title, text: text, config: z.config, input: z.input(input), weight: z.weights(weight),
      bias: bias, gradient: .tensor(dy), learningRate: learningRate)
    s.practice = practice
    return try s.validated()
  }

  /// The conv2d whose input gradient this layer is: `F` input channels at the output's size,
  /// `C` filters, the same `w`, stride, padding, dilation and groups, no bias; its input is
  /// `dy` (so its forward pass is this layer's `dx` and its `dw` this layer's) and its output
  /// gradient is `x` (so its `dx` is this layer's `y − b`). It starts at its backward pass.
  ///
  /// Throws when output_padding is at least the stride (allowed below the dilation): that
  /// conv2d's output would then be larger than `x`.
  public func adjointScenario(dy: Tensor) throws -> Scenario {
    let out = try outputShape()
    let config = Conv2DConfig(
      inChannels: out[1], filters: input.shape[1], kernel: Size2(weight.shape[2], weight.shape[3]),
      stride: spec.stride, padding: spec.padding, dilation: spec.dilation, groups: spec.groups)
    let size = try config.outputSize(input: Size2(out[2], out[3]))
    guard size == Size2(input.shape[2], input.shape[3]) else {
      throw ConvError.invalidParameter(
        name: "output_padding", value: "\(spec.outputPadding)",
        requirement:
          "smaller than the stride for the conv2d view (that conv2d gives \(size.h)×\(size.w), "
          + "not the input's \(input.shape[2])×\(input.shape[3]))")
    }
    return try Scenario(
      title: title, text: text, config: config, input: dy, weight: weight,
      bias: Tensor(shape: [input.shape[1]]), gradient: .tensor(input), learningRate: learningRate,
      startPhase: .backward
    ).validated()
  }
}
