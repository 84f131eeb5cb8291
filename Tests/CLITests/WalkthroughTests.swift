import Foundation
import Testing

// MARK: - README's debugging session runs as written

@Suite("README: the debugging walkthrough runs as written")
struct WalkthroughTests {
  /// The commands between `<!-- walkthrough:begin -->` and `<!-- walkthrough:end -->`, one per
  /// logical line (continuations joined), with the exit status each says it ends with.
  static func commands() throws -> [(command: String, status: Int32)] {
    let readme = try String(
      contentsOf: Binary.root.appendingPathComponent("README.md"), encoding: .utf8)
    let parts = readme.components(separatedBy: "<!-- walkthrough:begin -->")
    guard parts.count == 2,
      let block = parts[1].components(separatedBy: "<!-- walkthrough:end -->").first
    else { return [] }
    var lines: [String] = []
    var pending = ""
    for raw in block.split(separator: "\n").map(String.init) where !raw.hasPrefix("```") {
      if raw.hasSuffix("\\") {
        pending += String(raw.dropLast()) + " "
      } else {
        lines.append(pending + raw)
        pending = ""
      }
    }
    return lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { line in
      let status = line.range(of: "exit status ", options: .backwards).flatMap {
        Int32(line[$0.upperBound...].prefix { $0.isNumber })
      }
      return (line, status ?? 0)
    }
  }

  @Test(
    "every command of the session ends as the README says",
    .enabled(
      if: CodeCommandTests.hasNumPy && CodeCommandTests.hasTorch,
      "the walkthrough needs python3 with numpy and torch"))
  func session() throws {
    let commands = try Self.commands()
    #expect(commands.count >= 6)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-walkthrough-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    // One script: each command, then a check of its exit status, in the README's order.
    var script = "cd '\(Binary.root.path)'\n"
    for (k, c) in commands.enumerated() {
      let line = c.command
        .replacingOccurrences(of: "$PWD/.build/release/convscope", with: Binary.path)
        .replacingOccurrences(of: "/tmp/my-layer", with: scratch.path)
      script +=
        "\(line)\ns=$?; [ $s -eq \(c.status) ] || { echo \"command \(k + 1) ended with $s: \(c.command)\"; exit 1; }\n"
    }
    let r = try Binary.execute("/bin/bash", ["-c", script], timeout: 300)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("Your numbers are right."), "\(r.stdout)")
    #expect(r.stdout.contains("[divided-by-batch] reproduces your dw, db"), "\(r.stdout)")
    #expect(r.stdout.contains("[kernel-flipped] reproduces your y"), "\(r.stdout)")
  }
}
