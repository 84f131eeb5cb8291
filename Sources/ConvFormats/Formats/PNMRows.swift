// MARK: - PNMReader.Rows

extension PNMReader {
  /// The rows of a PNM image, read from the file one at a time (``PNMReader/open(_:options:source:)``
  /// checked the header and the size first).
  struct Rows: ImageRowReader {
    var header: ImageHeader
    let pnm: Header
    var cursor: ByteCursor
    let source: String
    /// The next row.
    private var y = 0
    /// Binary rasters: where the pixel data starts and the bytes of a row.
    private var start = 0
    private let rowBytes: Int
    private let bytesPerSample: Int

    init(header: ImageHeader, pnm: Header, cursor: ByteCursor, source: String) {
      self.header = header
      self.pnm = pnm
      self.cursor = cursor
      self.source = source
      bytesPerSample = pnm.maxValue > 255 ? 2 : 1
      rowBytes = pnm.bitmap ? (pnm.width + 7) / 8 : pnm.width * pnm.channels * bytesPerSample
      if pnm.binary {
        self.header.detail =
          pnm.bitmap
          ? "PBM (P4)"
          : "\(pnm.name) (P\(pnm.kind)) \(bytesPerSample * 8)-bit, maxval \(pnm.maxValue)"
      } else {
        self.header.detail =
          pnm.bitmap ? "PBM (P1)" : "\(pnm.name) (P\(pnm.kind)) ASCII, maxval \(pnm.maxValue)"
      }
    }

    /// Checks the separator after the header and that the file holds every row.
    mutating func checkBinarySize() throws {
      // Exactly one whitespace byte separates the header from the raster.
      guard let separator = cursor.next(), isWhitespace(separator) else {
        throw InputError(
          source: source,
          "truncated or malformed \(pnm.name) header: no whitespace before the pixel data")
      }
      let needed = rowBytes * pnm.height
      guard needed <= cursor.remaining else {
        throw InputError(
          source: source,
          "truncated: the \(pnm.width)×\(pnm.height) \(pnm.name) needs \(needed) bytes of pixel "
            + "data but only \(cursor.remaining) follow the header")
      }
      start = cursor.offset
    }

    mutating func readRow(into row: UnsafeMutableBufferPointer<UInt16>) throws {
      defer { y += 1 }
      if !pnm.binary {
        try asciiRow(into: row)
      } else if pnm.bitmap {
        bitmapRow(into: row)
      } else {
        try binaryRow(into: row)
      }
    }

    /// A P4 row: one bit a pixel, most significant first, 1 for black (read as 0).
    private func bitmapRow(into row: UnsafeMutableBufferPointer<UInt16>) {
      let raw = cursor.bytes.raw
      let base = start + y * rowBytes
      for x in 0..<pnm.width {
        let black = (raw[base + (x >> 3)] >> UInt8(7 - (x & 7))) & 1
        row[x] = black == 1 ? 0 : 1
      }
    }

    /// A P5 or P6 row: samples of one byte, or two big-endian bytes above maxval 255.
    private func binaryRow(into row: UnsafeMutableBufferPointer<UInt16>) throws {
      let raw = cursor.bytes.raw
      var offset = start + y * rowBytes
      let maxValue = pnm.maxValue
      for i in 0..<(pnm.width * pnm.channels) {
        let v: Int
        if bytesPerSample == 2 {
          v = Int(raw[offset]) << 8 | Int(raw[offset + 1])
        } else {
          v = Int(raw[offset])
        }
        offset += bytesPerSample
        guard v <= maxValue else {
          throw InputError(
            source: source,
            "sample value \(v) at pixel (x \(i / pnm.channels), y \(y)) exceeds maxval "
              + "\(maxValue)")
        }
        row[i] = UInt16(v)
      }
    }

    /// A row of an ASCII raster (P1, P2, P3).
    private mutating func asciiRow(into row: UnsafeMutableBufferPointer<UInt16>) throws {
      let perRow = pnm.width * pnm.channels
      let count = perRow * pnm.height
      for i in 0..<perRow {
        row[i] = try asciiSample(index: y * perRow + i, of: count)
      }
    }

    /// The next sample of an ASCII raster; `index` (from 0) of `count` is for messages.
    private mutating func asciiSample(index: Int, of count: Int) throws -> UInt16 {
      skipSpaceAndComments(&cursor)
      guard let first = cursor.peek() else {
        throw InputError(
          source: source, "truncated: the pixel data ends after \(index) of \(count) samples")
      }
      guard (0x30...0x39).contains(first) else {
        throw InputError(
          source: source,
          "invalid \(describe(first)) in the \(pnm.name) pixel data at byte \(cursor.offset)")
      }
      if pnm.bitmap {
        // PBM samples are single digits and need no separator: "0110".
        guard first <= 0x31 else {
          throw InputError(
            source: source,
            "invalid \(describe(first)) in the PBM pixel data at byte \(cursor.offset) "
              + "(only 0 and 1)")
        }
        cursor.skip(1)
        return first == 0x31 ? 0 : 1
      }
      var v = 0
      while let b = cursor.peek(), (0x30...0x39).contains(b) {
        v = min(v * 10 + Int(b - 0x30), 1 << 20)
        cursor.skip(1)
      }
      guard v <= pnm.maxValue else {
        throw InputError(
          source: source,
          "sample \(index + 1) is \(v >= 1 << 20 ? "huge" : "\(v)"), over maxval \(pnm.maxValue)")
      }
      if let b = cursor.peek(), !isSeparator(b) {
        throw InputError(
          source: source,
          "invalid \(describe(b)) in the \(pnm.name) pixel data at byte \(cursor.offset)")
      }
      return UInt16(v)
    }
  }
}
