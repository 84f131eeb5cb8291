import Foundation
import TestSupport
import Testing

@testable import TermUI

@Suite("Snapshots")
struct SnapshotTests {
  @Test func snapshotTextShowsLinesAndStyleKeys() {
    var b = CellBuffer(width: 5, height: 2)
    b.write("ab", x: 0, y: 0, style: Style(fg: .ansi(1), attributes: .bold))
    b.write("c", x: 3, y: 1, style: Style(bg: .rgb(1, 2, 3)))
    #expect(
      b.snapshotText() == """
        5x2
          +-----+
        0 |ab   |
        1 |   c |
          +-----+
        styles:
          +-----+
        0 |AA...|
        1 |...B.|
          +-----+
        A: fg=ansi(1) bold
        B: bg=#010203

        """)
    #expect(CellBuffer(lines: ["x"]).snapshotText().hasSuffix("styles: plain\n"))
  }

  @Test func manyStylesBecomeRuns() {
    var b = CellBuffer(width: 70, height: 1)
    for x in 0..<70 { b[x, 0] = Cell("x", style: Style(fg: .indexed(UInt8(x + 16)))) }
    let s = b.snapshotText()
    #expect(s.contains("styles (70 distinct, as runs x+length):"))
    #expect(s.contains("0: 0+1 fg=idx(16); 1+1 fg=idx(17)"))
  }

  @Test func missingBaselineIsRecordedAndFails() throws {
    let name = "zz-selftest-\(UUID().uuidString)"
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Snapshots/\(name).txt")
    defer { try? FileManager.default.removeItem(at: url) }
    let b = CellBuffer(lines: ["hello"])
    withKnownIssue("a missing baseline fails") { assertSnapshot(b, named: name) }
    #expect(FileManager.default.fileExists(atPath: url.path))
    guard ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == nil else { return }
    assertSnapshot(b, named: name)  // now it matches
    withKnownIssue("a different buffer fails") {
      assertSnapshot(CellBuffer(lines: ["world"]), named: name)
    }
  }

  @Test func lineDiffMarksChanges() {
    #expect(lineDiff("a\nb\nc", "a\nx\nc") == "  a\n- b\n+ x\n  c")
  }
}

@Suite("Gallery snapshots")
struct GallerySnapshotTests {
  @Test(arguments: Gallery.allCapabilities.map(\.0))
  func dashboard80x24(level: String) throws {
    let caps = try #require(Gallery.allCapabilities.first { $0.0 == level }?.1)
    assertSnapshot(
      Gallery.dashboard(width: 80, height: 24, caps: caps), named: "dashboard-80x24-\(level)")
  }

  @Test func dashboardWithHelp() {
    assertSnapshot(
      Gallery.dashboard(
        width: 80, height: 24, caps: Capabilities(color: .ansi256, unicode: true), help: true),
      named: "dashboard-80x24-256-help")
  }

  @Test func dashboard200x60() {
    assertSnapshot(
      Gallery.dashboard(width: 200, height: 60, caps: .full), named: "dashboard-200x60-truecolor")
  }
}
