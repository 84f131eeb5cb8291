import ConvCore
import Foundation
import TermUI
import Testing

@testable import ConvApp

// MARK: - Snapshot files

/// Baselines of exported files: `Snapshots/Export/` beside this file.
private let exportSnapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Snapshots/Export", isDirectory: true)

/// Compares `actual` with the file `Snapshots/Export/<fileName>`.
///
/// When the baseline is missing, or the environment sets `RECORD_SNAPSHOTS`, the file is written
/// and the test FAILS saying so: a missing baseline is never a silent pass. A mismatch fails
/// naming the first line that differs.
func assertExportSnapshot(
  _ actual: String, file fileName: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  let url = exportSnapshots.appendingPathComponent(fileName)
  let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
  let existing = try? String(contentsOf: url, encoding: .utf8)
  guard let expected = existing, !record else {
    do {
      try FileManager.default.createDirectory(
        at: exportSnapshots, withIntermediateDirectories: true)
      try actual.write(to: url, atomically: true, encoding: .utf8)
      let why = record ? "RECORD_SNAPSHOTS is set" : "there was no baseline"
      Issue.record(
        "Recorded snapshot Export/\(fileName) (\(why)); check it and run again.",
        sourceLocation: sourceLocation)
    } catch {
      Issue.record(
        "Could not record snapshot Export/\(fileName): \(error)", sourceLocation: sourceLocation)
    }
    return
  }
  guard expected != actual else { return }
  let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
  let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
  let first = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
  func line(_ lines: [Substring], _ i: Int) -> String {
    i < lines.count ? String(lines[i].prefix(300)) : "(no line)"
  }
  Issue.record(
    """
    Snapshot Export/\(fileName) differs at line \(first + 1) (\(e.count) lines expected, \
    \(a.count) actual); RECORD_SNAPSHOTS=1 records the new one.
    - \(line(e, first))
    + \(line(a, first))
    """, sourceLocation: sourceLocation)
}

// MARK: - Snapshots of every format

@Suite("Export: snapshots of the first lesson in every format")
struct ExportSnapshotTests {
  /// The first lesson at window step `step` on an 80×24 screen.
  private func lesson(step: Int) throws -> Model {
    var scenario = Scenario.firstLesson
    scenario.startStep = step - 1
    return try Model(
      scenario: scenario, capabilities: Capabilities(color: .ansi256, unicode: true), width: 80,
      height: 24)
  }

  @Test(arguments: ExportFormat.frameFormats)
  func oneFrame(format: ExportFormat) throws {
    let text = FrameExport.export(try lesson(step: 17), as: format)
    assertExportSnapshot(text, file: "first-lesson-step-17.\(format.fileExtension)")
  }

  @Test("a recording of steps 1–3 at 2 frames a second")
  func recording() throws {
    let model = try lesson(step: 1)
    let caps = ExportFormat.asciicast.capabilities()
    var recorder = SessionRecorder(capabilities: caps)
    FrameExport.walk(model, steps: 1...3, capabilities: caps) { step, _, frame in
      #expect(recorder.record(frame, at: Double(step - 1) / 2) == .recorded)
    }
    let cast = recorder.cast(
      title: "first lesson, steps 1–3", timestamp: 1_700_000_000, shell: "/bin/sh", hold: 1)
    assertExportSnapshot(cast, file: "first-lesson-steps-1-3.cast")
  }
}
