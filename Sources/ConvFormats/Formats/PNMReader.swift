// MARK: - PNMReader

/// Reads Netpbm images: PBM (P1 ASCII, P4 binary), PGM (P2, P5) and PPM (P3, P6), with any
/// maxval from 1 to 65535 (binary samples above 255 are two bytes, big-endian), comments and
/// any whitespace in the header.
///
/// PBM stores 1 for black; it is read as 0 (black) and 1 (white) like the other formats.
/// Bytes after the first image are ignored.
enum PNMReader {
  /// Whether `b` may follow the magic number: whitespace or the start of a comment.
  static func isSeparator(_ b: UInt8) -> Bool {
    isWhitespace(b) || b == UInt8(ascii: "#")
  }

  static func isWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C
  }

  /// What a PNM header says: the kind (1…6 for P1…P6), the size and the maxval.
  struct Header {
    var kind: Int
    var width: Int
    var height: Int
    var maxValue: Int
    /// P4, P5, P6: a binary raster.
    var binary: Bool { kind >= 4 }
    /// P1, P4: one bit a pixel, 1 for black.
    var bitmap: Bool { kind == 1 || kind == 4 }
    var channels: Int { (kind == 3 || kind == 6) ? 3 : 1 }
    /// `PBM`, `PGM` or `PPM`.
    var name: String { bitmap ? "PBM" : channels == 3 ? "PPM" : "PGM" }
  }

  /// Decodes PNM bytes; `source` names the file in errors.
  static func decode(_ bytes: [UInt8], source: String, elementLimit: Int) throws -> DecodedImage {
    guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), (0x31...0x36).contains(bytes[1]) else {
      throw InputError(
        source: source,
        "not a PBM/PGM/PPM file (it should start with P1 to P6; first bytes "
          + "\(TensorFileFormat.hexPrefix(bytes)))")
    }
    var cursor = ByteCursor(bytes, offset: 2)
    let h = try header(kind: Int(bytes[1] - 0x30), &cursor, source: source)
    let count = try SizeGuard.reserve(
      dims: [h.width, h.height, h.channels], limit: elementLimit, source: source,
      what:
        "\(h.name) image of \(h.width)×\(h.height) pixels\(h.channels == 3 ? " × 3 channels" : "")")
    let (samples, detail) =
      h.binary
      ? try binaryRaster(bytes, &cursor, h, source: source)
      : try asciiRaster(&cursor, h, count: count, source: source)
    return DecodedImage(
      width: h.width, height: h.height, channels: h.channels, maxValue: h.maxValue,
      samples: samples, detail: detail)
  }

  /// The header fields after the magic number, checked.
  static func header(kind: Int, _ cursor: inout ByteCursor, source: String) throws -> Header {
    var h = Header(kind: kind, width: 0, height: 0, maxValue: 1)
    h.width = try headerNumber(&cursor, field: "width", name: h.name, source: source)
    h.height = try headerNumber(&cursor, field: "height", name: h.name, source: source)
    if !h.bitmap {
      h.maxValue = try headerNumber(&cursor, field: "maxval", name: h.name, source: source)
    }
    guard h.width >= 1, h.height >= 1 else {
      throw InputError(
        source: source,
        "\(h.name) header declares a \(h.width)×\(h.height) image; both sides must be ≥ 1")
    }
    guard (1...65535).contains(h.maxValue) else {
      throw InputError(source: source, "\(h.name) maxval \(h.maxValue) is outside 1…65535")
    }
    return h
  }

  /// The samples of a binary raster (P4, P5, P6) and the status line's description of it.
  static func binaryRaster(
    _ bytes: [UInt8], _ cursor: inout ByteCursor, _ h: Header, source: String
  ) throws -> ([UInt16], String) {
    // Exactly one whitespace byte separates the header from the raster.
    guard let separator = cursor.next(), isWhitespace(separator) else {
      throw InputError(
        source: source,
        "truncated or malformed \(h.name) header: no whitespace before the pixel data")
    }
    let bytesPerSample = h.maxValue > 255 ? 2 : 1
    let rowBytes = h.bitmap ? (h.width + 7) / 8 : h.width * h.channels * bytesPerSample
    let needed = rowBytes * h.height
    guard needed <= cursor.remaining else {
      throw InputError(
        source: source,
        "truncated: the \(h.width)×\(h.height) \(h.name) needs \(needed) bytes of pixel data but "
          + "only \(cursor.remaining) follow the header")
    }
    let samples = try binarySamples(
      bytes, start: cursor.offset, width: h.width, height: h.height, channels: h.channels,
      bitmap: h.bitmap, bytesPerSample: bytesPerSample, maxValue: h.maxValue, source: source)
    let detail =
      h.bitmap
      ? "PBM (P4)" : "\(h.name) (P\(h.kind)) \(bytesPerSample * 8)-bit, maxval \(h.maxValue)"
    return (samples, detail)
  }

  /// The samples of an ASCII raster (P1, P2, P3) and the status line's description of it.
  static func asciiRaster(
    _ cursor: inout ByteCursor, _ h: Header, count: Int, source: String
  ) throws -> ([UInt16], String) {
    // Every ASCII sample takes at least one byte: refuse impossible counts before allocating.
    guard count <= cursor.remaining else {
      throw InputError(
        source: source,
        "truncated: the \(h.width)×\(h.height) \(h.name) needs \(count) samples but only "
          + "\(cursor.remaining) bytes follow the header")
    }
    let samples = try asciiSamples(
      &cursor, count: count, bitmap: h.bitmap, maxValue: h.maxValue, name: h.name,
      source: source)
    return (samples, h.bitmap ? "PBM (P1)" : "\(h.name) (P\(h.kind)) ASCII, maxval \(h.maxValue)")
  }

  // MARK: Header

  /// Skips whitespace and `#` comments (to the end of the line).
  static func skipSpaceAndComments(_ cursor: inout ByteCursor) {
    while let b = cursor.peek() {
      if isWhitespace(b) {
        cursor.skip(1)
      } else if b == UInt8(ascii: "#") {
        while let c = cursor.next(), c != 0x0A, c != 0x0D {}
      } else {
        return
      }
    }
  }

  /// A decimal header field.
  static func headerNumber(
    _ cursor: inout ByteCursor, field: String, name: String, source: String
  ) throws -> Int {
    skipSpaceAndComments(&cursor)
    guard let first = cursor.peek() else {
      throw InputError(source: source, "truncated \(name) header: it ends before the \(field)")
    }
    guard (0x30...0x39).contains(first) else {
      throw InputError(
        source: source,
        "malformed \(name) header: the \(field) should be a number but byte \(cursor.offset) is "
          + describe(first))
    }
    var value = 0
    while let b = cursor.peek(), (0x30...0x39).contains(b) {
      value = value * 10 + Int(b - 0x30)
      guard value <= 1 << 31 else {
        throw InputError(source: source, "\(name) header: the \(field) is absurdly large")
      }
      cursor.skip(1)
    }
    if let b = cursor.peek(), !isSeparator(b) {
      throw InputError(
        source: source,
        "malformed \(name) header: \(describe(b)) right after the \(field) at byte \(cursor.offset)"
      )
    }
    return value
  }

  static func describe(_ b: UInt8) -> String {
    (0x21...0x7E).contains(b)
      ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
  }

  // MARK: Raster

  static func binarySamples(
    _ bytes: [UInt8], start: Int, width: Int, height: Int, channels: Int, bitmap: Bool,
    bytesPerSample: Int, maxValue: Int, source: String
  ) throws -> [UInt16] {
    SizeGuard.allocating(width * height * channels)
    var samples = [UInt16](repeating: 0, count: width * height * channels)
    if bitmap {
      let rowBytes = (width + 7) / 8
      for y in 0..<height {
        for x in 0..<width {
          let byte = bytes[start + y * rowBytes + x / 8]
          let black = (byte >> UInt8(7 - x % 8)) & 1
          samples[y * width + x] = black == 1 ? 0 : 1
        }
      }
      return samples
    }
    var offset = start
    for i in samples.indices {
      let v: Int
      if bytesPerSample == 2 {
        v = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
      } else {
        v = Int(bytes[offset])
      }
      offset += bytesPerSample
      guard v <= maxValue else {
        let pixel = i / channels
        throw InputError(
          source: source,
          "sample value \(v) at pixel (x \(pixel % width), y \(pixel / width)) exceeds maxval "
            + "\(maxValue)")
      }
      samples[i] = UInt16(v)
    }
    return samples
  }

  static func asciiSamples(
    _ cursor: inout ByteCursor, count: Int, bitmap: Bool, maxValue: Int, name: String,
    source: String
  ) throws -> [UInt16] {
    SizeGuard.allocating(count)
    var samples = [UInt16](repeating: 0, count: count)
    for i in 0..<count {
      skipSpaceAndComments(&cursor)
      guard let first = cursor.peek() else {
        throw InputError(
          source: source, "truncated: the pixel data ends after \(i) of \(count) samples")
      }
      guard (0x30...0x39).contains(first) else {
        throw InputError(
          source: source,
          "invalid \(describe(first)) in the \(name) pixel data at byte \(cursor.offset)")
      }
      if bitmap {
        // PBM samples are single digits and need no separator: "0110".
        guard first <= 0x31 else {
          throw InputError(
            source: source,
            "invalid \(describe(first)) in the PBM pixel data at byte "
              + "\(cursor.offset) (only 0 and 1)")
        }
        cursor.skip(1)
        samples[i] = first == 0x31 ? 0 : 1
        continue
      }
      var v = 0
      while let b = cursor.peek(), (0x30...0x39).contains(b) {
        v = min(v * 10 + Int(b - 0x30), 1 << 20)
        cursor.skip(1)
      }
      guard v <= maxValue else {
        throw InputError(
          source: source,
          "sample \(i + 1) is \(v >= 1 << 20 ? "huge" : "\(v)"), over maxval \(maxValue)")
      }
      if let b = cursor.peek(), !isSeparator(b) {
        throw InputError(
          source: source,
          "invalid \(describe(b)) in the \(name) pixel data at byte \(cursor.offset)")
      }
      samples[i] = UInt16(v)
    }
    return samples
  }
}
