import ArgumentParser
import ConvCore
import NumberText

// MARK: - DemoCommand

/// `convscope demo`: the article's program, done right.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the article's ConvLayer demo correctly and print the three shapes.",
    discussion: """
      ConvLayer(input_size, filter_size, num_filters, stride, padding, alpha): a random batch \
      goes forward, the forward output is used as the output gradient (as the article does), \
      backward returns the input gradient and applies one SGD step. Besides the shapes it prints \
      a finite-difference gradient check, the size of the weight change and the time taken. \
      docs/article-errata.md lists what the article's own code gets wrong. Sizes are checked \
      before any work: at most 2^24 values in the input, the weights and the output, 2^30 \
      multiply–adds a pass and 2^30 for the gradient check (a larger one is refused at once \
      with what would fit).
      """)

  @Option(help: "Batch size B.") var batch = 10
  @Option(help: "Side of the square input.") var inputSize = 32
  @Option(help: "Side of the square filter.") var filterSize = 5
  @Option(help: "Number of filters.") var filters = 16
  @Option(help: "Stride.") var stride = 1
  @Option(help: "Zero padding on every side.") var padding = 2
  @Option(parsing: .unconditional, help: "SGD learning rate.") var alpha: Float = 0.01
  @Option(
    parsing: .unconditional, help: "Seed for the weights and the batch.", transform: parseSeed)
  var seed: UInt64 = 0
  @Option(
    help: "Cells per tensor the gradient check samples (0 = all, if the work fits the limit).")
  var checkCells = 4000

  func run() throws {
    let report = try reportingUserErrors { try ArticleDemo.run(options: self) }
    try Output.print(report)
  }
}

// MARK: - ArticleDemo

/// The demo's work, separate from flag parsing.
enum ArticleDemo {
  static func run(options o: DemoCommand) throws -> String {
    guard o.batch >= 1 else {
      throw ConvError.invalidParameter(name: "batch", value: "\(o.batch)", requirement: "≥ 1")
    }
    guard o.checkCells >= 0 else {
      throw ConvError.invalidParameter(
        name: "check-cells", value: "\(o.checkCells)", requirement: "≥ 0")
    }
    try requireBudget(o)
    return report(try measure(o), o)
  }

  /// What to reduce, in the demo's flags.
  static let flags = WorkBudget.LayerFlags(
    input: "--batch or --input-size", weights: "--filters or --filter-size",
    output: "--batch, --filters, --input-size or --padding",
    work: "--batch, --filters, --filter-size or --input-size")

  /// Refuses sizes whose tensors or work pass ``WorkBudget``'s limits, before anything is made.
  static func requireBudget(_ o: DemoCommand) throws {
    let config = Conv2DConfig(
      inChannels: 1, filters: o.filters, kernel: Size2(o.filterSize), stride: Size2(o.stride),
      padding: Size2(o.padding))
    try config.validate()
    guard o.inputSize >= 1 else {
      throw ConvError.invalidParameter(
        name: "input-size", value: "\(o.inputSize)", requirement: "≥ 1")
    }
    let input = [o.batch, 1, o.inputSize, o.inputSize]
    try WorkBudget.requireWalkable(input: input, config: config, flags: flags)
    try WorkBudget.requireGradientCheck(
      geometry: try ConvGeometry(config: config, inputShape: input),
      cellsPerTensor: o.checkCells == 0 ? nil : o.checkCells, flag: "--check-cells")
  }

  /// What one run of the article's program gives.
  struct Outcome {
    var config: Conv2DConfig
    var x: Tensor
    var out: Tensor
    var dX: Tensor
    var check: GradientCheckReport
    /// The SGD step's change of every weight and bias.
    var dW: [Float]
    var dB: [Float]
    /// ‖W‖ before the step.
    var weightNorm: Double
    /// Forward, backward + SGD step.
    var times: (forward: Duration, backward: Duration)
  }

