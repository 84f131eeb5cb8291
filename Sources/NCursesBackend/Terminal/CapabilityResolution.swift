import TermUI

// MARK: - CapabilityResolution

/// Combines what the environment and flags ask for (`Capabilities.detect`) with what ncurses
/// reports, so the view never gets more than the terminal can show.
enum CapabilityResolution {
  /// The colour level a terminal supports, from `has_colors()` and `COLORS`.
  static func supportedLevel(hasColors: Bool, colors: Int) -> Capabilities.ColorLevel {
    guard hasColors, colors >= 8 else { return .none }
    if colors >= 1 << 24 { return .truecolor }
    if colors >= 256 { return .ansi256 }
    return .ansi8
  }

  /// Whether a locale codeset (`nl_langinfo(CODESET)`) is UTF-8.
  static func isUTF8(codeset: String) -> Bool {
    let c = codeset.lowercased()
    return c == "utf-8" || c == "utf8"
  }

  /// The final capabilities: the lower colour level of the two, and Unicode only when asked for
  /// and the process locale really is UTF-8 (otherwise ncurses draws block glyphs as blanks).
  static func resolve(
    requested: Capabilities, hasColors: Bool, colors: Int, codeset: String
  ) -> Capabilities {
    Capabilities(
      color: min(requested.color, supportedLevel(hasColors: hasColors, colors: colors)),
      unicode: requested.unicode && isUTF8(codeset: codeset))
  }
}
