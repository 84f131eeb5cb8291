import ConvCore
import ConvFormats
import ConvStepper

// MARK: - ScenarioBuilder

/// Builds a ``Scenario`` from a ``ScenarioRequest``: the base scenario, with every requested
/// change applied and checked.
///
/// Data that still fits the new shape is kept (`--stride 2` walks the first lesson's own numbers
/// with stride 2); data that no longer fits is replaced by seeded small integers, readable by
/// hand. A file's shape wins over the size flags, and a disagreement between the two is an error
/// that names both.
public enum ScenarioBuilder {
  /// The scenario and the notes the status line should show (e.g. an image was reduced).
  public struct Result: Sendable {
    /// The scenario, validated.
    public var scenario: Scenario
    /// What happened to the data on the way.
    public var notes: [String]
    /// The defaults in use and where each tensor came from.
    public var setup = LayerSetup()
  }

  /// Builds the scenario `request` describes; throws a one-line ``InputError`` or ``ConvError``.
  public static func build(_ request: ScenarioRequest) throws -> Result {
    if request.transposed == true {
      throw InputError(
        "a transposed convolution: the viewer, render, export, steps, check and code take it; "
          + "this command takes a conv2d")
    }
    if request.outputPadding != nil {
      throw InputError("--output-padding is a transposed convolution's: add --transposed")
    }
    var a = try Assembly(request)
    try a.applyInput()
    try a.applyKernelAndConfig()
    try a.applyBiasAndBlock()
    try a.applyGradient()
    a.describeSetup()
    try a.applyWordsAndStart()
    try a.s.validate()
    return Result(scenario: a.s, notes: a.notes, setup: a.setup)
  }

  /// The scenario being built and what building it noted, changed one part at a time and in
  /// this order (input, kernel and configuration, bias and block, gradient, words and start):
  /// each part is checked against the parts before it, and generated data draws from one seeded
  /// generator in that order.
  private struct Assembly {
    let request: ScenarioRequest
    let seed: UInt64
    var s: Scenario
    var notes: [String] = []
    /// The defaults in use and where each tensor came from, filled in part by part.
    var setup = LayerSetup()
    /// Where x and w came from, when a flag or a shape change decided it (nil: the base's).
    var inputOrigin: String?
    var kernelOrigin: String?
    var biasOrigin: String?
    var gradientOrigin: String?

    /// Whether the layer is made by flags alone (no lesson, no `--article`): what no flag gives
    /// is then PyTorch's `Conv2d` default (stride 1, padding 0, dilation 1), not the first
    /// lesson's geometry.
    var flagsAlone: Bool { request.lesson == nil && request.base == nil && request.changesLayer }
    /// The input's shape as stored in its file, when it came from an array file (not an image).
    var inputArrayShape: [Int]?
    var g: SeededGenerator

    init(_ request: ScenarioRequest) throws {
      self.request = request
      seed = request.seed ?? 0
      switch request.base {
      case .article: s = try .article(seed: seed, batch: request.batch ?? 10)
      case .firstLesson, nil: s = .firstLesson
      }
      g = SeededGenerator(seed: seed)
    }

    /// The input: loaded and checked against the size flags, or the base's, reshaped by them.
    mutating func applyInput() throws {
      if let spec = request.input {
        let loaded = try loadInput(spec, request: request)
        notes += report(loaded)
        inputOrigin = origin(of: spec, loaded)
        s.input = loaded.tensor
        if !loaded.isImage, loaded.format != .preset { inputArrayShape = loaded.storedShape }
        let shape = s.input.shape
        try agree(request.inputSize, Size2(shape[2], shape[3]), "--input-size", "the input")
        if let c = request.channels, c != shape[1], request.layout == .nchw,
          let stored = inputArrayShape, stored.count >= 3, stored.last == c
        {
          throw InputError(
            "--channels \(c) disagrees with the input \(ConvError.format(stored)), which has "
              + "\(shape[1]) channels first; channels last? give --layout nhwc")
        }
        try agree(request.channels, shape[1], "--channels", "the input")
        if let b = request.batch, b != shape[0], request.base != .article {
          throw InputError(
            "--batch \(b) disagrees with the input, which holds \(shape[0]) sample(s)")
        }
        return
      }
      let old = s.input.shape
      let size = request.inputSize ?? Size2(old[2], old[3])
      let shape = [request.batch ?? old[0], request.channels ?? old[1], size.h, size.w]
      try positive(shape[0], "batch")
      try positive(shape[1], "channels")
      try positive(size.h, "input-size")
      try positive(size.w, "input-size")
      if shape != old {
        try WorkBudget.requireWalkable(input: shape)
        s.input = try smallIntegers(shape, range: -2...3, using: &g, name: "input")
        inputOrigin = "seeded small integers −2…3 (seed \(seed))"
      }
    }

