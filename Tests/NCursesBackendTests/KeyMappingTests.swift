import CNCurses
import TermUI
import Testing

@testable import NCursesBackend

// MARK: - Key mapping from wget_wch results

@Suite("KeyMapping")
struct KeyMappingTests {
  @Test(
    "characters and control codes",
    arguments: [
      (UInt32(3), Key?.some(.ctrl("c"))),
      (1, .ctrl("a")),
      (26, .ctrl("z")),
      (8, .backspace),
      (127, .backspace),
      (9, .tab),
      (10, .enter),
      (13, .enter),
      (27, .escape),
      (32, .character(" ")),
      (113, .character("q")),
      (71, .character("G")),
      (0xE9, .character("é")),
      (0x20AC, .character("€")),
      (0x1F600, .character("😀")),
      (0, nil),
      (28, nil),
      (31, nil),
      (0x85, nil),
      (0xD800, nil),
      (0x11_0000, nil),
    ])
  func characters(code: UInt32, key: Key?) {
    #expect(KeyMapping.key(character: code) == key)
  }

  @Test("key codes")
  func keyCodes() {
    let expected: [(Int32, Key)] = [
      (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
      (KEY_HOME, .home), (KEY_END, .end), (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown),
      (KEY_ENTER, .enter), (KEY_BTAB, .backTab), (KEY_BACKSPACE, .backspace),
      (KEY_DC, .delete), (KEY_IC, .insert),
      (cnc_key_f(1), .function(1)), (cnc_key_f(12), .function(12)),
    ]
    for (code, key) in expected {
      #expect(KeyMapping.key(code: code) == key, "code \(code)")
    }
  }

  @Test("codes convscope does not bind give nil")
  func unboundCodes() {
    for code in [cnc_key_f(0), cnc_key_f(13), KEY_RESIZE, KEY_MOUSE, KEY_SLEFT, KEY_SEND, -1] {
      #expect(KeyMapping.key(code: code) == nil, "code \(code)")
    }
  }
}
