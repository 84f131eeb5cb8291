// MARK: - InputEvent

/// Something the user or the system did that the app loop must react to.
public enum InputEvent: Sendable, Hashable {
  /// A key press.
  case key(Key)
  /// A mouse action.
  case mouse(MouseEvent)
  /// The terminal now has `width` columns and `height` rows: lay out and redraw.
  case resize(width: Int, height: Int)
  /// A quit signal arrived (SIGINT from Ctrl-C, SIGTERM, SIGHUP; `signal` is its number): restore
  /// the terminal and exit with status `128 + signal`.
  case interrupted(signal: Int32)
}

// MARK: - Description

extension InputEvent: CustomStringConvertible {
  /// `key Ctrl-C`, `mouse left press at 3,4`, `resize 80x24`, `interrupted by signal 2`.
  public var description: String {
    switch self {
    case .key(let k): return "key \(k)"
    case .mouse(let m): return "mouse \(m)"
    case .resize(let w, let h): return "resize \(w)x\(h)"
    case .interrupted(let s): return "interrupted by signal \(s)"
    }
  }
}
