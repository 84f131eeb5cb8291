import CPNGShim
import ConvCore

// MARK: - NPZWriter

/// Writes NumPy `.npz` archives that `np.load` reads: a zip file of stored (uncompressed)
/// members `<name>.npy`, each an ``NPYWriter`` file (float32, C order), with correct CRC-32s.
///
/// The output depends only on the arrays: every member carries the zip epoch (1980-01-01
/// 00:00) as its time, so the same weights give the same bytes. `np.load(path)["0.weight"]`
/// is the array named `0.weight`.
public enum NPZWriter {
  /// The largest archive written: the 32-bit fields of a zip file without zip64 records.
  public static let maxArchiveSize = 0xFFFF_FFFF

  /// The archive's bytes, members in the order of `arrays`. Names must be unique (a repeated
  /// name's later arrays are left out, since `np.load` would see only one). The archive must
  /// stay under ``maxArchiveSize`` bytes (check it with ``archiveSize(_:)``); past that the
  /// result is not a valid zip file.
  public static func encode(_ arrays: [(name: String, tensor: Tensor)]) -> [UInt8] {
    var seen: Set<String> = []
    var out: [UInt8] = []
    var directory: [UInt8] = []
    var count = 0
    for (name, tensor) in arrays where seen.insert(name).inserted {
      let member = Array((name + ".npy").utf8)
      let data = [UInt8](NPYWriter.encode(tensor))
      let crc = data.withUnsafeBufferPointer { cinflate_crc32($0.baseAddress, $0.count) }
      let flags: UInt16 = member.allSatisfy { $0 < 0x80 } ? 0 : 0x0800  // bit 11: UTF-8 name
      let offset = out.count
      // Local file header.
      put32(&out, 0x0403_4B50)
      put16(&out, 20)  // version needed: 2.0
      fields(&out, flags: flags, crc: crc, size: data.count, nameLength: member.count)
      put16(&out, 0)  // extra field length
      out += member
      out += data
      // Its central directory entry.
      put32(&directory, 0x0201_4B50)
      put16(&directory, 20)  // version made by: 2.0, MS-DOS attributes
      put16(&directory, 20)
      fields(&directory, flags: flags, crc: crc, size: data.count, nameLength: member.count)
      put16(&directory, 0)  // extra field length
      put16(&directory, 0)  // comment length
      put16(&directory, 0)  // disk number
      put16(&directory, 0)  // internal attributes
      put32(&directory, 0)  // external attributes
      put32(&directory, UInt32(truncatingIfNeeded: offset))
      directory += member
      count += 1
    }
    let directoryOffset = out.count
    out += directory
    // End of central directory.
    put32(&out, 0x0605_4B50)
    put16(&out, 0)
    put16(&out, 0)
    put16(&out, UInt16(truncatingIfNeeded: count))
    put16(&out, UInt16(truncatingIfNeeded: count))
    put32(&out, UInt32(truncatingIfNeeded: directory.count))
    put32(&out, UInt32(truncatingIfNeeded: directoryOffset))
    put16(&out, 0)  // comment length
    return out
  }

  /// The most members an archive may have (the zip end record's 16-bit count).
  public static let maxMembers = 0xFFFF

  /// An upper bound on the size ``encode(_:)`` gives `arrays`, computed without encoding them.
  public static func archiveSize(_ arrays: [(name: String, tensor: Tensor)]) -> Int {
    arrays.reduce(22) { size, array in
      let name = (array.name + ".npy").utf8.count
      // The .npy preamble and header: under 128 bytes, plus at most 24 a dimension.
      let npy = 128 + array.tensor.rank * 24 + array.tensor.count * 4
      return size + 30 + 46 + 2 * name + npy
    }
  }

  /// The fields a local header and a central entry share, from the flags to the name length.
  static func fields(_ out: inout [UInt8], flags: UInt16, crc: UInt32, size: Int, nameLength: Int) {
    put16(&out, flags)
    put16(&out, 0)  // method: stored
    put16(&out, 0)  // time 00:00:00
    put16(&out, 0x21)  // date 1980-01-01
    put32(&out, crc)
    put32(&out, UInt32(truncatingIfNeeded: size))  // compressed size
    put32(&out, UInt32(truncatingIfNeeded: size))
    put16(&out, UInt16(truncatingIfNeeded: nameLength))
  }

  static func put16(_ out: inout [UInt8], _ v: UInt16) {
    out += [UInt8(v & 0xFF), UInt8(v >> 8)]
  }

  static func put32(_ out: inout [UInt8], _ v: UInt32) {
    out += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
  }
}