  /// Runs the layer forward and backward on a random batch, then checks its gradients.
  static func measure(_ o: DemoCommand) throws -> Outcome {
    var layer = try ArticleConvLayer(
      inputSize: o.inputSize, filterSize: o.filterSize, numFilters: o.filters, stride: o.stride,
      padding: o.padding, alpha: o.alpha, seed: o.seed)
    // Refuse sizes that would not fit in memory before allocating anything large.
    _ = try Tensor.elementCount(
      of: [o.batch, layer.outputSize, layer.outputSize, o.filters], name: "output")
    let x = Tensor.normal(shape: [o.batch, o.inputSize, o.inputSize], seed: o.seed &+ 1)
    let weightsBefore = layer.conv.weight
    let biasesBefore = layer.conv.bias

    let clock = ContinuousClock()
    let t0 = clock.now
    let out = try layer.forward(x)
    let t1 = clock.now
    let dX = try layer.backward(out)  // the article uses the output itself as dOut
    let t2 = clock.now

    guard let gradients = layer.lastGradients else {
      throw ConvError.missingPass(needed: "backward", by: "the gradient check")
    }
    let nchw = try x.reshaped([o.batch, 1, o.inputSize, o.inputSize])
    var line = ProgressLine("demo: gradient check", total: 1)
    let check = try GradientCheck.conv2d(
      x: nchw, weight: weightsBefore, bias: biasesBefore, dy: Layout.nhwcToNCHW(out),
      config: layer.conv.config, analytic: gradients,
      maxCellsPerTensor: o.checkCells == 0 ? nil : o.checkCells, seed: o.seed
    ) { done, total in line.update(done, total: total, detail: "outputs evaluated") }
    line.finish()

    let dW = layer.conv.weight.data.indices.map {
      layer.conv.weight.data[$0] - weightsBefore.data[$0]
    }
    let dB = layer.conv.bias.data.indices.map { layer.conv.bias.data[$0] - biasesBefore.data[$0] }
    let wNorm = weightsBefore.data.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    return Outcome(
      config: layer.conv.config, x: x, out: out, dX: dX, check: check, dW: dW, dB: dB,
      weightNorm: wNorm, times: (t1 - t0, t2 - t1))
  }

  /// The demo's report: the layer, the three shapes, the gradient check, the weight change and
  /// the time taken.
  static func report(_ r: Outcome, _ o: DemoCommand) -> String {
    let norm = r.dW.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    var lines: [String] = []
    lines.append("The article's ConvLayer, done right (docs/article-errata.md lists its bugs)")
    lines.append(
      "  ConvLayer(input_size=\(o.inputSize), filter_size=\(o.filterSize), "
        + "num_filters=\(o.filters), stride=\(o.stride), padding=\(o.padding), alpha=\(o.alpha))")
    lines.append(
      "  output size O = " + r.config.outputFormula(input: o.inputSize, alongHeight: true))
    lines.append("")
    lines.append("input shape:          \(ConvError.format(r.x.shape))")
    lines.append("output shape:         \(ConvError.format(r.out.shape))")
    lines.append("input gradient shape: \(ConvError.format(r.dX.shape))")
    lines.append("")
    let verdict = r.check.passed() ? "passed" : "FAILED"
    lines.append(
      "gradient check (central differences in Double, loss Σ dOut·out, ε = \(r.check.epsilon)): "
        + verdict)
    for t in r.check.tensors {
      lines.append(
        "  \(t.name): max relative error \(NumberFormat.rounded(t.maxRelativeError)) over "
          + "\(t.checked) of \(t.total) cells")
    }
    let share = 100 * norm / max(r.weightNorm, .leastNormalMagnitude)
    lines.append(
      "weight change (one SGD step, alpha \(o.alpha)): max |ΔW| = "
        + NumberFormat.rounded(Double(r.dW.map(abs).max() ?? 0))
        + ", ‖ΔW‖ = \(NumberFormat.rounded(norm)) (\(NumberFormat.rounded(share))% of ‖W‖), "
        + "max |Δb| = \(NumberFormat.rounded(Double(r.dB.map(abs).max() ?? 0)))")
    let (forward, backward) = r.times
    lines.append(
      "time: forward \(milliseconds(forward)), backward + SGD step \(milliseconds(backward)), "
        + "total \(milliseconds(forward + backward))")
    return lines.joined(separator: "\n")
  }

  static func milliseconds(_ d: Duration) -> String {
    let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    return NumberFormat.roundedText(ms, decimals: ms < 1 ? 3 : 2) + " ms"
  }
}
