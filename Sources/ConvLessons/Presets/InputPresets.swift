import ConvCore
import ConvFormats

// MARK: - InputPreset

/// A built-in input picture.
public struct InputPreset: Sendable {
  /// The name used on the command line, e.g. `checkerboard`.
  public let name: String
  /// A one-line description.
  public let summary: String
  /// The shape in words, e.g. `8×8 unless given`.
  public let size: String
  /// How to pass a parameter, when the preset takes one.
  public let usage: String?
}

// MARK: - InputPresets

/// The built-in inputs: synthetic patterns, a hand-written digit and photographs.
///
/// Values are in [0, 1] (or [−1, 1] with the `center` option). Synthetic patterns are made at
/// the size asked for (`checkerboard:16`, `stripes:8x12`); `--max-size` reduces only the
/// photographs. `grey` applies to the colour photograph.
public enum InputPresets {
  /// The default side of the synthetic patterns.
  public static let defaultSide = 8

  /// Every input preset, in the order `convscope presets` lists them.
  public static let all: [InputPreset] = [
    InputPreset(
      name: "impulse",
      summary:
        "a single 1 in the middle of zeros: the output shows the kernel turned 180° (cross-correlation)",
      size: "9×9 unless given", usage: "impulse:N or impulse:HxW"),
    InputPreset(
      name: "checkerboard", summary: "black and white squares, 4 across (cells of side/4 pixels)",
      size: "8×8 unless given", usage: "checkerboard:N or checkerboard:HxW"),
    InputPreset(
      name: "gradient", summary: "a horizontal ramp from 0 at the left to 1 at the right",
      size: "8×8 unless given", usage: "gradient:N or gradient:HxW"),
    InputPreset(
      name: "stripes", summary: "vertical stripes 1, 0, 1, 0, each width/4 pixels wide",
      size: "8×8 unless given", usage: "stripes:N or stripes:HxW"),
    InputPreset(
      name: "random", summary: "uniform random values in [0, 1), seeded by --seed",
      size: "8×8 unless given", usage: "random:N or random:HxW"),
    InputPreset(
      name: "digit", summary: "a hand-written digit from the UCI digits data (8×8, 0…16 → 0…1)",
      size: "8×8", usage: "digit:0 … digit:9 (default 7)"),
    InputPreset(
      name: "photo",
      summary: "a photograph: grey camera (CC0) or colour NASA astronaut (public domain)",
      size: "64×64 (large: 256×256 RGB)", usage: "photo (grey), photo:rgb, photo:large"),
  ]

  /// The preset called `name`, if any.
  public static func named(_ name: String) -> InputPreset? {
    all.first { $0.name == name.lowercased() }
  }

  /// The photograph a `photo:…` parameter names and its channels; nil for an unknown one.
  static func photo(_ parameter: String?) -> (asset: String, channels: Int)? {
    switch parameter?.lowercased() {
    case nil, "grey", "gray": ("camera-64", 1)
    case "rgb", "colour", "color": ("astronaut-64", 3)
    case "large": ("astronaut-256", 3)
    default: nil
    }
  }

  /// How many channels the input of a preset spec has (3 for the colour photographs, else 1),
  /// without loading it: what a kernel must have to go with it.
  public static func channels(of spec: String) -> Int {
    let parsed = PresetSpec(spec)
    guard parsed.name.lowercased() == "photo" else { return 1 }
    return photo(parsed.parameter)?.channels ?? 1
  }

  /// The input `[1, C, H, W]` of a preset spec such as `checkerboard:16` or `digit:3`.
  public static func make(_ spec: String, options: LoadOptions = LoadOptions(), seed: UInt64 = 0)
    throws -> LoadedTensor
  {
    let parsed = PresetSpec(spec)
    let source = "preset \(parsed)"
    guard let preset = named(parsed.name) else {
      throw InputError(
        source: source,
        "unknown input preset\(KernelPresets.suggestion(parsed.name, among: all.map(\.name))); "
          + "`convscope presets` lists them")
    }
    switch preset.name {
    case "digit":
      let digit = parsed.parameter.map { Int($0) } ?? 7
      guard let digit, (0...9).contains(digit) else {
        throw InputError(source: source, "expected digit:0 … digit:9")
      }
      var options = options
      options.grey = false
      var loaded = try asset("digit-\(digit)", source: source, options: options)
      loaded.detail = "hand-written \(digit) (UCI digits), " + loaded.detail
      return try loaded.asInput()
    case "photo":
      guard let photo = photo(parsed.parameter) else {
        throw InputError(source: source, "expected photo, photo:rgb or photo:large")
      }
      return try asset(photo.asset, source: source, options: options).asInput()
    default:
      let sizes =
        try parsed.sizes(count: 1...2, range: 1...4096, usage: preset.usage ?? "")
        ?? [preset.name == "impulse" ? 9 : defaultSide]
      let h = sizes[0]
      let w = sizes.count == 2 ? sizes[1] : sizes[0]
      var values = pattern(preset.name, height: h, width: w, seed: seed)
      if options.center { values = values.map { 2 * $0 - 1 } }
      let tensor = try Tensor(shape: [1, 1, h, w], data: values, name: source)
      return LoadedTensor(
        tensor: tensor, source: source, format: .preset,
        detail: "\(preset.name): \(preset.summary)", storedShape: [1, h, w], isImage: true)
    }
  }

  /// The values of a synthetic pattern, row-major.
  static func pattern(_ name: String, height h: Int, width w: Int, seed: UInt64) -> [Float] {
    var values = [Float](repeating: 0, count: h * w)
    switch name {
    case "impulse":
      values[(h / 2) * w + w / 2] = 1
    case "checkerboard":
      let cell = max(1, min(h, w) / 4)
      for y in 0..<h {
        for x in 0..<w where (y / cell + x / cell) % 2 == 0 { values[y * w + x] = 1 }
      }
    case "gradient":
      for y in 0..<h {
        for x in 0..<w { values[y * w + x] = w == 1 ? 0 : Float(x) / Float(w - 1) }
      }
    case "stripes":
      let width = max(1, w / 4)
      for y in 0..<h {
        for x in 0..<w where (x / width) % 2 == 0 { values[y * w + x] = 1 }
      }
    default:
      values = Tensor.uniform(shape: [h * w], in: 0...1, seed: seed).data
    }
    return values
  }

  /// An embedded picture through the image pipeline (so `grey`, `center` and `maxSize` apply).
  static func asset(_ name: String, source: String, options: LoadOptions) throws -> LoadedTensor {
    let (file, bytes) = try AssetLibrary.file(name)
    var loaded = try TensorFile.parse(bytes, source: file, options: options)
    loaded.source = source
    loaded.format = .preset
    return loaded
  }
}
