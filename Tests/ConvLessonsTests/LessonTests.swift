import ConvCore
import ConvFormats
import ConvStepper
import Foundation
import TestSupport
import Testing

@testable import ConvLessons

// MARK: - Lessons

@Suite("Lessons")
struct LessonTests {
  static let folder = FormatFixtures.root.appendingPathComponent("lessons")

  @Test("the shipped lessons are exactly the files in lessons/, byte for byte")
  func embeddedMatchFiles() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
      .filter { $0.hasSuffix(".lesson") }.sorted()
    #expect(
      files.map { String($0.dropLast(7)) }.sorted() == BuiltinLessons.all.map(\.name).sorted())
    for entry in BuiltinLessons.all {
      let text = try String(
        contentsOf: Self.folder.appendingPathComponent("\(entry.name).lesson"), encoding: .utf8)
      #expect(text == entry.text, "\(entry.name).lesson differs from the shipped text")
    }
  }

  @Test("the issue's lessons ship")
  func shipped() {
    for name in [
      "article", "padding", "stride", "dilation", "rgb-edges", "impulse-backward", "conv-relu-pool",
    ] {
      #expect(BuiltinLessons.named(name) != nil, "missing lesson \(name)")
    }
  }

  @Test(
    "every shipped lesson opens and every phase walks to its end",
    arguments: BuiltinLessons.all.map(\.name))
  func opensAndWalks(name: String) throws {
    let request = try BuiltinLessons.request(for: name)
    if request.transposed == true {
      let s = try TransposedBuilder.build(request).scenario
      #expect(!s.title.isEmpty && !s.text.isEmpty)
      let trace = try TransposedTrace(s)
      for phase in TransposedScenario.phases { #expect(trace.stepCount(phase) > 0) }
      _ = try LayerTrace(s.zeroInsertionScenario(dy: trace.dy))
      _ = try LayerTrace(s.adjointScenario(dy: trace.dy))
      return
    }
    let scenario = try ScenarioBuilder.build(request).scenario
    #expect(!scenario.title.isEmpty && !scenario.text.isEmpty)
    let batch = min(scenario.input.shape[0], 2)
    var small = scenario
    if name == "article" {  // keep the debug-build test quick: two samples of the batch
      small.input = try Tensor(
        shape: [batch, 1, 32, 32], data: Array(scenario.input.data.prefix(batch * 1024)))
    }
    let trace = try LayerTrace(small)
    for phase in small.phases {
      let t = try Timeline(trace: trace, phase: phase, scope: TimelineScope(sample: 0))
      #expect(t.windowCount > 0)
      let end = t.state(at: t.tickCount - 1)
      #expect(end.done > 0)
    }
  }

  @Test("lessons that promise a lesson keep it")
  func lessonFacts() throws {
    let stride = try ScenarioBuilder.build(try BuiltinLessons.request(for: "stride")).scenario
    let g = try stride.geometry()
    #expect(g.output == Size2(3) && g.rowsDroppedByFloor() == [7])
    let impulse = try ScenarioBuilder.build(try BuiltinLessons.request(for: "impulse-backward"))
      .scenario
    #expect(impulse.startPhase == .backward)
    let trace = try LayerTrace(impulse)
    // dx of an impulse dy is the kernel itself, over the window of that output cell.
    let dx = trace.gradients.dx
    #expect(dx[n: 0, c: 0, h: 2, w: 2] == 1 && dx[n: 0, c: 0, h: 4, w: 4] == 9)
    #expect(dx.data.filter { $0 != 0 }.count == 9)
    let block = try ScenarioBuilder.build(try BuiltinLessons.request(for: "conv-relu-pool"))
      .scenario
    #expect(block.phases.count == 7)
    let rgb = try ScenarioBuilder.build(try BuiltinLessons.request(for: "rgb-edges")).scenario
    #expect(rgb.input.shape == [1, 3, 24, 24] && rgb.weight.shape == [3, 3, 3, 3])
  }

  // MARK: Round trip

  static func bits(_ t: Tensor) -> [UInt32] { t.data.map(\.bitPattern) }

  @Test("writing a scenario and reading it back keeps every value, bit for bit")
  func roundTrip() throws {
    var s = Scenario.firstLesson
    s.input.data[3] = -0.0
    s.input.data[4] = 0.1
    s.input.data[5] = .nan
    s.input.data[6] = -.infinity
    s.input.data[7] = Float.leastNonzeroMagnitude
    s.input.data[8] = 3.4e38
    s.weight.data[0] = -1.0e-7
    s.bias.data[0] = 0.333_333_34
    s.relu = true
    s.pool = MaxPool2DConfig(kernel: 2, stride: 1)
    s.learningRate = 0.015
    s.gradient = .tensor(Tensor.normal(shape: try s.blockOutputShape(), seed: 3))
    s.startPhase = .pool
    s.startStep = 4
    let text = LessonFile.write(s)
    let back = try ScenarioBuilder.build(try LessonFile.parse(text, source: "test")).scenario
    #expect(Self.bits(back.input) == Self.bits(s.input))
    #expect(Self.bits(back.weight) == Self.bits(s.weight))
    #expect(Self.bits(back.bias) == Self.bits(s.bias))
    #expect(back.config == s.config && back.relu && back.pool == s.pool)
    #expect(back.learningRate == s.learningRate)
    #expect(back.startPhase == .pool && back.startStep == 4)
    guard case .tensor(let g0) = s.gradient, case .tensor(let g1) = back.gradient else {
      Issue.record("the gradient did not survive")
      return
    }
    #expect(Self.bits(g0) == Self.bits(g1))
    #expect(back.title == s.title && back.text == s.text)
  }

  @Test("flags override a lesson's values")
  func overrides() throws {
    var flags = ScenarioRequest()
    flags.stride = Size2(2)
    flags.title = "Mine"
    let request = try BuiltinLessons.request(for: "padding").overridden(by: flags)
    let s = try ScenarioBuilder.build(request).scenario
    #expect(s.config.stride == Size2(2) && s.config.padding == Size2(1))
    #expect(s.title == "Mine")
    #expect(s.input.shape == [1, 1, 5, 5])
  }

  // MARK: Errors

  @Test(
    "bad lesson files: one line naming the file, the line and the problem",
    arguments: [
      ("colour: red", "lesson.txt:1: unknown key \"colour\""),
      ("stride: 1\nstride: 2", "lesson.txt:2: \"stride\" is set twice"),
      ("padding: one", "lesson.txt:1: padding: \"one\" is not n or h,w"),
      ("phase: sideways", "lesson.txt:1: phase: \"sideways\" is not one of"),
      ("input (1, 1, 2, 2):\n  1 2\n  3 x", "lesson.txt:3: \"x\" is not a number"),
      ("input:\n  1 2\n  3", "lesson.txt:3: row of 1 values; earlier rows have 2"),
      ("input (1, 1, 3, 3):\n  1 2 3", "lesson.txt:1: the input block has 3 values"),
      ("  1 2 3", "lesson.txt:1: indented line outside a block"),
      ("title", "lesson.txt:1: expected `key: value`"),
      ("relu: maybe", "lesson.txt:1: relu: \"maybe\" is not yes or no"),
      ("input (0, 2):", "lesson.txt:1: input: the shape (0, 2) is not a list of sizes ≥ 1"),
    ])
  func badFiles(text: String, message: String) {
    #expect {
      try LessonFile.parse(text, source: "lesson.txt")
    } throws: { error in
      let m = "\(error)"
      return m.hasPrefix(message) && !m.contains("\n")
    }
  }

  @Test("a lesson made on Windows (CRLF lines, a byte order mark) reads as the same lesson")
  func windowsLineEnds() throws {
    let unix = "# a comment\ntitle: a\nstride: 2\ninput (1, 1, 2, 2):\n  1 2\n  3 4\n"
    let windows = "\u{FEFF}" + unix.replacingOccurrences(of: "\n", with: "\r\n")
    let a = try LessonFile.parse(unix, source: "unix")
    let b = try LessonFile.parse(windows, source: "windows")
    #expect(b.title == "a" && b.stride == Size2(2))
    #expect(b.input == a.input && b.title == a.title && b.stride == a.stride)
    let oldMac = unix.replacingOccurrences(of: "\n", with: "\r")
    #expect(try LessonFile.parse(oldMac, source: "mac").stride == Size2(2))
  }

  @Test("a lesson reads files in its own folder only: ../, absolute paths, links out, cwd files")
  func confinedToItsFolder() throws {
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("convscope-lesson-\(UUID().uuidString)")
    defer { try? fm.removeItem(at: root) }
    let folder = root.appendingPathComponent("lesson")
    try fm.createDirectory(
      at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
    let secret = root.appendingPathComponent("secret.csv")
    try "1,2\n3,4\n".write(to: secret, atomically: true, encoding: .utf8)
    try "1,2\n3,4\n".write(
      to: folder.appendingPathComponent("sub/grid.csv"), atomically: true, encoding: .utf8)
    try fm.createSymbolicLink(
      at: folder.appendingPathComponent("out.csv"), withDestinationURL: secret)
    let lesson = folder.appendingPathComponent("a.lesson")
    func read(_ value: String) throws -> ScenarioRequest {
      try "input: \(value)\n".write(to: lesson, atomically: true, encoding: .utf8)
      return try LessonFile.load(path: lesson.path)
    }
    for outside in ["../secret.csv", secret.path, "out.csv", "sub/../../secret.csv", "~/x.csv"] {
      let error = try #require(throws: InputError.self) { try read(outside) }
      #expect(error.description.contains("a lesson reads only files"), "\(outside): \(error)")
      #expect(!error.description.contains("1,2"), "the file's contents were printed")
    }
    #expect(try read("sub/grid.csv").input == .argument(folder.path + "/sub/grid.csv"))
    #expect(try read("digit:3").input == .argument("digit:3"))
    // Built-in lessons have no folder: they name presets and values only.
    #expect(throws: InputError.self) { try LessonFile.parse("input: a/b.csv", source: "built-in") }
  }

  @Test("a lesson may end in practice: a count and kinds, written back as read")
  func practicePlan() throws {
    let r = try LessonFile.parse("practice: 4 window, output-size\n", source: "p")
    #expect(r.practice == PracticePlan(kinds: [.window, .outputSize], count: 4))
    #expect(
      try LessonFile.parse("practice: 7", source: "p").practice
        == PracticePlan(kinds: nil, count: 7))
    for bad in ["practice: 0", "practice: many", "practice: 3 nonsense", "practice: 500"] {
      #expect(throws: InputError.self) { try LessonFile.parse(bad, source: "p") }
    }
    let s = try ScenarioBuilder.build(r).scenario
    #expect(s.practice == r.practice)
    let back = try LessonFile.parse(LessonFile.write(s), source: "written")
    #expect(back.practice == r.practice)
    // Every shipped lesson ends in practice that fits its layer.
    for lesson in BuiltinLessons.all {
      let request = try BuiltinLessons.request(for: lesson.name)
      let built =
        request.transposed == true
        ? try TransposedBuilder.build(request).scenario.zeroInsertionScenario(
          dy: TransposedTrace(TransposedBuilder.build(request).scenario).dy)
        : try ScenarioBuilder.build(request).scenario
      let plan = try #require(built.practice, "\(lesson.name) has no practice")
      #expect(plan.kinds?.allSatisfy { QuizMaker.fits($0, built) } ?? true, "\(lesson.name)")
    }
  }

  @Test("a lesson that builds an impossible layer is refused with the layer's own message")
  func impossible() throws {
    let r = try LessonFile.parse("kernel-size: 12", source: "x")
    #expect(throws: ConvError.self) { try ScenarioBuilder.build(r) }
    #expect(throws: InputError.self) { try BuiltinLessons.request(for: "no-such-lesson") }
  }
}

