import TermUI

// MARK: - ColorMapper

/// Turns TermUI `Color`s into ncurses colour numbers for the palette the terminal really has,
/// downgrading `.rgb` and `.indexed` when it has fewer colours than the view used.
struct ColorMapper: Sendable, Equatable {
  /// The colours the backend may use.
  enum Palette: Sendable, Equatable {
    /// No colour: everything in pair 0.
    case none
    /// The 8 basic colours; bright ANSI colours become normal ones drawn bold.
    case ansi8
    /// The 256 xterm colours.
    case ansi256
    /// Direct colour: colour numbers are `0xRRGGBB` (terminfo `RGB`, e.g. `xterm-direct`).
    case direct
  }

  /// The palette in use.
  let palette: Palette
  /// Whether colour -1 (the terminal's own default) is available (`use_default_colors`).
  let defaultColors: Bool

  /// A mapper for the final colour level.
  init(level: Capabilities.ColorLevel, defaultColors: Bool) {
    switch level {
    case .none: palette = .none
    case .ansi8: palette = .ansi8
    case .ansi256: palette = .ansi256
    case .truecolor: palette = .direct
    }
    self.defaultColors = defaultColors
  }

  // MARK: Colours

  /// The foreground and background colour numbers of `style` (-1 is the terminal's default).
  func colors(of style: Style) -> (fg: Int32, bg: Int32) {
    guard palette != .none else { return (-1, -1) }
    return (number(style.fg, background: false), number(style.bg, background: true))
  }

  /// Whether the foreground is a bright ANSI colour that this palette can only show as bold.
  func needsBold(foreground: Color) -> Bool {
    guard palette == .ansi8 else { return false }
    switch foreground {
    case .ansi(let n), .indexed(let n): return (8...15).contains(n)
    case .default, .rgb: return false
    }
  }

  /// The ncurses colour number for `color` (-1: the terminal's default).
  func number(_ color: Color, background: Bool) -> Int32 {
    switch color {
    case .default:
      if defaultColors { return -1 }
      return background ? 0 : 7
    case .ansi(let n):
      return indexed(n % 16)
    case .indexed(let n):
      return indexed(n)
    case .rgb(let r, let g, let b):
      return rgb(XtermPalette.RGB(r: Int(r), g: Int(g), b: Int(b)))
    }
  }

  private func indexed(_ n: UInt8) -> Int32 {
    switch palette {
    case .none: return -1
    case .ansi8:
      return n < 16 ? Int32(n % 8) : Int32(XtermPalette.nearestANSI(XtermPalette.rgb(n), count: 8))
    case .ansi256: return Int32(n)
    case .direct: return n < 8 ? Int32(n) : rgb(XtermPalette.rgb(n))
    }
  }

  private func rgb(_ c: XtermPalette.RGB) -> Int32 {
    switch palette {
    case .none: return -1
    case .ansi8: return Int32(XtermPalette.nearestANSI(c, count: 8))
    case .ansi256: return Int32(XtermPalette.nearest256(c))
    case .direct:
      // Direct-colour terminfo sends numbers below 8 as ANSI colours: nudge near-black up.
      return max(8, Int32(c.r << 16 | c.g << 8 | c.b))
    }
  }
}
