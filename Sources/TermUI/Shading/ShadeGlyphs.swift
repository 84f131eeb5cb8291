// MARK: - ShadeGlyphs

/// The glyph tables shading uses when colour cannot carry the value.
///
/// Design (documented for the legend and the help screen):
/// - With hue (8 colours, red–blue or purple–orange palette) the hue carries the sign and a
///   ramp glyph the magnitude: ` ░▒▓█` (Unicode) or ` ,:=*#%@` (ASCII: the classic
///   ` .:-=+*#%@` ramp without `-` and `+`, which would read as signs, and with `,` for the
///   faintest level because `.` marks values not computed yet).
/// - Without hue, two columns per value show a sign mark then the magnitude: `+▓`, `-▓`
///   (ASCII `+#`, `-#`); zero is blank.
/// - Without hue in one column, positive and negative use different glyph families so −0.8 and
///   +0.8 never look alike: positive shades ` ░▒▓█` against negative bars ` ▁▂▄▆`
///   (ASCII: positive ` '+*#` against negative ` ,-=%`).
public enum ShadeGlyphs {
  /// Unicode magnitude ramp, level 0 (zero) to 4 (full).
  public static let unicodeRamp: [Character] = [" ", "░", "▒", "▓", "█"]
  /// Unicode negative family for one-column glyph-only cells, level 0 to 4.
  public static let unicodeNegative: [Character] = [" ", "▁", "▂", "▄", "▆"]
  /// ASCII magnitude ramp, level 0 (zero) to 7 (full).
  public static let asciiRamp: [Character] = [" ", ",", ":", "=", "*", "#", "%", "@"]
  /// ASCII positive family for one-column glyph-only cells, level 0 to 4.
  public static let asciiPositive: [Character] = [" ", "'", "+", "*", "#"]
  /// ASCII negative family for one-column glyph-only cells, level 0 to 4.
  public static let asciiNegative: [Character] = [" ", ",", "-", "=", "%"]

  // The special marks are ``Symbols``' (one table for every Unicode/ASCII choice).

  /// Not computed yet (`nil`): `·` / `.`.
  public static func pending(unicode: Bool) -> Character { Symbols.forUnicode(unicode).pending }
  /// Padding hatch: `╱` / `/`.
  public static func padding(unicode: Bool) -> Character { Symbols.forUnicode(unicode).hatch }
  /// Dropped by the output-size floor: `×` / `x`.
  public static func dropped(unicode: Bool) -> Character { Symbols.forUnicode(unicode).dropped }
  /// Mismatch flag: `≠` / `X`.
  public static func mismatch(unicode: Bool) -> Character { Symbols.forUnicode(unicode).mismatch }
  /// NaN: `!`.
  public static func nan(unicode: Bool) -> Character { "!" }
  /// +∞ in one column: `▲` / `^`.
  public static func plusInfinity(unicode: Bool) -> Character {
    Symbols.forUnicode(unicode).plusInfinity
  }
  /// −∞ in one column: `▼` / `v`.
  public static func minusInfinity(unicode: Bool) -> Character {
    Symbols.forUnicode(unicode).minusInfinity
  }
  /// Infinity after a sign mark in two columns: `∞` / `^` or `v`.
  public static func infinity(unicode: Bool, negative: Bool) -> Character {
    let s = Symbols.forUnicode(unicode)
    return s.infinity ?? (negative ? s.minusInfinity : s.plusInfinity)
  }
}
