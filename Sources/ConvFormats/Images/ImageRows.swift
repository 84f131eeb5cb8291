import ConvCore

// MARK: - ImageHeader

/// What an image's header says: its size, samples per pixel and their full-scale value.
///
/// Rows are interleaved samples, `row[x · channels + c]`, with `channels` 1 (grey), 2 (grey +
/// alpha), 3 (RGB) or 4 (RGBA), and every sample in `0...maxValue`.
struct ImageHeader {
  /// Width in pixels.
  var width: Int
  /// Height in pixels.
  var height: Int
  /// Samples per pixel: 1, 2, 3 or 4.
  var channels: Int
  /// The value that means full intensity: 255, 65535, a PNM maxval, or 1 for PBM.
  var maxValue: Int
  /// What the file was, e.g. `PNG 8-bit RGBA, interlaced` or `PGM (P2) maxval 16`.
  var detail: String
  /// What messages call it: `PNG image`, `PGM image`.
  var kind: String

  /// Whether the last channel is alpha.
  var hasAlpha: Bool { channels == 2 || channels == 4 }

  /// The number of colour channels once alpha is dropped: 1 or 3.
  var colourChannels: Int { channels >= 3 ? 3 : 1 }

  /// E.g. `PNG image of 640×480 pixels × 3 channels`.
  var described: String {
    "\(kind) of \(width)×\(height) pixels" + (channels > 1 ? " × \(channels) channels" : "")
  }
}

// MARK: - ImageRowReader

/// An image read one row at a time, top to bottom, so that memory is a row and the result, never
/// the whole decoded image.
protocol ImageRowReader {
  /// The header, known before any row is read.
  var header: ImageHeader { get }
  /// Writes the next row's `width · channels` samples to `row`; throws an ``InputError`` when
  /// the data is damaged.
  mutating func readRow(into row: UnsafeMutableBufferPointer<UInt16>) throws
}

// MARK: - ImageLimits

/// The sizes of image convscope decodes, checked from the header before anything is allocated
/// or decoded. An image is read row by row and reduced while it is read (``ImageAccumulator``),
/// so these bound the time decoding takes, not memory.
enum ImageLimits {
  /// The longest side of an image: 65,536 pixels.
  static let maxSide = 1 << 16
  /// The most samples (width × height × channels, alpha included) an image may hold: 2^28.
  static let maxSamples = Tensor.maxElementCount
  /// The most samples of an interlaced (Adam7) PNG, whose rows are complete only after the last
  /// pass, so it is decoded whole: 2^24 (at most 32 MiB).
  static let maxInterlacedSamples = 1 << 24

  /// Throws unless an image with `header` may be decoded, and its tensor (reduced as `options`
  /// say) fits under `options.elementLimit`. `interlaced` images are held whole.
  static func check(
    _ header: ImageHeader, interlaced: Bool = false, options: LoadOptions, source: String
  ) throws {
    guard header.width >= 1, header.height >= 1 else {
      throw InputError(
        source: source,
        "\(header.kind) header declares a \(header.width)×\(header.height) image; both sides "
          + "must be ≥ 1")
    }
    guard header.width <= maxSide, header.height <= maxSide else {
      throw InputError(
        source: source,
        "\(header.described) exceeds the limit of \(maxSide) pixels on a side; refused before "
          + "decoding")
    }
    let samples = header.width * header.height * header.channels
    try checkTensor(header, options: options, source: source)
    guard samples <= maxSamples else {
      throw InputError(
        source: source,
        "\(header.described) is \(samples) samples, exceeds the limit of \(maxSamples) samples; "
          + "refused before decoding")
    }
    guard !interlaced || samples <= maxInterlacedSamples else {
      throw InputError(
        source: source,
        "interlaced (Adam7) \(header.described) is \(samples) samples, over the limit of "
          + "\(maxInterlacedSamples) for an interlaced image (decoded whole); save it "
          + "non-interlaced")
    }
  }

  /// Throws unless the tensor made of `header`'s image (reduced as `options` say; alpha dropped)
  /// fits under `options.elementLimit`: a kernel or a checked tensor is refused from the header.
  static func checkTensor(_ header: ImageHeader, options: LoadOptions, source: String) throws {
    let (oh, ow) = ImageReduction.reducedSize(
      height: header.height, width: header.width, maxSize: options.maxSize)
    let colours = header.colourChannels
    let pixels = "\(header.kind) of \(header.width)×\(header.height) pixels"
    let what =
      ((oh, ow) != (header.height, header.width) ? pixels + " reduced to \(ow)×\(oh)" : pixels)
      + (colours == 3 ? " × 3 colour channels" : "")
    try SizeGuard.reserve(
      colours * oh * ow, limit: options.elementLimit, source: source, what: what,
      role: options.limitRole)
  }
}
