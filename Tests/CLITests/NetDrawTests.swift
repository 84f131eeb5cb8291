import Foundation
import Testing

// MARK: - convscope net: drawing a digit and receptive fields

@Suite("convscope net: drawing and receptive fields", .serialized)
struct NetDrawTests {
  @Test("d draws with the keys and with a mouse drag, classified live; Esc goes back; q")
  func draws() throws {
    try #require(TmuxSession.available)
    // Without colours the shades are glyphs: a full pixel reads `█`.
    let s = try TmuxSession.start(["net", "--color", "none"], width: 120, height: 40)
    defer { s.kill() }
    _ = try s.waitFor { $0.contains("untrained (seed 1)") }
    try s.send("d")
    var screen = try s.waitFor { $0.contains("your drawing") && $0.contains("pen up") }
    #expect(screen.contains("drawing │ pen up │ arrows move"), "\(screen)")
    // The pen starts in the middle (row 4, column 4): Space puts it down, ↓ draws a stroke.
    try s.send("Space")
    screen = try s.waitFor { $0.contains("drawing │ pen down") }
    try s.send("Down", "Down", "Space")
    screen = try s.waitFor { $0.contains("drawing │ pen up") }
    let canvasTop = 5  // the input's first row on screen: title, header, shape, blank, blank
    let rows = screen.components(separatedBy: "\n")
    for r in 4...6 {
      let row = Array(rows[canvasTop + r])
      #expect(row.count > 10 && row[1 + 2 * 4 + 1] == "█", "row \(r) painted:\n\(screen)")
    }
    // A drag with the left button (SGR reports, as xterm sends them) paints along row 0.
    try s.type("\u{1b}[<0;4;6M")
    try s.type("\u{1b}[<32;6;6M")
    try s.type("\u{1b}[<32;8;6M")
    try s.type("\u{1b}[<0;8;6m")
    screen = try s.waitFor {
      let row = Array($0.components(separatedBy: "\n")[canvasTop])
      return row.count > 8 && row[4] == "█" && row[6] == "█" && row[8] == "█"
    }
    let row0 = Array(screen.components(separatedBy: "\n")[canvasTop])
    #expect(row0.count > 8 && row0[4] == "█" && row0[8] == "█", "the drag painted:\n\(screen)")
    #expect(screen.contains("predicted "))
    try s.send("Escape")
    screen = try s.waitFor { $0.contains("test image 1 of 359") }
    #expect(!screen.contains("your drawing"))
    try s.send("q")
    #expect(s.exitStatus() == 0)
    #expect(try s.display("#{alternate_on}") == "0")
  }

  @Test("c focuses a cell of layer 4 and names its receptive field; arrows move it; a click too")
  func receptiveField() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(["net", "--color", "none"], width: 160, height: 48)
    defer { s.kill() }
    _ = try s.waitFor { $0.contains("untrained (seed 1)") }
    try s.send("Down", "Down", "Down", "c")
    var screen = try s.waitFor { $0.contains("receptive field") }
    #expect(screen.contains("cell (2, 2) of map 1: receptive field 8×8"), "\(screen)")
    try s.send("Left", "Left")
    screen = try s.waitFor { $0.contains("cell (2, 0)") }
    #expect(screen.contains("inside the image: rows 1–7, columns 0–4"), "\(screen)")
    // Without colours the field is underlined: the input's first row is outside it.
    let coloured = try s.screenWithColours()
    #expect(coloured.contains("\u{1b}[4m"), "an underlined field")
    try s.send("c")
    screen = try s.waitFor { !$0.contains("receptive field") }
    // A click (SGR report, 1-based) on the second row of layer 5's first map focuses that cell.
    let (x, header) = try Self.place(of: "5 relu", in: screen)
    try s.type("\u{1b}[<0;\(x + 1);\(header + 3 + 1 + 1)M")
    try s.type("\u{1b}[<0;\(x + 1);\(header + 3 + 1 + 1)m")
    screen = try s.waitFor { $0.contains("receptive field") }
    #expect(screen.contains("cell (1, 0) of map 1: receptive field"), "\(screen)")
    #expect(screen.contains("layer 5 of 8: relu"), "the click selected the layer:\n\(screen)")
    try s.send("q")
    #expect(s.exitStatus() == 0)
  }

  @Test("under a TERM with X10 mouse reports (screen, as tmux and GNU screen set), a click works")
  func x10Click() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(
      ["net", "--color", "none"], width: 120, height: 40, environment: ["TERM": "screen"])
    defer { s.kill() }
    let screen = try s.waitFor { $0.contains("untrained (seed 1)") }
    let (x, header) = try Self.place(of: "4 conv", in: screen)
    // X10: ESC [ M, then button + 32, column + 33, row + 33 (0-based), one byte each.
    func report(_ button: Int) -> String {
      "\u{1b}[M" + String(UnicodeScalar(UInt8(32 + button)))
        + String(UnicodeScalar(UInt8(33 + x))) + String(UnicodeScalar(UInt8(33 + header + 4)))
    }
    try s.type(report(0))
    try s.type(report(3))
    let after = try s.waitFor { $0.contains("receptive field") }
    #expect(after.contains("cell (1, 0) of map 1: receptive field"), "\(after)")
    try s.send("q")
    #expect(s.exitStatus() == 0)
  }

  /// Where `text` starts on `screen`: its column and line (0-based).
  static func place(of text: String, in screen: String) throws -> (x: Int, y: Int) {
    let lines = screen.components(separatedBy: "\n")
    let y = try #require(lines.firstIndex { $0.contains(text) })
    let start = try #require(lines[y].range(of: text)).lowerBound
    return (lines[y].distance(from: lines[y].startIndex, to: start), y)
  }
}
