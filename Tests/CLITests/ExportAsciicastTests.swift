import Foundation
import TermUI
import Testing

// MARK: - Reading a recording

/// A `.cast` file read with JSONSerialization; every problem is an issue.
private struct Recording {
  var header: [String: Any] = [:]
  var events: [(time: Double, type: String, text: String)] = []

  init(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(text.hasSuffix("\n"), sourceLocation: sourceLocation)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    let first = try #require(lines.first, "an empty recording", sourceLocation: sourceLocation)
    header = try #require(
      try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any],
      "the header is not a JSON object", sourceLocation: sourceLocation)
    for (i, line) in lines.dropFirst().enumerated() {
      let event = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any],
        "event \(i) is not a JSON array", sourceLocation: sourceLocation)
      try #require(event.count == 3, "event \(i) is not a triple", sourceLocation: sourceLocation)
      let time = try #require(
        (event[0] as? NSNumber)?.doubleValue, "event \(i): time", sourceLocation: sourceLocation)
      let type = try #require(event[1] as? String, sourceLocation: sourceLocation)
      let text = try #require(event[2] as? String, sourceLocation: sourceLocation)
      events.append((time, type, text))
    }
  }
}

// MARK: - Running another program

/// Runs `arguments` through `/usr/bin/env` (so `python3` is found on PATH).
private func runTool(_ arguments: [String]) throws -> Binary.Output {
  try Binary.execute("/usr/bin/env", arguments)
}

/// The frame's text lines without colours and trailing blanks.
private func plainLines(_ ansi: String, separator: String) -> [String] {
  ANSI.strip(ansi).components(separatedBy: separator).map {
    var s = Substring($0)
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}

// MARK: - convscope export --format asciicast

@Suite("convscope export: asciinema v2 recordings")
struct ExportAsciicastTests {
  @Test("the header is JSON with version 2 and the size; events are timed [t, \"o\", text]")
  func headerAndEvents() throws {
    let result = try Binary.run(
      ["export", "--steps", "4..9", "--fps", "4", "--format", "asciicast"],
      environment: ["SOURCE_DATE_EPOCH": "1700000000", "SHELL": "/bin/zsh"])
    #expect(result.status == 0, "\(result.stderr)")
    let cast = try Recording(result.stdout)
    #expect(cast.header["version"] as? Int == 2)
    #expect(cast.header["width"] as? Int == 100)
    #expect(cast.header["height"] as? Int == 32)
    #expect(cast.header["timestamp"] as? Int == 1_700_000_000)
    let title = try #require(cast.header["title"] as? String)
    #expect(title.hasPrefix("convscope · ") && title.hasSuffix(" · forward, steps 4…9 of 49"))
    let env = try #require(cast.header["env"] as? [String: String])
    #expect(env == ["TERM": "xterm-256color", "SHELL": "/bin/zsh"])
    // Six frames a quarter second apart, then the last one held for a second.
    #expect(cast.events.map(\.time) == [0, 0.25, 0.5, 0.75, 1, 1.25, 2.25])
    for (a, b) in zip(cast.events, cast.events.dropFirst()) { #expect(a.time < b.time) }
    #expect(cast.events.allSatisfy { $0.type == "o" })
    for (i, event) in cast.events.dropLast().enumerated() {
      #expect(event.text.hasPrefix(ANSI.clearAndHome))
      #expect(event.text.contains("38;2;"), "24-bit colour by default")
      #expect(ANSI.strip(event.text).contains("step \(i + 4)/49"), "frame \(i)")
    }
    #expect(cast.events.last?.text == ANSI.reset)
  }

  @Test("without --steps the whole phase is recorded; --size and --color apply")
  func wholePhase() throws {
    let result = try Binary.run(
      ["export", "--format", "asciicast", "--size", "60x20", "--color", "256", "--fps", "60"])
    #expect(result.status == 0, "\(result.stderr)")
    let cast = try Recording(result.stdout)
    #expect(cast.header["width"] as? Int == 60 && cast.header["height"] as? Int == 20)
    #expect(cast.events.count == 49 + 1)
    #expect(cast.events.allSatisfy { !$0.text.contains("38;2;") })
    #expect(abs((cast.events.dropLast().last?.time ?? 0) - 48.0 / 60) < 1e-6)
  }

  @Test("the real asciinema 2.x client reads the file and prints its frames (asciinema cat)")
  func asciinemaCat() throws {
    let version = try runTool(["python3", "-m", "asciinema", "--version"])
    guard version.status == 0, version.stdout.hasPrefix("asciinema 2.") else {
      Issue.record(
        """
        asciinema 2.x is not installed (`python3 -m asciinema --version`: status \
        \(version.status), \(version.stdout)\(version.stderr)). `scripts/setup.sh test` installs \
        it (CI runs it), or: python3 -m pip install 'asciinema>=2.2,<3'
        """)
      return
    }
    let scratch = try ExportScratch()
    defer { scratch.remove() }
    let file = scratch.path("walk.cast")
    let export = try Binary.run(["export", "--steps", "1..3", "--format", "asciicast", "-o", file])
    #expect(export.status == 0, "\(export.stderr)")
    let cat = try runTool(["python3", "-m", "asciinema", "cat", file])
    #expect(cat.status == 0, "asciinema cat failed: \(cat.stderr)")
    // It prints exactly the events' text…
    let cast = try Recording(try #require(scratch.read("walk.cast")))
    #expect(cat.stdout == cast.events.map(\.text).joined())
    // …which is the three frames, each what `export --format ansi` draws for its step.
    let frames = cat.stdout.components(separatedBy: ANSI.clearAndHome).dropFirst()
    #expect(frames.count == 3)
    for (i, frame) in frames.enumerated() {
      let ansi = try Binary.run(["export", "--step", "\(i + 1)", "--format", "ansi"])
      #expect(
        plainLines(frame, separator: "\r\n")
          == Array(plainLines(ansi.stdout, separator: "\n").dropLast()),
        "frame \(i + 1)")
      #expect(ANSI.strip(frame).contains("step \(i + 1)/49"))
    }
  }
}
