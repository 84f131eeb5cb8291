import ConvCore
import ConvLessons
import ConvStepper
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - The words on screen follow every change

/// Opens the picker of `key` (`I`, `K`, `L`) and loads its item `name`.
func pick(_ model: inout Model, _ key: String, _ name: String) throws {
  send(&model, key)
  guard case .picker(let p) = model.overlay else {
    Issue.record("\(key) opened no picker")
    return
  }
  let index = try #require(p.items.firstIndex { $0.name == name })
  send(&model, "Home")
  for _ in 0..<index { send(&model, "Down") }
  send(&model, "Enter")
}

/// The screen's rows as text.
func screen(_ model: Model, caps: Capabilities? = nil) -> [String] {
  view(model, caps: caps).lines
}

/// Whether some row of the screen shows `text` (the subtitle, or the Notes panel when there is
/// one).
func shows(_ model: Model, _ text: String, caps: Capabilities? = nil) -> Bool {
  screen(model, caps: caps).contains { $0.contains(text) }
}

/// The message row: the one above the status bar.
func messageRow(_ model: Model, caps: Capabilities? = nil) -> String {
  let rows = screen(model, caps: caps)
  return rows.count >= 2 ? rows[rows.count - 2] : ""
}

/// The first lesson's title and text, which apply only to its own layer.
let firstTitle = Scenario.firstLesson.title
let firstText = Scenario.firstLesson.text

@Suite("state on screen: the header, the notes and the message follow every change")
struct StateOnScreenTests {
  @Test("I → photo: the title and the line under it say what is on screen, not the lesson")
  func inputPreset() throws {
    var m = try lessonModel()
    #expect(screen(m)[0].contains(firstTitle))
    try pick(&m, "I", "photo")
    let rows = screen(m)
    #expect(rows[0].contains("convscope · photo (1×64×64) · 3×3 kernel"))
    #expect(!rows.joined().contains(firstText))
    #expect(rows[1].hasPrefix(" Changed from “\(firstTitle)”: input preset photo."))
    #expect(m.scenario.title == "photo (1×64×64) · 3×3 kernel")
  }

  @Test("I → a one-channel input after an RGB lesson names the random kernel made to fit it")
  func fittedKernel() throws {
    var m = try lessonModel(Scenario.firstLesson, width: 160, height: 48)
    try pick(&m, "L", "rgb-edges")
    try pick(&m, "I", "checkerboard")
    #expect(screen(m)[0].contains("checkerboard (1×8×8) · random 3×3 kernel"))
    #expect(messageRow(m).contains("A random kernel for its 1 channel(s) replaces the old one."))
    #expect(shows(m, "a random kernel to fit the input's channels"))
    try pick(&m, "K", "sobel-x")
    #expect(screen(m)[0].contains("checkerboard (1×8×8) · kernel sobel-x"))
  }

  @Test("K → a kernel preset names it; the input is named by its shape")
  func kernelPreset() throws {
    var m = try lessonModel()
    try pick(&m, "K", "sobel-x")
    #expect(screen(m)[0].contains("convscope · input (1×7×7) · kernel sobel-x"))
    #expect(shows(m, "kernel preset sobel-x"))
  }

  @Test("L opens a lesson with its own words, also after a preset")
  func lesson() throws {
    var m = try lessonModel()
    try pick(&m, "I", "photo")
    try pick(&m, "L", "stride")
    let stride = try ScenarioBuilder.build(try BuiltinLessons.request(for: "stride")).scenario
    #expect(screen(m)[0].contains(stride.title))
    #expect(shows(m, String(stride.text.prefix(40))))
  }

  @Test("R names the random data and its seed; r brings back the lesson's words and notes")
  func randomiseAndReset() throws {
    var m = try Model(
      scenario: .firstLesson, capabilities: Capabilities(color: .ansi256, unicode: true),
      width: 120, height: 40, notes: ["opened note"])
    try pick(&m, "I", "photo")
    send(&m, "R")
    #expect(screen(m)[0].contains("random input (1×64×64) · random 3×3 kernel"))
    #expect(shows(m, "random input and kernel (seed 2)"))
    #expect(m.notes.isEmpty)
    send(&m, "r")
    #expect(screen(m)[0].contains(firstTitle))
    #expect(shows(m, String(firstText.prefix(60))))
    #expect(m.notes == ["opened note"])
    #expect(m.origin == DataOrigin())
  }

