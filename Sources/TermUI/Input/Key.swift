// MARK: - Key

/// One key press, as a terminal reports it.
///
/// Backends map their codes to a `Key`; the app binds keys by value (`.character("q")`,
/// `.ctrl("c")`, `.left`) or by spelling (``init(spelling:)``), and shows them with
/// ``description`` (help screen, "key not bound" messages).
///
/// Terminals send Tab, Enter, Backspace and Esc as control characters, so Ctrl+I, Ctrl+M,
/// Ctrl+J, Ctrl+H and Ctrl+[ arrive as ``tab``, ``enter``, ``backspace`` and ``escape``, never as
/// ``ctrl(_:)``; the parser normalises their spellings the same way.
public enum Key: Sendable, Hashable {
  /// A printable character, any Unicode (`"q"`, `"G"`, `"é"`, `" "`). Letters keep their case.
  case character(Character)
  /// Ctrl plus a letter, stored in lower case (`.ctrl("c")` is Ctrl-C). Never `h`, `i`, `j`, `m`.
  case ctrl(Character)
  /// The up arrow.
  case up
  /// The down arrow.
  case down
  /// The left arrow.
  case left
  /// The right arrow.
  case right
  /// Home.
  case home
  /// End.
  case end
  /// Page Up.
  case pageUp
  /// Page Down.
  case pageDown
  /// Enter (Return, Ctrl-M, Ctrl-J, keypad Enter).
  case enter
  /// Escape (alone: Alt+key arrives as Esc followed by the key).
  case escape
  /// Tab (Ctrl-I).
  case tab
  /// Shift-Tab.
  case backTab
  /// Backspace (DEL or Ctrl-H, whichever the terminal sends).
  case backspace
  /// Delete (forward delete).
  case delete
  /// Insert.
  case insert
  /// A function key, `F1` to `F12`.
  case function(Int)
}

// MARK: - Description

extension Key: CustomStringConvertible {
  /// A readable name that ``init(spelling:)`` reads back: `q`, `G`, `Space`, `Ctrl-C`, `Left`,
  /// `PageUp`, `Shift-Tab`, `F5`. Invisible characters show as `U+XXXX`.
  public var description: String {
    switch self {
    case .character(let c):
      if c == " " { return "Space" }
      return Key.isPrintable(c) ? String(c) : Key.codePoints(c)
    case .ctrl(let c): return "Ctrl-" + c.uppercased()
    case .up: return "Up"
    case .down: return "Down"
    case .left: return "Left"
    case .right: return "Right"
    case .home: return "Home"
    case .end: return "End"
    case .pageUp: return "PageUp"
    case .pageDown: return "PageDown"
    case .enter: return "Enter"
    case .escape: return "Esc"
    case .tab: return "Tab"
    case .backTab: return "Shift-Tab"
    case .backspace: return "Backspace"
    case .delete: return "Delete"
    case .insert: return "Insert"
    case .function(let n): return "F\(n)"
    }
  }

  private static func isPrintable(_ c: Character) -> Bool {
    c.unicodeScalars.allSatisfy { s in
      switch s.properties.generalCategory {
      case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator,
        .paragraphSeparator:
        return false
      default:
        return true
      }
    }
  }

  private static func codePoints(_ c: Character) -> String {
    c.unicodeScalars.map { s in
      let hex = String(s.value, radix: 16, uppercase: true)
      return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }.joined(separator: " ")
  }
}

// MARK: - Parsing

extension Key {
  /// The key a spelling names, or `nil` when it names none.
  ///
  /// - One character is that character, case kept: `"G"`, `"g"`, `"?"`, `"-"`, `" "`.
  /// - Names are case-insensitive: `Up`, `Down`, `Left`, `Right`, `Home`, `End`,
  ///   `PageUp`/`PgUp`, `PageDown`/`PgDn`, `Enter`/`Return`, `Esc`/`Escape`, `Tab`,
  ///   `Shift-Tab`/`BackTab`, `Backspace`, `Delete`/`Del`, `Insert`/`Ins`, `Space`, `F1`–`F12`.
  /// - Ctrl plus a letter: `ctrl-c`, `Ctrl+C`, `C-c`, `^C`. `ctrl-h`/`i`/`j`/`m`/`[` give the key
  ///   the terminal really sends (``backspace``, ``tab``, ``enter``, ``escape``).
  public init?(spelling: String) {
    if spelling.count == 1, let c = spelling.first {
      guard Key.isPrintable(c) else { return nil }
      self = .character(c)
      return
    }
    let lower = spelling.lowercased()
    if let named = Key.names[lower] {
      self = named
      return
    }
    if let n = Key.functionNumber(lower) {
      self = .function(n)
      return
    }
    for prefix in ["ctrl-", "ctrl+", "control-", "control+", "c-", "^"]
    where lower.hasPrefix(prefix) {
      let rest = lower.dropFirst(prefix.count)
      guard rest.count == 1, let c = rest.first, let key = Key.control(c) else { return nil }
      self = key
      return
    }
    return nil
  }

  /// Ctrl plus `c` as the terminal reports it.
  private static func control(_ c: Character) -> Key? {
    switch c {
    case "h": return .backspace
    case "i": return .tab
    case "j", "m": return .enter
    case "[": return .escape
    case "a"..."z": return .ctrl(c)
    default: return nil
    }
  }

  private static func functionNumber(_ lower: String) -> Int? {
    let digits = lower.dropFirst()
    guard lower.hasPrefix("f"), (1...2).contains(digits.count),
      digits.allSatisfy({ ("0"..."9").contains($0) }), let n = Int(digits), (1...12).contains(n)
    else { return nil }
    return n
  }

  private static let names: [String: Key] = [
    "up": .up, "down": .down, "left": .left, "right": .right,
    "home": .home, "end": .end,
    "pageup": .pageUp, "pgup": .pageUp, "pagedown": .pageDown, "pgdn": .pageDown,
    "pgdown": .pageDown,
    "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape,
    "tab": .tab, "shift-tab": .backTab, "shift+tab": .backTab, "s-tab": .backTab,
    "backtab": .backTab,
    "backspace": .backspace, "delete": .delete, "del": .delete,
    "insert": .insert, "ins": .insert, "space": .character(" "),
  ]
}
