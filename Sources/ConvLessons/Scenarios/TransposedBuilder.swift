import ConvCore
import ConvFormats
import ConvStepper

// MARK: - TransposedBuilder

/// Builds a ``TransposedScenario`` (PyTorch's `ConvTranspose2d`) from a ``ScenarioRequest``
/// with `transposed` set: the layer flags and lesson keys mean what they mean for a conv2d,
/// with `--output-padding`, and the kernel is `[C, F/groups, KH, KW]`.
///
/// What no flag gives is PyTorch's default (stride 1, padding 0, output_padding 0, dilation 1,
/// groups 1), a 3×3 input of one channel, one output channel and a 3×3 kernel; data no flag
/// gives is seeded small integers (input −2…3, kernel −1…1), readable by hand, the bias zero
/// and `dy` all ones.
public enum TransposedBuilder {
  /// The scenario and the notes the status line should show.
  public struct Result: Sendable {
    /// The scenario, validated.
    public var scenario: TransposedScenario
    /// What happened to the data on the way (e.g. an image was reduced).
    public var notes: [String]
  }

  /// Builds the transposed layer `request` describes; throws a one-line error.
  public static func build(_ request: ScenarioRequest) throws -> Result {
    guard request.base != .article else {
      throw InputError("--article is the article's conv2d layer; it has no transposed form")
    }
    guard request.paddingMode == nil || request.paddingMode == .zeros else {
      throw InputError(
        "--padding-mode: a transposed convolution pads with zeros only (as PyTorch's "
          + "ConvTranspose2d)")
    }
    guard request.relu != true, request.pool == nil else {
      throw InputError("--relu and --pool follow a conv2d; a transposed layer is walked alone")
    }
    let seed = request.seed ?? 0
    var g = SeededGenerator(seed: seed)
    var notes: [String] = []
    let x = try input(request, seed: seed, generator: &g, notes: &notes)
    let c = x.shape[1]
    let groups = request.groups ?? 1
    try ScenarioBuilder.positive(groups, "groups")
    // A four-axis kernel says how many output channels a group has: [C, F/G, KH, KW].
    let stored = request.filters == nil ? request.kernel.flatMap(storedKernelShape) : nil
    let filters = request.filters ?? (stored?.count == 4 ? (stored?[1] ?? 1) * groups : groups)
    guard c % groups == 0, filters % groups == 0 else {
      throw ConvError.invalidParameter(
        name: "groups", value: "\(groups)",
        requirement: "a divisor of the input's \(c) and the output's \(filters) channels")
    }
    let w = try kernel(
      request, c: c, filters: filters, groups: groups, seed: seed, generator: &g, notes: &notes)
    let spec = GeneralConvSpec(
      transposed: true, stride: request.stride ?? Size2(1), padding: request.padding ?? Size2(0),
      dilation: request.dilation ?? Size2(1), outputPadding: request.outputPadding ?? Size2(0),
      groups: groups)
    var s = TransposedScenario(
      spec: spec, input: x, weight: w, bias: Tensor(shape: [w.shape[1] * groups]))
    let out = try s.outputShape()
    if let spec = request.bias {
      let loaded = try ScenarioBuilder.loadBias(spec, filters: out[1])
      notes += ScenarioBuilder.report(loaded)
      s.bias = loaded.tensor
    }
    s.gradient = try gradient(request, shape: out, seed: seed, notes: &notes)
    if let lr = request.learningRate {
      guard lr.isFinite, lr >= 0 else {
        throw ConvError.invalidParameter(
          name: "lr", value: "\(lr)", requirement: "a finite number ≥ 0")
      }
      s.learningRate = lr
    }
    try words(request, &s)
    return Result(scenario: try s.validated(), notes: notes)
  }

