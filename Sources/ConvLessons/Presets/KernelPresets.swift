import ConvCore
import ConvFormats
import Foundation

// MARK: - KernelPreset

/// A built-in convolution kernel.
///
/// Kernels are written for cross-correlation, the convention of the frameworks and of
/// convscope (`y[i, j] = Σ w[p, q] · x[i + p, j + q]`, no flipping): row 0 is the top row and
/// column 0 the left column of the window. So `sobel-x` is `[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]`
/// and responds positively where the image gets brighter to the right; `sobel-y` responds
/// positively where it gets brighter downwards.
public struct KernelPreset: Sendable {
  /// The name used on the command line, e.g. `sobel-x`.
  public let name: String
  /// A one-line description.
  public let summary: String
  /// The shape in words, e.g. `3×3` or `2 filters of 3×3`.
  public let size: String
  /// How to pass a parameter, when the preset takes one.
  public let usage: String?
  /// The filters, each a list of rows (empty for `random`).
  let filters: [[[Float]]]
}

// MARK: - KernelPresets

/// The built-in kernels: identity, box blurs, Gaussians, sharpen, Sobel, Laplacian, emboss,
/// Prewitt, outline, and He-initialised random weights.
public enum KernelPresets {
  /// Every kernel preset, in the order `convscope presets` lists them.
  public static let all: [KernelPreset] = [
    fixed(
      "identity", "passes the input through unchanged (1 at the centre)",
      [[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    fixed("box3", "box blur: the mean of a 3×3 window", box(3)),
    fixed("box5", "box blur: the mean of a 5×5 window", box(5)),
    fixed("gaussian3", "Gaussian blur, binomial [1 2 1]ᵀ[1 2 1] / 16", binomial([1, 2, 1])),
    fixed(
      "gaussian5", "Gaussian blur, binomial [1 4 6 4 1]ᵀ[1 4 6 4 1] / 256",
      binomial([1, 4, 6, 4, 1])),
    fixed(
      "sharpen", "sharpens: 5 at the centre, −1 at the four neighbours",
      [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    fixed(
      "sobel-x", "Sobel horizontal gradient: positive where it gets brighter to the right", sobelX),
    fixed(
      "sobel-y", "Sobel vertical gradient: positive where it gets brighter downwards",
      transpose(sobelX)),
    fixed(
      "laplacian", "Laplacian (4-neighbour): second derivative, zero on flat and linear areas",
      [[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    fixed("emboss", "emboss: light from the top left", [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    KernelPreset(
      name: "prewitt",
      summary: "Prewitt gradients, two filters: x (to the right) and y (downwards)",
      size: "2 filters of 3×3", usage: nil, filters: [prewittX, transpose(prewittX)]),
    fixed(
      "prewitt-x", "Prewitt horizontal gradient: positive where it gets brighter to the right",
      prewittX),
    fixed(
      "prewitt-y", "Prewitt vertical gradient: positive where it gets brighter downwards",
      transpose(prewittX)),
    fixed(
      "outline", "outline: 8 at the centre, −1 around; edges light up",
      [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    KernelPreset(
      name: "random",
      summary: "He initialisation: normal with mean 0 and variance 2 / (C·KH·KW), seeded by --seed",
      size: "3×3 unless given", usage: "random:K, random:KHxKW or random:FxKHxKW", filters: []),
  ]

  /// The preset called `name`, if any.
  public static func named(_ name: String) -> KernelPreset? {
    all.first { $0.name == name.lowercased() }
  }

  /// The weights `[F, C, KH, KW]` of a preset spec for an input with `inChannels` channels.
  ///
  /// Fixed kernels are replicated across the input channels (see ``LoadedTensor/asKernel(inChannels:)``);
  /// `random` draws every weight independently with `seed`.
  /// With `groups` above 1, `inChannels` is what one filter reads (`C/G`).
  public static func make(_ spec: String, inChannels: Int, seed: UInt64, groups: Int = 1) throws
    -> LoadedTensor
  {
    let parsed = PresetSpec(spec)
    let source = "preset \(parsed)"
    guard let preset = named(parsed.name) else {
      throw InputError(
        source: source,
        "unknown kernel preset\(suggestion(parsed.name, among: all.map(\.name))); "
          + "`convscope presets` lists them")
    }
    guard inChannels >= 1 else { throw InputError(source: source, "the input has no channels") }
    if preset.name == "random" {
      let sizes =
        try parsed.sizes(count: 1...3, range: 1...64, usage: preset.usage ?? "") ?? [3]
      let (filters, kh, kw): (Int, Int, Int)
      switch sizes.count {
      case 1: (filters, kh, kw) = (1, sizes[0], sizes[0])
      case 2: (filters, kh, kw) = (1, sizes[0], sizes[1])
      default: (filters, kh, kw) = (sizes[0], sizes[1], sizes[2])
      }
      let fanIn = inChannels * kh * kw
      let shape = [filters, inChannels, kh, kw]
      _ = try SizeGuard.reserve(
        dims: shape, limit: Tensor.maxElementCount, source: source, what: "kernel")
      let tensor = Tensor.normal(
        shape: shape, mean: 0, std: Float((2.0 / Double(fanIn)).squareRoot()), seed: seed)
      return LoadedTensor(
        tensor: tensor, source: source, format: .preset,
        detail: "He-initialised random kernel, std √(2/\(fanIn)), seed \(seed)",
        storedShape: shape, isImage: false)
    }
    if let parameter = parsed.parameter {
      throw InputError(
        source: source, "the kernel preset \(preset.name) takes no parameter (got '\(parameter)')")
    }
    let kh = preset.filters[0].count
    let kw = preset.filters[0][0].count
    let data = preset.filters.flatMap { $0.flatMap { $0 } }
    let shape = preset.filters.count == 1 ? [kh, kw] : [preset.filters.count, kh, kw]
    let loaded = LoadedTensor(
      tensor: try Tensor(shape: shape, data: data, name: source), source: source,
      format: .preset, detail: "\(preset.name): \(preset.summary)", storedShape: shape,
      isImage: false)
    return try loaded.asKernel(inChannels: inChannels, groups: groups)
  }

  // MARK: Building blocks

  static func fixed(_ name: String, _ summary: String, _ rows: [[Float]]) -> KernelPreset {
    KernelPreset(
      name: name, summary: summary, size: "\(rows.count)×\(rows[0].count)", usage: nil,
      filters: [rows])
  }

  static func box(_ k: Int) -> [[Float]] {
    Array(repeating: Array(repeating: 1 / Float(k * k), count: k), count: k)
  }

  static func binomial(_ weights: [Float]) -> [[Float]] {
    let total = weights.reduce(0, +)
    return weights.map { a in weights.map { b in a * b / (total * total) } }
  }

  static func transpose(_ rows: [[Float]]) -> [[Float]] {
    rows[0].indices.map { c in rows.map { $0[c] } }
  }

  static let sobelX: [[Float]] = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
  static let prewittX: [[Float]] = [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]

  /// ` 'sobelx' (did you mean sobel-x?)` for a near miss, else ` 'sobelx'`.
  static func suggestion(_ name: String, among names: [String]) -> String {
    " '\(name)'" + (closest(name, among: names).map { " (did you mean \($0)?)" } ?? "")
  }

  /// The name in `names` that `name` most likely misspells: equal but for dashes, or within
  /// two edits.
  static func closest(_ name: String, among names: [String]) -> String? {
    func squeeze(_ s: String) -> String { s.filter { $0 != "-" && $0 != "_" }.lowercased() }
    if let same = names.first(where: { squeeze($0) == squeeze(name) }) { return same }
    guard let nearest = names.min(by: { editDistance($0, name) < editDistance($1, name) }),
      editDistance(nearest, name) <= 2
    else { return nil }
    return nearest
  }

  /// The Levenshtein distance between two short strings.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a)
    let y = Array(b)
    var previous = Array(0...y.count)
    for i in 1...max(1, x.count) where !x.isEmpty {
      var current = [i] + Array(repeating: 0, count: y.count)
      for j in 1...max(1, y.count) where !y.isEmpty {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[y.count]
  }
}
