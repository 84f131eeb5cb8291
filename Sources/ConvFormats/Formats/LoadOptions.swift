import ConvCore

// MARK: - LoadOptions

/// How ``TensorFile`` turns a file into a tensor.
///
/// `grey`, `center` and `maxSize` apply to images only (PNG, PGM/PPM/PBM and the image presets);
/// arrays from `.npy` and text files are taken exactly as stored.
public struct LoadOptions: Sendable, Equatable {
  /// The default longest side of an image after reduction (`--max-size`).
  public static let defaultMaxSize = 64

  /// Convert colour images to one channel of luma, ITU-R BT.601: `0.299 R + 0.587 G + 0.114 B`
  /// (the weights of NumPy/Pillow's `convert("L")`), computed on the [0, 1] values.
  public var grey: Bool
  /// Scale images to [−1, 1] (`2v − 1`) instead of [0, 1].
  public var center: Bool
  /// Reduce images whose longer side exceeds this by area averaging, keeping the aspect ratio
  /// (the longer side becomes `maxSize`); 0 keeps images whole.
  public var maxSize: Int
  /// The most values a file may declare; larger declarations are refused before allocating.
  public var elementLimit: Int
  /// Whose limit ``elementLimit`` is, for the message (`"a kernel"`: `… over the limit of
  /// 16777216 values for a kernel`); nil for the general limit.
  public var limitRole: String?

  /// The most values a tensor of a layer may hold: a kernel, bias or gradient file, or a
  /// tensor `check` compares (2^24, as a walk's input and output, `Scenario.maxOutputCells`).
  /// Files are checked against it from their headers, before anything is decoded.
  public static let layerTensorLimit = 1 << 24

  /// Options for an array that plays `role` in a layer (`"a kernel"`, `"a checked tensor"`):
  /// images kept whole, at most ``layerTensorLimit`` values.
  public static func layerArray(role: String) -> LoadOptions {
    var options = LoadOptions(maxSize: 0, elementLimit: layerTensorLimit)
    options.limitRole = role
    return options
  }

  /// Options with the defaults: colour kept, [0, 1], reduced to ``defaultMaxSize``.
  public init(
    grey: Bool = false, center: Bool = false, maxSize: Int = LoadOptions.defaultMaxSize,
    elementLimit: Int = Tensor.maxElementCount
  ) {
    self.grey = grey
    self.center = center
    self.maxSize = maxSize
    self.elementLimit = elementLimit
  }
}
