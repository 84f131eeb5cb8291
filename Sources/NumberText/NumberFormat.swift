// MARK: - NumberFormat

/// The one number formatter: every number convscope prints as text goes through it. No
/// Foundation, no dependencies, so every target can use it.
///
/// Modes: ``compact(_:width:decimals:unicode:)`` for cells and labels of a given width,
/// ``fixed(_:decimals:)`` and ``scientific(_:mantissaDecimals:)`` (trimmed), ``short(_:ascii:)``
/// for a learner (formulas, tables), ``decimals(_:_:)`` with exactly that many decimals
/// (tables of figures), and ``rounded(_:)``, ``threeDigitExponent(_:)``,
/// ``roundedText(_:decimals:)`` for the demo's report. (JSON numbers are `JSONEncoder`'s.)
///
/// Compact forms, in order of preference for a given width: fixed point with up to `decimals` decimals
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
    var (m, e) = normalized(abs(v))
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

// MARK: - Ordinals

extension NumberFormat {
  /// `n` as an English ordinal: `1st`, `2nd`, `3rd`, `4th`, `11th`, `12th`, `13th`, `21st`,
  /// `102nd`.
  public static func ordinal(_ n: Int) -> String {
    let tens = abs(n) % 100
    let suffix: String
    if (11...13).contains(tens) {
      suffix = "th"
    } else {
      switch abs(n) % 10 {
      case 1: suffix = "st"
      case 2: suffix = "nd"
      case 3: suffix = "rd"
      default: suffix = "th"
      }
    }
    return "\(n)\(suffix)"
  }
}

// MARK: - A learner's numbers

extension NumberFormat {
  /// Numbers as a learner reads them: integers without decimals, short decimals, a true minus
  /// sign. `v` in at most about 6 characters when possible: `3`, `−1`, `0.25`, `1.34`,
  /// `−0.125`, `1.2e5`, `1.4e-3`; `NaN`, `∞`, `−∞` for the special values. With `ascii`, `-` and `inf`.
  ///
  /// - Parameter maxDecimals: below 4, no more decimals than this (rounded), as a map's cells
  ///   show them (`1.375` → `1.38` with 2); a value that rounds to 0 goes scientific instead.
  public static func short(_ v: Float, ascii: Bool = false, maxDecimals: Int = 4) -> String {
    let minus = ascii ? "-" : "−"
    if v.isNaN { return "NaN" }
    if v.isInfinite { return (v < 0 ? minus : "") + (ascii ? "inf" : "∞") }
    let sign = v < 0 ? minus : ""
    let a = abs(Double(v))
    if a == 0 { return "0" }
    if a == a.rounded(), a < 1e6 { return sign + String(Int(a)) }
    if a >= 1e5 || a < 1e-3 { return sign + exponent(a) }
    // Up to four decimals: as few as reproduce the value, else two (rounded).
    let most = min(4, max(1, maxDecimals))
    for places in 1...most {
      let s = decimals(a, places)
      if let back = Double(s), Float(back) == Float(a) { return sign + s }
    }
    // Rounded as a map's cell rounds it, without trailing zeros (1.699 → 1.7, not 1.70; a sum
    // like 57.6000023 reads 57.6).
    var s = decimals(a, most < 4 ? most : a < 0.1 ? 3 : 2)
    if most < 4, (Double(s) ?? 0) == 0 { return sign + exponent(a) }
    while s.contains("."), s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return sign + s
  }

  /// `a` (finite, > 0) as `m · 10^e` with `1 ≤ m < 10`, by repeated division or multiplication
  /// (the exact steps both scientific spellings have always taken).
  static func normalized(_ a: Double) -> (mantissa: Double, exponent: Int) {
    var m = a
    var e = 0
    while m >= 10 {
      m /= 10
      e += 1
    }
    while m < 1 {
      m *= 10
      e -= 1
    }
    return (m, e)
  }

