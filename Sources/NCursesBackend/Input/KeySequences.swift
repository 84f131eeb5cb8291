import CNCurses

// MARK: - KeySequences

/// Escape sequences common terminals send for keys whose terminfo entry may say otherwise.
///
/// keypad mode only decodes the sequences in the `TERM` entry, so a terminal that sends another
/// spelling (tmux sends Home as `ESC [ 1 ~` whatever `TERM` says; `xterm` expects `ESC O H`;
/// terminals that ignore application-cursor mode send `ESC [ A` for Up) would reach the app as
/// Esc, `[`, `1`, `~`. These are taught to ncurses with `define_key`, but only where the entry
/// leaves the sequence free, so terminfo always wins.
enum KeySequences {
  /// Sequence → ncurses key code.
  static let fallbacks: [(sequence: String, code: Int32)] = {
    var table: [(String, Int32)] = []
    for (final, code) in [("A", KEY_UP), ("B", KEY_DOWN), ("C", KEY_RIGHT), ("D", KEY_LEFT)] {
      table += [("\u{1B}[" + final, code), ("\u{1B}O" + final, code)]
    }
    table += [
      ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME), ("\u{1B}[1~", KEY_HOME),
      ("\u{1B}[7~", KEY_HOME), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END),
      ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[2~", KEY_IC),
      ("\u{1B}[3~", KEY_DC), ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE),
      ("\u{1B}[Z", KEY_BTAB),
    ]
    let functionKeys = [
      (1, "OP"), (2, "OQ"), (3, "OR"), (4, "OS"), (1, "[11~"), (2, "[12~"), (3, "[13~"),
      (4, "[14~"), (5, "[15~"), (6, "[17~"), (7, "[18~"), (8, "[19~"), (9, "[20~"),
      (10, "[21~"), (11, "[23~"), (12, "[24~"),
    ]
    for (n, tail) in functionKeys {
      table.append(("\u{1B}" + tail, cnc_key_f(Int32(n))))
    }
    return table
  }()

  /// Teaches ncurses every fallback the current terminal's entry leaves free.
  static func install() {
    for (sequence, code) in fallbacks where key_defined(sequence) == 0 {
      define_key(sequence, code)
    }
  }
}
