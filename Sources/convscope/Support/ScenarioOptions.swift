import ArgumentParser
import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper

// MARK: - ScenarioOptions

/// The layer and data flags shared by `view`, `render` and the other commands that walk a layer.
///
/// With no flag the first lesson opens; `--article` opens the article's layer; `--lesson` opens
/// a lesson (a shipped one by name, or a file). Layer flags change the shape: data that still
/// fits is kept, data that does not is replaced by seeded small integers. `--input`, `--kernel`,
/// `--bias` and `--grad` bring the user's own data (files or presets).
struct ScenarioOptions: ParsableArguments {
  @Option(help: "A lesson: a shipped one by name (`convscope lessons` lists them) or a file.")
  var lesson: String?

  @Flag(help: "The article's layer: 32×32 input, 16 filters 5×5, padding 2, batch 10.")
  var article = false

  @Option(parsing: .unconditional, help: "Input size: n or h,w.") var inputSize: Size2?
  @Option(parsing: .unconditional, help: "Input channels C.") var channels: Int?
  @Option(parsing: .unconditional, help: "Filters F.") var filters: Int?
  @Option(parsing: .unconditional, help: "Kernel size: n or h,w.") var kernelSize: Size2?
  @Option(parsing: .unconditional, help: "Stride: n or h,w.") var stride: Size2?
  @Option(parsing: .unconditional, help: "Zero padding: n or h,w.") var padding: Size2?
  @Option(parsing: .unconditional, help: "Dilation: n or h,w.") var dilation: Size2?
  @Option(
    parsing: .unconditional,
    help: "Groups G: each filter reads C/G channels (C and F multiples of G; depthwise: G = C).")
  var groups: Int?
  @Option(
    help: ArgumentHelp(
      "What padding cells hold: zeros (default), reflect, replicate or circular (PyTorch's "
        + "padding_mode).", valueName: "zeros|reflect|replicate|circular"))
  var paddingMode: PaddingMode?
  @Flag(
    help: ArgumentHelp(
      "A transposed convolution (PyTorch's ConvTranspose2d): --channels in, --filters out, the "
        + "kernel [C, F/groups, KH, KW]; OH = (H−1)·stride − 2·padding + dilation·(K−1) + "
        + "output-padding + 1."))
  var transposed = false
  @Option(
    parsing: .unconditional,
    help: "A transposed convolution's extra rows and columns at the bottom and right: n or h,w.")
  var outputPadding: Size2?
  @Option(parsing: .unconditional, help: "Batch size N.") var batch: Int?
  @Option(
    parsing: .unconditional, help: "Seed for random data, random presets and weights.",
    transform: parseSeed)
  var seed: UInt64?
  @Option(
    name: [.customLong("lr"), .customLong("alpha")], parsing: .unconditional,
    help: "SGD learning rate.")
  var learningRate: Float?
  @Flag(help: "Add a ReLU after the convolution.") var relu = false
  @Option(
    parsing: .unconditional,
    help: "Add max pooling after the convolution: k or k,s (kernel, stride).")
  var pool: PoolSpec?

