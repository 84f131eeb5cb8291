#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - DecimalScanner

/// The one number scanner under every text reader (CSV and text grids, named arrays, lesson
/// blocks, case JSON): it reads a decimal number straight from bytes, with no `String` per value.
///
/// It accepts `[+-]? (digits [. digits] | . digits) ([eE] [+-]? digits)?` and nothing else
/// (`nan`, `inf`, hex floats and other spellings are the caller's business) and gives the
/// correctly rounded `Double`, the same value as `Double(String)`. Most numbers (at most 19
/// significant digits, a decimal exponent within ±22 after scaling) take the exact fast path
/// (Clinger's); the rest are handed to the C library's `strtod` from a small stack copy, under
/// the "C" locale for the thread (`uselocale`), so the decimal point is `.` whatever the
/// process's locale.
package enum DecimalScanner {
  /// Powers of ten that are exact in a `Double`.
  static let powers: [Double] = (0...22).map { e in
    var p = 1.0
    for _ in 0..<e { p *= 10 }
    return p
  }

  /// Whether `b` is an ASCII digit.
  @inline(__always)
  static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

  /// The number in `bytes[start..<end]`, or nil when those bytes are not exactly one decimal
  /// number of the syntax above.
  package static func double(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    -> Double?
  {
    var i = start
    guard i < end else { return nil }
    var negative = false
    if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
      negative = bytes[i] == UInt8(ascii: "-")
      i += 1
    }
    var mantissa: UInt64 = 0
    var significant = 0  // digits counted into `mantissa` (leading zeros skipped)
    var dropped = 0  // significant digits beyond 19 (then the slow path)
    var exponent = 0
    var digits = 0
    while i < end, isDigit(bytes[i]) {
      accumulate(bytes[i], &mantissa, &significant, &dropped)
      if significant > 19 { exponent += 1 }
      digits += 1
      i += 1
    }
    if i < end, bytes[i] == UInt8(ascii: ".") {
      i += 1
      while i < end, isDigit(bytes[i]) {
        accumulate(bytes[i], &mantissa, &significant, &dropped)
        if significant <= 19 && dropped == 0 { exponent -= 1 }
        digits += 1
        i += 1
      }
    }
    guard digits > 0 else { return nil }
    if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      var expNegative = false
      if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
        expNegative = bytes[i] == UInt8(ascii: "-")
        i += 1
      }
      var written = 0
      var expDigits = 0
      while i < end, isDigit(bytes[i]) {
        if written < 1_000_000 { written = written * 10 + Int(bytes[i] &- 0x30) }
        expDigits += 1
        i += 1
      }
      guard expDigits > 0 else { return nil }
      exponent += expNegative ? -written : written
    }
    guard i == end else { return nil }
    if dropped == 0, mantissa <= 1 << 53, let value = exact(mantissa, exponent) {
      return negative ? -value : value
    }
    return slow(bytes, start, end)
  }

  /// Adds one digit to the mantissa, or counts it as dropped once 19 are held.
  @inline(__always)
  static func accumulate(
    _ b: UInt8, _ mantissa: inout UInt64, _ significant: inout Int, _ dropped: inout Int
  ) {
    if significant == 0 && b == UInt8(ascii: "0") { return }
    if significant < 19 {
      mantissa = mantissa &* 10 &+ UInt64(b &- 0x30)
      significant += 1
    } else {
      significant += 1
      if b != UInt8(ascii: "0") { dropped += 1 }
    }
  }

  /// `mantissa × 10^exponent` when both are exact in a `Double` (then one multiplication or
  /// division rounds correctly), else nil.
  @inline(__always)
  static func exact(_ mantissa: UInt64, _ exponent: Int) -> Double? {
    if mantissa == 0 { return 0 }
    let m = Double(mantissa)
    if exponent >= 0 {
      return exponent <= 22 ? m * powers[exponent] : nil
    }
    return exponent >= -22 ? m / powers[-exponent] : nil
  }

  /// The "C" locale (never changed or freed once made).
  nonisolated(unsafe) static let cLocale = newlocale(1 << LC_NUMERIC, "C", nil)

  /// The C library's correctly rounded `strtod` on a NUL-terminated copy of the bytes.
  static func slow(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
    let previous = uselocale(cLocale)
    defer { uselocale(previous) }
    let count = end - start
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
      for k in 0..<count { buffer[k] = CChar(bitPattern: bytes[start + k]) }
      buffer[count] = 0
      guard let base = buffer.baseAddress else { return nil }
      var stop: UnsafeMutablePointer<CChar>?
      let value = strtod(base, &stop)
      guard let stop, stop - base == count else { return nil }
      return value
    }
  }

  /// `Float(d)` when it is also the correctly rounded `Float` of the text `d` was read from
  /// (`Float(String)`); nil in the rare case where rounding twice could differ: `d` lies exactly
  /// halfway between two floats, or at the edge of the float range.
  package static func float(exactlyFrom d: Double) -> Float? {
    let f = Float(d)
    guard f.isFinite else { return d.isFinite ? nil : f }
    let back = Double(f)
    if back == d { return f }
    let other = Double(d > back ? f.nextUp : f.nextDown)
    guard other.isFinite else { return nil }
    return (other - d).magnitude == (d - back).magnitude ? nil : f
  }
}
