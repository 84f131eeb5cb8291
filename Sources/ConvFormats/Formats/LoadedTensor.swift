import ConvCore

// MARK: - LoadedTensor

/// A tensor read from a file, a command-line value or a preset, with what the status line
/// needs to say about it.
public struct LoadedTensor: Sendable {
  /// The values. Images are `[C, H, W]` until shaped for a role (``asInput()`` and friends).
  public var tensor: Tensor
  /// Where it came from: the path as given, `--bias`, or `preset gaussian5`.
  public var source: String
  /// The kind of data.
  public var format: TensorFileFormat
  /// What exactly was read, e.g. `PNG 8-bit RGBA, interlaced`, `NumPy <f8 (float64), C order`.
  public var detail: String
  /// The shape as stored: an image's `[channels, height, width]` (alpha included, before any
  /// reduction); an array's or grid's own shape.
  public var storedShape: [Int]
  /// Whether the data is an image (scaled to [0, 1] or [−1, 1]).
  public var isImage: Bool
  /// What was done on the way, e.g. `reduced from 512×512 to 64×64 by area averaging`.
  public var notes: [String]
  /// The element type as NumPy names it (`float16`, `float64`, `int32`) for `.npy` and `.npz`
  /// arrays; nil for other formats.
  public var storedType: String?

  /// Creates a loaded tensor; ``nonFinite`` is counted from `tensor`.
  public init(
    tensor: Tensor, source: String, format: TensorFileFormat, detail: String,
    storedShape: [Int], isImage: Bool, notes: [String] = []
  ) {
    self.tensor = tensor
    self.source = source
    self.format = format
    self.detail = detail
    self.storedShape = storedShape
    self.isImage = isImage
    self.notes = notes
  }

  /// The NaN and infinite values in ``tensor``.
  public var nonFinite: NonFiniteCounts { NonFiniteCounts(counting: tensor.data) }

  /// One line for the status bar: source, what it is, the shape, notes and non-finite counts,
  /// e.g. `cat.png: PNG 8-bit RGB, (1, 3, 64, 64); reduced from 512×512 to 64×64 by area
  /// averaging`.
  public var summary: String {
    var s = "\(source): \(detail), \(ConvError.format(tensor.shape))"
    var extras = notes
    let counts = nonFinite
    if counts.total > 0 { extras.append(counts.description) }
    if !extras.isEmpty { s += "; " + extras.joined(separator: "; ") }
    return s
  }
}
