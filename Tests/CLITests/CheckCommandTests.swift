import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper
import Foundation
import TestSupport
import Testing

// MARK: - convscope check

@Suite("convscope check")
struct CheckCommandTests {
  /// `Tests/Fixtures/bugs` (written by `scripts/make_bug_fixtures.py`).
  static let bugs = Binary.root.appendingPathComponent("Tests/Fixtures/bugs")

  typealias Case = BugManifest.Case

  static let manifest = BugManifest.shared

  static func path(_ relative: String) -> String { bugs.appendingPathComponent(relative).path }

  /// The `--check-…` and `--layout` arguments of a case.
  static func checkArguments(_ c: Case) -> [String] {
    var args = ["--layout", c.layout]
    for key in ["y", "dx", "dw", "db"] {
      if let file = c.files[key] { args += ["--check-\(key)", path(file)] }
    }
    return args
  }

  /// Runs `check` and returns the status and the JSON report.
  static func runJSON(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
    -> (status: Int32, report: [String: Any])
  {
    let r = try Binary.run(["check", "--json"] + args, sourceLocation: sourceLocation)
    #expect(r.stderr.isEmpty, "\(r.stderr)", sourceLocation: sourceLocation)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
      sourceLocation: sourceLocation)
    return (r.status, report)
  }

