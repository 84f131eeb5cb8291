// MARK: - Printable

/// Makes text taken from a file safe to show inside a one-line message.
package enum Printable {
  /// `text` with control characters escaped (`\n`, `\t`, `\u{1}`), so a message stays one line.
  package static func escape<S: StringProtocol>(_ text: S) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _
      where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        || scalar.value == 0x2028 || scalar.value == 0x2029:
        out += "\\u{\(String(scalar.value, radix: 16))}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