// MARK: - Building scenarios from requests

@Suite("ScenarioBuilder")
struct ScenarioBuilderTests {
  @Test("a new stride keeps the first lesson's numbers")
  func keepsData() throws {
    var r = ScenarioRequest()
    r.stride = Size2(2)
    let s = try ScenarioBuilder.build(r).scenario
    #expect(s.input == Scenario.firstLesson.input && s.weight == Scenario.firstLesson.weight)
    #expect(s.config.stride == Size2(2))
  }

  @Test("a new shape gets seeded small integers, the same for the same seed")
  func generates() throws {
    var r = ScenarioRequest()
    r.inputSize = Size2(5, 6)
    r.channels = 2
    r.filters = 3
    r.seed = 4
    let a = try ScenarioBuilder.build(r).scenario
    let b = try ScenarioBuilder.build(r).scenario
    #expect(a.input.shape == [1, 2, 5, 6] && a.weight.shape == [3, 2, 3, 3])
    #expect(a.input == b.input && a.weight == b.weight)
    #expect(a.input.data.allSatisfy { $0 == $0.rounded() && abs($0) <= 3 })
  }

  @Test("a file's shape wins; a disagreeing flag names both")
  func fileWins() throws {
    var r = ScenarioRequest()
    r.input = .argument("digit:3")
    let s = try ScenarioBuilder.build(r).scenario
    #expect(s.input.shape == [1, 1, 8, 8])
    r.inputSize = Size2(9)
    #expect {
      try ScenarioBuilder.build(r)
    } throws: { "\($0)".contains("--input-size 9 disagrees with the input, which is 8") }
  }

  @Test("a kernel preset sets the filters; values set the bias; grad output")
  func kernelsAndBias() throws {
    var r = ScenarioRequest()
    r.kernel = .argument("prewitt")
    r.bias = .argument("0.5,-1")
    r.gradient = .argument("output")
    let s = try ScenarioBuilder.build(r).scenario
    #expect(s.weight.shape == [2, 1, 3, 3] && s.bias.data == [0.5, -1])
    #expect(s.gradient == .output)
    r.bias = .argument("1,2,3")
    #expect(throws: InputError.self) { try ScenarioBuilder.build(r) }
  }
}

