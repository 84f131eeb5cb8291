// MARK: - Symbols

/// The glyphs widgets draw with, in a Unicode and an ASCII version.
///
/// Every Unicode/ASCII choice of a glyph is made here. Every `Character` here is one column wide
/// in Western locales (box drawing, block elements, geometric shapes, a few mathematical signs).
public struct Symbols: Sendable, Hashable {
  /// Box corners and lines: top-left, top-right, bottom-left, bottom-right, horizontal, vertical.
  public var topLeft: Character
  /// Top-right corner.
  public var topRight: Character
  /// Bottom-left corner.
  public var bottomLeft: Character
  /// Bottom-right corner.
  public var bottomRight: Character
  /// Horizontal line.
  public var horizontal: Character
  /// Vertical line.
  public var vertical: Character
  /// An ellipsis in one column (`…` or `~`).
  public var ellipsis: Character
  /// Scroll indicators: more content left, right, up, down.
  public var moreLeft: Character
  /// More content to the right.
  public var moreRight: Character
  /// More content above.
  public var moreUp: Character
  /// More content below.
  public var moreDown: Character
  /// The separator drawn between status-bar segments.
  public var separator: Character
  /// The multiplication sign (`×` or `x`).
  public var times: Character
  /// The minus sign used in labels (`−` or `-`).
  public var minus: Character
  /// The mark of the current cell where a frame `[ ]` does not fit (`●` or `@`).
  public var currentMark: Character
  /// The mark of the tap where a frame `< >` does not fit (`○` or `o`).
  public var tapMark: Character
  /// Playing (`▶` or `>`).
  public var play: Character
  /// Recording (`●` or `*`).
  public var record: Character
  /// A value not computed yet (`·` or `.`).
  public var pending: Character
  /// The padding hatch (`╱` or `/`).
  public var hatch: Character
  /// A row or column dropped by the output-size floor (`×` or `x`).
  public var dropped: Character
  /// A value that differs from the correct one (`≠` or `X`).
  public var mismatch: Character
  /// A padding cell that copies an input cell (reflect, replicate, circular): `↺` or `~`.
  public var copy: Character
  /// +∞ in one column (`▲` or `^`).
  public var plusInfinity: Character
  /// −∞ in one column (`▼` or `v`).
  public var minusInfinity: Character
  /// Infinity after a sign mark (`∞`; nil in ASCII, where the one-column arrows stand in).
  public var infinity: Character?
  /// Terms left out of a formula (`…` or `...`).
  public var termsLeftOut: String
  /// A check that passed (`✓` or `ok`).
  public var passed: String
  /// A check that failed (`✗` or `X`).
  public var failed: Character

  /// Box drawing and Unicode punctuation.
  public static let unicode = Symbols(
    topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─",
    vertical: "│", ellipsis: "…", moreLeft: "◀", moreRight: "▶", moreUp: "▲", moreDown: "▼",
    separator: "│", times: "×", minus: "−", currentMark: "●", tapMark: "○",
    play: "▶", record: "●", pending: "·", hatch: "╱", dropped: "×", mismatch: "≠", copy: "↺",
    plusInfinity: "▲", minusInfinity: "▼", infinity: "∞", termsLeftOut: "…", passed: "✓",
    failed: "✗")

  /// Rounded corners, for overlays.
  public static let rounded: Symbols = {
    var s = Symbols.unicode
    s.topLeft = "╭"
    s.topRight = "╮"
    s.bottomLeft = "╰"
    s.bottomRight = "╯"
    return s
  }()

  /// Heavy lines, for the focused panel.
  public static let heavy: Symbols = {
    var s = Symbols.unicode
    s.topLeft = "┏"
    s.topRight = "┓"
    s.bottomLeft = "┗"
    s.bottomRight = "┛"
    s.horizontal = "━"
    s.vertical = "┃"
    return s
  }()

  /// Plain ASCII: `+-|`, `~` for an ellipsis, `< > ^ v` for scroll indicators.
  public static let ascii = Symbols(
    topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-",
    vertical: "|", ellipsis: "~", moreLeft: "<", moreRight: ">", moreUp: "^", moreDown: "v",
    separator: "|", times: "x", minus: "-", currentMark: "@", tapMark: "o",
    play: ">", record: "*", pending: ".", hatch: "/", dropped: "x", mismatch: "X", copy: "~",
    plusInfinity: "^", minusInfinity: "v", infinity: nil, termsLeftOut: "...", passed: "ok",
    failed: "X")

  /// The symbols for `capabilities`.
  public static func forCapabilities(_ capabilities: Capabilities) -> Symbols {
    forUnicode(capabilities.unicode)
  }

  /// ``unicode`` or ``ascii``.
  public static func forUnicode(_ unicode: Bool) -> Symbols { unicode ? .unicode : .ascii }
}

extension Capabilities {
  /// The glyph set these capabilities can draw.
  public var symbols: Symbols { Symbols.forCapabilities(self) }

  /// The glyph set of overlays and outlines: ``Symbols/rounded`` corners, or ASCII.
  public var roundedSymbols: Symbols { unicode ? .rounded : .ascii }
}
