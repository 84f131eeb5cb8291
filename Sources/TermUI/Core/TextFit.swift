// MARK: - TextFit

/// Fitting text into a number of columns: truncation with an ellipsis and word wrapping.
///
/// One `Character` is one column (convscope draws only single-width glyphs).
public enum TextFit {
  /// `text` cut to at most `width` columns; when cut, the last column is `ellipsis`.
  public static func truncate(_ text: String, width: Int, ellipsis: Character = "…") -> String {
    guard width > 0 else { return "" }
    let n = text.count
    if n <= width { return text }
    if width == 1 { return String(ellipsis) }
    return String(text.prefix(width - 1)) + String(ellipsis)
  }

  /// `text` cut to at most `width` columns by replacing its middle with `ellipsis`.
  public static func truncateMiddle(_ text: String, width: Int, ellipsis: Character = "…")
    -> String
  {
    guard width > 0 else { return "" }
    let n = text.count
    if n <= width { return text }
    if width == 1 { return String(ellipsis) }
    let keep = width - 1
    let head = (keep + 1) / 2
    let tail = keep - head
    return String(text.prefix(head)) + String(ellipsis) + String(text.suffix(tail))
  }

  /// `text` padded with spaces (or cut) to exactly `width` columns, aligned as asked.
  public static func pad(_ text: String, width: Int, alignment: Alignment = .left) -> String {
    guard width > 0 else { return "" }
    let n = text.count
    if n >= width { return String(text.prefix(width)) }
    let space = width - n
    switch alignment {
    case .left: return text + String(repeating: " ", count: space)
    case .right: return String(repeating: " ", count: space) + text
    case .center:
      let left = space / 2
      return String(repeating: " ", count: left) + text
        + String(repeating: " ", count: space - left)
    }
  }

  /// `text` on one line: newlines, tabs and other control characters become spaces (a cell
  /// must never hold a character that moves the terminal's cursor).
  public static func singleLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
      return text
    }
    return String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
  }

  /// Horizontal alignment.
  public enum Alignment: Sendable, Hashable {
    /// Flush left.
    case left
    /// Centred (extra space goes right).
    case center
    /// Flush right.
    case right
  }

  /// Word-wraps `text` into lines of at most `width` columns.
  ///
  /// Newlines start new lines (an empty line stays empty); runs of spaces between words collapse
  /// at line breaks; a word longer than `width` is split. Returns `[]` when `width` ≤ 0.
  public static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var out: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var lineCount = 0
      for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
        var w = Substring(word)
        var wc = w.count
        if lineCount > 0 && lineCount + 1 + wc <= width {
          line += " " + w
          lineCount += 1 + wc
          continue
        }
        if lineCount > 0 {
          out.append(line)
          line = ""
          lineCount = 0
        }
        while wc > width {
          out.append(String(w.prefix(width)))
          w = w.dropFirst(width)
          wc -= width
        }
        line = String(w)
        lineCount = wc
      }
      out.append(line)
    }
    return out
  }
}

extension TextFit {
  /// `text` spelled in ASCII for terminals without Unicode: common symbols get ASCII spellings
  /// (`×`→`x`, `−`→`-`, `·`→`*`, `Σ`→`sum`, `…`→`...`, `≠`→`!=`, `→`→`->`, `±`→`+-`, `∞`→`inf`,
  /// …) and anything else outside ASCII becomes `?`.
  public static func ascii(_ text: String) -> String {
    if text.allSatisfy(\.isASCII) { return text }
    var out = ""
    let chars = Array(text)
    for (i, ch) in chars.enumerated() {
      if ch.isASCII {
        out.append(ch)
        continue
      }
      switch ch {
      case "×": out += "x"
      case "−", "–", "—": out += "-"
      case "·", "⋅", "•": out += "*"
      case "Σ", "∑": out += i + 1 < chars.count && chars[i + 1] != " " ? "sum " : "sum"
      case "…": out += "..."
      case "≠": out += "!="
      case "≈": out += "~"
      case "≤": out += "<="
      case "≥": out += ">="
      case "±": out += "+-"
      case "→": out += "->"
      case "←": out += "<-"
      case "↑", "▲": out += "^"
      case "↓", "▼": out += "v"
      case "◀": out += "<"
      case "▶": out += ">"
      case "∞": out += "inf"
      case "“", "”": out += "\""
      case "‘", "’": out += "'"
      case "µ", "μ": out += "u"
      case "⌊": out += "floor("
      case "⌋": out += ")"
      default: out += "?"
      }
    }
    return out
  }
}

extension Capabilities {
  /// `text` on one line as these capabilities can draw it: control characters become spaces
  /// (``TextFit/singleLine(_:)``), and without Unicode symbols are spelled in ASCII
  /// (``TextFit/ascii(_:)``).
  public func drawable(_ text: String) -> String {
    let line = TextFit.singleLine(text)
    return unicode ? line : TextFit.ascii(line)
  }
}