// MARK: - Block numbers

/// A lesson block's numbers are read by the shared scanner and give exactly what `Float(text)`
/// gave before, the spellings only a lesson accepts (`−1`, `-infinity`) included.
@Suite("Lessons: block numbers")
struct LessonNumberTests {
  static func row(_ text: String) throws -> [Float] {
    var numbers: [Float] = []
    try LessonFile.readRow(text, into: &numbers) { InputError("\"\($0)\" is not a number") }
    return numbers
  }

  @Test("random decimals read as Float(String) did")
  func randomDecimals() throws {
    let fuzz = FuzzRun(name: "LessonNumberTests", defaultIterations: 10_000)
    var rng = SeededGenerator(seed: fuzz.seed)
    for _ in 0..<fuzz.iterations {
      let text = RandomDecimal.make(&rng)
      let expected = try #require(Float(text), "\(text); \(fuzz.replay)")
      let got = try Self.row("  " + text + ",")
      #expect(
        got.count == 1 && got[0].bitPattern == expected.bitPattern,
        "\(text): \(got) vs Float(String) \(expected); \(fuzz.replay)")
    }
  }

  @Test("lines split on bytes exactly where Character.isNewline split them, trimmed the same")
  func linesAndTrimming() {
    let fuzz = FuzzRun(name: "LessonNumberTests", defaultIterations: 2_000)
    var rng = SeededGenerator(seed: fuzz.seed)
    let pieces = [
      "a", " ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}",
      "\u{301}", "é", "\u{A0}", "\u{3000}", "1.5", ":", "\u{FEFF}",
    ]
    for _ in 0..<fuzz.iterations {
      let text = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % 18)] }.joined()
      let expected = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        .map(String.init)
      let got = LessonFile.lines(text)
      #expect(got == expected, "\(text.unicodeScalars.map(\.value)); \(fuzz.replay)")
      for line in expected {
        #expect(
          LessonFile.trimmed(line) == line.trimmingCharacters(in: .whitespaces),
          "\(line.unicodeScalars.map(\.value)); \(fuzz.replay)")
      }
    }
  }

  @Test("halfway cases, other spellings and non-ASCII rows")
  func spellings() throws {
    // Double rounds this onto the halfway point after 1; Float(String) rounds up.
    #expect(try Self.row("1.0000000596046447753906250000000001") == [Float(1).nextUp])
    #expect(try Self.row("1 -2,3\t4") == [1, -2, 3, 4])
    #expect(
      try Self.row("−1.5 −inf INF -Infinity 0x10").map(\.description) == [
        "-1.5", "-inf", "inf", "-inf", "16.0",
      ])
    #expect(try Self.row("nan")[0].isNaN)
    #expect(throws: InputError("\"２\" is not a number")) { try Self.row("1 ２") }
    #expect(throws: InputError("\"1..2\" is not a number")) { try Self.row("0 1..2") }
  }
}
