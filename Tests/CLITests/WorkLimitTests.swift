import Foundation
import Testing

// MARK: - Work limits (issue 18, "Flags")

/// A small flag value must not make convscope do huge work: the sizes a flag implies (values,
/// multiply–adds, frames × cells, bytes of output) are checked against `WorkBudget` before
/// anything is made, and a refusal is one line, exit status 2, within a deadline that the work
/// itself would blow (each of these ran from 7 s to hours, or took gigabytes, before).
@Suite("work limits: flags whose work is refused before it starts")
struct WorkLimitTests {
  /// Seconds a refusal may take (today's work took far longer, or ran out of memory).
  static let deadline = 10.0

  /// Runs `arguments` and expects the refusal: exit 2, one line on stderr holding every text of
  /// `mentions`, nothing on stdout, within ``deadline``.
  func expectRefused(
    _ arguments: [String], mentions: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let r = try Binary.run(arguments, timeout: Self.deadline, sourceLocation: sourceLocation)
    let line = "\(arguments.joined(separator: " ")): \(r.stderr)"
    #expect(r.status == 2, "\(line)", sourceLocation: sourceLocation)
    #expect(r.stderr.split(separator: "\n").count == 1, "\(line)", sourceLocation: sourceLocation)
    for text in mentions {
      #expect(r.stderr.contains(text), "\(line)", sourceLocation: sourceLocation)
    }
    #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
  }

  @Test("render --filters 1000000 --kernel-size 16: the weights are refused before they are made")
  func manyFilters() throws {
    try expectRefused(
      ["render", "--filters", "1000000", "--kernel-size", "16", "--input-size", "16"],
      mentions: [
        "the weights (1000000, 1, 16, 16) implies 256000000 values",
        "over the limit of 16777216", "reduce --filters",
      ])
  }

  @Test("demo --input-size 1000: the output is refused before the batch is made")
  func demoInputSize() throws {
    try expectRefused(
      ["demo", "--input-size", "1000"],
      mentions: [
        "the output (10, 16, 1000, 1000) implies 160000000 values", "over the limit of 16777216",
        "--input-size",
      ])
  }

  @Test("gradcheck --cells 0 (every cell) on a layer too large for that: the --cells that fit")
  func gradcheckEveryCell() throws {
    try expectRefused(
      [
        "gradcheck", "--input-size", "256", "--filters", "16", "--kernel-size", "5", "--cells", "0",
      ],
      mentions: [
        "--cells 0 (every cell) implies", "multiply–adds of finite differences",
        "over the limit of 1073741824", "give --cells from 1 to",
      ])
  }

  @Test("export --steps 1..5000 --size 300x100 as a recording: refused from the estimate")
  func longRecording() throws {
    try expectRefused(
      [
        "export", "--article", "--steps", "1..5000", "--size", "300x100", "--format", "asciicast",
      ],
      mentions: [
        "--steps 1..5000 with --size 300x100 implies", "over the limit of",
        "choose at most", "steps with --steps A..B, or a smaller --size",
      ])
  }

  @Test(
    "every other flag whose value implies huge work or memory",
    arguments: [
      (
        ["render", "--kernel-size", "4000", "--input-size", "4000", "--filters", "16"],
        "the weights (16, 1, 4000, 4000) implies 256000000 values"
      ),
      (
        ["render", "--channels", "1000000", "--kernel-size", "16", "--input-size", "16"],
        "the input (1, 1000000, 16, 16) implies 256000000 values"
      ),
      (
        ["render", "--batch", "10000000", "--input-size", "5"],
        "the input (10000000, 1, 5, 5) implies 250000000 values"
      ),
      (["render", "--input-size", "4096", "--pool", "2048,1"], "multiply–adds a pass"),
      (["render", "--article", "--batch", "2000"], "the output (2000, 16, 32, 32) implies"),
      (["view", "--filters", "1000000", "--kernel-size", "16", "--input-size", "16"], "weights"),
      (
        ["demo", "--filter-size", "1000", "--input-size", "1000", "--padding", "0"],
        "--check-cells 4000 implies"
      ),
      (["demo", "--input-size", "256", "--check-cells", "0"], "--check-cells 0 (every cell)"),
      (
        [
          "export", "--article", "--steps", "1..3000", "--size", "200x60", "--format", "svg",
          "--output", "/nonexistent-convscope-test/slides",
        ],
        "implies 36000000 cells to draw (3000 frames of 200×60)"
      ),
      (
        ["export", "--article", "--steps", "1..3000", "--format", "asciicast"],
        "bytes of output (3000 frames of about"
      ),
      (
        [
          "check", "--input-size", "56", "--channels", "64", "--filters", "64", "--batch", "8",
          "--kernel-size", "3", "--padding", "1", "--check-db", "BUGS/A/b.npy",
        ],
        "implies 924844032 multiply–adds a pass (each known mistake recomputes it)"
      ),
      (
        [
          "render", "--input-size", "56", "--channels", "64", "--filters", "64", "--batch", "8",
          "--kernel-size", "3", "--padding", "1", "--check-db", "BUGS/A/b.npy",
        ],
        "(each known mistake recomputes it)"
      ),
    ])
  func otherFlags(arguments: [String], mentions: String) throws {
    let arguments = arguments.map {
      $0.replacingOccurrences(of: "BUGS", with: Binary.root.path + "/Tests/Fixtures/bugs")
    }
    try expectRefused(arguments, mentions: [mentions, "over the limit of"])
  }

