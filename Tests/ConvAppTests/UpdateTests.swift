import ConvCore
import ConvLessons
import ConvStepper
import TermUI
import Testing

@testable import ConvApp

// MARK: - Driving the model with messages

/// A model of the first lesson on a 120×40 screen with 256 colours.
func lessonModel(_ scenario: Scenario = .firstLesson, width: Int = 120, height: Int = 40) throws
  -> Model
{
  try Model(
    scenario: scenario, capabilities: Capabilities(color: .ansi256, unicode: true), width: width,
    height: height)
}

/// Sends keys by spelling (`"Right"`, `"G"`, `"Space"`); returns every effect. Slow work
/// (``Effect/run(_:)``) is done at once and its result sent back, as if it took no time.
@discardableResult
func send(_ model: inout Model, _ spellings: String...) -> [Effect] {
  var effects: [Effect] = []
  for s in spellings {
    guard let key = Key(spelling: s) else {
      Issue.record("bad key spelling \(s)")
      continue
    }
    effects += settle(&model, update(&model, .key(key)))
  }
  return effects
}

/// `effects` and those of the results of their slow work, done at once and sent back.
func settle(_ model: inout Model, _ effects: [Effect]) -> [Effect] {
  var all = effects
  for case .run(let work) in effects {
    all += settle(&model, update(&model, work.perform()))
  }
  return all
}

/// The 1-based step number the status bar shows, in the current granularity.
func stepNumber(_ m: Model) -> Int { m.timeline.unit(containing: m.state.tick, m.granularity) + 1 }

@Suite("update: keys and messages")
struct UpdateTests {
  @Test("→ and ← move one window; at the start ← says so")
  func stepping() throws {
    var m = try lessonModel()
    #expect(stepNumber(m) == 1)
    send(&m, "Right", "l", "Right")
    #expect(stepNumber(m) == 4)
    send(&m, "Left", "h")
    #expect(stepNumber(m) == 2)
    send(&m, "Left")
    #expect(stepNumber(m) == 1)
    // Step 1 is as far back as ← goes: no "step 0" whose formula has a value and cell none.
    send(&m, "Left")
    #expect(stepNumber(m) == 1 && m.state.tick >= 0)
    #expect(m.message?.text == "At the first step.")
    #expect(view(m).plainText.contains("step 1/49"))
  }

  @Test("g, G, Home and End go to the first and last step")
  func ends() throws {
    var m = try lessonModel()
    send(&m, "G")
    #expect(stepNumber(m) == 49)
    send(&m, "Right")
    #expect(m.message?.text.hasPrefix("End of the forward phase") == true)
    send(&m, "Home")
    #expect(stepNumber(m) == 1)
    send(&m, "End")
    #expect(stepNumber(m) == 49)
  }

  @Test("↓ and ↑ move one output row, same column")
  func rows() throws {
    var m = try lessonModel()
    send(&m, "Right", "Right", "Down")
    #expect(m.currentWindow?.row == 1 && m.currentWindow?.column == 2)
    send(&m, "k", "k")
    #expect(m.currentWindow?.row == 0)
    #expect(m.message?.text == "No row above.")
  }

  @Test("m cycles tap → window → row → filter and keeps the position")
  func granularity() throws {
    var m = try lessonModel()
    send(&m, "Right", "Right", "Right")  // window 3 done
    let tick = m.state.tick
    send(&m, "m")
    #expect(m.granularity == .row)
    #expect(m.state.tick == tick)
    send(&m, "Right")  // completes row 0
    #expect(m.currentWindow?.column == 6)
    send(&m, "m", "m")
    #expect(m.granularity == .tap)
    let before = m.state.tick
    send(&m, "Right")
    #expect(m.state.tick == before + 1)
    #expect(m.state.subStepsDone == 1)
  }

  @Test("Tab and Shift-Tab cycle the phases of the scenario")
  func phases() throws {
    var m = try lessonModel()
    send(&m, "Tab")
    #expect(m.phase == .backward)
    send(&m, "Tab")
    #expect(m.phase == .update)
    send(&m, "Tab")
    #expect(m.phase == .forward)
    send(&m, "Shift-Tab")
    #expect(m.phase == .update)
    var block = try lessonModel(
      Scenario(
        config: Conv2DConfig(inChannels: 1, filters: 2, kernel: 3, padding: 1),
        input: Tensor.uniform(shape: [2, 1, 6, 6], seed: 1),
        weight: Tensor.uniform(shape: [2, 1, 3, 3], seed: 2), bias: Tensor(shape: [2]),
        relu: true, pool: MaxPool2DConfig(kernel: 2)))
    var seen: [Phase] = [block.phase]
    for _ in 0..<6 {
      send(&block, "Tab")
      seen.append(block.phase)
    }
    #expect(seen == [.forward, .relu, .pool, .poolBackward, .reluBackward, .backward, .update])
  }

