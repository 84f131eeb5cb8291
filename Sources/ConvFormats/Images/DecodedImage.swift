// MARK: - DecodedImage

/// An image as a decoder produced it: interleaved integer samples and their full-scale value.
///
/// `samples[(y · width + x) · channels + c]`, with `channels` 1 (grey), 2 (grey + alpha),
/// 3 (RGB) or 4 (RGBA), and every sample in `0...maxValue`.
struct DecodedImage {
  /// Width in pixels.
  var width: Int
  /// Height in pixels.
  var height: Int
  /// Samples per pixel: 1, 2, 3 or 4.
  var channels: Int
  /// The value that means full intensity: 255, 65535, a PNM maxval, or 1 for PBM.
  var maxValue: Int
  /// The interleaved samples.
  var samples: [UInt16]
  /// What the file was, e.g. `PNG 8-bit RGBA, interlaced` or `PGM (P2) maxval 16`.
  var detail: String

  /// Whether the last channel is alpha.
  var hasAlpha: Bool { channels == 2 || channels == 4 }

  /// The number of colour channels once alpha is dropped: 1 or 3.
  var colourChannels: Int { channels >= 3 ? 3 : 1 }
}
