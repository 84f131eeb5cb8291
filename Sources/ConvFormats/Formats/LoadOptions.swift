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
