// MARK: - ShadeGlyphs

/// The glyph tables shading uses when colour cannot carry the value.
///
/// Design (documented for the legend and the help screen):
/// - With hue (8 colours, red–blue or purple–orange palette) the hue carries the sign and a
///   ramp glyph the magnitude: ` ░▒▓█` (Unicode) or ` ,:=*#%@` (ASCII: the classic
///   ` .:-=+*#%@` ramp without `-` and `+`, which would read as signs, and with `,` for the
///   faintest level because `.` marks values not computed yet).
/// - Without hue, positive and negative use different glyph families so −0.8 and +0.8 never
///   look alike: positive shades ` ░▒▓█` against negative bars ` ▁▂▄▆` (ASCII: positive
///   ` '+*#` against negative ` ,-=%`). A value's glyph is the same at every cell width: two
///   columns add a sign mark before it (`+▓`, `-▄`; ASCII `+*`, `-=`), tiles fill with it and
///   put the sign mark at the start of their middle row. Zero is blank. So a legend
///   `−r ▆▄▂▁ 0 ░▒▓█ +r` reads every map, whatever its cell width.
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

  /// The one-column family of positive or negative values without hue, level 0 to 4.
  public static func family(unicode: Bool, negative: Bool) -> [Character] {
    if unicode { return negative ? unicodeNegative : unicodeRamp }
    return negative ? asciiNegative : asciiPositive
  }

  // The special marks are ``Symbols``' (one table for every Unicode/ASCII choice).

  /// Not computed yet (`nil`): `·` / `.`.
  public static func pending(unicode: Bool) -> Character { Symbols.forUnicode(unicode).pending }
  /// Padding hatch: `╱` / `/`.
  public static func padding(unicode: Bool) -> Character { Symbols.forUnicode(unicode).hatch }
  /// Dropped by the output-size floor: `×` / `x`.
  public static func dropped(unicode: Bool) -> Character { Symbols.forUnicode(unicode).dropped }
  /// A padding cell holding a copy of an input cell: `↺` / `~`.
  public static func copy(unicode: Bool) -> Character { Symbols.forUnicode(unicode).copy }
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