  @Test("f/F change filter and b/B sample, keeping the output cell")
  func filtersAndSamples() throws {
    let scenario = Scenario(
      config: Conv2DConfig(inChannels: 2, filters: 3, kernel: 3, padding: 1),
      input: Tensor.uniform(shape: [2, 2, 5, 5], seed: 1),
      weight: Tensor.uniform(shape: [3, 2, 3, 3], seed: 2), bias: Tensor(shape: [3]))
    var m = try lessonModel(scenario)
    send(&m, "Right", "Down")  // (0, 1, 1) done
    send(&m, "f")
    #expect(m.currentWindow?.filter == 1)
    #expect(m.currentWindow?.row == 1 && m.currentWindow?.column == 1)
    send(&m, "f", "f")
    #expect(m.currentWindow?.filter == 2)
    #expect(m.message?.text == "No more filters that way.")
    send(&m, "b")
    #expect(m.sample == 1 && m.currentWindow?.filter == 2 && m.currentWindow?.row == 1)
    send(&m, "B", "B")
    #expect(m.sample == 0)
    #expect(m.message?.text == "No more samples that way.")
    send(&m, "c")
    #expect(m.channel == 0)
    send(&m, "c", "c")
    #expect(m.channel == nil)
  }

  @Test(": goes to a step number; a bad number is an error message, not a trap")
  func goTo() throws {
    var m = try lessonModel()
    send(&m, ":", "1", "2", "Enter")
    #expect(stepNumber(m) == 12)
    #expect(m.overlay == nil)
    send(&m, ":", "9", "9", "9", "Enter")
    #expect(stepNumber(m) == 12)
    #expect(m.message?.kind == .error)
    send(&m, ":", "4", "Backspace", "7", "Esc")
    #expect(m.overlay == nil && stepNumber(m) == 12)
    send(&m, ":", "9", "9", "9", "Enter")
    #expect(
      m.message?.text == "step 999 is past the last one: type a number in 1…49 (window steps)")
    send(&m, ":", "x")  // a letter is refused at once, naming it
    #expect(m.message?.text == "'x' is not a digit: a step number is 1…49 (window steps)")
    #expect(m.overlay == .goTo(""))
    #expect(view(m).lines.contains { $0.contains(":▏ 'x' is not a digit") })
    send(&m, "1")  // a digit clears the refusal
    #expect(
      m.message == nil && view(m).lines.contains { $0.contains(":1▏ go to window step 1…49") })
    send(&m, "Backspace", "Enter")
    #expect(m.message?.text == "no step number after ':': type a number in 1…49 (window steps)")
    send(&m, ":", "0", "Enter")
    #expect(m.message?.text == "step 0 does not exist: type a number in 1…49 (window steps)")
    #expect(stepNumber(m) == 12)
  }

  @Test("Space plays: ticks advance; the end stops the ticks; speed changes restart them")
  func playback() throws {
    var m = try lessonModel()
    let start = send(&m, "Space")
    #expect(start == [.startTicks(milliseconds: 250)])
    #expect(m.playing)
    _ = update(&m, .tick(periods: 1))
    #expect(stepNumber(m) == 2)
    #expect(send(&m, "+") == [.startTicks(milliseconds: 125)])
    #expect(send(&m, "-", "-") == [.startTicks(milliseconds: 250), .startTicks(milliseconds: 500)])
    send(&m, "G")
    #expect(update(&m, .tick(periods: 1)) == [.stopTicks])
    #expect(!m.playing)
    // At the end, Space plays from the start.
    send(&m, "Space")
    #expect(m.state.tick == -1 && m.playing)
    #expect(send(&m, "Space") == [.stopTicks])
    // A stray tick while paused stops the timer.
    #expect(update(&m, .tick(periods: 1)) == [.stopTicks])
  }

  @Test("? opens help, Esc closes it; q quits")
  func helpAndQuit() throws {
    var m = try lessonModel(width: 80, height: 24)
    send(&m, "?")
    #expect(m.overlay == .help(scroll: 0))
    send(&m, "Down", "Down", "Up")
    #expect(m.overlay == .help(scroll: 1))
    send(&m, "Right")  // keys do not walk under an overlay
    #expect(stepNumber(m) == 1)
    send(&m, "Esc")
    #expect(m.overlay == nil)
    #expect(send(&m, "q") == [.quit])
    send(&m, "Space")
    #expect(send(&m, "q") == [.stopTicks, .quit])
  }

  @Test("display keys: v, s, P, e")
  func displayKeys() throws {
    var m = try lessonModel()
    let mode = m.display.mode
    send(&m, "v")
    #expect(m.display.mode != mode)
    send(&m, "s")
    #expect(m.display.sharedScale)
    send(&m, "P")
    #expect(m.display.palette == .purpleOrange)
    send(&m, "e")
    #expect(m.display.symbolic)
  }

  @Test("an unbound key says so")
  func unbound() throws {
    var m = try lessonModel()
    send(&m, "Z")
    #expect(m.message?.kind == .warning)
    #expect(m.message?.text.contains("? for the keys") == true)
  }

  @Test("a click on an output cell jumps to its window")
  func click() throws {
    var m = try lessonModel()
    let layout = ScreenLayout(m)
    let output = try #require(layout.panels.first { $0.panel.role == .output })
    let rect = try #require(output.layout.screenRect(of: GridCell(row: 4, col: 5)))
    _ = update(&m, .mouse(MouseEvent(column: rect.x, row: rect.y, kind: .press(.left))))
    #expect(m.currentWindow?.row == 4 && m.currentWindow?.column == 5)
    #expect(m.state.done == 4 * 7 + 5 + 1)
    // A click elsewhere does nothing.
    _ = update(&m, .mouse(MouseEvent(column: 0, row: 0, kind: .press(.left))))
    #expect(m.currentWindow?.row == 4)
  }

  @Test("resize changes the size only")
  func resize() throws {
    var m = try lessonModel()
    #expect(update(&m, .resize(width: 1, height: 1)).isEmpty)
    #expect(m.width == 1 && m.height == 1)
    #expect(stepNumber(m) == 1)
  }
}

