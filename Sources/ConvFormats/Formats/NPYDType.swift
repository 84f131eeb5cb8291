// MARK: - NPYDType

/// The element types convscope reads from `.npy` files, with their byte order.
struct NPYDType: Equatable {
  /// The kind of number.
  enum Kind: Equatable {
    /// IEEE floating point (`f2`, `f4`, `f8`).
    case float
    /// Signed integer (`i1` … `i8`).
    case signed
    /// Unsigned integer (`u1` … `u8`).
    case unsigned
    /// Boolean (`b1`, one byte, zero is false).
    case bool
  }

  /// The kind of number.
  var kind: Kind
  /// Bytes per element.
  var size: Int
  /// Whether multi-byte elements are stored big-endian.
  var bigEndian: Bool

  /// Parses a `descr` such as `<f4`, `>i2`, `|u1`, `=f8`, `|b1` or `?`.
  ///
  /// The error text names the dtype and why it is refused (complex, strings, objects, …).
  static func parse(_ descr: String) throws(NPYHeaderError) -> NPYDType {
    var chars = Array(descr.utf8)
    var bigEndian = false
    if let first = chars.first, "<>|=".utf8.contains(first) {
      // `=` is the byte order of the machine that wrote the file; assume it matches this one.
      bigEndian =
        first == UInt8(ascii: ">") || (first == UInt8(ascii: "=") && 1.bigEndian == 1)
      chars.removeFirst()
    }
    let quoted = "'\(Printable.escape(descr.prefix(40)))'"
    guard let kindChar = chars.first else {
      throw NPYHeaderError("unknown dtype \(quoted)")
    }
    let sizeText = String(decoding: chars.dropFirst(), as: UTF8.self)
    if kindChar == UInt8(ascii: "?"), sizeText.isEmpty {
      return NPYDType(kind: .bool, size: 1, bigEndian: false)
    }
    let size = Int(sizeText)
    switch (kindChar, size) {
    case (UInt8(ascii: "f"), 2), (UInt8(ascii: "f"), 4), (UInt8(ascii: "f"), 8):
      return NPYDType(kind: .float, size: size ?? 0, bigEndian: bigEndian)
    case (UInt8(ascii: "i"), 1), (UInt8(ascii: "i"), 2), (UInt8(ascii: "i"), 4),
      (UInt8(ascii: "i"), 8):
      return NPYDType(kind: .signed, size: size ?? 0, bigEndian: bigEndian)
    case (UInt8(ascii: "u"), 1), (UInt8(ascii: "u"), 2), (UInt8(ascii: "u"), 4),
      (UInt8(ascii: "u"), 8):
      return NPYDType(kind: .unsigned, size: size ?? 0, bigEndian: bigEndian)
    case (UInt8(ascii: "b"), 1):
      return NPYDType(kind: .bool, size: 1, bigEndian: false)
    default:
      let why: String
      switch kindChar {
      case UInt8(ascii: "c"): why = " (complex numbers)"
      case UInt8(ascii: "U"), UInt8(ascii: "S"), UInt8(ascii: "a"): why = " (strings)"
      case UInt8(ascii: "O"): why = " (Python objects)"
      case UInt8(ascii: "M"), UInt8(ascii: "m"): why = " (dates or times)"
      case UInt8(ascii: "V"): why = " (raw records)"
      case UInt8(ascii: "f"): why = " (only float16, float32 and float64 are read)"
      default: why = ""
      }
      throw NPYHeaderError(
        "unsupported dtype \(quoted)\(why); convscope reads float16/32/64, int8–64, uint8–64 "
          + "and bool")
    }
  }

  /// A short name such as `float32` or `uint8`.
  var name: String {
    switch kind {
    case .float: return "float\(size * 8)"
    case .signed: return "int\(size * 8)"
    case .unsigned: return "uint\(size * 8)"
    case .bool: return "bool"
    }
  }

  /// What reading this type as float32 does, for a note: nil for float32 and bool.
  var conversionNote: String? {
    switch (kind, size) {
    case (.float, 2): return "float16 values converted to float32 (exactly)"
    case (.float, 8): return "float64 values rounded to float32"
    case (.signed, _), (.unsigned, _): return "\(name) values converted to float32"
    default: return nil
    }
  }

  // MARK: Decoding

  /// The raw bits of the element starting at `offset`, as an unsigned integer in host order.
  @inline(__always)
  func bits(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
    var v: UInt64 = 0
    if bigEndian {
      for k in 0..<size { v = (v << 8) | UInt64(bytes[offset + k]) }
    } else {
      for k in stride(from: size - 1, through: 0, by: -1) {
        v = (v << 8) | UInt64(bytes[offset + k])
      }
    }
    return v
  }

  /// The element starting at `offset` as a `Float` (correctly rounded), whether an integer was
  /// not exact in `Float`, and whether a float64 was too large for `Float`.
  @inline(__always)
  func float(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> (
    value: Float, inexact: Bool, overflow: Bool
  ) {
    let raw = bits(bytes, at: offset)
    switch kind {
    case .bool:
      return (raw == 0 ? 0 : 1, false, false)
    case .unsigned:
      let f = Float(raw)
      return (f, UInt64(exactly: f) != raw, false)
    case .signed:
      let shift = UInt64(64 - size * 8)
      let i = Int64(bitPattern: raw << shift) >> Int64(shift)
      let f = Float(i)
      return (f, Int64(exactly: f) != i, false)
    case .float:
      switch size {
      case 2: return (NPYDType.halfToFloat(UInt16(truncatingIfNeeded: raw)), false, false)
      case 4: return (Float(bitPattern: UInt32(truncatingIfNeeded: raw)), false, false)
      default:
        let d = Double(bitPattern: raw)
        let f = Float(d)
        return (f, false, f.isInfinite && d.isFinite)
      }
    }
  }

  /// IEEE 754 half precision to single precision (portable: `Float16` is not on every platform).
  static func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h >> 15) << 31
    let exponent = UInt32((h >> 10) & 0x1F)
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0x1F {
      return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    if exponent == 0 {
      // Zero or subnormal: mantissa · 2^−24.
      let magnitude = Float(mantissa) * 0x1p-24
      return sign == 0 ? magnitude : -magnitude
    }
    return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
  }
}
