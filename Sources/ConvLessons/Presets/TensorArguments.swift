import ConvCore
import ConvFormats
import Foundation

// MARK: - GradientArgument

/// What `--grad` asks for: `ones`, `output` (the forward output itself, as the article's demo
/// does), `random` (seeded uniform in [−1, 1)) or a file.
public enum GradientArgument: Sendable, Equatable {
  /// Every output gradient is 1.
  case ones
  /// The forward output is its own gradient.
  case output
  /// Seeded uniform values in [−1, 1).
  case random
  /// A file (any format ``TensorFile`` reads).
  case file(String)

  /// `ones`, `output` and `random` (any case) are keywords unless a file of that name exists;
  /// anything else is a path.
  public init(_ argument: String) {
    if FileManager.default.fileExists(atPath: argument) {
      self = .file(argument)
      return
    }
    switch argument.lowercased() {
    case "ones": self = .ones
    case "output": self = .output
    case "random": self = .random
    default: self = .file(argument)
    }
  }
}

// MARK: - TensorArguments

/// Resolves the command-line arguments `--input FILE|PRESET`, `--kernel FILE|PRESET`,
/// `--bias FILE|VALUES` and `--grad ones|output|random|FILE` to tensors of the right shape.
///
/// An existing file always wins over a preset of the same name; otherwise a known preset name
/// is a preset, and anything else must be a file. Every error is one ``InputError`` line.
public enum TensorArguments {
  /// The input batch `[N, C, H, W]` from a file or an input preset (`digit:3`, `photo:rgb`).
  /// An archive's array `x` is taken when none is named; `layout` `nhwc` reads an array as
  /// channels last. A file holds at most ``LoadOptions/layerTensorLimit`` values (after an
  /// image's reduction), checked from its header.
  public static func input(
    _ argument: String, options: LoadOptions = LoadOptions(), seed: UInt64 = 0,
    layout: DataLayout = .nchw
  ) throws -> LoadedTensor {
    if !exists(argument), InputPresets.named(PresetSpec(argument).name) != nil {
      return try InputPresets.make(argument, options: options, seed: seed)
    }
    try requireFileOrPreset(argument, kind: "input", names: InputPresets.all.map(\.name))
    // No layer walks a larger input: an image kept whole (--max-size 0) is refused from its
    // header instead of after decoding.
    var options = options
    if options.elementLimit > LoadOptions.layerTensorLimit {
      options.elementLimit = LoadOptions.layerTensorLimit
      options.limitRole = "an input"
    }
    return try TensorFile.load(path: argument, options: options, preferredMember: "x").asInput(
      layout: layout)
  }

  /// The weights `[F, C, KH, KW]` from a file or a kernel preset, for `inChannels` channels.
  /// An archive's array `w` is taken when none is named; `layout` `nhwc` reads an array as
  /// HWIO `[KH, KW, C, F]`. With `groups` above 1, `inChannels` is what one filter reads.
  public static func kernel(
    _ argument: String, inChannels: Int, seed: UInt64 = 0, layout: DataLayout = .nchw,
    groups: Int = 1
  ) throws -> LoadedTensor {
    if !exists(argument), KernelPresets.named(PresetSpec(argument).name) != nil {
      return try KernelPresets.make(argument, inChannels: inChannels, seed: seed, groups: groups)
    }
    try requireFileOrPreset(argument, kind: "kernel", names: KernelPresets.all.map(\.name))
    return try TensorFile.load(
      path: argument, options: .layerArray(role: "a kernel"), preferredMember: "w"
    )
    .asKernel(inChannels: inChannels, layout: layout, groups: groups)
  }

  /// The biases `[F]` from comma-separated values (`0.1,-0.2`) or a file (an archive's `b`
  /// when none is named).
  public static func bias(_ argument: String, filters: Int) throws -> LoadedTensor {
    if !exists(argument), looksLikeValues(argument) {
      return try TensorFile.values(argument, source: "--bias").asBias(filters: filters)
    }
    return try TensorFile.load(
      path: argument, options: .layerArray(role: "biases"), preferredMember: "b"
    )
    .asBias(filters: filters)
  }

  /// The output gradient of exactly `shape`. `output` needs the forward output. A file is read
  /// in `layout` (an archive's `dy` when none is named).
  public static func gradient(
    _ argument: String, shape: [Int], output: Tensor? = nil, seed: UInt64 = 0,
    layout: DataLayout = .nchw
  ) throws -> LoadedTensor {
    let source = "--grad \(argument)"
    func made(_ tensor: Tensor, _ detail: String) -> LoadedTensor {
      LoadedTensor(
        tensor: tensor, source: source, format: .preset, detail: detail, storedShape: shape,
        isImage: false)
    }
    switch GradientArgument(argument) {
    case .ones:
      return made(try Tensor(validatingShape: shape, repeating: 1, name: source), "all ones")
    case .random:
      _ = try SizeGuard.reserve(
        dims: shape, limit: Tensor.maxElementCount, source: source, what: "gradient")
      return made(Tensor.uniform(shape: shape, in: -1...1, seed: seed), "uniform in [−1, 1)")
    case .output:
      guard let output else {
        throw InputError(source: source, "the forward output is not available")
      }
      guard output.shape == shape else {
        throw InputError(
          source: source,
          "the output has shape \(ConvError.format(output.shape)), not \(ConvError.format(shape))")
      }
      return made(output, "the forward output")
    case .file(let path):
      return try TensorFile.load(
        path: path, options: .layerArray(role: "a gradient"), preferredMember: "dy"
      )
      .asGradient(shape: shape, layout: layout)
    }
  }

  // MARK: Helpers

  static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

  /// Whether `text` is a list of numbers rather than a path: digits, signs, dots, exponents,
  /// commas and spaces only (`nan`/`inf` too).
  static func looksLikeValues(_ text: String) -> Bool {
    let fields = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" })
    return !fields.isEmpty
      && fields.allSatisfy { field in
        let lower = field.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
        return ["nan", "inf", "infinity"].contains(lower)
          || field.allSatisfy { "0123456789+-.eE".contains($0) }
      }
  }

  /// For a missing file whose name is not a path either: "neither a file nor a preset".
  static func requireFileOrPreset(_ argument: String, kind: String, names: [String]) throws {
    guard !exists(argument), !argument.contains("/"), !argument.contains(".") else { return }
    throw InputError(
      source: argument,
      "no such file, and no \(kind) preset of that name"
        + (KernelPresets.closest(PresetSpec(argument).name, among: names).map {
          " (did you mean \($0)?)"
        } ?? "")
        + "; `convscope presets` lists them")
  }
}