    /// The kernel (loaded, or the base's while it fits) and the layer's configuration.
    mutating func applyKernelAndConfig() throws {
      let c = s.input.shape[1]
      let groups = request.groups ?? (flagsAlone ? 1 : s.config.groups)
      var weight: Tensor?
      if let spec = request.kernel {
        let loaded: LoadedTensor
        do {
          // A kernel file has C/groups channels (PyTorch's [F, C/groups, KH, KW]).
          guard groups >= 1, c % groups == 0 else {
            throw ConvError.invalidParameter(
              name: "groups", value: "\(groups)",
              requirement: "a divisor of the input's \(c) channel\(c == 1 ? "" : "s")")
          }
          loaded = try loadKernel(
            spec, inChannels: c / groups, seed: seed, layout: request.layout, groups: groups)
        } catch let error as InputError {
          // A grouped layer's error already speaks of C/G (TensorRoles' `groups`).
          throw groups > 1 ? error : channelsLastHint(error, kernel: spec)
        }
        notes += report(loaded)
        kernelOrigin = origin(of: spec, loaded)
        let w = loaded.tensor
        try agree(request.kernelSize, Size2(w.shape[2], w.shape[3]), "--kernel-size", "the kernel")
        try agree(request.filters, w.shape[0], "--filters", "the kernel")
        weight = w
      }
      let base = s.config
      let config = Conv2DConfig(
        inChannels: c, filters: weight?.shape[0] ?? request.filters ?? base.filters,
        kernel: weight.map { Size2($0.shape[2], $0.shape[3]) } ?? request.kernelSize
          ?? base.kernel,
        stride: request.stride ?? (flagsAlone ? Size2(1) : base.stride),
        padding: request.padding ?? (flagsAlone ? Size2(0) : base.padding),
        dilation: request.dilation ?? (flagsAlone ? Size2(1) : base.dilation), groups: groups,
        paddingMode: request.paddingMode ?? (flagsAlone ? .zeros : base.paddingMode))
      try config.validate()
      _ = try config.outputSize(input: Size2(s.input.shape[2], s.input.shape[3]))
      // Before the weights are made: `--filters 1000000 --kernel-size 16` is a gigabyte.
      try WorkBudget.requireWalkable(input: s.input.shape, config: config)
      if let weight {
        s.weight = weight
      } else if s.weight.shape != config.weightShape {
        s.weight = try smallIntegers(config.weightShape, range: -1...1, using: &g, name: "weights")
        kernelOrigin = "seeded small integers −1…1 (seed \(seed))"
      }
      s.config = config
    }

    /// `error` (a kernel that does not fit the input), with a suggestion of the other
    /// `--layout` when the input and the kernel fit each other read in it: channels last (an
    /// NHWC input and an HWIO kernel, as TensorFlow writes them), or channels first.
    func channelsLastHint(_ error: InputError, kernel spec: TensorSpec) -> InputError {
      guard !error.message.contains("--layout nhwc"), let stored = inputArrayShape,
        stored.count == 4
      else { return error }
      let other = request.layout.other
      let channels = other == .nhwc ? stored[3] : stored[1]
      guard
        (try? ScenarioBuilder.loadKernel(spec, inChannels: channels, seed: seed, layout: other))
          != nil
      else { return error }
      let advice =
        other == .nhwc
        ? "channels last (NHWC, HWIO): give --layout nhwc"
        : "channels first (NCHW, [F, C, KH, KW]): drop --layout nhwc"
      return InputError(
        error.message + "; the input \(ConvError.format(stored)) and the kernel fit each other "
          + advice)
    }

    /// The bias, the ReLU and pooling after the convolution, and the learning rate.
    mutating func applyBiasAndBlock() throws {
      let filters = s.config.filters
      if let spec = request.bias {
        let loaded = try loadBias(spec, filters: filters)
        notes += report(loaded)
        s.bias = loaded.tensor
        biasOrigin = origin(of: spec, loaded)
      } else if s.bias.count != filters {
        s.bias = Tensor(shape: [filters])
      }
      if let relu = request.relu { s.relu = relu }
      if let pool = request.pool { s.pool = pool }
      if let lr = request.learningRate {
        // PyTorch's SGD refuses a negative learning rate too ("Invalid learning rate").
        guard lr.isFinite, lr >= 0 else {
          throw ConvError.invalidParameter(
            name: "lr", value: "\(lr)", requirement: "a finite number ≥ 0")
        }
        s.learningRate = lr
      }
    }

