import CPNGShim

// MARK: - PNGReader

/// Reads PNG images row by row through the system's libpng (via the `CPNGShim` C target, which
/// keeps libpng's setjmp/longjmp error handling out of Swift).
///
/// Every PNG colour type and bit depth is read: grey 1/2/4/8/16-bit, grey + alpha, RGB and RGBA
/// 8/16-bit, palette 1/2/4/8-bit (expanded to RGB), with or without Adam7 interlacing. A tRNS
/// chunk becomes an alpha channel. Sample values are used as stored: no gamma or colour-profile
/// correction. Memory is a row or two (libpng's and ours); an interlaced image, whose rows are
/// complete only after its last pass, is decoded whole and so is capped at
/// ``ImageLimits/maxInterlacedSamples`` samples.
final class PNGReader: ImageRowReader {
  let header: ImageHeader
  private let bytes: FileBytes
  private let source: String
  private let stream: OpaquePointer
  private var info: cpng_info
  private var buffer: [UInt8]

  /// Opens the PNG in `bytes`, reads its header and checks it against ``ImageLimits`` (and the
  /// tensor against `options.elementLimit`) before libpng allocates anything of its size.
  init(_ bytes: FileBytes, options: LoadOptions, source: String) throws {
    guard bytes.starts(with: TensorFileFormat.pngSignature) else {
      throw InputError(
        source: source,
        "not a PNG file (wrong signature; first bytes "
          + "\(TensorFileFormat.hexPrefix(bytes.prefix(8))))")
    }
    var info = cpng_info()
    guard let stream = cpng_open(bytes.raw.baseAddress, bytes.count, &info) else {
      throw PNGReader.failure(info, source: source)
    }
    let header = ImageHeader(
      width: Int(info.width), height: Int(info.height), channels: Int(info.channels),
      maxValue: info.bit_depth == 16 ? 65535 : 255, detail: PNGReader.detail(info),
      kind: "PNG image")
    do {
      try ImageLimits.check(
        header, interlaced: info.interlaced != 0, options: options, source: source)
    } catch {
      cpng_close(stream)
      throw error
    }
    guard cpng_start(stream, &info) == 0 else {
      cpng_close(stream)
      throw PNGReader.failure(info, source: source)
    }
    self.header = header
    self.bytes = bytes
    self.source = source
    self.stream = stream
    self.info = info
    SizeGuard.allocating(info.row_bytes)
    buffer = [UInt8](repeating: 0, count: info.row_bytes)
  }

  deinit { cpng_close(stream) }

  func readRow(into row: UnsafeMutableBufferPointer<UInt16>) throws {
    let status = buffer.withUnsafeMutableBufferPointer {
      cpng_read_row(stream, $0.baseAddress, &info)
    }
    guard status == 0 else { throw PNGReader.failure(info, source: source) }
    let count = header.width * header.channels
    buffer.withUnsafeBytes { raw in
      if info.bit_depth == 16 {
        for i in 0..<count { row[i] = raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self) }
      } else {
        for i in 0..<count { row[i] = UInt16(raw[i]) }
      }
    }
  }

  /// The shim's reason as an ``InputError``.
  static func failure(_ info: cpng_info, source: String) -> InputError {
    let reason = withUnsafeBytes(of: info.error) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    return InputError(
      source: source,
      "invalid PNG: \(reason.isEmpty ? "unknown error" : Printable.escape(reason))")
  }

  /// E.g. `PNG 4-bit palette, interlaced`.
  static func detail(_ image: cpng_info) -> String {
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
