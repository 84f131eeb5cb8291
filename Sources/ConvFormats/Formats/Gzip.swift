import CPNGShim

// MARK: - Gzip

/// Reads a gzip file (RFC 1952) of one member, as `gzip` and Python's `gzip` module write it:
/// the header (10 bytes, then the optional extra field, file name, comment and header CRC its
/// flags announce), a raw deflate stream, and the trailer (CRC-32 and size of the data, mod 2^32).
///
/// The size the trailer declares is checked against the caller's limit before anything is
/// allocated; the data is inflated by zlib (``cinflate_raw``, as the members of an `.npz`) into
/// exactly that many bytes, and its CRC-32 is checked. Errors are one line naming `source`.
package enum Gzip {
  /// The gzip magic and the deflate method byte.
  static let magic: [UInt8] = [0x1F, 0x8B, 0x08]

  /// The data in the gzip file `bytes`, at most `limit` bytes long.
  package static func decompress(_ bytes: [UInt8], source: String, limit: Int) throws -> [UInt8] {
    func fail(_ message: String) -> InputError { InputError(source: source, message) }
    guard bytes.count >= 18 else {
      throw fail("\(bytes.count) bytes, too short for a gzip file (at least 18)")
    }
    guard bytes.starts(with: magic) else {
      throw fail(
        "not a gzip file of deflate data (it should start with 1f 8b 08; first bytes "
          + "\(TensorFileFormat.hexPrefix(bytes)))")
    }
    let start = try dataStart(bytes, fail: fail)
    let end = bytes.count - 8
    guard start <= end else { throw fail("truncated: the header runs into the trailer") }
    let crc = word(bytes, end)
    let size = Int(word(bytes, end + 4))
    guard size <= limit else {
      throw fail(
        "the data inflates to \(size) bytes, over the limit of \(limit); refused before inflating")
    }
    SizeGuard.allocating(size / 4)
    var out = [UInt8](repeating: 0, count: size)
    let status = bytes.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        cinflate_raw(src.baseAddress.map { $0 + start }, end - start, dst.baseAddress, size)
      }
    }
    switch status {
    case CINFLATE_OK: break
    case CINFLATE_CORRUPT: throw fail("corrupt compressed data (deflate)")
    case CINFLATE_TOO_LONG:
      throw fail("corrupt gzip file: the data inflates to more than its \(size) bytes")
    case CINFLATE_TOO_SHORT:
      throw fail(
        "corrupt gzip file: the compressed data ends before its \(size) bytes (or the file "
          + "holds several members, which is not read)")
    default: throw fail("cannot inflate (zlib failed to start)")
    }
    let actual = out.withUnsafeBufferPointer { cinflate_crc32($0.baseAddress, $0.count) }
    guard actual == crc else {
      throw fail("corrupt gzip file: the CRC-32 does not match the data")
    }
    return out
  }

  /// Where the deflate stream starts: after the fixed 10 bytes and the optional fields that the
  /// flags byte announces (FEXTRA 4, FNAME 8, FCOMMENT 16, FHCRC 2; other bits are reserved).
  static func dataStart(_ bytes: [UInt8], fail: (String) -> InputError) throws -> Int {
    let flags = bytes[3]
    guard flags & 0xE0 == 0 else {
      throw fail("unsupported gzip file: reserved header flags 0x\(String(flags, radix: 16))")
    }
    var at = 10
    if flags & 4 != 0 {
      guard at + 2 <= bytes.count else { throw fail("truncated gzip header (extra field)") }
      at += 2 + (Int(bytes[at]) | Int(bytes[at + 1]) << 8)
    }
    for flag: UInt8 in [8, 16] where flags & flag != 0 {
      // A zero-terminated name or comment.
      while at < bytes.count, bytes[at] != 0 { at += 1 }
      guard at < bytes.count else { throw fail("truncated gzip header (name or comment)") }
      at += 1
    }
    if flags & 2 != 0 { at += 2 }
    return at
  }

  /// The little-endian 32-bit word at `at` (which the caller checked is inside `bytes`).
  static func word(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
      | UInt32(bytes[at + 3]) << 24
  }
}