    /// The output gradient, shaped like the block's output.
    mutating func applyGradient() throws {
      let outputShape = try s.blockOutputShape()
      switch request.gradient {
      case nil:
        if case .tensor(let t) = s.gradient, t.shape != outputShape { s.gradient = .ones }
      case .values(let t)?:
        s.gradient = .tensor(try reshaped(t, to: outputShape, name: "the gradient"))
      case .argument(let a)?:
        switch GradientArgument(a) {
        case .ones: s.gradient = .ones
        case .output: s.gradient = .output
        case .random: s.gradient = .random(seed: seed)
        case .file:
          let loaded = try TensorArguments.gradient(
            a, shape: outputShape, seed: seed, layout: request.layout)
          notes += report(loaded)
          s.gradient = .tensor(loaded.tensor)
          gradientOrigin = LayerSetup.source(of: loaded)
        }
      }
    }

    /// Fills ``setup``: every setting no flag or lesson line gave, and where x, w, b and dy
    /// came from.
    mutating func describeSetup() {
      let c = s.config
      let whose =
        flagsAlone
        ? "PyTorch's"
        : request.lesson != nil
          ? "the lesson's"
          : request.base == .article
            ? "the article's" : "the first lesson's"
      var d: [String] = []
      if request.stride == nil { d.append("stride \(c.stride)") }
      if request.padding == nil { d.append("padding \(c.padding)") }
      if request.dilation == nil { d.append("dilation \(c.dilation)") }
      // Groups and the padding mode are named only when a lesson or base set them otherwise
      // than PyTorch's defaults (1 and zeros).
      if request.groups == nil, c.groups != 1 { d.append("groups \(c.groups)") }
      if request.paddingMode == nil, c.paddingMode != .zeros {
        d.append("padding mode \(c.paddingMode.rawValue)")
      }
      if !d.isEmpty { d[d.count - 1] += " (\(whose))" }
      let zeroBias = s.bias.data.allSatisfy { $0 == 0 }
      if request.bias == nil { d.append(zeroBias ? "bias = 0" : "bias \(baseName)") }
      if request.gradient == nil { d.append("dy = \(s.gradient)") }
      if request.learningRate == nil { d.append("lr \(s.learningRate)") }
      if request.seed == nil { d.append("seed 0") }
      setup.defaults = d
      setup.origins = [
        .init(tensor: "x", source: inputOrigin ?? baseName),
        .init(tensor: "w", source: kernelOrigin ?? baseName),
        .init(
          tensor: "b", source: biasOrigin ?? (zeroBias ? "zeros" : baseName)),
        .init(tensor: "dy", source: gradientOrigin ?? LayerSetup.source(of: s.gradient)),
      ]
    }

    /// Where a tensor a flag or a lesson line gave came from: a lesson's own values, a file, a
    /// preset.
    func origin(of spec: TensorSpec, _ loaded: LoadedTensor) -> String {
      var inline = loaded.format == .values
      if case .values = spec { inline = true }
      if inline, let lesson = request.lesson { return "from \(lesson)" }
      return LayerSetup.source(of: loaded)
    }

    /// The base's data in words: `the first lesson's`, `the article's (seed 0)`.
    var baseName: String {
      if let lesson = request.lesson { return "from \(lesson)" }
      switch request.base {
      case .article: return "the article's (seeded normal random, seed \(seed))"
      case .firstLesson, nil: return "the first lesson's"
      }
    }

    /// The title of a layer the flags changed: the input and the kernel by name when a flag
    /// named them (`photo:rgb (3×64×64) · kernel sobel-x`), else the layer's sizes.
    func generatedTitle() -> String {
      let kernel = s.config.kernel
      var inputName: String?
      var kernelName: String?
      if case .argument(let a) = request.input { inputName = ScenarioWords.sourceName(a) }
      if case .argument(let a) = request.kernel { kernelName = ScenarioWords.sourceName(a) }
      guard inputName != nil || kernelName != nil else {
        return "A \(kernel.h)×\(kernel.w) layer on a \(s.input.shape[2])×\(s.input.shape[3]) input"
      }
      return ScenarioWords.title([
        ScenarioWords.input(inputName ?? "input", shape: s.input.shape),
        kernelName.map(ScenarioWords.kernel) ?? ScenarioWords.kernel(size: kernel),
      ])
    }

