// MARK: - TensorFileFormat

/// The kinds of data ``TensorFile`` reads.
public enum TensorFileFormat: String, Sendable, CaseIterable {
  /// A PNG image (decoded by the system's libpng).
  case png
  /// A NumPy `.npy` array.
  case npy
  /// One array of a NumPy `.npz` archive (`np.savez`, `np.savez_compressed`).
  case npz
  /// One tensor of a `.safetensors` file (JSON header, little-endian raw tensors).
  case safetensors
  /// One line `NAME D0 … : V0 …` of a text of named arrays (what `convscope code`'s programs
  /// print).
  case namedText
  /// A Netpbm image: PBM (P1, P4), PGM (P2, P5) or PPM (P3, P6).
  case pnm
  /// A CSV or whitespace-separated text grid.
  case text
  /// Comma-separated values given on the command line (`--bias 0.1,0.2`).
  case values
  /// A built-in preset (`gaussian5`, `digit:3`, …).
  case preset

  /// The name a message uses, e.g. `NumPy .npy`.
  public var displayName: String {
    switch self {
    case .png: return "PNG"
    case .npy: return "NumPy .npy"
    case .npz: return "NumPy .npz"
    case .safetensors: return "safetensors"
    case .namedText: return "named arrays"
    case .pnm: return "PBM/PGM/PPM"
    case .text: return "text grid"
    case .values: return "values"
    case .preset: return "preset"
    }
  }

  // MARK: Detection

  /// The PNG signature.
  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
  /// The NumPy magic string `\x93NUMPY`.
  static let npyMagic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

  /// The format the first bytes announce, or nil when they announce none.
  static func detect(_ bytes: [UInt8]) -> TensorFileFormat? {
    if bytes.starts(with: pngSignature) { return .png }
    if bytes.starts(with: npyMagic) { return .npy }
    if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), (0x31...0x36).contains(bytes[1]),
      bytes.count == 2 || PNMReader.isSeparator(bytes[2])
    {
      return .pnm
    }
    return nil
  }

  /// The format a file name's extension promises, if it names one.
  static func expected(forPath path: String) -> TensorFileFormat? {
    switch pathExtension(path) {
    case "png": return .png
    case "npy": return .npy
    case "npz": return .npz
    case "safetensors": return .safetensors
    case "pbm", "pgm", "ppm", "pnm": return .pnm
    case "csv", "tsv", "txt", "dat", "text": return .text
    default: return nil
    }
  }

  /// The lower-cased extension of the last path component, without the dot.
  static func pathExtension(_ path: String) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    return name[name.index(after: dot)...].lowercased()
  }

  /// Whether the bytes look like text: UTF-8 without control characters other than whitespace.
  static func looksLikeText(_ bytes: ArraySlice<UInt8>) -> Bool {
    guard !bytes.isEmpty else { return false }
    if bytes.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
      return false
    }
    // The prefix may end inside a multi-byte character.
    for cut in 0...min(3, bytes.count - 1)
    where String(validating: bytes.dropLast(cut), as: UTF8.self) != nil {
      return true
    }
    return false
  }

  /// A name for well-known formats convscope does not read, from their magic bytes.
  static func unsupportedName(_ bytes: [UInt8]) -> String? {
    if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "a JPEG image (convert it to PNG)" }
    if bytes.starts(with: [0x47, 0x49, 0x46, 0x38]) { return "a GIF image (convert it to PNG)" }
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      return "UTF-16 text (save it as UTF-8)"
    }
    if bytes.starts(with: [0x1F, 0x8B]) { return "gzip-compressed data (decompress it first)" }
    if bytes.starts(with: [0x42, 0x4D]) { return "a BMP image (convert it to PNG)" }
    if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A])
    {
      return "a TIFF image (convert it to PNG)"
    }
    if bytes.starts(with: [0x89, 0x48, 0x44, 0x46]) {
      return "an HDF5 file (save one array with np.save)"
    }
    return nil
  }

  /// The first bytes in hex, for messages: `first bytes 1f 8b 08 00`.
  static func hexPrefix(_ bytes: [UInt8], count: Int = 8) -> String {
    bytes.prefix(count).map { b in
      let h = String(b, radix: 16)
      return h.count == 1 ? "0" + h : h
    }.joined(separator: " ")
  }
}
