import CNCurses
import Testing

@testable import NCursesBackend

// MARK: - Glyphs to wide characters

@Suite("GlyphEncoding")
struct GlyphEncodingTests {
  /// A UTF-8 locale's widths for the characters used here (tests do not call setlocale).
  static func width(_ c: wchar_t) -> Int32 {
    switch c {
    case 0x301: return 0  // combining acute
    case 0x4E2D: return 2  // 中
    case 0x2588, 0xE9, 0x65: return 1
    default: return -1
    }
  }

  static func encode(_ c: Character, width: (wchar_t) -> Int32 = width, capacity: Int = 6)
    -> [wchar_t]
  {
    var out = [wchar_t](repeating: 7, count: capacity)
    GlyphEncoding.encode(c, into: &out, width: width)
    return Array(out.prefix { $0 != 0 })
  }

  @Test("ASCII is kept, controls become blanks")
  func ascii() {
    #expect(Self.encode("a") == [0x61])
    #expect(Self.encode(" ") == [0x20])
    #expect(Self.encode("\u{7}") == [0x20])
    #expect(Self.encode("\u{7F}") == [0x20])
  }

  @Test("one-column characters are kept with their combining marks")
  func unicode() {
    #expect(Self.encode("█") == [0x2588])
    #expect(Self.encode("e\u{301}") == [0x65, 0x301])
  }

  @Test("wide or undrawable characters become ?")
  func replacement() {
    #expect(Self.encode("中") == [GlyphEncoding.replacement])
    #expect(Self.encode("█", width: { _ in -1 }) == [GlyphEncoding.replacement])
  }

  @Test("combining marks beyond the cell's capacity are dropped, the NUL always fits")
  func capacity() {
    let many: Character = "e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}"
    #expect(Self.encode(many, capacity: 4) == [0x65, 0x301, 0x301])
    #expect(Self.encode(many).count == Int(cnc_ccharw_max()))
  }
}