  @Test("an edit: the message names the cell, old → new; the title and the notes say so")
  func editMessage() throws {
    var m = try lessonModel()
    send(&m, "i", "Right", "Down", "-", "2", ".", "5", "Enter")
    #expect(messageRow(m).hasPrefix("x[0,0,1,1]: 1 → −2.5 (input x)"))
    #expect(screen(m)[0].contains("input (1×7×7), edited · 3×3 kernel"))
    send(&m, "-", "2", ".", "5", "Enter")
    #expect(messageRow(m).hasPrefix("x[0,0,1,1] is already −2.5: nothing changed."))
    #expect(shows(m, "x[0,0,1,1]: 1 → −2.5"))
    // Without Unicode: ASCII arrow and minus.
    var ascii = try Model(
      scenario: .firstLesson, capabilities: Capabilities(color: .none, unicode: false), width: 120,
      height: 40)
    send(&ascii, "i", "Right", "Down", "-", "2", ".", "5", "Enter")
    #expect(messageRow(ascii).hasPrefix("x[0,0,1,1]: 1 -> -2.5 (input x)"))
  }

  @Test("edits of w, b and dy name their full index")
  func otherTargets() throws {
    var m = try lessonModel()
    send(&m, "i", "Tab", "Down", "Right", "Right", "7", "Enter")
    #expect(messageRow(m).hasPrefix("w[0,0,1,2]: −2 → 7 (kernel w)"))
    send(&m, "Tab", "3", "Enter")
    #expect(messageRow(m).hasPrefix("b[0]: 0 → 3 (bias b)"))
    send(&m, "Tab", "Down", "Right", "4", "Enter")
    #expect(messageRow(m).hasPrefix("dy[0,0,1,1]: 1 → 4 (gradient dy)"))
    #expect(
      screen(m)[0].contains("input (1×7×7) · 3×3 kernel, edited · b edited · dy edited"))
  }

  @Test("setting a value back to what it was gives the lesson its words back")
  func editBack() throws {
    var m = try lessonModel()
    send(&m, "i", "Right", "Down", "9", "Enter")
    #expect(!screen(m)[0].contains(firstTitle))
    send(&m, "1", "Enter")
    #expect(screen(m)[0].contains(firstTitle))
    #expect(m.origin.edits.isEmpty)
  }

  @Test("f and b: the titles and the status bar name the filter and the sample, counted from 0")
  func filterAndSample() throws {
    var m = try lessonModel(try Scenario.article(batch: 2), width: 160, height: 48)
    #expect(shows(m, "Input x[0,0,:,:]") && shows(m, "Output y[0,0,:,:]"))
    #expect(shows(m, "sample 0 of 2") && shows(m, "filter 0 of 16"))
    send(&m, "f")
    #expect(shows(m, "Kernel w[1,0,:,:]") && shows(m, "Output y[0,1,:,:]"))
    #expect(shows(m, "filter 1 of 16"))
    send(&m, "b")
    #expect(shows(m, "Input x[1,0,:,:]") && shows(m, "Output y[1,1,:,:]"))
    #expect(shows(m, "sample 1 of 2"))
    #expect(screen(m)[0].contains(try Scenario.article(batch: 2).title))
  }

  @Test("c: the input's title and the status bar count the channel the same way, from 0")
  func channelCounting() throws {
    let rgb = try ScenarioBuilder.build(try BuiltinLessons.request(for: "rgb-edges")).scenario
    var m = try lessonModel(rgb, width: 160, height: 48)
    send(&m, "p")  // the channels' values, not the picture
    #expect(shows(m, "channels all"))
    send(&m, "c")
    #expect(shows(m, "x[0,0,:,:]") && shows(m, "channel 0 of 3"))
    send(&m, "c", "c")
    #expect(shows(m, "x[0,2,:,:]") && shows(m, "channel 2 of 3"))
    #expect(!shows(m, "ch 3") && !shows(m, "3/3"))
  }

  @Test("a big layer recomputed as slow work gets its words too")
  func slowWork() throws {
    var m = try lessonModel()
    m.slowLayerMACs = 0
    try pick(&m, "K", "sobel-x")
    #expect(screen(m)[0].contains("kernel sobel-x"))
    #expect(m.origin.kernel == .preset("sobel-x"))
  }

  @Test("a lesson written after a change carries the words of what is on screen")
  func writtenLesson() throws {
    var m = try lessonModel()
    try pick(&m, "K", "sobel-x")
    send(&m, "w")
    let effects = send(&m, "Enter")
    guard case .writeFile(_, let contents, _)? = effects.last else {
      Issue.record("nothing written: \(effects)")
      return
    }
    #expect(contents.contains("title: input (1×7×7) · kernel sobel-x"))
    #expect(contents.contains("text: Changed from “\(firstTitle)”: kernel preset sobel-x.\n"))
  }
}

