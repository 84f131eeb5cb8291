// MARK: - TerminalError

/// Why ``NCursesTerminal/start(environment:colorChoice:ascii:mouse:)`` could not take over the
/// terminal. Its `description` is a one-line message for the user.
public enum TerminalError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Standard input or output is not a terminal (a pipe, a file, CI).
  case notATerminal
  /// `TERM` is not set.
  case noTerminalType
  /// ncurses knows no usable terminal of this type (no terminfo entry, or no cursor addressing).
  case unusableTerminal(String)
  /// Another ``NCursesTerminal`` is running (ncurses drives one screen per process here).
  case alreadyActive

  /// A one-line message for the user.
  public var description: String {
    switch self {
    case .notATerminal:
      return "convscope needs a terminal; use `convscope render` for text output"
    case .noTerminalType:
      return "TERM is not set; set it to your terminal's type (e.g. TERM=xterm-256color)"
    case .unusableTerminal(let term):
      return "cannot drive terminal type '\(term)' (TERM); try TERM=xterm-256color"
    case .alreadyActive:
      return "the terminal is already in use by another screen"
    }
  }
}
