import Foundation

// MARK: - Wrapping text

/// Plain-text helpers for reports.
enum TextWrap {
  /// `text` broken into lines of at most `width` characters (longer words stay whole), each
  /// prefixed with `indent` (the first with `first`, when given).
  static func wrap(_ text: String, width: Int = 100, indent: String, first: String? = nil)
    -> [String]
  {
    var lines: [String] = []
    var line = first ?? indent
    var empty = true
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if !empty && line.count + 1 + word.count > width {
        lines.append(line)
        line = indent
        empty = true
      }
      line += (empty ? "" : " ") + word
      empty = false
    }
    if !empty || lines.isEmpty { lines.append(line) }
    return lines
  }

  /// A number for a report, four significant digits: `0`, `0.01234`, `2.5`, `3.1e-07`, `inf`.
  static func number(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    return String(format: "%.4g", v)
  }
}
