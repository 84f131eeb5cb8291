// MARK: - EscapeStrings

/// Swallows the escape sequences a terminal (or something pasted into it) may send that are not
/// keys: control strings (DCS `ESC P`, OSC `ESC ]`, APC `ESC _`, PM `ESC ^`, SOS `ESC X`, and
/// their 8-bit forms), CSI sequences ncurses did not decode (`ESC [ … final`) and SS3 (`ESC O x`).
///
/// keypad mode only decodes the sequences terminfo names; anything else reaches the program as
/// Esc followed by its bytes as keys, so `ESC P q # 0 ESC \` (a DCS query) would quit on its `q`.
/// After an Esc, ``consume(after:next:)`` reads what follows at once (bytes of one sequence
/// arrive together) and decides: a lone Esc is the Escape key; Esc with a character that starts
/// no sequence is Escape followed by that character; a sequence is read to its end and dropped.
///
/// Pure: the reader is a closure, so tests feed byte lists.
enum EscapeStrings {
  /// A character of input, or ``keyCode`` for an ncurses key code inside a sequence.
  typealias Unit = UInt32

  /// The units that may start a sequence: Esc and the 8-bit introducers (DCS, SOS, CSI, OSC,
  /// PM, APC).
  static let introducers: Set<UInt32> = [0x1B, 0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F]

  /// Stands for a `KEY_CODE_YES` value read inside a sequence (dropped with it).
  static let keyCode: Unit = 0xFFFF_FFFF

  /// The most units one sequence may hold before the rest is given back to ordinary reading
  /// (a stuck or endless string cannot swallow the keyboard).
  static let maxLength = 65_536

  /// What the Esc and what followed it come to.
  enum Outcome: Equatable {
    /// The Escape key, alone.
    case escape
    /// The Escape key, then `Unit` as an ordinary character (pushed back for the next read).
    case escapeThen(Unit)
    /// A sequence, read whole and dropped.
    case swallowed
  }

  /// Decides what the Esc just read (`first`: 27, or an 8-bit introducer such as 0x90 or 0x9D)
  /// starts. `next(wait)` returns the next unit, or nil when nothing comes within `wait`
  /// milliseconds: ``firstWait`` for the unit right after Esc, ``gapWait`` between the units
  /// of a sequence.
  static func consume(after first: Unit, next: (Int) -> Unit?) -> Outcome {
    switch first {
    case 0x90, 0x98, 0x9D, 0x9E, 0x9F: return swallowString(next: next)
    case 0x9B: return swallowCSI(next: next)
    default: break
    }
    guard let second = next(firstWait) else { return .escape }
    switch second {
    case 0x50, 0x5D, 0x5F, 0x5E, 0x58: return swallowString(next: next)  // P ] _ ^ X
    case 0x5B: return swallowCSI(next: next)  // [
    case 0x4F:  // O: SS3 and one character
      _ = next(gapWait)
      return .swallowed
    case keyCode: return .swallowed
    default: return .escapeThen(second)
    }
  }

  /// How long to wait for the unit after an Esc, in milliseconds: a key's sequence arrives in
  /// one write, far faster than a person types Esc and then another key.
  static let firstWait = 15

  /// How long to wait between the units of a sequence before giving up on its end.
  static let gapWait = 60

  /// A control string: up to BEL, ST (0x9C) or `ESC \`.
  private static func swallowString(next: (Int) -> Unit?) -> Outcome {
    var sawEscape = false
    for _ in 0..<maxLength {
      guard let unit = next(gapWait) else { return .swallowed }
      if unit == 0x07 || unit == 0x9C || (sawEscape && unit == 0x5C) { return .swallowed }
      sawEscape = unit == 0x1B
    }
    return .swallowed
  }

  /// A CSI sequence: parameter and intermediate bytes, then a final byte in `@`…`~`.
  private static func swallowCSI(next: (Int) -> Unit?) -> Outcome {
    for _ in 0..<64 {
      guard let unit = next(gapWait) else { return .swallowed }
      if (0x40...0x7E).contains(unit) { return .swallowed }
      if unit != keyCode, !(0x20...0x3F).contains(unit) { return .swallowed }
    }
    return .swallowed
  }
}
