import Foundation
import TermUI
import Testing

@testable import ConvApp

// MARK: - Reading a recording back

/// A `.cast` text read with JSONSerialization: the header object and the event triples.
private struct ParsedCast {
  var header: [String: Any]
  var events: [(time: Double, type: String, text: String)]

  init(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(text.hasSuffix("\n"), "a .cast ends with a newline", sourceLocation: sourceLocation)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    let first = try #require(lines.first, sourceLocation: sourceLocation)
    header = try #require(
      try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any],
      "the header is a JSON object", sourceLocation: sourceLocation)
    events = []
    for line in lines.dropFirst() {
      let array = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any],
        "an event is a JSON array: \(line.prefix(80))", sourceLocation: sourceLocation)
      try #require(array.count == 3, sourceLocation: sourceLocation)
      let time = try #require((array[0] as? NSNumber)?.doubleValue, sourceLocation: sourceLocation)
      let type = try #require(array[1] as? String, sourceLocation: sourceLocation)
      let text = try #require(array[2] as? String, sourceLocation: sourceLocation)
      events.append((time, type, text))
    }
  }
}

// MARK: - SessionRecorder

@Suite("Export: SessionRecorder writes asciinema v2")
struct ExportRecorderTests {
  private let caps = Capabilities(color: .truecolor, unicode: true)

  private func frame(_ text: String, width: Int = 10, height: Int = 2) -> CellBuffer {
    var b = CellBuffer(width: width, height: height)
    b.write(text, x: 0, y: 0, style: Style(fg: .rgb(200, 10, 10), attributes: .bold))
    b.write("row 2", x: 0, y: 1)
    return b
  }

  private func expectedText(_ b: CellBuffer) -> String {
    ANSI.clearAndHome + b.ansiText(capabilities: caps, lineEnding: "\r\n")
  }

  @Test("header fields and one [t, \"o\", text] event per frame, then the hold")
  func headerAndEvents() throws {
    var r = SessionRecorder(capabilities: caps)
    let frames = [frame("a"), frame("b", width: 12, height: 3), frame("c")]
    for (i, f) in frames.enumerated() {
      #expect(r.record(f, at: Double(i) * 0.5) == .recorded)
    }
    #expect(r.frameCount == 3 && r.width == 12 && r.height == 3 && r.duration == 1)
    let text = r.cast(
      title: "a \"title\"\nwith a newline", timestamp: 1_700_000_000, idleTimeLimit: 2,
      shell: "/bin/zsh", hold: 1.5)
    let cast = try ParsedCast(text)
    #expect(cast.header["version"] as? Int == 2)
    #expect(cast.header["width"] as? Int == 12)
    #expect(cast.header["height"] as? Int == 3)
    #expect(cast.header["timestamp"] as? Int == 1_700_000_000)
    #expect((cast.header["idle_time_limit"] as? NSNumber)?.doubleValue == 2)
    #expect(cast.header["title"] as? String == "a \"title\"\nwith a newline")
    let env = try #require(cast.header["env"] as? [String: String])
    #expect(env == ["TERM": "xterm-256color", "SHELL": "/bin/zsh"])
    #expect(cast.events.map(\.time) == [0, 0.5, 1, 2.5])
    #expect(cast.events.allSatisfy { $0.type == "o" })
    #expect(cast.events.dropLast().map(\.text) == frames.map(expectedText))
    #expect(cast.events.last?.text == ANSI.reset)
    // The byte count is the event lines' (header and hold not counted).
    let eventLines = text.split(separator: "\n").dropFirst().dropLast()
    #expect(r.byteCount == eventLines.reduce(0) { $0 + $1.utf8.count + 1 })
  }

