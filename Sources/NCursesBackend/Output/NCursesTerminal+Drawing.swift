import CNCurses
import TermUI

// MARK: - Drawing

extension NCursesTerminal {
  /// Shows `buffer`: every screen cell is written (cells outside the buffer as blanks, buffer
  /// cells outside the screen are clipped), then the screen is updated in one go
  /// (`wnoutrefresh` + `doupdate`; ncurses sends only what changed). Does nothing when stopped.
  ///
  /// Colours are lowered to the terminal's palette; glyphs the locale cannot draw in one column
  /// show as `?`.
  public func draw(_ buffer: CellBuffer) {
    guard isActive, let window else { return }
    let (columns, rows) = size
    pairCache.beginFrame()
    for y in 0..<rows {
      for x in 0..<columns {
        let cell = x < buffer.width && y < buffer.height ? buffer[x, y] : Cell.blank
        let (attributes, pair) = rendition(of: cell.style)
        GlyphEncoding.encode(cell.glyph, into: &glyphScratch)
        _ = glyphScratch.withUnsafeBufferPointer { text in
          cnc_put(window, Int32(y), Int32(x), text.baseAddress, attributes, pair)
        }
      }
    }
    wnoutrefresh(window)
    doupdate()
  }

  /// The ncurses attributes and colour pair for `style`, defining the pair on first use.
  private func rendition(of style: Style) -> (attr_t, Int32) {
    var attributes = cnc_a_normal()
    let a = style.attributes
    if a.contains(.bold) || colorMapper.needsBold(foreground: style.fg) {
      attributes |= cnc_a_bold()
    }
    if a.contains(.dim) { attributes |= cnc_a_dim() }
    if a.contains(.underline) { attributes |= cnc_a_underline() }
    if a.contains(.reverse) { attributes |= cnc_a_reverse() }
    if a.contains(.italic) { attributes |= cnc_a_italic() }
    guard capabilities.color != .none else { return (attributes, 0) }
    let colors = colorMapper.colors(of: style)
    let lookup = pairCache.lookup(fg: colors.fg, bg: colors.bg)
    if case .allocate(let pair) = lookup {
      init_extended_pair(pair, colors.fg, colors.bg)
    }
    return (attributes, lookup.pair)
  }
}
