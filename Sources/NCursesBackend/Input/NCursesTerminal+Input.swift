import CNCurses
import TermUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Reading input

extension NCursesTerminal {
  /// The longest `readEvent` waits in one go before it looks at pending signals again.
  public static let signalCheckMilliseconds = 100

  /// Waits for the next event.
  ///
  /// - Parameter timeoutMilliseconds: how long to wait at most; `nil` waits until something
  ///   happens, `0` only looks.
  /// - Returns: the event, or `nil` when the timeout elapsed (or the terminal is stopped).
  ///
  /// Whatever the timeout, the wait is cut into slices of at most ``signalCheckMilliseconds``,
  /// so a quit signal (Ctrl-C, SIGTERM, SIGHUP) comes back as `.interrupted(signal:)` within
  /// that time, and keeps coming back on every call. A terminal that hung up without a SIGHUP
  /// reaching the process is reported as `.interrupted(signal: SIGHUP)` too, rather than spun
  /// on. Keys and mouse actions convscope does not use are skipped. `.resize` carries the new
  /// size; ncurses has already resized its screen, so just draw again.
  public func readEvent(timeoutMilliseconds: Int?) -> InputEvent? {
    guard isActive, let window else { return nil }
    let clock = ContinuousClock()
    let deadline = timeoutMilliseconds.map { clock.now.advanced(by: .milliseconds(max(0, $0))) }
    while true {
      if let signal = pendingSignal { return .interrupted(signal: signal) }
      var slice = Self.signalCheckMilliseconds
      if let deadline {
        slice = min(slice, Self.milliseconds(clock.now.duration(to: deadline)))
      }
      wtimeout(window, Int32(slice))
      var value: wint_t = 0
      let result = wget_wch(window, &value)
      if result == KEY_CODE_YES, let event = event(forCode: Int32(bitPattern: value)) {
        return event
      }
      if result == OK, EscapeStrings.introducers.contains(value) {
        if let event = escape(after: value, window: window) { return event }
        continue
      }
      if result == OK, let key = KeyMapping.key(character: value) {
        return .key(key)
      }
      if result != ERR { continue }  // a key or mouse action convscope does not use
      if let deadline, clock.now >= deadline {
        return pendingSignal.map { .interrupted(signal: $0) }
      }
      // The terminal hung up without a SIGHUP reaching us (it was blocked): every read now fails
      // at once, so stop instead of spinning.
      if Self.inputHungUp() { return .interrupted(signal: SIGHUP) }
    }
  }

  /// What an Esc (or an 8-bit sequence introducer) starts: the Escape key, or nothing when it
  /// began a sequence that is not a key (see ``EscapeStrings``). A character that followed a
  /// lone Esc is pushed back for the next read.
  private func escape(after value: wint_t, window: UnsafeMutablePointer<WINDOW>) -> InputEvent? {
    let outcome = EscapeStrings.consume(after: UInt32(value)) { wait in
      wtimeout(window, Int32(wait))
      var unit: wint_t = 0
      switch wget_wch(window, &unit) {
      case OK: return UInt32(unit)
      case KEY_CODE_YES: return EscapeStrings.keyCode
      default: return nil
      }
    }
    switch outcome {
    case .escape: return .key(.escape)
    case .escapeThen(let unit):
      unget_wch(wchar_t(bitPattern: unit))
      return .key(.escape)
    case .swallowed: return nil
    }
  }

  /// The event for a `KEY_CODE_YES` code, `nil` when there is none to report.
  private func event(forCode code: Int32) -> InputEvent? {
    switch code {
    case KEY_RESIZE:
      let (columns, rows) = size
      return .resize(width: columns, height: rows)
    case KEY_MOUSE:
      var mouse = MEVENT()
      guard getmouse(&mouse) == OK,
        let kind = MouseMapping.kind(bstate: mouse.bstate, held: heldButton)
      else { return nil }
      switch kind {
      case .press(let button): heldButton = button
      case .release, .click: heldButton = nil
      case .drag, .wheelUp, .wheelDown: break
      }
      return .mouse(MouseEvent(column: Int(mouse.x), row: Int(mouse.y), kind: kind))
    default:
      return KeyMapping.key(code: code).map { .key($0) }
    }
  }

  /// Whether standard input (the terminal ncurses reads) has hung up or gone bad.
  static func inputHungUp() -> Bool {
    var fd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
    guard poll(&fd, 1, 0) == 1 else { return false }
    return fd.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
  }

  /// Whole milliseconds in `duration`, rounded up, never negative, capped far below overflow.
  static func milliseconds(_ duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
    let cap = Int64(Int32.max)  // ~68 years in seconds: far beyond any wait, no overflow below
    if seconds >= cap { return Int(cap) * 1000 }
    return Int(seconds) * 1000
      + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
  }
}
