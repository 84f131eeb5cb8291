import ConvCore
import Foundation

// MARK: - NPYArray

/// A NumPy array read from a `.npy` file, converted to `Float`.
public struct NPYArray: Sendable {
  /// The values in row-major (C) order with the file's shape (`[]` for a 0-d array).
  public var tensor: Tensor
  /// The element type as NumPy names it, e.g. `float64`, `uint8`.
  public var dtypeName: String
  /// The `descr` string of the header, e.g. `<f8`.
  public var descr: String
  /// Whether the file stored the data in Fortran (column-major) order; the tensor is always
  /// row-major.
  public var fortranOrder: Bool
  /// The format version, e.g. `(1, 0)`.
  public var version: (major: Int, minor: Int)
  /// Remarks about the conversion (precision lost, trailing bytes), for the status line.
  public var notes: [String]
}

// MARK: - NPYReader

/// Reads NumPy `.npy` files: versions 1.0, 2.0 and 3.0; `float16/32/64`, `int8…64`,
/// `uint8…64` and `bool` in either byte order; C or Fortran order (Fortran-ordered data is
/// transposed into row-major order); any rank, including 0-d and empty arrays.
///
/// Values become `Float`: float64 is rounded (values beyond ±3.4·10³⁸ become ±∞ and are
/// reported), and integers beyond ±2^24 lose precision (reported).
public enum NPYReader {
  /// Reads the `.npy` file at `path`.
  public static func load(path: String, elementLimit: Int = Tensor.maxElementCount) throws
    -> NPYArray
  {
    try read(FileBytes.map(path), source: path, elementLimit: elementLimit)
  }

  /// Decodes `.npy` bytes; `source` names the file in errors.
  public static func read(
    _ bytes: [UInt8], source: String, elementLimit: Int = Tensor.maxElementCount
  ) throws -> NPYArray {
    try read(FileBytes(bytes), source: source, elementLimit: elementLimit)
  }

  /// Decodes the `.npy` in `bytes` (a mapped file): the preamble and header are checked, and
  /// the declared size against the limit and the bytes present, before the data is touched.
  /// `role` names whose limit `elementLimit` is in the message.
  static func read(
    _ bytes: FileBytes, source: String, elementLimit: Int, role: String? = nil
  ) throws -> NPYArray {
    func fail(_ message: String) -> InputError { InputError(source: source, message) }
    let elementLimit = min(max(0, elementLimit), Tensor.maxElementCount)
    let preamble = try Preamble(bytes, fail: fail)
    let dataStart = preamble.headerStart + preamble.headerLength

    // The header dictionary and the dtype.
    let header: NPYHeader
    let dtype: NPYDType
    do {
      header = try NPYHeader.parse(Array(bytes.raw[preamble.headerStart..<dataStart]))
      dtype = try NPYDType.parse(header.descr)
    } catch {
      throw fail(error.message)
    }
    let shapeText = ConvError.format(header.shape)

    // Sizes, checked against the limit and the bytes present before allocating.
    let count = try SizeGuard.reserve(
      dims: header.shape, limit: elementLimit, source: source, what: "shape \(shapeText)",
      role: role)
    let needed = count * dtype.size
    let present = bytes.count - dataStart
    guard needed <= present else {
      throw fail(
        "truncated data: shape \(shapeText) of \(dtype.name) needs \(needed) bytes but only "
          + "\(present) follow the header")
    }

    let decoded = decode(bytes, from: dataStart, count: count, header: header, dtype: dtype)
    var notes = (dtype.conversionNote.map { [$0] } ?? []) + decoded.notes(dtype: dtype)
    if present > needed {
      notes.append("\(present - needed) bytes after the array were ignored")
    }
    if header.fortranOrder && header.shape.count > 1 {
      notes.append("Fortran-ordered data transposed to row-major")
    }
    let tensor: Tensor
    do {
      tensor = try Tensor(shape: header.shape, data: decoded.values, name: source)
    } catch {
      throw fail("\(error)")
    }
    return NPYArray(
      tensor: tensor, dtypeName: dtype.name, descr: header.descr,
      fortranOrder: header.fortranOrder, version: preamble.version, notes: notes)
  }