    /// The title and text (kept, given, or replaced when the layer changed), the start phase
    /// and the start step.
    mutating func applyWordsAndStart() throws {
      s.practice = request.practice
      if let title = request.title {
        s.title = title
      } else if request.changesLayer {
        s.title = generatedTitle()
      }
      if let text = request.text {
        s.text = text
      } else if request.changesLayer {
        // Flags made or changed the layer: say what they left to defaults and where the numbers
        // come from (seeded small integers where a shape changed, files, presets).
        s.text = setup.lines.map { $0.prefix(1).uppercased() + $0.dropFirst() + "." }
          .joined(separator: " ")
      }
      if let phase = request.phase {
        guard s.phases.contains(phase) else {
          throw ConvError.invalidParameter(
            name: "phase", value: phase.rawValue,
            requirement: "one of \(s.phases.map(\.rawValue).joined(separator: ", "))")
        }
        s.startPhase = phase
        s.startStep = 0
      } else if !s.phases.contains(s.startPhase) {
        s.startPhase = .forward
      }
      if let unfold = request.unfold { s.startUnfolded = unfold }
      if let step = request.step {
        guard step >= 1 else {
          throw ConvError.invalidParameter(name: "step", value: "\(step)", requirement: "≥ 1")
        }
        s.startStep = step - 1
      }
    }
  }

  // MARK: Loading

  /// What the status line should say about loaded data: its notes (e.g. an image was reduced)
  /// and, named, any NaN or infinite values (they are drawn distinctly).
  static func report(_ loaded: LoadedTensor) -> [String] {
    var out = loaded.notes.map { "\(loaded.source): \($0)" }
    let counts = loaded.nonFinite
    if counts.total > 0 { out.append("\(loaded.source): \(counts.description)") }
    return out
  }

  static func loadInput(_ spec: TensorSpec, request: ScenarioRequest) throws -> LoadedTensor {
    switch spec {
    case .argument(let a):
      return try TensorArguments.input(
        a, options: request.load, seed: request.seed ?? 0, layout: request.layout)
    case .values(let t):
      return try inline(t, "input").asInput()
    }
  }

  /// With `groups` above 1, `inChannels` is what one filter reads (`C/G`).
  static func loadKernel(
    _ spec: TensorSpec, inChannels: Int, seed: UInt64, layout: DataLayout = .nchw,
    groups: Int = 1
  ) throws -> LoadedTensor {
    switch spec {
    case .argument(let a):
      return try TensorArguments.kernel(
        a, inChannels: inChannels, seed: seed, layout: layout, groups: groups)
    case .values(let t):
      return try inline(t, "kernel").asKernel(inChannels: inChannels, groups: groups)
    }
  }

  static func loadBias(_ spec: TensorSpec, filters: Int) throws -> LoadedTensor {
    switch spec {
    case .argument(let a): return try TensorArguments.bias(a, filters: filters)
    case .values(let t): return try inline(t, "bias").asBias(filters: filters)
    }
  }

  static func inline(_ t: Tensor, _ name: String) -> LoadedTensor {
    LoadedTensor(
      tensor: t, source: name, format: .text, detail: "inline values", storedShape: t.shape,
      isImage: false)
  }

  // MARK: Helpers

  static func reshaped(_ t: Tensor, to shape: [Int], name: String) throws -> Tensor {
    guard t.count == shape.reduce(1, *) else {
      throw InputError(
        "\(name) has \(t.count) values; the block's output \(ConvError.format(shape)) needs "
          + "\(shape.reduce(1, *))")
    }
    return try t.reshaped(shape)
  }

  static func agree<T: Equatable & CustomStringConvertible>(
    _ requested: T?, _ actual: T, _ flag: String, _ what: String
  ) throws {
    if let requested, requested != actual {
      throw InputError("\(flag) \(requested) disagrees with \(what), which is \(actual)")
    }
  }

  static func positive(_ v: Int, _ name: String) throws {
    guard v >= 1 else {
      throw ConvError.invalidParameter(name: name, value: "\(v)", requirement: "≥ 1")
    }
  }

  /// Seeded integers in `range`, as floats (what generated data is made of).
  public static func smallIntegers(
    _ shape: [Int], range: ClosedRange<Int>, using g: inout SeededGenerator, name: String
  ) throws -> Tensor {
    var t = try Tensor(validatingShape: shape, name: name)
    let width = UInt64(range.upperBound - range.lowerBound + 1)
    for i in t.data.indices { t.data[i] = Float(Int(g.next() % width) + range.lowerBound) }
    return t
  }
}
