import ConvCore
import Foundation

// MARK: - NPYWriter

/// Writes tensors as NumPy `.npy` files: format 1.0, little-endian float32 (`<f4`), C order —
/// byte for byte what `np.save(path, array.astype('<f4'))` writes.
public enum NPYWriter {
  /// The `.npy` bytes of `tensor`.
  public static func encode(_ tensor: Tensor) -> Data {
    let shape: String
    switch tensor.shape.count {
    case 0: shape = "()"
    case 1: shape = "(\(tensor.shape[0]),)"
    default: shape = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
    }
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
    // NumPy pads with spaces so the data starts at a multiple of 64 bytes, then a newline.
    let preamble = 10
    let unpadded = preamble + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data(TensorFileFormat.npyMagic)
    var major: UInt8 = 1
    var length = header.utf8.count
    if length > 0xFFFF {
      // Only for shapes of thousands of dimensions: format 2.0 has a 4-byte length.
      major = 2
      let padded = 12 + header.utf8.count
      header =
        String(header.dropLast()) + String(repeating: " ", count: (64 - padded % 64) % 64)
        + "\n"
      length = header.utf8.count
    }
    data.append(contentsOf: [major, 0])
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF)])
    if major == 2 {
      data.append(contentsOf: [UInt8((length >> 16) & 0xFF), UInt8((length >> 24) & 0xFF)])
    }
    data.append(contentsOf: Array(header.utf8))
    data.reserveCapacity(data.count + tensor.count * 4)
    for v in tensor.data {
      let bits = v.bitPattern.littleEndian
      withUnsafeBytes(of: bits) { data.append(contentsOf: $0) }
    }
    return data
  }

  /// Writes `tensor` to `path` as a `.npy` file, atomically (``SafeFile``); errors name the path.
  public static func write(_ tensor: Tensor, to path: String) throws {
    try SafeFile.write([UInt8](encode(tensor)), to: path)
  }
}
