import CPNGShim

// MARK: - ZipArchive

/// The members of a zip archive, as NumPy's `np.savez` (stored) and `np.savez_compressed`
/// (deflate) write them: the central directory is read (zip64 records included), and a member
/// is extracted on demand.
///
/// Every size is checked before anything is allocated or inflated: a member is refused when its
/// declared size is over the caller's limit, its bytes lie outside the file, its compression is
/// not stored or deflate, it is encrypted, or its CRC-32 disagrees. Errors are one line naming
/// the file (and the member).
struct ZipArchive {
  /// One file in the archive.
  struct Entry {
    /// The name as stored, e.g. `y.npy`.
    var name: String
    /// 0 stored, 8 deflate (others are refused when extracted).
    var method: Int
    /// The general-purpose flags (bit 0: encrypted).
    var flags: Int
    var crc: UInt32
    var compressedSize: Int
    var size: Int
    /// Where the member's local header starts.
    var headerOffset: Int
  }

  /// The zip signatures (little-endian `PK..`).
  static let localSignature: UInt32 = 0x0403_4B50
  static let centralSignature: UInt32 = 0x0201_4B50
  static let endSignature: UInt32 = 0x0605_4B50
  static let end64Signature: UInt32 = 0x0606_4B50
  static let end64LocatorSignature: UInt32 = 0x0706_4B50
  /// The most members convscope lists (an .npz holds a handful).
  static let maxEntries = 10_000

  let bytes: FileBytes
  let source: String
  /// The files, in the order of the central directory (directories left out).
  let entries: [Entry]

  /// Whether `bytes` start like a zip archive (a local header, or the end record of an empty one).
  static func looksLikeZip(_ bytes: [UInt8]) -> Bool {
    bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
  }

  /// Reads the central directory of the archive in `bytes`.
  init(_ bytes: FileBytes, source: String) throws {
    self.bytes = bytes
    self.source = source
    let fail = { (m: String) in InputError(source: source, "corrupt zip archive: " + m) }
    let directory = try ZipArchive.centralDirectory(bytes, fail: fail)
    var entries: [Entry] = []
    var offset = directory.offset
    for _ in 0..<directory.count {
      let entry = try ZipArchive.entry(bytes, at: &offset, fail: fail)
      if !entry.name.hasSuffix("/") { entries.append(entry) }
    }
    self.entries = entries
  }

  /// Where the central directory starts and how many entries it has, from the end record (and
  /// its zip64 form when the 32-bit fields overflowed).
  static func centralDirectory(_ b: FileBytes, fail: (String) -> InputError) throws -> (
    offset: Int, count: Int
  ) {
    guard b.count >= 22 else { throw fail("\(b.count) bytes, too short for a zip archive") }
    // The end record is 22 bytes plus a comment of at most 65535 bytes.
    var at = b.count - 22
    let lowest = max(0, b.count - 22 - 65_535)
    while at >= lowest, u32(b, at) != endSignature { at -= 1 }
    guard at >= lowest else { throw fail("no end-of-central-directory record") }
    var count = u16(b, at + 10) ?? 0
    var offset = u32(b, at + 16).map(Int.init) ?? 0
    if count == 0xFFFF || offset == 0xFFFF_FFFF {
      let locator = at - 20
      guard locator >= 0, u32(b, locator) == end64LocatorSignature,
        let end64 = u64(b, locator + 8), end64 <= b.count - 56, u32(b, end64) == end64Signature,
        let count64 = u64(b, end64 + 32), let offset64 = u64(b, end64 + 48)
      else { throw fail("a zip64 archive without a valid zip64 end record") }
      count = count64
      offset = offset64
    }
    guard count <= maxEntries else {
      throw fail("\(count) members, over the limit of \(maxEntries)")
    }
    guard offset <= b.count else { throw fail("the central directory lies past the end") }
    return (offset, count)
  }

  /// The central-directory entry at `offset`, which moves past it.
  static func entry(_ b: FileBytes, at offset: inout Int, fail: (String) -> InputError) throws
    -> Entry
  {
    let o = offset
    guard u32(b, o) == centralSignature, let flags = u16(b, o + 8),
      let method = u16(b, o + 10), let crc = u32(b, o + 16), let csize32 = u32(b, o + 20),
      let size32 = u32(b, o + 24), let nameLength = u16(b, o + 28),
      let extraLength = u16(b, o + 30), let commentLength = u16(b, o + 32),
      let header32 = u32(b, o + 42), o + 46 + nameLength + extraLength <= b.count
    else { throw fail("a damaged central directory entry at byte \(o)") }
    let name = String(decoding: b.raw[(o + 46)..<(o + 46 + nameLength)], as: UTF8.self)
    var csize = Int(csize32)
    var size = Int(size32)
    var header = Int(header32)
    // The zip64 extra field (id 1) holds, in this order, each field whose 32 bits overflowed.
    var e = o + 46 + nameLength
    let extraEnd = e + extraLength
    while e + 4 <= extraEnd, let id = u16(b, e), let length = u16(b, e + 2) {
      if id == 1 {
        var f = e + 4
        for field in [0, 1, 2] {
          let overflowed = [size32, csize32, header32][field] == 0xFFFF_FFFF
          guard overflowed else { continue }
          guard f + 8 <= e + 4 + length, let v = u64(b, f) else {
            throw fail("a damaged zip64 field for \(Printable.escape(name.prefix(60)))")
          }
          if field == 0 { size = v } else if field == 1 { csize = v } else { header = v }
          f += 8
        }
      }
      e += 4 + length
    }
    offset = o + 46 + nameLength + extraLength + commentLength
    return Entry(
      name: name, method: method, flags: flags, crc: crc, compressedSize: csize, size: size,
      headerOffset: header)
  }

