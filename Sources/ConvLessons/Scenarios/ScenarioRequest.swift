import ConvCore
import ConvFormats
import ConvStepper

// MARK: - TensorSpec

/// Where a tensor of a scenario comes from: an argument as typed (a file path, a preset name such
/// as `sobel-x` or `digit:3`, or values such as `0.1,-0.2`), or values given inline (a lesson's
/// block).
public enum TensorSpec: Sendable, Equatable {
  /// A file, a preset or a list of values, resolved like the command-line flag.
  case argument(String)
  /// Inline values (shape included).
  case values(Tensor)
}

// MARK: - ScenarioRequest

/// What a user asked for: the command-line flags or a lesson file, every field optional.
/// ``ScenarioBuilder`` turns it into a ``Scenario`` on top of a base scenario.
public struct ScenarioRequest: Sendable, Equatable {
  /// The scenario to start from.
  public enum Base: String, Sendable, Equatable, CaseIterable {
    /// The first lesson (a 7×7 input, a 3×3 edge filter, padding 1).
    case firstLesson = "first-lesson"
    /// The article's layer (32×32 input, 16 filters 5×5, padding 2, batch 10).
    case article
  }

  /// The base scenario (nil: the first lesson).
  public var base: Base?
  /// The lesson this request comes from (`lesson first`, a file's path), nil for flags alone:
  /// a layer made by flags alone starts from PyTorch's defaults, not the first lesson's geometry.
  public var lesson: String?
  /// Title shown in the title bar.
  public var title: String?
  /// The practice the lesson ends with (`practice: 5 window, output-value`).
  public var practice: PracticePlan?
  /// A line of explanation.
  public var text: String?
  /// Input size.
  public var inputSize: Size2?
  /// Input channels.
  public var channels: Int?
  /// Filters.
  public var filters: Int?
  /// Kernel size.
  public var kernelSize: Size2?
  /// Stride.
  public var stride: Size2?
  /// Padding.
  public var padding: Size2?
  /// Dilation.
  public var dilation: Size2?
  /// Groups (PyTorch's `groups`): each filter reads `C/groups` channels.
  public var groups: Int?
  /// What the padding cells hold (PyTorch's `padding_mode`).
  public var paddingMode: PaddingMode?
  /// Batch size.
  public var batch: Int?
  /// Seed for generated data and random presets.
  public var seed: UInt64?
  /// SGD learning rate.
  public var learningRate: Float?
  /// ReLU after the convolution.
  public var relu: Bool?
  /// Max pooling after the convolution.
  public var pool: MaxPool2DConfig?
  /// The input.
  public var input: TensorSpec?
  /// The weights.
  public var kernel: TensorSpec?
  /// The bias.
  public var bias: TensorSpec?
  /// The output gradient: `ones`, `output`, `random`, a file, or inline values.
  public var gradient: TensorSpec?
  /// How images are read.
  public var load: LoadOptions
  /// The layout of array files given for the input, kernel and gradient (`--layout`): `nhwc`
  /// reads the input and gradient channels last and the kernel as HWIO `[KH, KW, C, F]`.
  public var layout: DataLayout = .nchw
  /// The phase to start in.
  public var phase: Phase?
  /// The step to start at (1-based, window steps).
  public var step: Int?
  /// Whether to open unfolded (im2col, `view: unfold`) or as maps (`view: maps`); nil keeps
  /// what the base has.
  public var unfold: Bool?
  /// A transposed convolution (`--transposed`, `transposed: yes`): PyTorch's `ConvTranspose2d`,
  /// built by ``TransposedBuilder``.
  public var transposed: Bool?
  /// A transposed convolution's output_padding (`--output-padding`).
  public var outputPadding: Size2?
  /// The view a transposed convolution opens in (`view: stamps`, `zero-insertion`, `adjoint`).
  public var transposedView: TransposedView?

  /// An empty request: the first lesson as it is.
  public init(load: LoadOptions = LoadOptions()) {
    self.load = load
  }

  /// Whether the request changes the layer's shape or data (so a generated title fits better
  /// than the base's).
  var changesLayer: Bool {
    inputSize != nil || channels != nil || filters != nil || kernelSize != nil || stride != nil
      || padding != nil || dilation != nil || batch != nil || input != nil || kernel != nil
      || groups != nil || paddingMode != nil || outputPadding != nil
  }

  /// Whether this request (flags) sets a shape or data of the layer to something else than
  /// `base` (a lesson) asks for; restating the lesson's own values changes nothing.
  func changesLayer(of base: ScenarioRequest) -> Bool {
    func differs<T: Equatable>(_ a: T?, _ b: T?) -> Bool { a != nil && a != b }
    return differs(inputSize, base.inputSize) || differs(channels, base.channels)
      || differs(filters, base.filters) || differs(kernelSize, base.kernelSize)
      || differs(stride, base.stride) || differs(padding, base.padding)
      || differs(dilation, base.dilation) || differs(batch, base.batch)
      || differs(groups, base.groups) || differs(paddingMode, base.paddingMode)
      || differs(input, base.input) || differs(kernel, base.kernel)
  }

  /// `self` with every field that `other` sets taken from `other` (flags over a lesson).
  public func overridden(by other: ScenarioRequest) -> ScenarioRequest {
    var r = self
    r.base = other.base ?? base
    r.lesson = other.lesson ?? lesson
    // A lesson's words describe the lesson's layer: flags that change the layer drop them (the
    // builder then names what the flags made), unless they give their own.
    let keepsWords = !other.changesLayer(of: self)
    r.title = other.title ?? (keepsWords ? title : nil)
    r.text = other.text ?? (keepsWords ? text : nil)
    r.practice = other.practice ?? practice
    r.inputSize = other.inputSize ?? inputSize
    r.channels = other.channels ?? channels
    r.filters = other.filters ?? filters
    r.kernelSize = other.kernelSize ?? kernelSize
    r.stride = other.stride ?? stride
    r.padding = other.padding ?? padding
    r.dilation = other.dilation ?? dilation
    r.groups = other.groups ?? groups
    r.paddingMode = other.paddingMode ?? paddingMode
    r.batch = other.batch ?? batch
    r.seed = other.seed ?? seed
    r.learningRate = other.learningRate ?? learningRate
    r.relu = other.relu ?? relu
    r.pool = other.pool ?? pool
    r.input = other.input ?? input
    r.kernel = other.kernel ?? kernel
    r.bias = other.bias ?? bias
    r.gradient = other.gradient ?? gradient
    r.load = other.load
    r.layout = other.layout
    r.phase = other.phase ?? phase
    r.step = other.step ?? step
    r.transposed = other.transposed ?? transposed
    r.outputPadding = other.outputPadding ?? outputPadding
    r.transposedView = other.transposedView ?? transposedView
    return r
  }
}
