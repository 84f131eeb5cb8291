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

  /// Runs `convscope` with `arguments`; fails the test when the binary is missing.
  static func run(
    _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Output {
    guard FileManager.default.isExecutableFile(atPath: path) else {
      Issue.record(
        "no convscope binary at \(path): run `swift build` first (make test does)",
        sourceLocation: sourceLocation)
      throw Missing()
    }
    return try execute(path, arguments, environment: environment, stdin: stdin)
  }

  /// Runs any executable with `arguments`, reading both pipes before waiting (so a large output
  /// cannot block the child); `environment` is added to this process's.
  static func execute(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    stdin: String? = nil
  ) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  struct Missing: Error {}
}
