import ConvCore
import ConvFormats
import Foundation
import Testing

// MARK: - check and code on conv_transpose2d cases

@Suite("convscope check and code: transposed cases")
struct TransposedCheckCommandTests {
  /// Every public and PyTorch-made conv_transpose2d case.
  static let cases: [String] = {
    var r: [String] = []
    for folder in ["Tests/Fixtures/conv-vectors", "Tests/Fixtures/torch-cases"] {
      let dir = Binary.root.appendingPathComponent(folder)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      for name in names.sorted()
      where name.hasSuffix(".json") && (name.hasPrefix("convT_") || name.hasPrefix("torch_convT_"))
      {
        r.append(dir.appendingPathComponent(name).path)
      }
    }
    return r
  }()

  /// A case with groups, stride (2, 3) and output_padding (0, 2).
  static let grouped = Binary.root.appendingPathComponent(
    "Tests/Fixtures/torch-cases/torch_convT_s2x3_g2_op0x2.json"
  ).path

  /// A new temporary folder.
  static func folder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-convT-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Writes `tensors` as `NAME.npy` in `dir`; the `--check-NAME` arguments.
  static func write(_ tensors: [String: Tensor], in dir: URL) throws -> [String] {
    var args: [String] = []
    for (name, t) in tensors.sorted(by: { $0.key < $1.key }) {
      let path = dir.appendingPathComponent("\(name).npy").path
      try NPYWriter.write(t, to: path)
      args += ["--check-\(name)", path]
    }
    return args
  }

  @Test("the case's own y, dx, dw, db agree: exit 0, in text and JSON", arguments: cases)
  func ownNumbersAgree(_ path: String) throws {
    let c = try ConvCase.load(path: path)
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let args = try Self.write(c.tensors.filter { ConvCase.outputKeys.contains($0.key) }, in: dir)
    let text = try Binary.run(["check", "--case", path] + args)
    #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
    #expect(text.stdout.contains("transposed convolution (ConvTranspose2d)"))
    #expect(text.stdout.contains("Result: everything agrees (exit status 0)."))
    let json = try Binary.run(["check", "--json", "--case", path] + args)
    #expect(json.status == 0)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(report["match"] as? Bool == true)
    #expect((report["layer"] as? [String: Any])?["transposed"] as? Bool == true)
    #expect((report["tensors"] as? [Any])?.count == 4)
  }

  @Test("y without its output_padding columns: exit 1, the mistake named in text and JSON")
  func outputPaddingForgotten() throws {
    let c = try ConvCase.load(path: Self.grouped)
    let y = try c.tensor("y")
    let (n, f, oh, ow) = (y.shape[0], y.shape[1], y.shape[2], y.shape[3])
    var cropped = Tensor(shape: [n, f, oh, ow - 2])
    for plane in 0..<(n * f) {
      for i in 0..<oh {
        for j in 0..<(ow - 2) {
          cropped.data[(plane * oh + i) * (ow - 2) + j] = y.data[(plane * oh + i) * ow + j]
        }
      }
    }
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let args = try Self.write(["y": cropped], in: dir)
    let text = try Binary.run(["check", "--case", Self.grouped] + args)
    #expect(text.status == 1)
    #expect(text.stdout.contains("[transposed-output-padding-forgotten] reproduces your y"))
    #expect(text.stdout.contains("but the layer's y is (2, 6, 7, 9) [N, F, OH, OW]"))
    let json = try Binary.run(["check", "--json", "--case", Self.grouped] + args)
    #expect(json.status == 1)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let ids = (report["diagnoses"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(ids == ["transposed-output-padding-forgotten"])
    #expect((report["layer"] as? [String: Any])?["output_padding"] as? [Int] == [0, 2])
  }

  /// `Tests/Fixtures/transposed-bugs/manifest.json` (scripts/make_transposed_bug_fixtures.py):
  /// a user's tensors made with each mistake by PyTorch (gradients by autograd), and the id
  /// `check` must name (none for the correct ones).
  static let planted: [(caseFile: String, folder: String, expect: String?, tensors: [String])] = {
    let dir = Binary.root.appendingPathComponent("Tests/Fixtures/transposed-bugs")
    guard let data = try? Data(contentsOf: dir.appendingPathComponent("manifest.json")),
      let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    else { return [] }
    return list.compactMap { e in
      guard let c = e["case"] as? String, let f = e["folder"] as? String else { return nil }
      return (
        Binary.root.appendingPathComponent("Tests/Fixtures/" + c).path,
        dir.appendingPathComponent(f).path, e["expect"] as? String,
        e["tensors"] as? [String] ?? []
      )
    }
  }()