  /// `a` (> 0) as `m.me±XX`.
  static func exponent(_ a: Double) -> String {
    let (m, e0) = normalized(a)
    var e = e0
    var s = decimals(m, 1)
    if s.hasPrefix("10") {
      s = "1.0"
      e += 1
    }
    // Spelled as a map's cells spell it (`1.4e-3`, `1.2e5`, `1e6`), so a formula and the map
    // beside it read the same.
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s + "e" + (e < 0 ? "-" : "") + String(abs(e))
  }
}

// MARK: - Exact decimals

extension NumberFormat {
  /// `value` with exactly `digits` decimals (`12.50`, `-0.125`, `-0.0`), `-` when not finite.
  public static func decimals(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    let whole = rounded < 0 ? -(-rounded).rounded(.down) : rounded.rounded(.down)
    var text = String(Int(whole))
    if rounded < 0 && whole == 0 { text = "-0" }
    guard digits > 0 else { return text }
    let frac = Int((abs(rounded - whole) * scale).rounded())
    let fracText = String(frac)
    return text + "." + String(repeating: "0", count: digits - fracText.count) + fracText
  }
}

// MARK: - The demo's report

extension NumberFormat {
  /// `0`; `v` rounded to three decimals, as Swift prints a `Double` (`0.012`, `1.0`, `12.346`),
  /// for 0.01 ≤ |v| < 1e5; else ``threeDigitExponent(_:)``.
  public static func rounded(_ v: Double) -> String {
    if v == 0 { return "0" }
    if abs(v) >= 0.01 && abs(v) < 1e5 { return roundedText(v, decimals: 3) }
    return threeDigitExponent(v)
  }

  /// `v` rounded to `decimals` decimals, as Swift prints a `Double` (`2.5`, `1.0`, `0.125`).
  public static func roundedText(_ v: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    return "\((v * scale).rounded() / scale)"
  }

  /// `v` with three significant digits in exponent form: `3.1e-07`, `-1.25e+03` (`0`, `inf`,
  /// `-inf` for those).
  public static func threeDigitExponent(_ v: Double) -> String {
    if v == 0 { return "0" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    var (m, e) = normalized(abs(v))
    m = (m * 100).rounded() / 100
    if m >= 10 {
      m /= 10
      e += 1
    }
    let sign = v < 0 ? "-" : ""
    let es =
      e < 0 ? "-" + (abs(e) < 10 ? "0" : "") + "\(abs(e))" : "+" + (e < 10 ? "0" : "") + "\(e)"
    return "\(sign)\(m)e\(es)"
  }
}

// MARK: - Two numbers that must read differently

extension NumberFormat {
  /// `a` and `b` as ``short(_:ascii:)`` writes them, with as many more digits as it takes for
  /// the two texts to differ when the values do (`1.7301` and `1.7302`, never `1.73` and
  /// `1.73`); equal values, and values that differ only in ways no decimal shows (`0` and `−0`),
  /// keep their short form.
  public static func apart(_ a: Float, _ b: Float, ascii: Bool = false) -> (String, String) {
    let short = (short(a, ascii: ascii), short(b, ascii: ascii))
    guard short.0 == short.1, a != b, a.isFinite, b.isFinite else { return short }
    let minus = ascii ? "-" : "−"
    func signed(_ text: String) -> String {
      text.hasPrefix("-") ? minus + text.dropFirst() : text
    }
    let largest = max(abs(Double(a)), abs(Double(b)))
    let plain = largest < 1e5 && min(abs(Double(a)), abs(Double(b))) >= 1e-3
    var pair = short
    for k in 1...(plain ? 12 : 9) {
      pair =
        plain
        ? (decimals(Double(a), k), decimals(Double(b), k))
        : (scientific(Double(a), mantissaDecimals: k), scientific(Double(b), mantissaDecimals: k))
      if pair.0 != pair.1 { break }
    }
    return (signed(pair.0), signed(pair.1))
  }
}
