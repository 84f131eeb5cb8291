import TermUI
import Testing

@testable import NCursesBackend

// MARK: - Colour downgrade

@Suite("ColorMapper")
struct ColorMapperTests {
  @Test("8 colours: rgb and indexed go to the nearest basic colour, bright ANSI to bold")
  func ansi8() {
    let m = ColorMapper(level: .ansi8, defaultColors: true)
    #expect(m.number(.rgb(255, 0, 0), background: false) == 1)
    #expect(m.number(.indexed(196), background: false) == 1)
    #expect(m.number(.indexed(21), background: true) == 4)
    #expect(m.number(.ansi(9), background: false) == 1)
    #expect(m.number(.indexed(12), background: false) == 4)
    #expect(m.needsBold(foreground: .ansi(9)))
    #expect(!m.needsBold(foreground: .ansi(1)))
    #expect(!m.needsBold(foreground: .rgb(255, 0, 0)))
  }

  @Test("256 colours: indexed kept, rgb to the nearest index")
  func ansi256() {
    let m = ColorMapper(level: .ansi256, defaultColors: true)
    #expect(m.number(.indexed(42), background: false) == 42)
    #expect(m.number(.ansi(9), background: false) == 9)
    #expect(m.number(.rgb(255, 0, 0), background: true) == 196)
    #expect(!m.needsBold(foreground: .ansi(9)))
  }

  @Test("direct colour: rgb packed, low numbers kept clear of the ANSI ones")
  func direct() {
    let m = ColorMapper(level: .truecolor, defaultColors: true)
    #expect(m.number(.rgb(1, 2, 3), background: false) == 0x01_0203)
    #expect(m.number(.rgb(0, 0, 0), background: false) == 8)
    #expect(m.number(.ansi(3), background: false) == 3)
    #expect(m.number(.indexed(196), background: false) == 0xFF_0000)
  }

  @Test("the terminal's default colour, or white on black without use_default_colors")
  func defaults() {
    let with = ColorMapper(level: .ansi256, defaultColors: true)
    #expect(with.colors(of: .plain) == (-1, -1))
    let without = ColorMapper(level: .ansi256, defaultColors: false)
    #expect(without.colors(of: .plain) == (7, 0))
  }

  @Test("no colour: everything is the default pair")
  func none() {
    let m = ColorMapper(level: .none, defaultColors: true)
    #expect(m.colors(of: Style(fg: .rgb(1, 2, 3), bg: .ansi(4))) == (-1, -1))
  }
}
