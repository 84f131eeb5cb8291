import TermUI
import Testing

@testable import NCursesBackend

// MARK: - Capabilities: environment and flags combined with ncurses

@Suite("CapabilityResolution")
struct CapabilityResolutionTests {
  @Test(
    "colour level is the lower of what was asked for and what the terminal has",
    arguments: [
      (Capabilities.ColorLevel.truecolor, true, 256, Capabilities.ColorLevel.ansi256),
      (.truecolor, true, 1 << 24, .truecolor),
      (.ansi256, true, 8, .ansi8),
      (.ansi256, true, 256, .ansi256),
      (.ansi8, true, 256, .ansi8),
      (.none, true, 256, .none),
      (.ansi256, false, 0, .none),
      (.ansi8, true, 2, .none),
    ])
  func color(
    requested: Capabilities.ColorLevel, hasColors: Bool, colors: Int,
    expected: Capabilities.ColorLevel
  ) {
    let caps = CapabilityResolution.resolve(
      requested: Capabilities(color: requested, unicode: true), hasColors: hasColors,
      colors: colors, codeset: "UTF-8")
    #expect(caps.color == expected)
  }

  @Test("Unicode needs both the request and a UTF-8 locale")
  func unicode() {
    let yes = Capabilities(color: .none, unicode: true)
    let no = Capabilities(color: .none, unicode: false)
    func resolve(_ c: Capabilities, _ codeset: String) -> Bool {
      CapabilityResolution.resolve(requested: c, hasColors: false, colors: 0, codeset: codeset)
        .unicode
    }
    #expect(resolve(yes, "UTF-8"))
    #expect(resolve(yes, "utf8"))
    #expect(!resolve(yes, "ANSI_X3.4-1968"))
    #expect(!resolve(yes, ""))
    #expect(!resolve(no, "UTF-8"))
  }

  @Test("a --color choice above the terminal is lowered, with the environment's detection")
  func flagDowngrade() {
    let requested = Capabilities.detect(
      environment: ["TERM": "xterm", "LANG": "C.UTF-8"], colorChoice: .truecolor)
    let caps = CapabilityResolution.resolve(
      requested: requested, hasColors: true, colors: 8, codeset: "UTF-8")
    #expect(caps == Capabilities(color: .ansi8, unicode: true))
  }
}
