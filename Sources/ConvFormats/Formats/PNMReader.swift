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

  /// Opens the PNM image in `bytes`: reads its header, checks its size (against
  /// ``ImageLimits``, `options.elementLimit` and the bytes the file holds) before anything is
  /// allocated, and returns a reader of its rows; `source` names the file in errors.
  static func open(_ bytes: FileBytes, options: LoadOptions, source: String) throws -> Rows {
    guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), (0x31...0x36).contains(bytes[1]) else {
      throw InputError(
        source: source,
        "not a PBM/PGM/PPM file (it should start with P1 to P6; first bytes "
          + "\(TensorFileFormat.hexPrefix(bytes.prefix(8))))")
    }
    var cursor = ByteCursor(bytes, offset: 2)
    let h = try header(kind: Int(bytes[1] - 0x30), &cursor, source: source)
    let described =
      "\(h.name) image of \(h.width)×\(h.height) pixels\(h.channels == 3 ? " × 3 channels" : "")"
    let count = try SizeGuard.reserve(
      dims: [h.width, h.height, h.channels], limit: ImageLimits.maxSamples, source: source,
      what: described)
    let image = ImageHeader(
      width: h.width, height: h.height, channels: h.channels, maxValue: h.maxValue, detail: "",
      kind: "\(h.name) image")
    try ImageLimits.check(image, options: options, source: source)
    var rows = Rows(header: image, pnm: h, cursor: cursor, source: source)
    if h.binary {
      try rows.checkBinarySize()
    } else {
      // Every ASCII sample takes at least one byte: refuse impossible counts before allocating.
      guard count <= cursor.remaining else {
        throw InputError(
          source: source,
          "truncated: the \(h.width)×\(h.height) \(h.name) needs \(count) samples but only "
            + "\(cursor.remaining) bytes follow the header")
      }
    }
    return rows
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
}
