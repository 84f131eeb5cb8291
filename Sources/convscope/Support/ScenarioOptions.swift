import ArgumentParser
import ConvCore

// MARK: - ScenarioOptions

/// The layer and data flags shared by `view`, `render` and the other commands that walk a layer.
///
/// With no layer flag the first lesson opens; `--article` opens the article's layer; any layer
/// flag builds a layer of that shape with seeded small-integer data (readable by hand).
struct ScenarioOptions: ParsableArguments {
  @Flag(help: "The article's layer: 32×32 input, 16 filters 5×5, padding 2, batch 10.")
  var article = false

  @Option(help: "Input size: n or h,w.") var inputSize: Size2?
  @Option(help: "Input channels C.") var channels: Int?
  @Option(help: "Filters F.") var filters: Int?
  @Option(help: "Kernel size: n or h,w.") var kernelSize: Size2?
  @Option(help: "Stride: n or h,w.") var stride: Size2?
  @Option(help: "Zero padding: n or h,w.") var padding: Size2?
  @Option(help: "Dilation: n or h,w.") var dilation: Size2?
  @Option(help: "Batch size N.") var batch: Int?
  @Option(help: "Seed for random data and weights.") var seed: UInt64 = 0
  @Option(name: [.customLong("lr"), .customLong("alpha")], help: "SGD learning rate.")
  var learningRate: Float?
  @Flag(help: "Add a ReLU after the convolution.") var relu = false
  @Option(help: "Add max pooling after the convolution: k or k,s (kernel, stride).")
  var pool: PoolSpec?

  /// Whether any flag shapes the layer (else the first lesson opens).
  var shapesLayer: Bool {
    inputSize != nil || channels != nil || filters != nil || kernelSize != nil || stride != nil
      || padding != nil || dilation != nil || batch != nil || relu || pool != nil
  }

  /// The scenario the flags describe; throws a one-line error for impossible combinations.
  func scenario() throws -> Scenario {
    var s: Scenario
    if article {
      s = try Scenario.article(seed: seed, batch: batch ?? 10)
      if shapesLayer && (inputSize != nil || kernelSize != nil || filters != nil) {
        s = try custom(base: s)
      }
    } else if shapesLayer {
      s = try custom(base: .firstLesson)
    } else {
      s = .firstLesson
    }
    if let learningRate { s.learningRate = learningRate }
    s.relu = s.relu || relu
    if let pool { s.pool = MaxPool2DConfig(kernel: Size2(pool.kernel), stride: Size2(pool.stride)) }
    try s.validate()
    return s
  }

  /// A layer of the flags' shape with seeded small-integer data.
  private func custom(base: Scenario) throws -> Scenario {
    let b = base.config
    let size = inputSize ?? Size2(base.input.shape[2], base.input.shape[3])
    let config = Conv2DConfig(
      inChannels: channels ?? b.inChannels, filters: filters ?? b.filters,
      kernel: kernelSize ?? b.kernel, stride: stride ?? b.stride, padding: padding ?? b.padding,
      dilation: dilation ?? b.dilation)
    try config.validate()
    let n = batch ?? base.input.shape[0]
    guard n >= 1 else {
      throw ConvError.invalidParameter(name: "batch", value: "\(n)", requirement: "≥ 1")
    }
    let shape = [n, config.inChannels, size.h, size.w]
    _ = try Tensor.elementCount(of: shape, name: "input")
    _ = try config.outputSize(input: size)
    var x = try Tensor(validatingShape: shape, name: "input")
    var g = SeededGenerator(seed: seed)
    for i in x.data.indices { x.data[i] = Float(Int(g.next() % 6) - 2) }
    var w = try Tensor(validatingShape: config.weightShape, name: "weights")
    for i in w.data.indices { w.data[i] = Float(Int(g.next() % 3) - 1) }
    var s = base
    s.title = "A \(config.kernel.h)×\(config.kernel.w) layer on \(size.h)×\(size.w) input"
    s.text = "Random small integers (seed \(seed)); change the flags to explore."
    s.config = config
    s.input = x
    s.weight = w
    s.bias = Tensor(shape: [config.filters])
    s.gradient = .ones
    s.startPhase = .forward
    s.startStep = 0
    return s
  }
}

// MARK: - Argument types

extension Size2: ExpressibleByArgument {
  /// `n`, `h,w` or `hxw`.
  public init?(argument: String) {
    let parts = argument.split(whereSeparator: { $0 == "," || $0 == "x" || $0 == "×" })
      .map { Int(String($0)) }
    switch parts.count {
    case 1:
      guard let n = parts[0] else { return nil }
      self.init(n)
    case 2:
      guard let h = parts[0], let w = parts[1] else { return nil }
      self.init(h, w)
    default:
      return nil
    }
  }
}

/// `--pool k` or `--pool k,s`.
struct PoolSpec: ExpressibleByArgument {
  var kernel: Int
  var stride: Int

  init?(argument: String) {
    let parts = argument.split(separator: ",").map { Int($0) }
    guard let k = parts.first ?? nil, parts.count <= 2 else { return nil }
    kernel = k
    stride = parts.count == 2 ? (parts[1] ?? k) : k
    if parts.count == 2 && parts[1] == nil { return nil }
  }
}
