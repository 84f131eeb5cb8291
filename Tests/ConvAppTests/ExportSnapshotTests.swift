import ConvCore
import ConvLessons
import ConvStepper
import Foundation
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - Snapshot files

/// Compares `actual` with `Snapshots/Export/<fileName>` (see `assertSnapshotFile`).
func assertExportSnapshot(
  _ actual: String, file fileName: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  assertSnapshotFile(
    actual, file: "Export/\(fileName)", filePath: filePath, sourceLocation: sourceLocation)
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