  @Test("the planted fixtures: the mistake PyTorch made is named alone (exit 1), correct exits 0")
  func plantedFixtures() throws {
    #expect(Self.planted.count >= 20)
    for p in Self.planted {
      var args = ["check", "--json", "--case", p.caseFile]
      #expect(!p.tensors.isEmpty, "\(p.folder)")
      for name in p.tensors { args += ["--check-\(name)", p.folder + "/\(name).npy"] }
      let r = try Binary.run(args)
      let report = try JSONOutputPinTests.object(r.stdout)
      let ids = (report["diagnoses"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      #expect(r.status == (p.expect == nil ? 0 : 1), "\(p.folder): exit \(r.status)")
      #expect(ids == (p.expect.map { [$0] } ?? []), "\(p.folder): named \(ids)")
      #expect((report["unexplained"] as? [String])?.isEmpty == true, "\(p.folder)")
    }
  }

  @Test(
    "check --json on a transposed case: conv2d's keys, the layer's transposed and output_padding")
  func jsonPin() throws {
    let c = try ConvCase.load(path: Self.grouped)
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    var dx = try c.tensor("dx")
    dx.data[0] += 1
    let args = try Self.write(["dx": dx], in: dir)
    let json = try Binary.run(["check", "--json", "--case", Self.grouped] + args)
    #expect(json.status == 1)
    #expect(json.stdout.split(separator: "\n").count == 1)
    let root = try JSONOutputPinTests.object(json.stdout)
    #expect(
      JSONOutputPinTests.keys(root) == [
        "layer", "layout", "tolerance", "match", "tensors", "diagnoses", "unexplained",
        "patterns", "blind_spots", "notes", "setup",
      ])
    #expect(
      JSONOutputPinTests.keys(root["layer"]) == [
        "batch", "in_channels", "input", "filters", "kernel", "stride", "padding", "dilation",
        "groups", "output", "transposed", "output_padding",
      ])
    let tensors = try #require(root["tensors"] as? [[String: Any]])
    let first = try #require(tensors.first?["first_mismatch"] as? [String: Any])
    #expect(first["index"] as? [Int] == [0, 0, 0, 0])
    #expect((first["formula"] as? String)?.hasPrefix("dx[0,0,0,0] = Σ dy·w = ") == true)
    #expect(root["unexplained"] as? [String] == ["dx"])
    let patterns = try #require(root["patterns"] as? [[String: Any]])
    #expect(patterns.count == 1)
    #expect(patterns.first?["tensor"] as? String == "dx")
    #expect((patterns.first?["windows"] as? [Int])?.isEmpty == true)
    #expect((patterns.first?["text"] as? String)?.hasPrefix("dx differs in 1 of 96 cells") == true)
  }

  @Test("--transposed flags: code's program prints numbers that check on the same flags accepts")
  func transposedFlags() throws {
    let flags = [
      "--transposed", "--input-size", "4,3", "--channels", "4", "--filters", "6", "--groups", "2",
      "--kernel-size", "3,2", "--stride", "2", "--padding", "1", "--output-padding", "1,0",
    ]
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let code = try Binary.run(["code"] + flags)
    #expect(code.status == 0, "\(code.stderr)")
    #expect(code.stdout.contains("dilation = (2, 2), (1, 1), (1, 0), (1, 1)"))
    #expect(code.stdout.contains("groups = 2  # w is [C, F/groups, KH, KW]"))
    guard CodeCommandTests.hasNumPy else { return }
    let out = try CodeCommandTests.runPython(code.stdout, in: dir)
    let printed = dir.appendingPathComponent("out.txt")
    try Data(out.utf8).write(to: printed)
    let check = try Binary.run(["check"] + flags + ["--check-all", printed.path])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(check.stdout.contains("transposed convolution (ConvTranspose2d)"))
    var y = try #require(try CodeCommandTests.parse(out)["y"])
    y.data[0] += 1
    let args = try Self.write(["y": y], in: dir)
    let wrong = try Binary.run(["check"] + flags + args)
    #expect(wrong.status == 1)
    #expect(wrong.stdout.contains("first differing cell: y[0,0,0,0]"))
  }