  /// Asserts that the report names `c.expect` and nothing outside its allow-list.
  static func expectNamed(
    _ c: Case, _ status: Int32, _ report: [String: Any],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let named = (report["diagnoses"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(status == c.exit, "\(c.name): exit \(status)", sourceLocation: sourceLocation)
    if let expected = c.expect {
      #expect(named.contains(expected), "\(c.name): named \(named)", sourceLocation: sourceLocation)
      let others = Set(named).subtracting([expected]).subtracting(c.allow)
      #expect(others.isEmpty, "\(c.name): also named \(others)", sourceLocation: sourceLocation)
    } else if let words = c.pattern {
      #expect(named.isEmpty, "\(c.name): named \(named)", sourceLocation: sourceLocation)
      let texts = (report["patterns"] as? [[String: Any]] ?? []).compactMap {
        $0["text"] as? String
      }
      #expect(
        texts.contains { $0.contains(words) }, "\(c.name): patterns \(texts)",
        sourceLocation: sourceLocation)
    } else {
      #expect(named.isEmpty, "\(c.name): named \(named)", sourceLocation: sourceLocation)
      #expect(report["match"] as? Bool == true, sourceLocation: sourceLocation)
    }
  }

  /// `text` with every line break and the indentation after it turned into one space.
  static func unwrapped(_ text: String) -> String {
    text.replacingOccurrences(of: #"\n +"#, with: " ", options: .regularExpression)
  }

  // MARK: Fixtures

  @Test("the fixtures are there")
  func fixturesExist() {
    #expect(Self.manifest.cases.count >= 40, "run scripts/make_bug_fixtures.py")
  }

  /// Cases whose output gradient is the case file's `dy` (a case file cannot say `output`).
  static let caseFileCases = manifest.cases.filter { $0.gradient == "tensor" }

  @Test("names each fixture's bug from a case file", arguments: caseFileCases)
  func namesBugFromCaseFile(_ c: Case) throws {
    let s = try #require(Self.manifest.scenarios[c.scenario])
    let (status, report) = try Self.runJSON(
      ["--case", Self.path(s.case)] + Self.checkArguments(c))
    Self.expectNamed(c, status, report)
  }

  /// The scenario's file `relative` as the data flags read it in `layout`: the file itself
  /// for nchw; for nhwc a copy channels last (`axes` NumPy's transpose order: x and dy
  /// `[0, 2, 3, 1]`, w HWIO `[2, 3, 1, 0]`), since `--layout nhwc` reads --input, --kernel and
  /// --grad channels last too.
  static func dataFile(_ relative: String, layout: String, axes: [Int], in dir: URL) throws
    -> String
  {
    guard layout == "nhwc" else { return path(relative) }
    let t = try TensorFile.load(path: path(relative)).tensor
    let out = dir.appendingPathComponent(relative.replacingOccurrences(of: "/", with: "-")).path
    try NPYWriter.write(t.permuted(axes), to: out)
    return out
  }

  @Test("names each fixture's bug from the data flags", arguments: manifest.cases)
  func namesBugFromFlags(_ c: Case) throws {
    let s = try #require(Self.manifest.scenarios[c.scenario])
    func pair(_ v: [Int]) -> String { "\(v[0]),\(v[1])" }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-flags-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    func data(_ file: String, _ axes: [Int]) throws -> String {
      try Self.dataFile(file, layout: c.layout, axes: axes, in: dir)
    }
    var args = [
      "--input", try data(s.x, [0, 2, 3, 1]), "--kernel", try data(s.w, [2, 3, 1, 0]),
      "--bias", Self.path(s.b), "--stride", pair(s.stride), "--padding", pair(s.padding),
      "--dilation", pair(s.dilation), "--lr", "\(s.lr)",
    ]
    if let groups = s.groups { args += ["--groups", "\(groups)"] }
    if let mode = s.paddingMode { args += ["--padding-mode", mode] }
    if c.gradient == "output" {
      args += ["--grad", "output"]
    } else if let dy = s.dy {
      args += ["--grad", try data(dy, [0, 2, 3, 1])]
    }
    let (status, report) = try Self.runJSON(args + Self.checkArguments(c))
    Self.expectNamed(c, status, report)
  }

  // MARK: The text report

  @Test("the text report: shapes, counts, the first cell with its formula, the fix")
  func textReport() throws {
    let c = try #require(Self.manifest.cases.first { $0.name == "A-kernel-flipped" })
    let s = try #require(Self.manifest.scenarios["A"])
    var args = ["check", "--case", Self.path(s.case)]
    for key in ["y", "dx", "dw", "db"] {
      if let f = c.files[key] { args += ["--check-\(key)", Self.path(f)] }
    }
    let r = try Binary.run(args)
    #expect(r.status == 1)
    let out = r.stdout
    #expect(out.contains("y   DIFFERS"))
    #expect(out.contains("252 of 252 cells differ"))
    #expect(out.contains("first differing cell: y[0,0,0,0]: yours"))
    #expect(out.contains("correct: y[0,0,0,0] = b + Σ x·w = "))
    #expect(out.contains("db  agrees"))
    #expect(out.contains("1. the kernel is flipped"))
    #expect(out.contains("[kernel-flipped] reproduces your y, dx, dw exactly"))
    #expect(out.contains("Fix: Use w[f, c, p, q]"))
    #expect(out.contains("Result: y, dx, dw differ (exit status 1)."))
  }

  @Test("a grouped, reflect-padded layer: its line, the C/G-wide dw, its mistakes named")
  func groupedReport() throws {
    let s = try #require(Self.manifest.scenarios["H"])
    func run(_ name: String) throws -> Binary.Output {
      let c = try #require(Self.manifest.cases.first { $0.name == name })
      var args = ["check", "--case", Self.path(s.case)]
      for key in ["y", "dx", "dw", "db"] {
        if let f = c.files[key] { args += ["--check-\(key)", Self.path(f)] }
      }
      return try Binary.run(args)
    }
    let right = try run("H-correct")
    #expect(right.status == 0)
    #expect(right.stdout.contains("dilation 1, groups 2, padding_mode reflect → output 6×7"))
    #expect(right.stdout.contains("Your numbers are right."))
    let first = try run("H-groups-first-group")
    #expect(first.status == 1)
    #expect(first.stdout.contains("1. groups ignored: every filter reads the first group's"))
    #expect(first.stdout.contains("[groups-first-group] reproduces your y, dx, dw"))
    let all = try run("H-groups-ignored")
    #expect(all.stdout.contains("but the layer's dw is (4, 2, 3, 3) [F, C/G, KH, KW]"))
    #expect(all.stdout.contains("[groups-ignored] reproduces your dw"))
    let zeros = try run("H-padding-mode-ignored")
    #expect(zeros.stdout.contains("1. padding_mode ignored: the padding is zeros"))
    #expect(zeros.stdout.contains("[padding-mode-ignored] reproduces your y, dx, dw exactly"))
  }

  @Test("correct numbers: exit 0, and the blind spots of symmetric data are listed")
  func correctWithBlindSpots() throws {
    let c = try #require(Self.manifest.cases.first { $0.name == "F-correct" })
    let s = try #require(Self.manifest.scenarios["F"])
    let r = try Binary.run([
      "check", "--case", Self.path(s.case), "--check-y", Self.path(c.files["y"] ?? ""),
    ])
    #expect(r.status == 0)
    #expect(r.stdout.contains("Your numbers are right."))
    #expect(r.stdout.contains("Blind spots:"))
    #expect(r.stdout.contains("kernel-flipped"))
  }

  @Test("indistinguishable mistakes are named together, with what would separate them")
  func indistinguishable() throws {
    let c = try #require(
      Self.manifest.cases.first { $0.name == "A-dx-cropped-at-corner-alone" })
    let s = try #require(Self.manifest.scenarios["A"])
    let r = try Binary.run([
      "check", "--case", Self.path(s.case), "--check-dx", Self.path(c.files["dx"] ?? ""),
    ])
    #expect(r.status == 1)
    let out = Self.unwrapped(r.stdout)
    #expect(out.contains("give the same numbers on this data"))
    #expect(out.contains("Checking y and dw too would tell them apart."))
  }

  @Test("the article's empty output where no window fits (bug 6)")
  func noWindow() throws {
    let c = try #require(Self.manifest.cases.first { $0.scenario == "E" })
    let s = try #require(Self.manifest.scenarios["E"])
    let y = Self.path(c.files["y"] ?? "")
    let r = try Binary.run([
      "check", "--case", Self.path(s.case), "--layout", "nhwc", "--check-y", y,
    ])
    #expect(r.status == 1)
    let out = Self.unwrapped(r.stdout)
    #expect(out.contains("no window fits"))
    #expect(out.contains("int((3 − 5)/2 + 1) = int(0.0) = 0"))
    // A non-empty y for a layer that has no output is bad input.
    let bad = try Binary.run([
      "check", "--case", Self.path(s.case), "--check-y", Self.path(s.x),
    ])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("no window fits"))
  }

