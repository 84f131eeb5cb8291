import Foundation
import Testing

// MARK: - The replay of issue 13's list

@Suite("scripts/replay-issue-13.sh: every item of issue 13 behaves as described")
struct ReplayScriptTests {
  @Test(
    "the replay passes against the built binary",
    .enabled(
      if: CodeCommandTests.hasNumPy,
      "python3 with numpy is not available (scripts/setup.sh installs it)"
    ))
  func replay() throws {
    let script = Binary.root.appendingPathComponent("scripts/replay-issue-13.sh").path
    let r = try Binary.execute("/bin/bash", [script, Binary.path], timeout: 600)
    let summary = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(summary.hasPrefix("replay-issue-13: ") && summary.contains(" 0 failed"), "\(r.stdout)")
    // Every item ran: no line is neither ok, nor a heading, nor the summary.
    let items = r.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }
    #expect(items.count >= 43, "\(r.stdout)")
  }
}