// MARK: - The edited cell is marked

@Suite("state on screen: the edited cell is marked")
struct EditMarkTests {
  /// The screen line holding row `row` of the input (first lesson): the first line whose
  /// leftmost panel starts with that row label.
  static func inputRow(_ rows: [String], _ row: Int) -> String {
    rows.first { line in
      guard let first = line.first, first == "│" || first == "|" else { return false }
      let rest = line.dropFirst().drop { $0 == " " }
      return ["\(row) ", "\(row)│", "\(row)|", "\(row)*", "\(row)&"].contains { rest.hasPrefix($0) }
    } ?? ""
  }

  @Test(
    "the edited input cell carries a * in the edit panel and in the forward view",
    arguments: [
      Capabilities(color: .ansi256, unicode: true), Capabilities(color: .none, unicode: false),
    ])
  func inputMark(caps: Capabilities) throws {
    let mark = String(HeatGrid.markedGlyph(unicode: caps.unicode))
    var m = try Model(scenario: .firstLesson, capabilities: caps, width: 120, height: 40)
    #expect(!screen(m).joined().contains(mark))
    send(&m, "i", "Right", "Down", "9", "Enter")
    if caps.color == .none, !screen(m).contains(where: { $0.contains(mark + "[9]") }) {
      // Compact cells framed by the cursor: no room for the mark, so the value is underlined.
      let buffer = view(m)
      let y = try #require(buffer.lines.firstIndex { $0.contains("[9]") })
      let line = Array(buffer.lines[y])
      let x = try #require(line.firstIndex(of: "[")) + 1
      #expect(buffer[x, y].style.attributes.contains(.underline))
      send(&m, "Right")  // the cursor moves on: the mark has room
    }
    let editing = screen(m)
    #expect(editing.filter { $0.contains(mark) }.count == 1)
    #expect(editing.contains { $0.contains(mark + "[9]") || $0.contains(mark + "9") })
    send(&m, "Escape")
    let rows = screen(m)
    #expect(rows.filter { $0.contains(mark) }.count == 1)
    #expect(Self.inputRow(rows, 1).contains(mark + "9"))
  }

  @Test("an edited weight is marked on the kernel, not on its gradient")
  func kernelMark() throws {
    var m = try lessonModel()
    send(&m, "i", "Tab", "5", "Enter", "Escape")
    #expect(screen(m).filter { $0.contains("*5") }.count == 1)
    send(&m, "Tab")  // backward: dw is not marked
    #expect(!screen(m).joined().contains("*"))
    send(&m, "Tab")  // update: w before is
    #expect(screen(m).contains { $0.contains("*5") })
  }

  @Test("a new preset drops the marks of the tensor it replaced, and only those")
  func marksGoWithTheData() throws {
    var m = try lessonModel()
    send(&m, "i", "Right", "Down", "9", "Enter", "Escape")
    try pick(&m, "K", "sobel-x")
    #expect(m.origin.edits.map(\.name) == ["x[0,0,1,1]"])
    #expect(screen(m)[0].contains("input (1×7×7), edited · kernel sobel-x"))
    #expect(screen(m).filter { $0.contains("*9") }.count == 1)
    try pick(&m, "I", "checkerboard")
    #expect(m.origin.edits.isEmpty)
    #expect(!screen(m).joined().contains("*"))
  }
}

// MARK: - The map keeps its mode

@Suite("state on screen: a mode the user chose sticks")
struct ModeKeptTests {
  @Test(
    "no edit, preset, lesson, randomise or reset changes the value mode",
    arguments: HeatGridMode.allCases)
  func modeSticks(mode: HeatGridMode) throws {
    var m = try lessonModel()
    while m.display.mode != mode { send(&m, "v") }
    send(&m, "i", "Right", "Down", "-", "2", ".", "5", "Enter", "Escape")
    #expect(m.display.mode == mode)
    try pick(&m, "K", "sobel-x")
    try pick(&m, "I", "digit")
    send(&m, "R", "r")
    try pick(&m, "L", "padding")
    #expect(m.display.mode == mode)
  }

