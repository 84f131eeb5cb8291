import TermUI
import TestSupport
import Testing

@testable import ConvApp

/// The `?` screen as the viewer draws it: every key on one screen from 120×40, scrolling below.
@Suite("Help screen")
struct HelpScreenTests {
  static let levels: [Capabilities] = [
    Capabilities(color: .ansi256, unicode: true), Capabilities(color: .none, unicode: false),
    Capabilities(color: .none, unicode: true),
  ]

  static func expected(_ caps: Capabilities) -> [HelpScreen.Entry] {
    KeyBindings.helpSections.flatMap(\.entries).map {
      HelpScreen.Entry(
        caps.drawable($0.keys),
        HelpScreen.normalised(caps.unicode ? $0.description : TextFit.ascii($0.description)))
    }
  }

  static func helpModel(_ caps: Capabilities, width: Int, height: Int) throws -> Model {
    var m = try Model(scenario: .firstLesson, capabilities: caps, width: width, height: height)
    send(&m, "?")
    return m
  }

  static func layout(_ m: Model) -> HelpOverlayLayout {
    guard case .help(let scroll) = m.overlay else {
      return helpOverlay(m, scroll: -1).layout(in: .zero)
    }
    return helpOverlay(m, scroll: scroll).layout(
      in: Rect(x: 0, y: 0, width: m.width, height: m.height))
  }

  @Test(
    "from 120×40 every key is on one screen, once, whole, inside the frame",
    arguments: [(120, 40), (160, 48), (250, 80)], [0, 1, 2])
  func oneScreen(size: (Int, Int), level: Int) throws {
    let caps = Self.levels[level]
    let m = try Self.helpModel(caps, width: size.0, height: size.1)
    let buffer = view(m)
    let layout = Self.layout(m)
    #expect(layout.maxScroll == 0 && layout.visibleLines == layout.contentLines)
    #expect(layout.columns.count >= 2)
    #expect(layout.box.x >= 2 && layout.box.maxX <= m.width - 2)
    #expect(layout.box.y >= 1 && layout.box.maxY <= m.height - 1)
    let screen = HelpScreen(buffer, layout)
    #expect(screen.entries == Self.expected(caps))
    #expect(screen.titles == KeyBindings.helpSections.map { caps.drawable($0.title) })
    #expect(screen.strayText.isEmpty)
    let frame = buffer.lines[layout.box.y..<layout.box.maxY].joined()
    #expect(!frame.contains("more"))
    #expect(!frame.contains("scroll"))
    #expect(screen.entries.contains { $0.keys == "q" && $0.description.hasPrefix("quit") })
  }

  @Test(
    "at 80×24 it scrolls: more ↓ shown, ↓ and PgDn reach the last key, no further",
    arguments: [0, 1])
  func scrollsAt80x24(level: Int) throws {
    let caps = Self.levels[level]
    var m = try Self.helpModel(caps, width: 80, height: 24)
    let first = Self.layout(m)
    #expect(first.maxScroll > 0 && first.columns.count == 2)
    var buffer = view(m)
    let bottom = buffer.line(first.box.maxY - 1)
    #expect(bottom.contains(caps.drawable("more ↓")) && bottom.contains("PgDn"))
    #expect(!buffer.line(first.box.y).contains("more"))
    var seen = Set(HelpScreen(buffer, first).entries)
    send(&m, "PageDown")
    #expect(m.overlay != .help(scroll: 0))
    // Back to the top, then line by line: a page jump may step over an entry's wrapped lines.
    send(&m, "Home")
    for _ in 0..<(first.maxScroll + 5) {
      send(&m, "Down")
      seen.formUnion(HelpScreen(view(m), Self.layout(m)).entries)
    }
    #expect(m.overlay == .help(scroll: first.maxScroll))
    buffer = view(m)
    let last = Self.layout(m)
    #expect(buffer.line(last.box.y).contains(caps.drawable("more ↑")))
    #expect(!buffer.line(last.box.maxY - 1).contains("more"))
    #expect(Set(Self.expected(caps)).isSubset(of: seen))
    let quit = try #require(Self.expected(caps).last)
    #expect(HelpScreen(buffer, last).entries.contains(quit))
    send(&m, "Up")
    #expect(m.overlay == .help(scroll: first.maxScroll - 1))
    send(&m, "PageUp", "PageUp", "PageUp")
    #expect(m.overlay == .help(scroll: 0))
    send(&m, "End")
    #expect(m.overlay == .help(scroll: first.maxScroll))
    send(&m, "g")
    #expect(m.overlay == .help(scroll: 0))
  }

  @Test("opened from the network, q is listed as going back there, not as quitting")
  func backFromADive() throws {
    let caps = Self.levels[0]
    var m = try Model(
      scenario: .firstLesson, capabilities: caps, width: 160, height: 48, backTo: "the network")
    send(&m, "?")
    let screen = HelpScreen(view(m), Self.layout(m))
    let q = try #require(screen.entries.first { $0.keys == "q" })
    #expect(q.description.hasPrefix("back to the network"))
    #expect(!screen.entries.contains { $0.description.hasPrefix("quit") })
    #expect(send(&m, "Escape", "q").contains(.quit))
  }
}
