import ChildProcess
import ConvCore
import ConvFormats
import Foundation
import Testing

// MARK: - convscope code

@Suite("convscope code")
struct CodeCommandTests {
  /// Whether `python3` can import `module`.
  static func pythonHas(_ module: String) -> Bool {
    let r = try? ChildProcess.run("/usr/bin/env", ["python3", "-c", "import \(module)"])
    return r?.status == 0
  }

  static let hasNumPy = pythonHas("numpy")
  static let hasTorch = pythonHas("torch")

  /// Runs `python3` on `source` in `directory`; returns its standard output.
  static func runPython(_ source: String, in directory: URL) throws -> String {
    let script = directory.appendingPathComponent("export.py")
    try Data(source.utf8).write(to: script)
    let r = try Binary.execute("/usr/bin/env", ["python3", script.path])
    #expect(r.status == 0, "\(r.stderr)")
    return r.stdout
  }

  /// The tensors the program printed: `name d0 d1 … : v0 v1 …` per line.
  static func parse(_ output: String) throws -> [String: Tensor] {
    var result: [String: Tensor] = [:]
    for line in output.split(separator: "\n") {
      let halves = line.split(separator: ":", maxSplits: 1)
      try #require(halves.count == 2, "unexpected line \(line)")
      let head = halves[0].split(separator: " ")
      let name = String(head[0])
      let shape = head.dropFirst().compactMap { Int($0) }
      let values = halves[1].split(separator: " ").compactMap { Double($0) }.map(Float.init)
      result[name] = try Tensor(shape: shape, data: values, name: name)
    }
    return result
  }

  /// Exports the layer of `layerArgs` in `lang`, runs it, and checks its numbers with
  /// `convscope check` on the same layer.
  static func roundTrip(_ layerArgs: [String], lang: String) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-code-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("data")
    let r = try Binary.run(["code", "--lang", lang, "--output", data.path] + layerArgs)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stdout.contains("convscope\n"), "the program must not import convscope")
    #expect(!r.stdout.contains("import convscope"))
    let printed = try parse(try runPython(r.stdout, in: dir))
    #expect(Set(printed.keys) == ["y", "dx", "dw", "db"])
    var checkArgs = ["check"] + layerArgs
    for (name, tensor) in printed.sorted(by: { $0.key < $1.key }) {
      let path = dir.appendingPathComponent("\(name).npy").path
      try NPYWriter.write(tensor, to: path)
      checkArgs += ["--check-\(name)", path]
    }
    let check = try Binary.run(checkArgs)
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
  }

  static let layers: [[String]] = [
    ["--input-size", "5"],
    [
      "--input-size", "7,6", "--channels", "2", "--filters", "3", "--kernel-size", "3,2",
      "--stride", "2,1", "--padding", "1,2", "--dilation", "2,1", "--batch", "2",
    ],
    ["--input-size", "6", "--kernel-size", "3", "--padding", "1", "--relu", "--pool", "2"],
    ["--case", Binary.root.appendingPathComponent("Tests/Fixtures/bugs/A/case.json").path],
    // 441 input values: written to an .npy file and loaded.
    ["--input-size", "21", "--kernel-size", "3", "--filters", "2"],
    // Groups and each padding mode (issue 15).
    [
      "--input-size", "6,7", "--channels", "4", "--filters", "6", "--groups", "2",
      "--padding-mode", "reflect", "--padding", "1,2", "--batch", "2",
    ],
    [
      "--input-size", "5,6", "--channels", "3", "--filters", "3", "--groups", "3",
      "--padding-mode", "replicate", "--padding", "2", "--stride", "2",
    ],
    [
      "--input-size", "5", "--channels", "2", "--filters", "2", "--padding-mode", "circular",
      "--padding", "1", "--dilation", "2", "--relu",
    ],
    [
      "--input-size", "6", "--channels", "4", "--filters", "4", "--groups", "4", "--padding", "1",
      "--pool", "2",
    ],
    ["--case", Binary.root.appendingPathComponent("Tests/Fixtures/bugs/H/case.json").path],
  ]

  @Test(
    "the NumPy export runs and prints convscope's numbers",
    .enabled(if: hasNumPy, "python3 with numpy is not available (scripts/setup.sh installs it)"),
    arguments: layers)
  func numpyExport(_ layerArgs: [String]) throws {
    try Self.roundTrip(layerArgs, lang: "numpy")
  }

  @Test(
    "the PyTorch export runs and prints convscope's numbers",
    .enabled(if: hasTorch, "torch is not importable by python3: the PyTorch export is not run"),
    arguments: layers)
  func pytorchExport(_ layerArgs: [String]) throws {
    try Self.roundTrip(layerArgs, lang: "pytorch")
  }

  @Test("small tensors inline, large ones as .npy files in --output")
  func inlineAndFiles() throws {
    let small = try Binary.run(["code", "--input-size", "5"])
    #expect(small.status == 0)
    #expect(small.stdout.contains("x = np.array(["))
    #expect(!small.stdout.contains("np.load"))
    #expect(!small.stdout.contains("import torch"))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-code-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let large = try Binary.run([
      "code", "--input-size", "21", "--lang", "pytorch", "--output", dir.path,
    ])
    #expect(large.status == 0)
    #expect(large.stdout.contains("np.load(os.path.join(DATA, \"x.npy\"))"))
    #expect(large.stdout.contains("F.conv2d("))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.npy").path))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("w.npy").path))
  }

  @Test("without --output, large tensors go to a temporary directory the program names")
  func temporaryDirectory() throws {
    let r = try Binary.run(["code", "--input-size", "21"])
    #expect(r.status == 0)
    let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("DATA = ") })
    let path = String(line.split(separator: "\"")[1])
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(FileManager.default.fileExists(atPath: path + "/x.npy"))
  }

  @Test("--output makes only its last folder: a missing parent or a file is refused, nothing made")
  func outputFolderOnly() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-code-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: base) }
    let deep = base.appendingPathComponent("a/b")
    let r = try Binary.run(["code", "--input-size", "21", "--output", deep.path])
    #expect(r.status == 2)
    #expect(
      r.stderr.contains("--output's parent folder \(base.path)/a does not exist"), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1)
    #expect(!FileManager.default.fileExists(atPath: base.path), "folders were made")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: false)
    let file = base.appendingPathComponent("f")
    try "x".write(to: file, atomically: true, encoding: .utf8)
    let onFile = try Binary.run(["code", "--input-size", "21", "--output", file.path])
    #expect(onFile.status == 2)
    #expect(onFile.stderr.contains("--output names a file, not a folder"))
    let one = try Binary.run(["code", "--input-size", "21", "--output", base.path + "/new"])
    #expect(one.status == 0)
    #expect(FileManager.default.fileExists(atPath: base.path + "/new/x.npy"))
  }
}
