import TermUI
import Testing

// MARK: - Key spelling and description

@Suite("Key")
struct KeyTests {
  @Test(
    "spellings from the docs parse",
    arguments: [
      ("ctrl-c", Key.ctrl("c")),
      ("Ctrl+C", .ctrl("c")),
      ("C-x", .ctrl("x")),
      ("^A", .ctrl("a")),
      ("Left", .left),
      ("LEFT", .left),
      ("G", .character("G")),
      ("g", .character("g")),
      ("é", .character("é")),
      ("-", .character("-")),
      (" ", .character(" ")),
      ("Space", .character(" ")),
      ("PgUp", .pageUp),
      ("pagedown", .pageDown),
      ("Return", .enter),
      ("esc", .escape),
      ("Shift-Tab", .backTab),
      ("Del", .delete),
      ("Insert", .insert),
      ("Home", .home),
      ("end", .end),
      ("F1", .function(1)),
      ("f12", .function(12)),
    ])
  func parses(spelling: String, key: Key) {
    #expect(Key(spelling: spelling) == key)
  }

  @Test("control letters the terminal sends as other keys are normalised")
  func normalisesControlAliases() {
    #expect(Key(spelling: "ctrl-h") == .backspace)
    #expect(Key(spelling: "ctrl-i") == .tab)
    #expect(Key(spelling: "ctrl-m") == .enter)
    #expect(Key(spelling: "ctrl-j") == .enter)
    #expect(Key(spelling: "ctrl-[") == .escape)
  }

  @Test(
    "nonsense spellings give nil",
    arguments: [
      "", "F0", "F13", "f+1", "ctrl-", "ctrl-1", "ctrl-ab", "hyper-x", "leftt", "\u{7}",
    ])
  func rejects(spelling: String) {
    #expect(Key(spelling: spelling) == nil)
  }

  @Test("descriptions are readable")
  func descriptions() {
    #expect(Key.ctrl("c").description == "Ctrl-C")
    #expect(Key.character(" ").description == "Space")
    #expect(Key.character("G").description == "G")
    #expect(Key.pageUp.description == "PageUp")
    #expect(Key.backTab.description == "Shift-Tab")
    #expect(Key.function(5).description == "F5")
    #expect(Key.escape.description == "Esc")
    #expect(Key.character("\u{7}").description == "U+0007")
  }

  @Test("every key a terminal can send reads back from its description")
  func roundTrip() {
    var keys: [Key] = [
      .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .enter, .escape, .tab,
      .backTab, .backspace, .delete, .insert, .character(" "), .character("q"),
      .character("Q"), .character("é"), .character("€"), .character("-"), .character("^"),
    ]
    keys += (1...12).map { Key.function($0) }
    keys += "abcdefgklnopqrstuvwxyz".map { Key.ctrl($0) }
    for key in keys {
      #expect(Key(spelling: key.description) == key, "\(key)")
    }
  }
}
