// MARK: - Capabilities

/// What the output can show: how many colours and whether non-ASCII glyphs draw.
///
/// Detected once (``detect(environment:colorChoice:ascii:)``) and handed to the view, so drawing
/// degrades in steps: colour half-blocks → shade glyphs with a sign mark → an ASCII ramp.
public struct Capabilities: Sendable, Hashable {
  /// How many colours the output has.
  public enum ColorLevel: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// No colour at all (`NO_COLOR`, `TERM=dumb`/`vt100`, `--color none`).
    case none
    /// The 8 basic ANSI colours.
    case ansi8
    /// The 256 xterm colours.
    case ansi256
    /// 24-bit colour.
    case truecolor

    /// Orders levels from fewest to most colours.
    public static func < (a: ColorLevel, b: ColorLevel) -> Bool { a.rawValue < b.rawValue }
  }

  /// The colour level.
  public var color: ColorLevel
  /// Whether glyphs outside ASCII (block elements, box drawing) can be drawn.
  public var unicode: Bool

  /// Capabilities from their two parts.
  public init(color: ColorLevel, unicode: Bool) {
    self.color = color
    self.unicode = unicode
  }

  /// Plain ASCII without colour: what a pipe or a dumb terminal gets.
  public static let plain = Capabilities(color: .none, unicode: false)
  /// Everything: 24-bit colour and Unicode glyphs.
  public static let full = Capabilities(color: .truecolor, unicode: true)

  /// The user's choice of colour on the command line (`--color`).
  public enum ColorChoice: String, Sendable, CaseIterable {
    /// Decide from the environment.
    case auto
    /// No colour.
    case none
    /// 8 colours.
    case ansi8 = "8"
    /// 256 colours.
    case ansi256 = "256"
    /// 24-bit colour.
    case truecolor
  }

  /// Decides capabilities from the environment and the command-line flags.
  ///
  /// - `--color` other than `auto` wins; otherwise `NO_COLOR` (set, any value) means no colour,
  ///   `COLORTERM=truecolor|24bit` means 24-bit, and `TERM` decides between 256 (`*256color*`),
  ///   none (`dumb`, `vt100`, `vt220`, `linux-m`, unset) and 8 colours (anything else).
  /// - Unicode needs a UTF-8 locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`) and no `--ascii`.
  public static func detect(
    environment env: [String: String], colorChoice: ColorChoice = .auto, ascii: Bool = false
  ) -> Capabilities {
    let locale =
      [env["LC_ALL"], env["LC_CTYPE"], env["LANG"]].compactMap { $0 }
      .first { !$0.isEmpty } ?? ""
    let lower = locale.lowercased()
    let unicode = !ascii && (lower.contains("utf-8") || lower.contains("utf8"))
    return Capabilities(color: colorLevel(env: env, choice: colorChoice), unicode: unicode)
  }

  static func colorLevel(env: [String: String], choice: ColorChoice) -> ColorLevel {
    switch choice {
    case .none: return .none
    case .ansi8: return .ansi8
    case .ansi256: return .ansi256
    case .truecolor: return .truecolor
    case .auto: break
    }
    if env["NO_COLOR"] != nil { return .none }
    let term = (env["TERM"] ?? "").lowercased()
    if term.isEmpty || term == "dumb" || term.hasPrefix("vt1") || term.hasPrefix("vt2")
      || term.hasSuffix("-m") || term.hasSuffix("-mono")
    {
      return .none
    }
    let colorterm = (env["COLORTERM"] ?? "").lowercased()
    if colorterm == "truecolor" || colorterm == "24bit" { return .truecolor }
    if term.contains("256color") || term.contains("direct") { return .ansi256 }
    return .ansi8
  }
}
