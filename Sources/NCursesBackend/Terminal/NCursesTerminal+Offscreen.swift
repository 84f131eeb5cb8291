import CNCurses
import TermUI

// MARK: - Off-screen start (benchmarks)

extension NCursesTerminal {
  /// Starts ncurses on `/dev/null` with a `columns`×`rows` screen of terminal type `term`, so
  /// that `draw` does all of its real work (cell writes, colour pairs, diffing, escape
  /// sequences) with nothing shown. For `convscope bench`; no signal handlers, no input.
  public func startOffscreen(term: String = "xterm-256color", columns: Int, rows: Int) throws
    -> Capabilities
  {
    guard !isActive else { return capabilities }
    cnc_setlocale_from_environment()
    guard let screen = cnc_newterm_offscreen(term, Int32(rows), Int32(columns)),
      let window = cnc_stdscr()
    else {
      throw TerminalError.unusableTerminal(term)
    }
    self.screen = screen
    self.window = window
    start_color()
    let defaultColors = use_default_colors() == OK
    let colors = Int(cnc_colors())
    capabilities = Capabilities(color: colors >= 256 ? .ansi256 : .ansi8, unicode: true)
    colorMapper = ColorMapper(level: capabilities.color, defaultColors: defaultColors)
    pairCache = ColorPairCache(pairCount: Int(cnc_color_pairs()))
    glyphScratch = [wchar_t](repeating: 0, count: Int(cnc_ccharw_max()) + 1)
    offscreen = true
    isActive = true
    return capabilities
  }
}