  /// The bytes of `entry`, inflated when compressed; refused before inflating when its size is
  /// over `limit` bytes.
  func extract(_ entry: Entry, limit: Int) throws -> FileBytes {
    let member = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
    let label = "\(source):\(Printable.escape(member.prefix(60)))"
    func fail(_ m: String) -> InputError { InputError(source: label, m) }
    guard entry.flags & 1 == 0 else {
      throw fail("the member is encrypted; save it without a password")
    }
    guard entry.method == 0 || entry.method == 8 else {
      throw fail(
        "unsupported compression (zip method \(entry.method)); convscope reads stored and "
          + "deflate members, as np.savez and np.savez_compressed write them")
    }
    guard entry.size <= limit else {
      throw fail(
        "the member inflates to \(entry.size) bytes, over the limit of \(limit); refused before "
          + "inflating")
    }
    let h = entry.headerOffset
    guard u32(bytes, h) == ZipArchive.localSignature, let n = u16(bytes, h + 26),
      let x = u16(bytes, h + 28)
    else { throw fail("corrupt zip archive: no local header at byte \(h)") }
    let start = h + 30 + n + x
    guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
      throw fail(
        "corrupt zip archive: the member's \(entry.compressedSize) bytes lie past the end of "
          + "the file")
    }
    let src = UnsafeRawBufferPointer(rebasing: bytes.raw[start..<(start + entry.compressedSize)])
    let data: FileBytes
    if entry.method == 0 {
      guard entry.compressedSize == entry.size else {
        throw fail("corrupt zip archive: a stored member whose two sizes differ")
      }
      // A stored member is the file's own bytes: read in place, not copied.
      data = FileBytes(slice: src, of: bytes)
    } else {
      SizeGuard.allocating(entry.size / 4)
      data = try FileBytes(count: entry.size) { dst in
        let status = cinflate_raw(
          src.baseAddress?.assumingMemoryBound(to: UInt8.self), src.count,
          dst.baseAddress?.assumingMemoryBound(to: UInt8.self), dst.count)
        switch status {
        case CINFLATE_OK: return
        case CINFLATE_CORRUPT: throw fail("corrupt compressed data (deflate)")
        case CINFLATE_TOO_LONG:
          throw fail(
            "corrupt zip archive: the member inflates to more than its \(entry.size) bytes")
        case CINFLATE_TOO_SHORT:
          throw fail(
            "corrupt zip archive: the compressed data ends before its \(entry.size) bytes")
        default: throw fail("cannot inflate (zlib failed to start)")
        }
      }
    }
    let crc = cinflate_crc32(data.raw.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count)
    guard crc == entry.crc else {
      throw fail("corrupt zip archive: the member's CRC-32 does not match its data")
    }
    return data
  }

  // MARK: Little-endian fields (nil past the end)

  static func u16(_ b: FileBytes, _ at: Int) -> Int? {
    guard at >= 0, at <= b.count - 2 else { return nil }
    return Int(b[at]) | Int(b[at + 1]) << 8
  }

  static func u32(_ b: FileBytes, _ at: Int) -> UInt32? {
    guard at >= 0, at <= b.count - 4 else { return nil }
    return UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16
      | UInt32(b[at + 3]) << 24
  }

  /// A 64-bit field as an `Int`; nil past the end or beyond `Int.max`.
  static func u64(_ b: FileBytes, _ at: Int) -> Int? {
    guard at >= 0, at <= b.count - 8 else { return nil }
    var v: UInt64 = 0
    for k in stride(from: 7, through: 0, by: -1) { v = v << 8 | UInt64(b[at + k]) }
    return Int(exactly: v)
  }

  func u16(_ b: FileBytes, _ at: Int) -> Int? { ZipArchive.u16(b, at) }
  func u32(_ b: FileBytes, _ at: Int) -> UInt32? { ZipArchive.u32(b, at) }
}