  @Option(
    help: ArgumentHelp(
      "Input: an image (PNG, PGM/PPM), a .npy, a CSV/text grid (up to 256 MiB), or a preset "
        + "(`convscope presets`); at most 16777216 values once reduced."))
  var input: String?
  @Option(
    help: ArgumentHelp(
      "Kernel: a file ([KH,KW], [F,KH,KW] or [F,C,KH,KW]; at most 16777216 values) or a preset "
        + "such as sobel-x."))
  var kernel: String?
  // Values may start with a minus sign (`--bias -0.1,0.2`, `--padding -1` is refused by the
  // layer's own check with a message that names it, not "missing value").
  @Option(parsing: .unconditional, help: "Bias: a file or comma-separated values, e.g. 0.1,-0.2.")
  var bias: String?
  @Option(help: "Output gradient dy: ones, output, random, or a file.") var grad: String?
  @Option(
    help: ArgumentHelp(
      "Layout of the array files: nchw (default) or nhwc, channels last: --input and --grad "
        + "[N, H, W, C], --kernel [KH, KW, C, F] (HWIO, as TensorFlow writes it), --check-y/-dx "
        + "[N, H, W, C], --check-dw [F, KH, KW, C].", valueName: "nchw|nhwc"))
  var layout: DataLayout = .nchw
  @Flag(help: "Convert colour images to one grey channel.") var grey = false
  @Flag(help: "Scale images to [−1, 1] instead of [0, 1].") var center = false
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Reduce larger images to this side by area averaging, row by row as they are read (0 keeps "
        + "them whole)."))
  var maxSize: Int = LoadOptions.defaultMaxSize

  /// Whether any layer or data flag was given (commands that take the layer from elsewhere,
  /// like `check --case`, refuse the mix).
  var shapesLayer: Bool {
    lesson != nil || inputSize != nil || channels != nil || filters != nil || kernelSize != nil
      || stride != nil || padding != nil || dilation != nil || batch != nil || relu
      || groups != nil || paddingMode != nil || transposed || outputPadding != nil
      || pool != nil || input != nil || kernel != nil || bias != nil || grad != nil
  }

  /// The request the flags describe (on top of `--lesson` when given).
  func request() throws -> ScenarioRequest {
    guard maxSize >= 0 else {
      throw ConvError.invalidParameter(name: "max-size", value: "\(maxSize)", requirement: "≥ 0")
    }
    var r = ScenarioRequest()
    if article { r.base = .article }
    r.inputSize = inputSize
    r.channels = channels
    r.filters = filters
    r.kernelSize = kernelSize
    r.stride = stride
    r.padding = padding
    r.dilation = dilation
    r.groups = groups
    r.paddingMode = paddingMode
    if transposed { r.transposed = true }
    r.outputPadding = outputPadding
    r.batch = batch
    r.seed = seed
    r.learningRate = learningRate
    if relu { r.relu = true }
    r.pool = pool.map { MaxPool2DConfig(kernel: Size2($0.kernel), stride: Size2($0.stride)) }
    r.input = input.map { .argument($0) }
    r.kernel = kernel.map { .argument($0) }
    r.bias = bias.map { .argument($0) }
    r.gradient = grad.map { .argument($0) }
    r.layout = layout
    guard let lesson else {
      r.load = LoadOptions(grey: grey, center: center, maxSize: maxSize)
      return r
    }
    var base = try BuiltinLessons.request(for: lesson)
    if grey { base.load.grey = true }
    if center { base.load.center = true }
    if maxSize != LoadOptions.defaultMaxSize { base.load.maxSize = maxSize }
    r.load = base.load
    return base.overridden(by: r)
  }

  /// The scenario and the loading notes; throws a one-line error for impossible combinations.
  func build() throws -> ScenarioBuilder.Result {
    try ScenarioBuilder.build(try request())
  }

  /// The scenario the flags describe.
  func scenario() throws -> Scenario {
    try build().scenario
  }
}

// MARK: - Argument types

extension DataLayout: ExpressibleByArgument {}
extension PaddingMode: ExpressibleByArgument {}

extension Size2: ExpressibleByArgument {
  /// `n`, `h,w` or `hxw`.
  public init?(argument: String) {
    self.init(text: argument)
  }
}

/// `--pool k` or `--pool k,s`.
struct PoolSpec: ExpressibleByArgument {
  var kernel: Int
  var stride: Int

  init?(argument: String) {
    let parts = argument.split(separator: ",").map { Int($0) }
    guard parts.count <= 2, let k = parts.first ?? nil else { return nil }
    if parts.count == 2 && parts[1] == nil { return nil }
    kernel = k
    stride = parts.count == 2 ? (parts[1] ?? k) : k
  }
}

/// `--seed N`: a whole number from 0 to 2⁶⁴ − 1; anything else says what a seed may be.
func parseSeed(_ text: String) throws -> UInt64 {
  guard let n = UInt64(text) else {
    throw ValidationError(
      "a seed is a whole number from 0 to \(UInt64.max) (got '\(Printable.escape(text.prefix(40)))')"
    )
  }
  return n
}
