// MARK: - NumberFormat

/// Compact number formatting for cells and labels, without Foundation.
///
/// Forms, in order of preference for a given width: fixed point with up to `decimals` decimals
/// and trailing zeros trimmed (`1.25`, `-0.5`, `12`); the same without the leading zero (`.25`,
/// `-.5`); scientific (`1.2e5`, `1e-3`); and `#` repeated when nothing fits. A non-zero value is
/// never shown as `0`: it falls through to scientific form instead.
public enum NumberFormat {
  /// `v` with at most `decimals` decimals (0…9), trailing zeros trimmed; `-0` becomes `0`.
  /// Values too large for fixed point (≥ 1e15) use scientific form.
  public static func fixed(_ v: Float, decimals: Int = 2) -> String {
    fixed(Double(v), decimals: decimals)
  }

  /// ``fixed(_:decimals:)`` for a `Double`.
  public static func fixed(_ v: Double, decimals: Int = 2) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    let d = min(9, max(0, decimals))
    let scale = pow10(d)
    let scaled = (abs(v) * Double(scale)).rounded()
    guard scaled < 9e15 else { return scientific(v, mantissaDecimals: 2) }
    var n = UInt64(scaled)
    var digits = d
    while digits > 0 && n % 10 == 0 {
      n /= 10
      digits -= 1
    }
    let negative = v < 0 && n != 0
    var intDigits = 1
    var rest = n
    for _ in 0..<digits { rest /= 10 }
    while rest >= 10 {
      rest /= 10
      intDigits += 1
    }
    let total = (negative ? 1 : 0) + intDigits + (digits > 0 ? 1 + digits : 0)
    // Written right to left straight into the string's storage (no intermediate strings).
    return String(unsafeUninitializedCapacity: total) { buffer in
      var pos = total - 1
      var m = n
      for _ in 0..<digits {
        buffer[pos] = 0x30 + UInt8(m % 10)
        m /= 10
        pos -= 1
      }
      if digits > 0 {
        buffer[pos] = 0x2E  // "."
        pos -= 1
      }
      for _ in 0..<intDigits {
        buffer[pos] = 0x30 + UInt8(m % 10)
        m /= 10
        pos -= 1
      }
      if negative { buffer[0] = 0x2D }  // "-"
      return total
    }
  }

  /// `v` in scientific form with `mantissaDecimals` decimals in the mantissa, trimmed:
  /// `1.2e5`, `-3e-4`, `1e0`.
  public static func scientific(_ v: Double, mantissaDecimals: Int) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if v == 0 { return "0e0" }
    var m = abs(v)
    var e = 0
    while m >= 10 {
      m /= 10
      e += 1
    }
    while m < 1 {
      m *= 10
      e -= 1
    }
    let k = min(9, max(0, mantissaDecimals))
    if (m * Double(pow10(k))).rounded() >= 10 * Double(pow10(k)) {
      m /= 10
      e += 1
    }
    let mant = fixed(m, decimals: k)
    return (v < 0 ? "-" : "") + mant + "e" + String(e)
  }

  /// The most precise form of `v` that fits `width` columns (see the type's description).
  ///
  /// NaN is `NaN` (`!` when narrower than 3); infinities are `∞`/`-∞` (ASCII `inf`/`-inf`,
  /// `^`/`v` when too narrow).
  public static func compact(_ v: Float, width: Int, decimals: Int = 2, unicode: Bool = true)
    -> String
  {
    guard width > 0 else { return "" }
    if v.isNaN { return width >= 3 ? "NaN" : "!" }
    if v.isInfinite {
      let s = unicode ? (v < 0 ? "-∞" : "∞") : (v < 0 ? "-inf" : "inf")
      if s.count <= width { return s }
      return unicode ? (v < 0 ? "▼" : "▲") : (v < 0 ? "v" : "^")
    }
    if v == 0 { return "0" }
    let dv = Double(v)
    let maxDecimals = min(9, max(0, decimals))
    // Fixed point, most decimals first.
    for d in stride(from: maxDecimals, through: 0, by: -1) {
      let s = fixed(dv, decimals: d)
      if isZero(s) { break }  // fewer decimals cannot bring it back
      if s.count <= width { return s }
    }
    // Without the leading zero: 0.25 → .25, -0.5 → -.5.
    if abs(dv) < 1 {
      for d in stride(from: maxDecimals, through: 1, by: -1) {
        var s = fixed(dv, decimals: d)
        if isZero(s) { break }
        if let z = s.firstIndex(of: "0"), s.index(after: z) < s.endIndex,
          s[s.index(after: z)] == "."
        {
          s.remove(at: z)
        }
        if s.count <= width { return s }
      }
    }
    // Scientific.
    for k in stride(from: 3, through: 0, by: -1) {
      let s = scientific(dv, mantissaDecimals: k)
      if s.count <= width { return s }
    }
    return String(repeating: "#", count: width)
  }

  private static func isZero(_ s: String) -> Bool { s == "0" || s == "-0" }

  private static func pow10(_ d: Int) -> UInt64 {
    var p: UInt64 = 1
    for _ in 0..<d { p *= 10 }
    return p
  }
}

extension NumberFormat {
  /// The width of ``compact(_:width:decimals:unicode:)`` given ample room, computed without
  /// building the string (cheap enough to scan a whole matrix).
  public static func naturalWidth(_ v: Float, decimals: Int = 2, unicode: Bool = true) -> Int {
    if v.isNaN { return 3 }
    if v.isInfinite { return unicode ? (v < 0 ? 2 : 1) : (v < 0 ? 4 : 3) }
    if v == 0 { return 1 }
    let d = min(9, max(0, decimals))
    var scale: Double = 1
    for _ in 0..<d { scale *= 10 }
    let scaled = (abs(Double(v)) * scale).rounded()
    if scaled == 0 || scaled >= 9e15 {
      return compact(v, width: 12, decimals: decimals, unicode: unicode).count
    }
    var n = UInt64(scaled)
    var digits = d
    while digits > 0 && n % 10 == 0 {
      n /= 10
      digits -= 1
    }
    var intPart = UInt64(scaled) / UInt64(scale)
    var intDigits = 1
    while intPart >= 10 {
      intPart /= 10
      intDigits += 1
    }
    return (v < 0 ? 1 : 0) + intDigits + (digits > 0 ? 1 + digits : 0)
  }
}
