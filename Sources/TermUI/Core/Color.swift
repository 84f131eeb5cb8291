// MARK: - Color

/// A terminal colour at the precision it was chosen in.
///
/// Backends and exporters down-convert: `.rgb` to the nearest 256-colour index or 8-colour
/// index when the terminal has fewer colours (see ``Color/downgraded(to:)``).
public enum Color: Sendable, Hashable {
  /// The terminal's default foreground or background.
  case `default`
  /// One of the 16 ANSI colours (0–7 normal, 8–15 bright).
  case ansi(UInt8)
  /// One of the 256 xterm colours.
  case indexed(UInt8)
  /// A 24-bit colour.
  case rgb(UInt8, UInt8, UInt8)
}

// MARK: - Attributes

/// Text attributes of a cell.
public struct Attributes: OptionSet, Sendable, Hashable {
  /// The raw bits.
  public let rawValue: UInt8
  /// Creates attributes from raw bits.
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// Bold (or bright) text.
  public static let bold = Attributes(rawValue: 1 << 0)
  /// Dim text.
  public static let dim = Attributes(rawValue: 1 << 1)
  /// Underlined text.
  public static let underline = Attributes(rawValue: 1 << 2)
  /// Swapped foreground and background.
  public static let reverse = Attributes(rawValue: 1 << 3)
  /// Italic text (not every terminal shows it).
  public static let italic = Attributes(rawValue: 1 << 4)
}

// MARK: - Style

/// Foreground, background and attributes of a cell.
public struct Style: Sendable, Hashable {
  /// Glyph colour.
  public var fg: Color
  /// Cell colour.
  public var bg: Color
  /// Bold, underline, …
  public var attributes: Attributes

  /// A style; every part defaults to the terminal's default.
  public init(fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
    self.fg = fg
    self.bg = bg
    self.attributes = attributes
  }

  /// The terminal's default style.
  public static let plain = Style()
}