  /// The bytes before the header dictionary: magic, version and the header's length.
  struct Preamble {
    var version: (major: Int, minor: Int)
    /// Where the header dictionary starts (10 in version 1, 12 in versions 2 and 3).
    var headerStart: Int
    var headerLength: Int

    init(_ bytes: FileBytes, fail: (String) -> InputError) throws {
      guard bytes.starts(with: TensorFileFormat.npyMagic) else {
        throw fail(
          "not a NumPy .npy file (it should start with \\x93NUMPY; first bytes "
            + "\(TensorFileFormat.hexPrefix(bytes.prefix(8))))")
      }
      guard bytes.count >= 10 else {
        throw fail("truncated: the file ends inside the .npy preamble (\(bytes.count) bytes)")
      }
      let major = Int(bytes[6])
      let minor = Int(bytes[7])
      version = (major, minor)
      switch major {
      case 1:
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        headerStart = 10
      case 2, 3:
        guard bytes.count >= 12 else {
          throw fail("truncated: the file ends inside the .npy preamble (\(bytes.count) bytes)")
        }
        headerLength =
          Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        headerStart = 12
      default:
        throw fail(
          "unsupported .npy format version \(major).\(minor) (1.0, 2.0 and 3.0 are read)")
      }
      guard headerLength <= NPYHeader.maxLength else {
        throw fail(
          "the header declares \(headerLength) bytes, over the limit of \(NPYHeader.maxLength)")
      }
      guard headerLength <= bytes.count - headerStart else {
        throw fail(
          "truncated: the header declares \(headerLength) bytes but only "
            + "\(bytes.count - headerStart) follow")
      }
    }
  }

  /// The values as `Float` in row-major order, and how many lost range or precision.
  struct Decoded {
    var values: [Float]
    /// Values too large for float32 (now ±∞).
    var float32Overflow = 0
    /// Integers that float32 cannot hold exactly.
    var inexactIntegers = 0

    /// The status line's remarks about the conversion.
    func notes(dtype: NPYDType) -> [String] {
      var notes: [String] = []
      if float32Overflow > 0 {
        notes.append(
          "\(float32Overflow) \(dtype.name) values are too large for float32 (now ±Inf)")
      }
      if inexactIntegers > 0 {
        notes.append(
          "\(inexactIntegers) \(dtype.name) values are not exact in float32 (rounded to float32)")
      }
      return notes
    }
  }

  /// Converts `count` elements starting at `dataStart` (whose size was checked), transposing
  /// Fortran-ordered data into row-major order.
  static func decode(
    _ bytes: FileBytes, from dataStart: Int, count: Int, header: NPYHeader, dtype: NPYDType
  ) -> Decoded {
    SizeGuard.allocating(count)
    var out = Decoded(values: [Float](repeating: 0, count: count))
    do {
      let raw = bytes.raw
      let data = UnsafeRawBufferPointer(
        rebasing: raw[dataStart..<(dataStart + count * dtype.size)])
      let rank = header.shape.count
      let fortran = header.fortranOrder && rank > 1 && count > 0
      // Row-major strides for placing Fortran-ordered elements.
      var strides = [Int](repeating: 1, count: rank)
      if fortran {
        var s = 1
        for k in stride(from: rank - 1, through: 0, by: -1) {
          strides[k] = s
          s *= header.shape[k]
        }
      }
      var index = [Int](repeating: 0, count: rank)
      var target = 0
      for k in 0..<count {
        let (f, inexact, overflow) = dtype.float(data, at: k * dtype.size)
        if overflow { out.float32Overflow += 1 }
        if inexact { out.inexactIntegers += 1 }
        if fortran {
          out.values[target] = f
          // Advance the column-major multi-index: the first axis varies fastest.
          var axis = 0
          while axis < rank {
            index[axis] += 1
            target += strides[axis]
            if index[axis] < header.shape[axis] { break }
            target -= strides[axis] * header.shape[axis]
            index[axis] = 0
            axis += 1
          }
        } else {
          out.values[k] = f
        }
      }
    }
    return out
  }
}
