// MARK: - ValueFormat

/// Numbers as a learner reads them: integers without decimals, short decimals, a true minus sign.
public enum ValueFormat {
  /// `v` in at most `maxLength` characters when possible: `3`, `−1`, `0.25`, `1.34`, `−0.125`,
  /// `1.2e+05`; `NaN`, `∞`, `−∞` for the special values. With `ascii`, `-` and `inf`.
  public static func short(_ v: Float, ascii: Bool = false) -> String {
    let minus = ascii ? "-" : "−"
    if v.isNaN { return "NaN" }
    if v.isInfinite { return (v < 0 ? minus : "") + (ascii ? "inf" : "∞") }
    let sign = v < 0 ? minus : ""
    let a = abs(Double(v))
    if a == 0 { return "0" }
    if a == a.rounded(), a < 1e6 { return sign + String(Int(a)) }
    if a >= 1e5 || a < 1e-3 { return sign + exponent(a) }
    // Up to four decimals: as few as reproduce the value, else two (rounded).
    for decimals in 1...4 {
      let s = fixed(a, decimals)
      if let back = Double(s), Float(back) == Float(a) { return sign + s }
    }
    return sign + fixed(a, a < 0.1 ? 3 : 2)
  }

  /// `a` (≥ 0) with exactly `decimals` digits after the point.
  static func fixed(_ a: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let r = (a * scale).rounded()
    let whole = Int(r / scale)
    var frac = String(Int(r) - whole * Int(scale))
    while frac.count < decimals { frac = "0" + frac }
    return "\(whole).\(frac)"
  }

  /// `a` (> 0) as `m.me±XX`.
  static func exponent(_ a: Double) -> String {
    var e = 0
    var m = a
    while m >= 10 {
      m /= 10
      e += 1
    }
    while m < 1 {
      m *= 10
      e -= 1
    }
    var s = fixed(m, 1)
    if s.hasPrefix("10") {
      s = "1.0"
      e += 1
    }
    let es = String(abs(e))
    return s + "e" + (e < 0 ? "-" : "+") + (es.count < 2 ? "0" : "") + es
  }

  /// Subscript digits for a symbolic formula: `12` → `₁₂`.
  public static func subscripted(_ n: Int) -> String {
    let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
    let s = String(abs(n))
    return (n < 0 ? "₋" : "") + String(s.compactMap { $0.wholeNumberValue.map { digits[$0] } })
  }
}