  @Test("optional header fields are left out; no frames gives a header alone")
  func minimalHeader() throws {
    let empty = SessionRecorder(capabilities: caps).cast()
    #expect(empty == #"{"env":{"TERM":"xterm-256color"},"height":0,"version":2,"width":0}"# + "\n")
    var r = SessionRecorder(capabilities: caps)
    r.record(frame("a"), at: 0)
    let cast = try ParsedCast(r.cast(idleTimeLimit: -1, hold: .nan))
    for key in ["timestamp", "title", "idle_time_limit"] {
      #expect(cast.header[key] == nil, "\(key)")
    }
    #expect(cast.events.map(\.time) == [0, 0])  // a hold that is not a number holds nothing
  }

  @Test("times never go back; a frame equal to the previous one is skipped")
  func timesAndDuplicates() throws {
    var r = SessionRecorder(capabilities: caps)
    #expect(r.record(frame("a"), at: -3) == .recorded)
    #expect(r.record(frame("a"), at: 1) == .unchanged)
    #expect(r.record(frame("b"), at: 2) == .recorded)
    #expect(r.record(frame("c"), at: 1) == .recorded)
    #expect(r.record(frame("d"), at: .nan) == .recorded)
    #expect(r.record(frame("e"), at: .infinity) == .recorded)
    #expect(r.record(frame("f"), at: 2.25) == .recorded)
    #expect(r.frameCount == 6)
    let times = try ParsedCast(r.cast(hold: 1)).events.map(\.time)
    #expect(times == [0, 2, 2, 2, 2, 2.25, 3.25])
  }

  @Test("limits: the frame past a cap is dropped and so is every later one")
  func limits() throws {
    var byFrames = SessionRecorder(
      capabilities: caps, limits: SessionRecorder.Limits(maxFrames: 2, maxBytes: 1 << 20))
    #expect(byFrames.record(frame("a"), at: 0) == .recorded)
    #expect(byFrames.record(frame("b"), at: 1) == .recorded)
    #expect(byFrames.record(frame("c"), at: 2) == .full)
    #expect(byFrames.isFull && byFrames.frameCount == 2)
    #expect(try ParsedCast(byFrames.cast()).events.count == 3)

    var one = SessionRecorder(capabilities: caps)
    one.record(frame("a"), at: 0)
    var byBytes = SessionRecorder(
      capabilities: caps, limits: SessionRecorder.Limits(maxFrames: 100, maxBytes: one.byteCount))
    #expect(byBytes.record(frame("a"), at: 0) == .recorded)
    #expect(byBytes.record(frame("b"), at: 1) == .full)
    #expect(byBytes.record(frame("a", width: 1, height: 1), at: 2) == .full)
    #expect(byBytes.byteCount == one.byteCount && byBytes.frameCount == 1)
    #expect(SessionRecorder.Limits(maxFrames: 0, maxBytes: -5).maxFrames == 1)
  }

  @Test("colours follow the recorder's capabilities")
  func colourLevels() throws {
    var r = SessionRecorder(capabilities: Capabilities(color: .ansi256, unicode: true))
    r.record(frame("a"), at: 0)
    let text = try #require(try ParsedCast(r.cast()).events.first?.text)
    #expect(text.contains("38;5;") && !text.contains("38;2;"))
    var plain = SessionRecorder(capabilities: Capabilities(color: .none, unicode: true))
    plain.record(frame("a"), at: 0)
    let bare = try #require(try ParsedCast(plain.cast()).events.first?.text)
    #expect(bare == ANSI.clearAndHome + "a         \r\nrow 2     ")
  }
}

// MARK: - CastHeader and CastEvent

@Suite("Export: asciicast lines are Codable, written by JSONEncoder")
struct CastLinesTests {
  /// Quotes, backslashes, every kind of control character, non-ASCII and a line separator.
  private let awkward =
    "say \"hi\" \\ back\\slash \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1B}[0m\u{1F}\u{7F} "
    + "é ü “quoted” 3×3 → ∑ 日本 🙂 e\u{301} \u{2028}\u{2029} / end"

  private func decode<T: Decodable>(_ type: T.Type, _ line: String) throws -> T {
    try JSONDecoder().decode(type, from: Data(line.utf8))
  }

