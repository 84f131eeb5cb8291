// MARK: - ByteCursor

/// Sequential reading of a byte buffer (a mapped file) with bounds checks: every read past the
/// end returns nil instead of trapping.
struct ByteCursor {
  let bytes: FileBytes
  private(set) var offset: Int

  init(_ bytes: FileBytes, offset: Int = 0) {
    self.bytes = bytes
    self.offset = min(max(0, offset), bytes.count)
  }

  /// The number of bytes not yet read.
  var remaining: Int { bytes.count - offset }

  /// Whether every byte has been read.
  var atEnd: Bool { offset >= bytes.count }

  /// The next byte without consuming it.
  func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

  /// Consumes and returns the next byte.
  mutating func next() -> UInt8? {
    guard offset < bytes.count else { return nil }
    defer { offset += 1 }
    return bytes[offset]
  }

  /// Consumes `count` bytes, returning their range, or nil (consuming nothing) when fewer remain.
  mutating func take(_ count: Int) -> Range<Int>? {
    guard count >= 0, count <= remaining else { return nil }
    defer { offset += count }
    return offset..<(offset + count)
  }

  /// Moves the read position forward by up to `count` bytes.
  mutating func skip(_ count: Int) {
    offset = min(bytes.count, offset + max(0, count))
  }
}
