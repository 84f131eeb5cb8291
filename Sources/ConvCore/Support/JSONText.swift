// MARK: - JSONText

/// Small helpers for writing JSON by hand.
public enum JSONText {
  /// A JSON string literal with the required escapes.
  public static func quote(_ s: String) -> String {
    var r = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": r += "\\\""
      case "\\": r += "\\\\"
      case "\n": r += "\\n"
      case "\r": r += "\\r"
      case "\t": r += "\\t"
      case _ where u.value < 0x20:
        r +=
          "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count)
          + String(u.value, radix: 16)
      default: r.unicodeScalars.append(u)
      }
    }
    return r + "\""
  }

  /// A `Float` as the shortest decimal that round-trips, or `null` when not finite.
  public static func number(_ v: Float) -> String {
    guard v.isFinite else { return "null" }
    if v == v.rounded(), abs(v) < 1e7 { return String(Int(v)) }
    return "\(v)"
  }

  /// A `Double` as the shortest decimal that round-trips, or `null` when not finite.
  public static func number(_ v: Double) -> String {
    guard v.isFinite else { return "null" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
    return "\(v)"
  }
}