  @Test("a title and a text with quotes, backslashes, control characters and non-ASCII round-trip")
  func roundTrip() throws {
    var r = SessionRecorder(capabilities: Capabilities(color: .truecolor, unicode: true))
    var b = CellBuffer(width: 40, height: 2)
    b.write("日本 “x” é → 3×3", x: 0, y: 0, style: Style(fg: .rgb(1, 2, 3)))
    r.record(b, at: 0.25)
    let text = r.cast(title: awkward, timestamp: 7, shell: "/bin/\"odd\" sh")
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 4 && lines.last == "", "header, frame, hold and a final newline")
    #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "controls escaped")
    let header = try decode(CastHeader.self, String(lines[0]))
    #expect(header.title == awkward && header.timestamp == 7 && header.version == 2)
    #expect(header.env == CastHeader.Environment(term: "xterm-256color", shell: "/bin/\"odd\" sh"))
    let frame = try decode(CastEvent.self, String(lines[1]))
    #expect(frame.time == 0.25)
    #expect(
      frame.text == ANSI.clearAndHome + b.ansiText(capabilities: r.capabilities, lineEnding: "\r\n")
    )
    let event = CastEvent(time: 1.5, text: awkward)
    #expect(try decode(CastEvent.self, event.line) == event)
    #expect(event.line.hasPrefix(#"[1.5,"o","say \"hi\" \\ back\\slash "#))
    #expect(event.line.hasSuffix("/ end\"]\n"), "slashes are not escaped; one line")
  }

  @Test("the header's keys are sorted; optional fields only when given")
  func headerLine() throws {
    let full = CastHeader(
      width: 100, height: 32, timestamp: 1_700_000_000, idleTimeLimit: 2, title: "t",
      env: .init(term: "xterm-256color", shell: "/bin/sh"))
    #expect(
      full.line
        == #"{"env":{"SHELL":"/bin/sh","TERM":"xterm-256color"},"height":32,"#
        + #""idle_time_limit":2,"timestamp":1700000000,"title":"t","version":2,"width":100}"#
        + "\n")
    let bare = CastHeader(
      width: 1, height: 1, idleTimeLimit: .infinity, env: .init(term: "dumb"))
    #expect(bare.line == #"{"env":{"TERM":"dumb"},"height":1,"version":2,"width":1}"# + "\n")
    #expect(try decode(CastHeader.self, full.line) == full)
    #expect(try decode(CastHeader.self, bare.line) == bare)
    #expect(throws: DecodingError.self) {
      try decode(CastHeader.self, #"{"env":{"TERM":"x"},"height":1,"version":1,"width":1}"#)
    }
  }

  @Test("times: rounded to microseconds, clamped to 0…10¹², 0 when not finite")
  func times() throws {
    #expect(CastEvent(time: 1.0 / 3, text: "").line == #"[0.333333,"o",""]"# + "\n")
    #expect(CastEvent(time: 2.25, text: "").line == #"[2.25,"o",""]"# + "\n")
    #expect(CastEvent(time: 48.0 / 60, text: "").time == 0.8)
    #expect(CastEvent(time: 0.0000004, text: "").time == 0)
    #expect(CastEvent(time: 0.0000016, text: "").time == 0.000002)
    #expect(CastEvent(time: -2, text: "").time == 0)
    #expect(CastEvent(time: .nan, text: "").time == 0)
    #expect(CastEvent(time: 1e20, text: "").time == 1e12)
    #expect(CastEvent(time: 0, text: "").line == #"[0,"o",""]"# + "\n")
    for t in [0.1, 0.123456, 59.999999, 3600.5, 1e12] {
      let event = CastEvent(time: t, text: "x")
      #expect(try decode(CastEvent.self, event.line).time == t, "\(t) reads back exactly")
    }
    #expect(throws: DecodingError.self) { try decode(CastEvent.self, #"[1,"i","x"]"#) }
    #expect(throws: DecodingError.self) { try decode(CastEvent.self, #"[1,"o","x",2]"#) }
  }
}
