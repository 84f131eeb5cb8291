import ChildProcess
import Foundation
import Testing

// MARK: - Running the real binary

/// Runs the built `convscope` executable and captures what it prints.
enum Binary {
  /// The repository root.
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The executable: `$CONVSCOPE_BIN`, else `convscope` beside the test bundle.
  static var path: String {
    if let p = ProcessInfo.processInfo.environment["CONVSCOPE_BIN"], !p.isEmpty { return p }
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return bundle.appendingPathComponent("convscope").path
  }

  /// The fixture folder of the shared test vectors.
  static let vectors = root.appendingPathComponent("Tests/Fixtures/conv-vectors")

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `convscope` with `arguments`; fails the test when the binary is missing, or when it
  /// still runs after `timeout` seconds (it is killed).
  static func run(
    _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
    timeout: Double = 300, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Output {
    guard FileManager.default.isExecutableFile(atPath: path) else {
      Issue.record(
        "no convscope binary at \(path): run `swift build` first (make test does)",
        sourceLocation: sourceLocation)
      throw Missing()
    }
    return try execute(
      path, arguments, environment: environment, stdin: stdin, timeout: timeout,
      sourceLocation: sourceLocation)
  }

  /// Runs any executable with `arguments` (through ``ChildProcess``, which reads both pipes as
  /// they fill and never waits on a child it did not start); `environment` is added to this
  /// process's. A child still running after `timeout` seconds is killed and the test fails.
  static func execute(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    stdin: String? = nil, timeout: Double = 300,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Output {
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let r = try ChildProcess.run(
      executable, arguments, environment: env, stdin: Array((stdin ?? "").utf8),
      timeout: timeout)
    if r.timedOut {
      Issue.record(
        "\(executable) \(arguments.joined(separator: " ")) still ran after \(timeout) s: killed",
        sourceLocation: sourceLocation)
    }
    return Output(status: r.status, stdout: r.stdoutText, stderr: r.stderrText)
  }

  /// `convscope compute PATH`'s JSON, and the case file's own (both as objects); the test fails
  /// when compute does not exit 0.
  static func computed(
    _ path: String, timeout: Double = 300, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> (computed: [String: Any], expected: [String: Any]) {
    let result = try run(["compute", path], timeout: timeout, sourceLocation: sourceLocation)
    #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
    let computed = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
      sourceLocation: sourceLocation)
    let expected = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        as? [String: Any], sourceLocation: sourceLocation)
    return (computed, expected)
  }

  struct Missing: Error {}
}
