import Testing

@testable import NCursesBackend

// MARK: - Escape sequences that are not keys

@Suite("EscapeStrings")
struct EscapeStringsTests {
  /// Runs the consumer over `bytes` (what followed the introducer); returns the outcome and
  /// how many units it read.
  static func run(_ first: UInt32, _ rest: String) -> (EscapeStrings.Outcome, read: Int) {
    var units = Array(rest.unicodeScalars.map(\.value))[...]
    var read = 0
    let outcome = EscapeStrings.consume(after: first) { _ in
      guard let unit = units.popFirst() else { return nil }
      read += 1
      return unit
    }
    return (outcome, read)
  }

  @Test("a lone Esc is the Escape key")
  func loneEscape() {
    #expect(Self.run(27, "") == (.escape, 0))
  }

  @Test("Esc then an ordinary key is Escape, then that key (Esc q still quits from an overlay)")
  func escapeThenKey() {
    let (outcome, read) = Self.run(27, "q")
    #expect(outcome == .escapeThen(UInt32(("q" as Unicode.Scalar).value)))
    #expect(read == 1)
  }

  @Test(
    "control strings are read to their terminator and dropped, keys inside included",
    arguments: [
      "Pq#0\u{1B}\\",  // DCS (sixel query) ended by ESC backslash: its q must not quit
      "]0;PWNED\u{07}",  // OSC title ended by BEL
      "]52;c;cXE=\u{1B}\\",  // OSC 52 clipboard
      "_Gq=1\u{1B}\\",  // APC (kitty graphics)
      "^private\u{9C}",  // PM ended by 8-bit ST
      "Xsos q q\u{1B}\\",  // SOS
    ])
  func controlStrings(_ rest: String) {
    let (outcome, read) = Self.run(27, rest)
    #expect(outcome == .swallowed)
    #expect(read == rest.unicodeScalars.count, "the whole string is read, nothing after it")
  }

  @Test("a control string is read no further than its terminator")
  func stopsAtTerminator() {
    let (outcome, read) = Self.run(27, "]0;t\u{07}qq")
    #expect(outcome == .swallowed)
    #expect(read == 5)
  }

  @Test(
    "CSI and SS3 sequences ncurses did not decode are dropped whole",
    arguments: ["[99q", "[200~", "[?1;2c", "[I", "[1;5P", "OQ", "[>0;10;1c"])
  func csiAndSS3(_ rest: String) {
    let (outcome, read) = Self.run(27, rest)
    #expect(outcome == .swallowed)
    #expect(read == rest.unicodeScalars.count)
  }

  @Test("8-bit introducers start the same sequences")
  func eightBit() {
    #expect(Self.run(0x90, "q#0\u{9C}") == (.swallowed, 4))
    #expect(Self.run(0x9D, "0;x\u{07}") == (.swallowed, 4))
    #expect(Self.run(0x9B, "99q") == (.swallowed, 3))
  }

  @Test("an unterminated string ends when input stops, or at the length cap")
  func unterminated() {
    #expect(Self.run(27, "Pqqq") == (.swallowed, 4))
    var served = 0
    let outcome = EscapeStrings.consume(after: 27) { _ in
      served += 1
      return served == 1 ? 0x50 : 0x71  // P, then q for ever
    }
    #expect(outcome == .swallowed)
    #expect(served == EscapeStrings.maxLength + 1)
  }
}