  @Test("bad input exits 2: a missing file, a case mixed with the article's layer")
  func badInput() throws {
    let missing = try Binary.run(["check", "--case", Self.grouped, "--check-y", "/nonexistent.npy"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("convscope: error:"))
    let mixed = try Binary.run(["code", "--case", Self.grouped, "--article"])
    #expect(mixed.status == 2)
    #expect(mixed.stderr.contains("not both"))
    let nothing = try Binary.run(["check", "--case", Self.grouped])
    #expect(nothing.status == 2)
  }

  @Test("code writes nn.ConvTranspose2d and the scatter loops with the case's parameters")
  func programs() throws {
    let torch = try Binary.run(["code", "--lang", "pytorch", "--case", Self.grouped])
    #expect(torch.status == 0, "\(torch.stderr)")
    #expect(
      torch.stdout.contains(
        "conv = torch.nn.ConvTranspose2d(4, 6, (3, 3), stride=stride, padding=padding, "
          + "output_padding=output_padding,"))
    #expect(torch.stdout.contains("groups=groups, dilation=dilation, bias=True"))
    #expect(
      torch.stdout.contains(
        "stride, padding, output_padding, dilation = (2, 3), (1, 1), (0, 2), (1, 1)"))
    #expect(torch.stdout.contains("groups = 2  # w is [C, F/groups, KH, KW]"))
    #expect(!torch.stdout.contains("F.conv2d"))
    let numpy = try Binary.run(["code", "--case", Self.grouped])
    #expect(numpy.status == 0)
    #expect(numpy.stdout.contains("def conv_transpose2d_forward("))
    #expect(!numpy.stdout.contains("import torch"))
  }

  /// Runs `code --lang lang` on `path`, the program with python3, and returns what it printed;
  /// also checks its numbers with `check --check-all` (exit 0).
  static func roundTrip(_ path: String, lang: String) throws -> [String: Tensor] {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("data")
    let r = try Binary.run(["code", "--lang", lang, "--output", data.path, "--case", path])
    #expect(r.status == 0, "\(r.stderr)")
    let out = try CodeCommandTests.runPython(r.stdout, in: dir)
    let printed = dir.appendingPathComponent("out.txt")
    try Data(out.utf8).write(to: printed)
    let check = try Binary.run(["check", "--case", path, "--check-all", printed.path])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    return try CodeCommandTests.parse(out)
  }

  /// Asserts the printed tensors equal TransposedConv's on the case.
  static func expectFastPathNumbers(_ printed: [String: Tensor], _ path: String) throws {
    let c = try ConvCase.load(path: path)
    let spec = try #require(c.general)
    let (x, w, b, dy) = (
      try c.tensor("x"), try c.tensor("w"), try c.tensor("b"), try c.tensor("dy")
    )
    let y = try TransposedConv.forward(x: x, weight: w, bias: b, spec: spec)
    let g = try TransposedConv.backward(x: x, weight: w, dy: dy, spec: spec)
    for (name, t) in [("y", y), ("dx", g.dx), ("dw", g.dw), ("db", g.db)] {
      let p = try #require(printed[name], "\(name)")
      #expect(p.shape == t.shape, "\(path) \(name)")
      #expect(p.maxAbsDifference(to: t) < 1e-4, "\(path) \(name)")
    }
  }

  @Test(
    "the NumPy program of every transposed case runs and prints TransposedConv's numbers",
    .enabled(if: CodeCommandTests.hasNumPy, "python3 with numpy is not available"),
    arguments: cases)
  func numpyExport(_ path: String) throws {
    try Self.expectFastPathNumbers(try Self.roundTrip(path, lang: "numpy"), path)
  }

  @Test(
    "the PyTorch program of every transposed case runs and prints TransposedConv's numbers",
    .enabled(if: CodeCommandTests.hasTorch, "torch is not importable by python3"),
    arguments: cases)
  func pytorchExport(_ path: String) throws {
    try Self.expectFastPathNumbers(try Self.roundTrip(path, lang: "pytorch"), path)
  }
}
