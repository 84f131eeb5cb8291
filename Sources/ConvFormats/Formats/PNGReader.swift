import CPNGShim

// MARK: - PNGReader

/// Reads PNG images through the system's libpng (via the `CPNGShim` C target, which keeps
/// libpng's setjmp/longjmp error handling out of Swift).
///
/// Every PNG colour type and bit depth is read: grey 1/2/4/8/16-bit, grey + alpha, RGB and RGBA
/// 8/16-bit, palette 1/2/4/8-bit (expanded to RGB), with or without Adam7 interlacing. A tRNS
/// chunk becomes an alpha channel. Sample values are used as stored: no gamma or colour-profile
/// correction.
enum PNGReader {
  /// Decodes PNG bytes; `source` names the file in errors.
  static func decode(_ bytes: [UInt8], source: String, elementLimit: Int) throws -> DecodedImage {
    guard bytes.starts(with: TensorFileFormat.pngSignature) else {
      throw InputError(
        source: source,
        "not a PNG file (wrong signature; first bytes \(TensorFileFormat.hexPrefix(bytes)))")
    }
    var image = cpng_image()
    let status = bytes.withUnsafeBufferPointer { buffer in
      cpng_decode(buffer.baseAddress, buffer.count, max(0, elementLimit), &image)
    }
    defer { cpng_free(&image) }
    guard status == 0, let pixels = image.pixels else {
      let reason = withUnsafeBytes(of: image.error) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      throw InputError(
        source: source,
        "invalid PNG: \(reason.isEmpty ? "unknown error" : Printable.escape(reason))")
    }
    let width = Int(image.width)
    let height = Int(image.height)
    let channels = Int(image.channels)
    let count = width * height * channels
    try SizeGuard.reserve(count, limit: elementLimit, source: source, what: "PNG image")
    SizeGuard.allocating(count)
    var samples = [UInt16](repeating: 0, count: count)
    if image.bit_depth == 16 {
      guard image.size >= count * 2 else {
        throw InputError(source: source, "invalid PNG: short pixel buffer")
      }
      pixels.withMemoryRebound(to: UInt16.self, capacity: count) { p in
        for i in 0..<count { samples[i] = p[i] }
      }
    } else {
      guard image.size >= count else {
        throw InputError(source: source, "invalid PNG: short pixel buffer")
      }
      for i in 0..<count { samples[i] = UInt16(pixels[i]) }
    }
    return DecodedImage(
      width: width, height: height, channels: channels,
      maxValue: image.bit_depth == 16 ? 65535 : 255, samples: samples,
      detail: detail(image))
  }

  /// E.g. `PNG 4-bit palette, interlaced`.
  static func detail(_ image: cpng_image) -> String {
    let type: String
    switch image.file_color_type {
    case 0: type = "grey"
    case 2: type = "RGB"
    case 3: type = "palette"
    case 4: type = "grey+alpha"
    case 6: type = "RGBA"
    default: type = "colour type \(image.file_color_type)"
    }
    var s = "PNG \(image.file_bit_depth)-bit \(type)"
    if image.has_trns != 0 { s += " with transparency" }
    if image.interlaced != 0 { s += ", interlaced" }
    return s
  }
}
