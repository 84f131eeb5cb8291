import ConvCore
import ConvLessons
import ConvStepper
import TermUI
import Testing

@testable import ConvApp

// MARK: - Editing, pickers, randomise, reset, write

@Suite("update: your own data")
struct DataKeysTests {
  @Test("i edits in place: move, type, Enter recomputes and keeps the position")
  func editInput() throws {
    var m = try lessonModel()
    send(&m, "Right", "Right")  // window 2 done
    let before = m.state.tick
    send(&m, "i", "Right", "Down", "7", "Enter")
    #expect(m.scenario.input[n: 0, c: 0, h: 1, w: 1] == 7)
    #expect(m.state.tick == before)
    // y[0,0,0,0] reads x[1,1] with weight w[2,2] = −1... (window 0 covers rows −1…1).
    let y = try Conv2D.forward(
      x: m.scenario.input, weight: m.scenario.weight, bias: m.scenario.bias,
      config: m.scenario.config, backend: .reference)
    #expect(m.trace.y == y)
    send(&m, "Tab", "Enter")  // nothing typed: nothing changes
    #expect(m.edit?.target == .kernel)
    send(&m, "-", "2", ".", "5", "Enter")
    #expect(m.scenario.weight.data[0] == -2.5)
    send(&m, "Tab", "9", "Enter")
    #expect(m.scenario.bias.data == [9])
    send(&m, "Tab", "Down", "3", "Enter")
    if case .tensor(let g) = m.scenario.gradient {
      #expect(g[n: 0, c: 0, h: 1, w: 0] == 3)
    } else {
      Issue.record("the gradient was not replaced by edited values")
    }
    send(&m, "Escape")
    #expect(m.edit == nil)
    send(&m, "r")
    #expect(m.scenario.input == Scenario.firstLesson.input)
  }

  @Test("a bad number is a message; the value stays")
  func badNumber() throws {
    var m = try lessonModel()
    send(&m, "i", "-", "-", "Enter")
    #expect(m.message?.kind == .error)
    #expect(m.scenario.input == Scenario.firstLesson.input)
  }

  @Test("L opens the lesson picker; Enter opens the lesson")
  func lessons() throws {
    var m = try lessonModel()
    send(&m, "L")
    guard case .picker(let p) = m.overlay else {
      Issue.record("no picker")
      return
    }
    let index = try #require(p.items.firstIndex { $0.name == "stride" })
    for _ in 0..<index { send(&m, "Down") }
    send(&m, "Enter")
    #expect(m.scenario.config.stride == Size2(2))
    #expect(m.overlay == nil)
    #expect(m.message?.text.hasPrefix("Lesson:") == true)
  }

  @Test("K and I load presets, keeping what fits")
  func presets() throws {
    var m = try lessonModel()
    send(&m, "K")
    guard case .picker(let p) = m.overlay else {
      Issue.record("no picker")
      return
    }
    let index = try #require(p.items.firstIndex { $0.name == "laplacian" })
    for _ in 0..<index { send(&m, "j") }
    send(&m, "Enter")
    #expect(m.scenario.weight.data == [0, 1, 0, 1, -4, 1, 0, 1, 0])
    #expect(m.scenario.input == Scenario.firstLesson.input)
    send(&m, "I")
    guard case .picker(let q) = m.overlay else {
      Issue.record("no picker")
      return
    }
    let digit = try #require(q.items.firstIndex { $0.name == "digit" })
    for _ in 0..<digit { send(&m, "Down") }
    send(&m, "Enter")
    #expect(m.scenario.input.shape == [1, 1, 8, 8])
    #expect(m.scenario.weight.data == [0, 1, 0, 1, -4, 1, 0, 1, 0])
  }

  @Test("R randomises with a new seed; r resets")
  func randomiseAndReset() throws {
    var m = try lessonModel()
    send(&m, "R")
    let first = m.scenario.input
    #expect(first != Scenario.firstLesson.input)
    send(&m, "R")
    #expect(m.scenario.input != first)
    send(&m, "r")
    #expect(m.scenario.input == Scenario.firstLesson.input)
  }

  @Test("w asks for a path and writes the configuration as a lesson that reads back the same")
  func writeLesson() throws {
    var m = try lessonModel()
    send(&m, "i", "5", "Enter", "Escape", "Tab")
    send(&m, "w")
    #expect(m.overlay == .writeLesson("convscope.lesson"))
    var effects: [Effect] = []
    for _ in 0..<16 { effects += send(&m, "Backspace") }
    for ch in "my.lesson" { effects += update(&m, .key(.character(ch))) }
    effects += send(&m, "Enter")
    guard case .writeFile(let path, let contents, _)? = effects.last else {
      Issue.record("no file written: \(effects)")
      return
    }
    #expect(path == "my.lesson")
    let back = try ScenarioBuilder.build(try LessonFile.parse(contents, source: path)).scenario
    #expect(back.input == m.scenario.input && back.startPhase == .backward)
    _ = update(&m, .notice(Message("Wrote the lesson to my.lesson.", kind: .success)))
    #expect(m.message?.kind == .success)
  }
}

// MARK: - Export and record keys

@Suite("update: export and record")
struct ExportKeysTests {
  @Test("x exports the frame on screen as SVG; X starts and stops a recording")
  func keys() throws {
    var m = try lessonModel()
    send(&m, "Right", "Right")
    let effects = send(&m, "x")
    guard case .writeFile(let path, let contents, _)? = effects.first else {
      Issue.record("no file: \(effects)")
      return
    }
    #expect(path == "convscope-forward-step-3.svg")
    #expect(contents.hasPrefix("<svg"))
    #expect(contents == FrameExport.export(m, as: .svg))
    #expect(send(&m, "X") == [.startRecording])
    #expect(m.recording)
    #expect(view(m).plainText.contains("REC"))
    #expect(send(&m, "X") == [.stopRecording(path: "convscope-session.cast")])
    #expect(!m.recording)
    send(&m, "X")
    #expect(send(&m, "X") == [.stopRecording(path: "convscope-session-2.cast")])
  }
}