  @Test("in numbers mode the edited input map stays in numbers")
  func numbersStay() throws {
    var m = try lessonModel()
    while m.display.mode != .numbers { send(&m, "v") }
    let before = EditMarkTests.inputRow(screen(m), 1)
    #expect(before.contains(" 1 "))
    send(&m, "i", "Right", "Down", "-", "2", ".", "5", "Enter", "Escape")
    let after = EditMarkTests.inputRow(screen(m), 1)
    #expect(after.contains("2.5"))
    #expect(after.contains(" 2 ") && after.contains(" 3 "))
  }
}

/// Whether the edited cell `x[0,0,1,1]` shows as the number `typed` (with its mark) on the
/// screen of `m` in auto mode, after the edit mode is left.
func editedCellShowsNumber(width: Int, height: Int, typed: String = "-2.5") throws -> (
  before: Bool, after: Bool
) {
  var m = try lessonModel(width: width, height: height)
  // Row 1 of the first lesson's input, 0 1 2 3 2 1 0, in numbers.
  let before = screen(m).contains { $0.filter(\.isNumber).contains("0123210") }
  for key in ["i", "Right", "Down"] + typed.map(String.init) + ["Enter", "Escape"] {
    send(&m, key)
  }
  let after =
    shows(m, "*" + typed) || shows(m, "*" + typed.replacingOccurrences(of: "-", with: "−"))
  return (before, after)
}

@Suite("state on screen: an edit within the map's range keeps it in numbers (auto mode)")
struct AutoModeKeptTests {
  @Test("at 120×40 and 160×48", arguments: [(120, 40), (160, 48)])
  func large(size: (Int, Int)) throws {
    let (before, after) = try editedCellShowsNumber(width: size.0, height: size.1)
    #expect(before && after)
  }

  /// At 80×24 the input map has room for one-column numbers only: a value as wide as the rest
  /// keeps it in numbers; −2.5 (four columns) would be cut there, so auto mode draws shades
  /// (``ScreenLayout``: a value is never cut).
  @Test("at 80×24")
  func small() throws {
    let (before, after) = try editedCellShowsNumber(width: 80, height: 24, typed: "9")
    #expect(before && after)
  }
}

// MARK: - Layers built from flags

@Suite("state on screen: a layer built from flags is named by them")
struct FlagWordsTests {
  @Test("--input and --kernel name the title")
  func namedData() throws {
    var r = ScenarioRequest()
    r.input = .argument("photo:rgb")
    r.kernel = .argument("sobel-x")
    #expect(
      try ScenarioBuilder.build(r).scenario.title == "photo:rgb (3×64×64) · kernel sobel-x")
    r.kernel = nil
    #expect(try ScenarioBuilder.build(r).scenario.title == "photo:rgb (3×64×64) · 3×3 kernel")
  }

  @Test("flags that change a lesson's layer drop the lesson's words")
  func lessonWithFlags() throws {
    var flags = ScenarioRequest()
    flags.input = .argument("photo")
    let s = try ScenarioBuilder.build(
      try BuiltinLessons.request(for: "first").overridden(by: flags)
    ).scenario
    #expect(s.title == "photo (1×64×64) · 3×3 kernel")
    #expect(!s.text.contains("7×7"))
    var relu = ScenarioRequest()
    relu.relu = true
    let kept = try ScenarioBuilder.build(
      try BuiltinLessons.request(for: "first").overridden(by: relu)
    ).scenario
    #expect(kept.title == firstTitle)
    var same = ScenarioRequest()
    same.padding = Size2(1)  // the first lesson's own padding
    let restated = try ScenarioBuilder.build(
      try BuiltinLessons.request(for: "first").overridden(by: same)
    ).scenario
    #expect(restated.title == firstTitle && restated.text == firstText)
  }
}

// MARK: - Snapshots

@Suite("state on screen: snapshots")
struct StateSnapshotTests {
  @Test(
    "after an edit (80×24, 120×40) and after I → photo (120×40), colour and ASCII",
    arguments: [0, 1])
  func snapshots(level: Int) throws {
    let (name, caps) = ScreenSnapshotTests.levels[level]
    for (w, h) in [(80, 24), (120, 40)] {
      var edited = try Model(scenario: .firstLesson, capabilities: caps, width: w, height: h)
      send(&edited, "Right", "Right", "Right", "i", "Right", "Down", "-", "2", ".", "5", "Enter")
      send(&edited, "Escape")
      assertSnapshot(view(edited), named: "state-edited-\(w)x\(h)-\(name)")
    }
    var photo = try Model(scenario: .firstLesson, capabilities: caps, width: 120, height: 40)
    try pick(&photo, "I", "photo")
    assertSnapshot(view(photo), named: "state-photo-120x40-\(name)")
  }
}
