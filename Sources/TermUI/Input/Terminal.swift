// MARK: - Terminal

/// What an interactive runtime needs from a terminal: its size and capabilities, the next event
/// (with a timeout), a way to show a frame, a clock, and a way to give the terminal back.
///
/// The ncurses backend is the real one; a fake terminal with a fake clock (the tests') lets a
/// whole loop (play timing, ticks, resize, quit) run without a terminal. Not thread-safe: the
/// runtime uses a terminal from one thread.
public protocol Terminal: AnyObject {
  /// The size in cells.
  var size: (columns: Int, rows: Int) { get }
  /// What the terminal can show.
  var capabilities: Capabilities { get }
  /// The time on the terminal's clock: monotonic, from an arbitrary origin. Ticks and recordings
  /// are timed with it.
  var now: Duration { get }
  /// Waits for the next event, at most `timeoutMilliseconds` (`nil`: until one arrives, `0`:
  /// only looks); `nil` when the time is up. A quit signal comes back as `.interrupted(signal:)`.
  func readEvent(timeoutMilliseconds: Int?) -> InputEvent?
  /// Shows `buffer` (the whole screen).
  func draw(_ buffer: CellBuffer)
  /// Gives the terminal back; safe to call more than once.
  func stop()
}
