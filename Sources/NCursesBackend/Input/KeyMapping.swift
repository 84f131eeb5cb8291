import CNCurses
import TermUI

// MARK: - KeyMapping

/// Maps what `wget_wch` returns to `Key`s: characters (`OK`) and key codes (`KEY_CODE_YES`).
enum KeyMapping {
  /// The key for a character `wget_wch` returned with `OK`; `nil` for codes with no key
  /// (NUL, Ctrl-\ ] ^ _, C1 controls, invalid scalars).
  static func key(character code: UInt32) -> Key? {
    switch code {
    case 8, 127: return .backspace
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 1...26:
      guard let scalar = Unicode.Scalar(code + 96) else { return nil }
      return .ctrl(Character(scalar))
    case 0...31, 128...159: return nil
    default:
      guard let scalar = Unicode.Scalar(code) else { return nil }
      return .character(Character(scalar))
    }
  }

  /// The key for a code `wget_wch` returned with `KEY_CODE_YES`; `nil` for codes convscope does
  /// not bind (shifted keys, F13 and up, …). `KEY_RESIZE` and `KEY_MOUSE` are not keys.
  static func key(code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_ENTER: return .enter
    case KEY_BTAB: return .backTab
    case KEY_BACKSPACE: return .backspace
    case KEY_DC: return .delete
    case KEY_IC: return .insert
    default:
      let n = Int(code) - Int(cnc_key_f(0))
      return (1...12).contains(n) ? .function(n) : nil
    }
  }
}