  /// The input: loaded (and checked against the size flags), or seeded small integers.
  static func input(
    _ r: ScenarioRequest, seed: UInt64, generator g: inout SeededGenerator, notes: inout [String]
  ) throws -> Tensor {
    if let spec = r.input {
      let loaded = try ScenarioBuilder.loadInput(spec, request: r)
      notes += ScenarioBuilder.report(loaded)
      let shape = loaded.tensor.shape
      try ScenarioBuilder.agree(r.inputSize, Size2(shape[2], shape[3]), "--input-size", "the input")
      try ScenarioBuilder.agree(r.channels, shape[1], "--channels", "the input")
      try ScenarioBuilder.agree(r.batch, shape[0], "--batch", "the input")
      return loaded.tensor
    }
    let size = r.inputSize ?? Size2(3)
    let shape = [r.batch ?? 1, r.channels ?? 1, size.h, size.w]
    for (v, name) in zip(shape, ["batch", "channels", "input-size", "input-size"]) {
      try ScenarioBuilder.positive(v, name)
    }
    try WorkBudget.requireWalkable(input: shape)
    return try ScenarioBuilder.smallIntegers(shape, range: -2...3, using: &g, name: "input")
  }

  /// The kernel `[C, F/G, KH, KW]`: loaded (a file or a preset whose first axis is C), or
  /// seeded small integers.
  static func kernel(
    _ r: ScenarioRequest, c: Int, filters: Int, groups: Int, seed: UInt64,
    generator g: inout SeededGenerator, notes: inout [String]
  ) throws -> Tensor {
    if let spec = r.kernel {
      let loaded = try ScenarioBuilder.loadKernel(
        spec, inChannels: filters / groups, seed: seed, layout: r.layout)
      notes += ScenarioBuilder.report(loaded)
      let w = loaded.tensor
      guard w.shape[0] == c else {
        throw InputError(
          "the kernel \(ConvError.format(w.shape)) of a transposed layer is [C, F/groups, KH, KW]: "
            + "its first axis must be the input's \(c) channel\(c == 1 ? "" : "s")")
      }
      try ScenarioBuilder.agree(
        r.kernelSize, Size2(w.shape[2], w.shape[3]), "--kernel-size", "the kernel")
      return w
    }
    let k = r.kernelSize ?? Size2(3)
    try ScenarioBuilder.positive(k.h, "kernel-size")
    try ScenarioBuilder.positive(k.w, "kernel-size")
    try ScenarioBuilder.positive(filters, "filters")
    let shape = [c, filters / groups, k.h, k.w]
    try WorkBudget.requireWalkable(input: shape)
    return try ScenarioBuilder.smallIntegers(shape, range: -1...1, using: &g, name: "weights")
  }

  /// The shape of a kernel file or of inline values as stored, when it can be read.
  static func storedKernelShape(_ spec: TensorSpec) -> [Int]? {
    switch spec {
    case .values(let t): return t.shape
    case .argument(let a):
      return try? TensorFile.load(
        path: a, options: .layerArray(role: "a kernel"), preferredMember: "w"
      ).tensor.shape
    }
  }

  /// The output gradient for an output of `shape`.
  static func gradient(
    _ r: ScenarioRequest, shape: [Int], seed: UInt64, notes: inout [String]
  ) throws -> GradientSource {
    switch r.gradient {
    case nil: return .ones
    case .values(let t)?:
      return .tensor(try ScenarioBuilder.reshaped(t, to: shape, name: "the gradient"))
    case .argument(let a)?:
      switch GradientArgument(a) {
      case .ones: return .ones
      case .output: return .output
      case .random: return .random(seed: seed)
      case .file:
        let loaded = try TensorArguments.gradient(a, shape: shape, seed: seed, layout: r.layout)
        notes += ScenarioBuilder.report(loaded)
        return .tensor(loaded.tensor)
      }
    }
  }

  /// The title and text, the start phase, step and view.
  static func words(_ r: ScenarioRequest, _ s: inout TransposedScenario) throws {
    let d = (s.input.shape, s.weight.shape)
    s.title =
      r.title
      ?? "A transposed \(d.1[2])×\(d.1[3]) layer on a \(d.0[2])×\(d.0[3]) input, stride \(s.spec.stride)"
    s.text = r.text ?? ""
    if let phase = r.phase {
      guard TransposedScenario.phases.contains(phase) else {
        throw ConvError.invalidParameter(
          name: "phase", value: phase.rawValue,
          requirement: "forward, backward or update for a transposed layer")
      }
      s.startPhase = phase
    }
    if let step = r.step {
      guard step >= 1 else {
        throw ConvError.invalidParameter(name: "step", value: "\(step)", requirement: "≥ 1")
      }
      s.startStep = step - 1
    }
    if let view = r.transposedView { s.startView = view }
    s.practice = r.practice
  }
}