// MARK: - Words in the notes

@Suite("notes: the words")
struct NotesWordsTests {
  @Test("pool and ReLU-backward formulas read as arithmetic; pool phases give the pooled size")
  func blockFormulas() throws {
    let scenario = try ScenarioBuilder.build(try BuiltinLessons.request(for: "conv-relu-pool"))
      .scenario
    var m = try Model(
      scenario: scenario, capabilities: Capabilities(color: .none, unicode: true), width: 120,
      height: 40)
    while m.phase != .pool { send(&m, "Tab") }
    send(&m, "Right")
    var screen = view(m).plainText
    #expect(
      screen.contains("pool[0,0,0,1] = max of the window = max(1.75, 0.88, 1.38, 1.38) = 1.75"))
    // The formula's numbers are the map's: the window's cells read 0.88 and 1.38 there too.
    let mapRows = screen.split(separator: "\n").filter { $0.contains("<1.75>") }
    #expect(mapRows.contains { $0.contains("0.88") } && !screen.contains("1.375"))
    #expect(screen.contains("Pooled size: ⌊(8 + 2·0 − 2)/2⌋ + 1 = 4"))
    while m.phase != .reluBackward { send(&m, "Tab") }
    send(&m, "Right")
    screen = view(m).plainText
    #expect(
      screen.contains("dy[0,0,0,1] = [y > 0]·gradient in = 1·0 = 0   (y = 1.69 > 0)"), "\(screen)"
    )
    #expect(!screen.contains("gradient, as y"))
  }

  @Test("a dilated window reads 'every 2nd cell', with the right ordinal")
  func ordinal() throws {
    let scenario = try ScenarioBuilder.build(try BuiltinLessons.request(for: "dilation")).scenario
    var m = try Model(
      scenario: scenario, capabilities: Capabilities(color: .none, unicode: true), width: 120,
      height: 40)
    send(&m, "Right")
    let notes = Facts.lines(m).joined(separator: " ")
    #expect(notes.contains("(every 2nd cell: dilation)"), "\(notes)")
    #expect(!notes.contains("2th"))
  }
}