  // MARK: Tolerance

  @Test("a correct float32 layer passes; --strict (plain allclose) fails it on cancelling cells")
  func float32Tolerance() throws {
    let s = try #require(Self.manifest.scenarios["G"])
    let y = Self.path("G/float32/y.npy")
    let (status, report) = try Self.runJSON(["--case", Self.path(s.case), "--check-y", y])
    #expect(status == 0)
    #expect((report["tensors"] as? [[String: Any]])?.first?["mismatches"] as? Int == 0)
    let (strict, strictReport) = try Self.runJSON([
      "--case", Self.path(s.case), "--check-y", y, "--strict",
    ])
    #expect(strict == 1)
    let tensors = try #require(strictReport["tensors"] as? [[String: Any]])
    #expect((tensors.first?["mismatches"] as? Int ?? 0) > 0)
    // Loose enough tolerances accept the same numbers without the allowance.
    let (loose, _) = try Self.runJSON([
      "--case", Self.path(s.case), "--check-y", y, "--strict", "--rtol", "1e-3", "--atol", "1e-4",
    ])
    #expect(loose == 0)
  }

  // MARK: The layer flags

  @Test("the first lesson (no layer flags): right, and with the kernel flipped")
  func firstLesson() throws {
    let s = Scenario.firstLesson
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-check-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let y = try Conv2D.forward(
      x: s.input, weight: s.weight, bias: s.bias, config: s.config, backend: .reference)
    var flipped = s.weight
    for p in 0..<3 {
      for q in 0..<3 { flipped[[0, 0, p, q]] = s.weight[[0, 0, 2 - p, 2 - q]] }
    }
    let yFlipped = try Conv2D.forward(
      x: s.input, weight: flipped, bias: s.bias, config: s.config, backend: .reference)
    let right = dir.appendingPathComponent("y.npy").path
    let wrong = dir.appendingPathComponent("y_flipped.npy").path
    try NPYWriter.write(y, to: right)
    try NPYWriter.write(yFlipped, to: wrong)
    let (status, _) = try Self.runJSON(["--check-y", right])
    #expect(status == 0)
    let (bad, report) = try Self.runJSON(["--check-y", wrong])
    #expect(bad == 1)
    let named = (report["diagnoses"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(named.first == "kernel-flipped", "named \(named)")
  }

  // MARK: Bad input

  @Test(
    "bad input: one line and exit status 2",
    arguments: [
      (["check"], "nothing to check"),
      (["check", "--check-y", "/nonexistent/y.npy"], "no such file"),
      (["check", "--check-y", "/dev/null"], "not a regular file"),
      (["check", "--rtol=-1", "--check-y", "README.md"], "rtol"),
    ])
  func badInput(_ args: [String], _ mentions: String) throws {
    let r = try Binary.run(args)
    #expect(r.status == 2)
    #expect(r.stderr.contains(mentions), "\(r.stderr)")
    #expect(r.stderr.hasPrefix("convscope: error: "))
    #expect(r.stderr.split(separator: "\n").count == 1)
  }

  @Test("--case and the layer flags together are refused")
  func caseAndFlags() throws {
    let s = try #require(Self.manifest.scenarios["A"])
    let r = try Binary.run([
      "check", "--case", Self.path(s.case), "--stride", "2", "--check-y", Self.path(s.x),
    ])
    #expect(r.status == 2)
    #expect(r.stderr.contains("either --case or the layer and data flags"))
    let withInput = try Binary.run([
      "check", "--case", Self.path(s.case), "--input", Self.path(s.x), "--check-y", Self.path(s.x),
    ])
    #expect(withInput.status == 2, "--input with --case must be refused, not ignored")
  }
}
