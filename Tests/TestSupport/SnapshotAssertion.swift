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

/// ``assertSnapshot(_:named:sourceLocation:)`` for any text.
public func assertSnapshot(
  text actual: String, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let snapshotDirectory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots", isDirectory: true)
  let url = snapshotDirectory.appendingPathComponent("\(name).txt")
  let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
  let existing = try? String(contentsOf: url, encoding: .utf8)
  if record || existing == nil {
    do {
      try FileManager.default.createDirectory(
        at: snapshotDirectory, withIntermediateDirectories: true)
      try actual.write(to: url, atomically: true, encoding: .utf8)
      let why = record ? "RECORD_SNAPSHOTS is set" : "no baseline"
      Issue.record(
        "Recorded snapshot \(name).txt (\(why)); check it and run again.",
        sourceLocation: sourceLocation)
    } catch {
      Issue.record(
        "Could not record snapshot \(name).txt: \(error)", sourceLocation: sourceLocation)
    }
    return
  }
  guard let expected = existing, expected != actual else { return }
  let diff = lineDiff(expected, actual)
  Issue.record(
    "Snapshot \(name).txt differs (- expected, + actual):\n\(diff)", sourceLocation: sourceLocation)
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