  @Test("render --article --batch -1: a message, not a trap")
  func negativeArticleBatch() throws {
    try expectRefused(
      ["render", "--article", "--batch", "-1"], mentions: ["batch must be ≥ 1 (got -1)"])
  }

  /// A 200-byte case whose padding asks for 16 million outputs.
  static func paddedCase() throws -> String {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("convscope-work-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("padded.json").path
    let json = """
      {"format_version": 1, "op": "conv2d", "name": "padded",
       "params": {"stride": [1, 1], "padding": [2000, 2000], "dilation": [1, 1]},
       "shapes": {"x": [1, 1, 1, 1], "w": [1, 1, 1, 1], "b": [1]},
       "x": [1], "w": [1], "b": [0]}
      """
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test("compute and steps: a tiny case whose padding asks for 16 million outputs")
  func paddedCaseFile() throws {
    let path = try Self.paddedCase()
    defer { try? FileManager.default.removeItem(atPath: path) }
    try expectRefused(
      ["compute", path], mentions: ["y (1, 1, 4001, 4001) implies 16008001 values to write"])
    try expectRefused(
      ["steps", path], mentions: ["--phase forward implies 16008001 lines to list", "--at K"])
  }
}

// MARK: - Stopping long work

/// Runs the built convscope with `arguments`, sends it `signal` after `after` seconds and
/// reports how it ended: `exit N` (it exited by itself) or `signal N` (the signal killed it),
/// then what it printed on standard error. Through python3, which sends the signal.
func interrupted(_ arguments: [String], signal: String, after: Double) throws -> (
  ended: String, stderr: String
) {
  let script = """
    import signal, subprocess, sys, time
    p = subprocess.Popen(sys.argv[3:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(float(sys.argv[2]))
    p.send_signal(getattr(signal, sys.argv[1]))
    err = p.communicate(timeout=30)[1]
    c = p.returncode
    print(("exit %d" % c) if c >= 0 else ("signal %d" % -c))
    sys.stdout.write(err.decode("utf-8", "replace"))
    """
  let r = try Binary.execute(
    "/usr/bin/env", ["python3", "-c", script, signal, String(after), Binary.path] + arguments,
    timeout: 60)
  let lines = r.stdout.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
  return (String(lines.first ?? ""), lines.count > 1 ? String(lines[1]) : "")
}

@Suite("Ctrl-C and SIGTERM stop long work cleanly")
struct InterruptionTests {
  @Test("SIGINT during gradcheck --cells 0: exit 130, nothing printed, no backtrace")
  func interruptGradcheck() throws {
    let (ended, stderr) = try interrupted(
      ["gradcheck", "--article", "--cells", "0"], signal: "SIGINT", after: 2)
    #expect(ended == "exit 130", "\(stderr)")
    #expect(stderr.isEmpty, "\(stderr)")
  }

  @Test("SIGTERM during a recording: exit 143 and no file, not even a temporary one")
  func terminateExport() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("convscope-interrupt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (ended, stderr) = try interrupted(
      [
        "export", "--article", "--steps", "1..5000", "--size", "200x60", "--ascii", "--color",
        "none", "--format", "asciicast", "--output",
        folder.appendingPathComponent("walk.cast").path,
      ], signal: "SIGTERM", after: 2)
    #expect(ended == "exit 143", "\(stderr)")
    #expect(stderr.isEmpty, "\(stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
  }
}

@Suite("long work shows its progress on a terminal", .serialized)
struct ProgressLineTests {
  @Test("gradcheck --cells 0 in a terminal: one updating line, then Ctrl-C ends it with 130")
  func progressInTerminal() throws {
    try #require(TmuxSession.available)
    let s = try TmuxSession.start(["gradcheck", "--article", "--cells", "0"], height: 10)
    defer { s.kill() }
    let screen = try s.waitFor(timeout: 20) { $0.contains("outputs evaluated)") }
    #expect(screen.contains("gradcheck: "), "\(screen)")
    let lines = screen.split(separator: "\n").filter { $0.contains("gradcheck: ") }
    #expect(lines.count == 1, "one line, updated in place: \(screen)")
    try s.send("C-c")
    #expect(s.exitStatus(timeout: 10) == 130)
    let after = try s.screen()
    #expect(!after.contains("outputs evaluated"), "the line is cleared: \(after)")
  }
}
