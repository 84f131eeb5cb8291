import ConvCore
import ConvLessons
import ConvStepper
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - Whole screens

/// Snapshots of whole screens, re-recorded only with `RECORD_SNAPSHOTS=1`.
@Suite("Screen snapshots")
struct ScreenSnapshotTests {
  static let levels: [(String, Capabilities)] = [
    ("colour", Capabilities(color: .ansi256, unicode: true)),
    ("ascii", Capabilities(color: .none, unicode: false)),
  ]

  static func model(
    _ caps: Capabilities, scenario: Scenario = .firstLesson, width: Int, height: Int,
    keys: [String] = []
  ) throws -> Model {
    var m = try Model(scenario: scenario, capabilities: caps, width: width, height: height)
    for k in keys { _ = update(&m, .key(try #require(Key(spelling: k)))) }
    return m
  }

  @Test(
    "the first lesson, forward and backward, 80×24 and 120×40, colour and ASCII",
    arguments: [(80, 24), (120, 40)], [0, 1])
  func firstLesson(size: (Int, Int), level: Int) throws {
    let (name, caps) = Self.levels[level]
    let forward = try Self.model(
      caps, width: size.0, height: size.1, keys: ["Right", "Right", "Down"])
    assertSnapshot(view(forward), named: "first-forward-\(size.0)x\(size.1)-\(name)")
    let backward = try Self.model(
      caps, width: size.0, height: size.1, keys: ["Tab", "Right", "Right", "Right"])
    assertSnapshot(view(backward), named: "first-backward-\(size.0)x\(size.1)-\(name)")
  }

  @Test("tap granularity shows the running sum and the current tap")
  func tap() throws {
    let m = try Self.model(
      Self.levels[0].1, width: 120, height: 40,
      keys: ["m", "m", "m", "Right", "Right", "Right", "Right", "Right"])
    #expect(m.granularity == .tap)
    let screen = view(m)
    assertSnapshot(screen, named: "first-tap-120x40")
    #expect(screen.plainText.contains("so far (5 of 9 taps)"))
  }

  @Test("the update phase and a conv → ReLU → max-pool lesson")
  func otherPhases() throws {
    let update = try Self.model(Self.levels[0].1, width: 120, height: 40, keys: ["Tab", "Tab"])
    assertSnapshot(view(update), named: "first-update-120x40")
    let block = try ScenarioBuilder.build(try BuiltinLessons.request(for: "conv-relu-pool"))
      .scenario
    for (k, keys) in [[], ["Tab"], ["Tab", "Tab"], ["Tab", "Tab", "Tab"]].enumerated() {
      let m = try Self.model(
        Self.levels[0].1, scenario: block, width: 120, height: 40, keys: keys + ["Right"])
      assertSnapshot(view(m), named: "block-\(m.phase.rawValue)-120x40")
      #expect(k == 0 || m.phase != .forward)
    }
  }

  @Test("help overlay and the too-small screen")
  func overlays() throws {
    let help = try Self.model(Self.levels[0].1, width: 100, height: 32, keys: ["?"])
    assertSnapshot(view(help), named: "help-100x32")
    let small = try Self.model(Self.levels[0].1, width: 30, height: 8)
    assertSnapshot(view(small), named: "too-small-30x8")
    #expect(view(small).plainText.contains("44"))
  }

  @Test("every screen size from 0×0 to 50×20 (and big ones) draws without trapping")
  func everySize() throws {
    var m = try Self.model(Self.levels[0].1, width: 1, height: 1)
    let block = try ScenarioBuilder.build(try BuiltinLessons.request(for: "rgb-edges")).scenario
    var other = try Self.model(Self.levels[1].1, scenario: block, width: 1, height: 1)
    for w in stride(from: 0, through: 50, by: 1) {
      for h in stride(from: 0, through: 20, by: 2) {
        _ = update(&m, .resize(width: w, height: h))
        _ = update(&other, .resize(width: w, height: h))
        #expect(view(m).width == w && view(other).height == h)
      }
    }
    for (w, h) in [(200, 60), (300, 100), (44, 14)] {
      _ = update(&m, .resize(width: w, height: h))
      #expect(view(m).width == w)
    }
  }

  @Test("a monkey: thousands of random keys and resizes, no trap, the model stays consistent")
  func monkey() throws {
    let keys = [
      "Right", "Left", "Up", "Down", "Tab", "Shift-Tab", "f", "F", "b", "B", "c", "m", "v", "s",
      "P", "e", "g", "G", "Home", "End", "+", "-", "?", "Escape", ":", "7", "Enter", "Backspace",
      "Space", "x", "PageUp", "PageDown", "i", "5", "R", "r", "L", "K", "I", "j", "k",
    ]
    let block = Scenario(
      config: Conv2DConfig(inChannels: 2, filters: 2, kernel: 3, stride: 2, padding: 1),
      input: Tensor.uniform(shape: [2, 2, 6, 5], seed: 1),
      weight: Tensor.uniform(shape: [2, 2, 3, 3], seed: 2), bias: Tensor(shape: [2]), relu: true,
      pool: MaxPool2DConfig(kernel: 2, stride: 1))
    var m = try Self.model(Self.levels[0].1, scenario: block, width: 100, height: 30)
    var g = SeededGenerator(seed: 42)
    for i in 0..<3000 {
      let key = try #require(Key(spelling: keys[Int(g.next() % UInt64(keys.count))]))
      _ = update(&m, .key(key))
      if i % 7 == 0 { _ = update(&m, .tick(periods: 1)) }
      if i % 97 == 0 {
        _ = update(&m, .resize(width: Int(g.next() % 160), height: Int(g.next() % 60)))
      }
      if i % 5 == 0 {
        let screen = view(m)
        #expect(screen.width == m.width && screen.height == m.height)
      }
      #expect(m.state == m.timeline.state(at: m.state.tick))
    }
  }
}

// MARK: - Groups and padding modes

@Suite("Screen snapshots: groups and padding modes")
struct GroupsPaddingScreenTests {
  static func lesson(_ name: String) throws -> Scenario {
    try ScenarioBuilder.build(try BuiltinLessons.request(for: name)).scenario
  }

  @Test("padding modes: copies marked ↺ with their values; o cycles the mode, words kept")
  func paddingModes() throws {
    let caps = ScreenSnapshotTests.levels[0].1
    var m = try ScreenSnapshotTests.model(
      caps, scenario: try Self.lesson("padding-modes"), width: 120, height: 40, keys: ["o"])
    #expect(m.scenario.config.paddingMode == .reflect)
    #expect(m.scenario.title == (try Self.lesson("padding-modes")).title)
    let screen = view(m)
    assertSnapshot(screen, named: "padding-reflect-120x40")
    #expect(screen.plainText.contains("↺2"), "a reflect copy of x[0,0,1,0] = 2 in the padding")
    #expect(screen.plainText.contains("pad 1 reflect"))
    // Tap granularity: the first tap of window (0,1) is on padding cell (−1, 0), a reflect copy
    // of x[0,0,1,0]; the formula says so.
    for k in ["m", "m", "m", "Right"] { _ = update(&m, .key(try #require(Key(spelling: k)))) }
    let tap = try #require(PhasePanels.currentTap(m))
    #expect(tap.copies && tap.inputRow == -1 && tap.sourceRow == 1 && tap.sourceColumn == 0)
    #expect(view(m).plainText.contains("(this tap: padding (−1,0), a copy of x[0,0,1,0])"))
    // The other modes in turn, and back to zeros.
    for mode in [PaddingMode.replicate, .circular, .zeros] {
      _ = update(&m, .key(.character("o")))
      #expect(m.scenario.config.paddingMode == mode)
    }
  }

  @Test("backward on a copy: its gradient is marked on the cell it copies")
  func paddingBackward() throws {
    let caps = ScreenSnapshotTests.levels[0].1
    let m = try ScreenSnapshotTests.model(
      caps, scenario: try Self.lesson("padding-modes"), width: 120, height: 40,
      keys: ["o", "Tab", "m", "m", "m", "Right", "Right"])
    let tap = try #require(PhasePanels.currentTap(m))
    #expect(m.phase == .backward && tap.copies)
    let screen = view(m)
    assertSnapshot(screen, named: "padding-reflect-backward-120x40")
    #expect(screen.plainText.contains("its dx goes to dx[0,0,1,"), "\(screen.plainText)")
  }

  @Test("depthwise: w is [F, 1, 3, 3], the bands in the notes, each filter on its channel")
  func depthwise() throws {
    let caps = ScreenSnapshotTests.levels[0].1
    let m = try ScreenSnapshotTests.model(
      caps, scenario: try Self.lesson("depthwise-separable"), width: 120, height: 40,
      keys: ["f", "f", "f"])
    let screen = view(m)
    assertSnapshot(screen, named: "depthwise-120x40")
    let text = screen.plainText
    #expect(
      text.contains("depthwise") && text.contains("Input x[0,1,:,:]"), "filter 3 reads channel 1")
    #expect(text.contains("▸f2…3 □■□"))
    #expect(!text.contains("w[3,1,"), "the weight has one channel")
  }

  @Test("pointwise: a 1×1 kernel per channel, six of them side by side or one at a time")
  func pointwise() throws {
    let caps = ScreenSnapshotTests.levels[0].1
    let m = try ScreenSnapshotTests.model(
      caps, scenario: try Self.lesson("pointwise"), width: 120, height: 40, keys: ["Right"])
    let screen = view(m)
    assertSnapshot(screen, named: "pointwise-120x40")
    #expect(screen.plainText.contains("C6→F8 · k 1×1"))
    #expect(screen.plainText.contains("it multiplies 6 pairs"))
  }
}
