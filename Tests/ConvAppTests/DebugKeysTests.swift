import ConvCore
import ConvDebug
import ConvStepper
import NumberText
import TermUI
import Testing

@testable import ConvApp

// MARK: - The debugger in the viewer

@Suite("update: debugging your own convolution")
struct DebugKeysTests {
  /// The first lesson with the user's y wrong at cells 10 and 30 and dx wrong at cell 5.
  static func checkedModel() throws -> Model {
    var m = try lessonModel()
    var y = m.trace.y
    y.data[10] += 1
    y.data[30] -= 2
    var dx = m.trace.gradients.dx
    dx.data[5] += 0.5
    try m.check(UserTensors(y: y, dx: dx), tolerance: Tolerance())
    return m
  }

  @Test("a y of the wrong shape is named with both shapes in the notes")
  func wrongShape() throws {
    var m = try lessonModel()
    try m.check(UserTensors(y: Tensor(shape: [3, 4])), tolerance: Tolerance())
    #expect(
      m.debugNotes.first
        == "Your y has shape (3, 4), but this layer's y is (1, 1, 7, 7): its cells cannot be "
        + "compared.")
  }

  @Test("n and N jump between the windows where the user's numbers differ")
  func jumps() throws {
    var m = try Self.checkedModel()
    #expect(m.mismatchCount == 3)
    send(&m, "n")
    #expect(m.currentWindow?.global == 10)
    send(&m, "n")
    #expect(m.currentWindow?.global == 30)
    send(&m, "n")
    #expect(m.message?.text.hasPrefix("No differing window after") == true)
    send(&m, "N")
    #expect(m.currentWindow?.global == 10)
    // Backward: the windows that read dx[5] (row 0, column 5).
    send(&m, "Tab", "n")
    let w = try #require(m.currentWindow)
    #expect(m.phase == .backward)
    #expect(m.comparison?.backwardWindows(readingInput: 5).contains(w.global) == true)
  }

  @Test("differing cells are marked in the output map, the formula shows both values")
  func marks() throws {
    var m = try Self.checkedModel()
    send(&m, "n")
    let screen = view(m).plainText
    #expect(screen.contains("y[0,0,1,3]: yours"))
    #expect(screen.contains("≠ correct"))
    #expect(screen.contains("3 cells differ"))
    let layout = ScreenLayout(m)
    let output = try #require(layout.panels.first { $0.panel.role == .output })
    #expect(output.panel.grid.kind?(1, 3) == .mismatch)
    #expect(output.panel.grid.kind?(1, 2) == .data)
  }

  @Test("the notes say where differences no known mistake explains lie (issue 13)")
  func pattern() throws {
    let m = try Self.checkedModel()
    let notes = m.debugNotes
    #expect(notes.contains { $0.hasPrefix("No known mistake reproduces") }, "\(notes)")
    #expect(
      notes.contains(
        "Pattern: y differs in 2 of 49 cells: rows i = 1, 4 (of 0…6); columns j = 2, 3 (of 0…6)."))
    #expect(notes.contains { $0.hasPrefix("Pattern: dx differs in 1 of ") })
  }

  @Test("a value off in its fifth digit shows enough digits to differ (issue 13)")
  func enoughDigits() throws {
    let scenario = Scenario(
      config: Conv2DConfig(inChannels: 1, filters: 1, kernel: 3, padding: 1),
      input: .uniform(shape: [1, 1, 5, 5], seed: 3),
      weight: .uniform(shape: [1, 1, 3, 3], seed: 4),
      bias: Tensor(shape: [1]))
    var m = try lessonModel(scenario)
    var y = m.trace.y
    // The first cell whose nudged value has the same short form as the correct one.
    let k = try #require(
      y.data.indices.first { k in
        let v = y.data[k]
        return NumberFormat.short(v + 3e-4 * max(1, abs(v))) == NumberFormat.short(v)
      })
    y.data[k] += 3e-4 * max(1, abs(y.data[k]))
    try m.check(UserTensors(y: y), tolerance: Tolerance())
    send(&m, "n")
    let line = try #require(
      view(m).plainText.split(separator: "\n").first { $0.contains("yours") })
    let words = line.split(separator: " ")
    let yours = try #require(words.firstIndex(of: "yours"))
    let correct = try #require(words.firstIndex(of: "correct"))
    #expect(words[yours + 1] != words[correct + 1], "\(line)")
  }

  @Test("D shows the gradient check as error maps; Esc or D closes them")
  func gradientCheck() throws {
    var m = try lessonModel()
    send(&m, "D")
    let check = try #require(m.gradcheck)
    #expect(check.passed)
    #expect(m.message?.kind == .success)
    let titles = ScreenLayout(m).panels.map(\.panel.title)
    #expect(titles.contains { $0.hasPrefix("relative error of") })
    send(&m, "Escape")
    #expect(m.gradcheck == nil)
    send(&m, "D", "D")
    #expect(m.gradcheck == nil)
  }

  @Test("C writes NumPy code that reproduces the layer")
  func code() throws {
    var m = try lessonModel()
    let effects = send(&m, "C")
    guard case .writeCode(let path, let contents, _, _)? = effects.last else {
      Issue.record("no code written: \(effects)")
      return
    }
    #expect(path == "convscope_layer.py")
    #expect(contents.contains("import numpy"))
  }

  @Test("an edit keeps the comparison: the user's numbers are checked against the new layer")
  func editRechecks() throws {
    var m = try Self.checkedModel()
    send(&m, "i", "9", "Enter", "Escape")
    #expect(m.comparison != nil)
    #expect(m.mismatchCount > 3)
  }
}
