import Foundation
import TermUI
import Testing

// MARK: - Snapshot assertion

/// Compares `buffer.snapshotText()` with `Snapshots/<name>.txt` beside the calling test file.
///
/// When the baseline is missing, or the environment sets `RECORD_SNAPSHOTS`, the snapshot is
/// written and the test FAILS saying so: a missing baseline is never a silent pass. Otherwise a
/// mismatch fails with a line diff.
public func assertSnapshot(
  _ buffer: CellBuffer, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  assertSnapshot(
    text: buffer.snapshotText(), named: name, filePath: filePath, sourceLocation: sourceLocation)
}

/// ``assertSnapshot(_:named:filePath:sourceLocation:)`` for any text, in `<name>.txt`.
public func assertSnapshot(
  text actual: String, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  assertSnapshotFile(
    actual, file: "\(name).txt", filePath: filePath, sourceLocation: sourceLocation)
}

/// Compares `actual` with `Snapshots/<file>` beside the calling test file (`file` may hold a
/// sub-folder and any extension, e.g. `Export/first-lesson.svg`).
///
/// When the baseline is missing, or the environment sets `RECORD_SNAPSHOTS`, the file is written
/// and the test FAILS saying so: a missing baseline is never a silent pass. A mismatch fails
/// with a line diff (short files) or the first line that differs (long ones).
public func assertSnapshotFile(
  _ actual: String, file: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots", isDirectory: true)
  let url = folder.appendingPathComponent(file)
  let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
  let existing = try? String(contentsOf: url, encoding: .utf8)
  guard let expected = existing, !record else {
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try actual.write(to: url, atomically: true, encoding: .utf8)
      let why = record ? "RECORD_SNAPSHOTS is set" : "no baseline"
      Issue.record(
        "Recorded snapshot \(file) (\(why)); check it and run again.",
        sourceLocation: sourceLocation)
    } catch {
      Issue.record("Could not record snapshot \(file): \(error)", sourceLocation: sourceLocation)
    }
    return
  }
  guard expected != actual else { return }
  let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
  let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
  if e.count <= 200 && a.count <= 200 {
    let diff = lineDiff(expected, actual)
    Issue.record(
      "Snapshot \(file) differs (- expected, + actual); RECORD_SNAPSHOTS=1 records it:\n\(diff)",
      sourceLocation: sourceLocation)
    return
  }
  let first = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
  func line(_ lines: [Substring], _ i: Int) -> String {
    i < lines.count ? String(lines[i].prefix(300)) : "(no line)"
  }
  Issue.record(
    """
    Snapshot \(file) differs at line \(first + 1) (\(e.count) lines expected, \(a.count) \
    actual); RECORD_SNAPSHOTS=1 records the new one.
    - \(line(e, first))
    + \(line(a, first))
    """, sourceLocation: sourceLocation)
}

/// A minimal line diff (longest common subsequence), `-` for expected and `+` for actual lines.
public func lineDiff(_ a: String, _ b: String) -> String {
  let x = a.split(separator: "\n", omittingEmptySubsequences: false)
  let y = b.split(separator: "\n", omittingEmptySubsequences: false)
  var lcs = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
  for i in stride(from: x.count - 1, through: 0, by: -1) {
    for j in stride(from: y.count - 1, through: 0, by: -1) {
      lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
    }
  }
  var out: [String] = []
  var i = 0
  var j = 0
  while i < x.count || j < y.count {
    if i < x.count && j < y.count && x[i] == y[j] {
      out.append("  " + x[i])
      i += 1
      j += 1
    } else if i < x.count && (j == y.count || lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.append("- " + x[i])
      i += 1
    } else {
      out.append("+ " + y[j])
      j += 1
    }
  }
  return out.joined(separator: "\n")
}
