import ConvCore
import ConvLessons
import ConvStepper
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - The unfolded view (u, im2col)

/// The im2col view's matrices are the trace's numbers: `W·cols + b` is `y`, `dY·colsᵀ` is `dw`,
/// `col2im(Wᵀ·dY)` is `dx`, for plain, grouped, strided and padded layers; and `u` switches the
/// screen between maps and matrices.
@Suite("Unfold (im2col)")
struct UnfoldTests {
  static let caps = Capabilities(color: .ansi256, unicode: true)

  /// Layers whose matrices are checked: plain with zero padding, grouped with a batch, reflect
  /// padding with a stride, circular with dilation and groups.
  static let layers: [(String, Scenario)] = [
    (
      "plain",
      scenario(Conv2DConfig(inChannels: 2, filters: 3, kernel: 3, padding: 1), [1, 2, 5, 6])
    ),
    (
      "groups 2, batch 2",
      scenario(
        Conv2DConfig(inChannels: 4, filters: 6, kernel: 3, padding: 1, groups: 2), [2, 4, 5, 4])
    ),
    (
      "reflect, stride 2",
      scenario(
        Conv2DConfig(
          inChannels: 1, filters: 2, kernel: 3, stride: 2, padding: 1, paddingMode: .reflect),
        [1, 1, 6, 7])
    ),
    (
      "circular, dilation 2, groups 3",
      scenario(
        Conv2DConfig(
          inChannels: 3, filters: 3, kernel: Size2(2, 3), padding: 2, dilation: 2, groups: 3,
          paddingMode: .circular), [2, 3, 5, 5])
    ),
  ]

  static func scenario(_ cfg: Conv2DConfig, _ inputShape: [Int]) -> Scenario {
    Scenario(
      config: cfg, input: Tensor.uniform(shape: inputShape, seed: 11),
      weight: Tensor.uniform(shape: cfg.weightShape, seed: 12),
      bias: Tensor.uniform(shape: [cfg.filters], seed: 13), gradient: .random(seed: 14))
  }

  static func model(_ scenario: Scenario, width: Int = 120, height: Int = 40, keys: [String])
    throws -> Model
  {
    var m = try Model(scenario: scenario, capabilities: caps, width: width, height: height)
    for k in keys { _ = update(&m, .key(try #require(Key(spelling: k)))) }
    return m
  }

  static func close(_ a: Float, _ b: Float) -> Bool {
    abs(a - b) <= 1e-4 * max(1, abs(a), abs(b))
  }

  /// Every sample and group of `trace`.
  static func unfoldings(_ trace: LayerTrace) -> [Unfolding] {
    let cfg = trace.geometry.config
    return (0..<trace.geometry.batch).flatMap { n in
      (0..<cfg.groups).map { g in Unfolding(trace, sample: n, filter: g * cfg.groupFilters) }
    }
  }

  @Test("Y = W·cols + b is the trace's y, for every sample and group", arguments: 0..<4)
  func forwardProduct(layer: Int) throws {
    let (name, scenario) = Self.layers[layer]
    let trace = try LayerTrace(scenario)
    for u in Self.unfoldings(trace) {
      for fr in 0..<u.filters {
        for k in 0..<u.windows {
          var sum: Float = 0
          for r in 0..<u.taps { sum += u.weight(scenario.weight, fr, r) * u.entry(r, k).value }
          sum += scenario.bias.data[u.firstFilter + fr]
          let y = trace.y.data[u.outputIndex(filterRow: fr, window: k)]
          #expect(
            Self.close(sum, y), "\(name) n\(u.sample) g\(u.group) Y[\(fr),\(k)]: \(sum) ≠ \(y)")
        }
      }
    }
  }

  @Test("dW = dY·colsᵀ (summed over samples) is the trace's dw", arguments: 0..<4)
  func weightGradient(layer: Int) throws {
    let (name, scenario) = Self.layers[layer]
    let trace = try LayerTrace(scenario)
    var dw = [Float](repeating: 0, count: trace.gradients.dw.count)
    let dy = trace.convGradient.data
    for u in Self.unfoldings(trace) {
      for fr in 0..<u.filters {
        for r in 0..<u.taps {
          for k in 0..<u.windows {
            dw[(u.firstFilter + fr) * u.taps + r] +=
              dy[u.outputIndex(filterRow: fr, window: k)] * u.entry(r, k).value
          }
        }
      }
    }
    for (i, (a, b)) in zip(dw, trace.gradients.dw.data).enumerated() {
      #expect(Self.close(a, b), "\(name) dw[\(i)]: \(a) ≠ \(b)")
    }
  }

  @Test(
    "dx = col2im(Wᵀ·dY) is the trace's dx (padding entries dropped or sent to the copied cell)",
    arguments: 0..<4)
  func inputGradient(layer: Int) throws {
    let (name, scenario) = Self.layers[layer]
    let trace = try LayerTrace(scenario)
    let g = trace.geometry
    var dx = [Float](repeating: 0, count: trace.gradients.dx.count)
    for u in Self.unfoldings(trace) {
      for r in 0..<u.taps {
        let (c, p, q) = u.tap(ofRow: r)
        for k in 0..<u.windows {
          let h = g.inputRow(outputRow: k / g.output.w, kernelRow: p)
          let w = g.inputColumn(outputColumn: k % g.output.w, kernelColumn: q)
          guard let sh = g.sourceRow(h), let sw = g.sourceColumn(w) else { continue }
          let value = try #require(u.dcols(r, k, done: { _ in true }))
          dx[
            ((u.sample * g.config.inChannels + u.firstChannel + c) * g.input.h + sh) * g.input.w
              + sw] += value
        }
      }
    }
    for (i, (a, b)) in zip(dx, trace.gradients.dx.data).enumerated() {
      #expect(Self.close(a, b), "\(name) dx[\(i)]: \(a) ≠ \(b)")
    }
  }

  @Test("the one-sample lesson: dW = dY·colsᵀ, row by row, as the walk shows it")
  func lessonGradient() throws {
    let scenario = try ScenarioBuilder.build(try BuiltinLessons.request(for: "im2col")).scenario
    let trace = try LayerTrace(scenario)
    let u = Unfolding(trace, sample: 0, filter: 0)
    #expect((u.taps, u.windows, u.filters) == (9, 4, 2))
    for fr in 0..<2 {
      for r in 0..<9 {
        var sum: Float = 0
        for k in 0..<4 {
          sum +=
            trace.convGradient.data[u.outputIndex(filterRow: fr, window: k)] * u.entry(r, k).value
        }
        #expect(sum == trace.gradients.dw.data[fr * 9 + r], "dW[\(fr),\(r)]")
      }
    }
  }

  // MARK: Screens

  @Test("the im2col lesson unfolded: forward, backward and update at 120×40")
  func lessonScreens() throws {
    let scenario = try ScenarioBuilder.build(try BuiltinLessons.request(for: "im2col")).scenario
    let forward = try Self.model(scenario, keys: ["Right", "Right"])
    let text = view(forward).plainText
    assertSnapshot(view(forward), named: "unfold-forward-120x40")
    #expect(text.contains("cols = im2col(x[0,:,:,:])") && text.contains("9×4"), "\(text)")
    #expect(text.contains("Y = W·cols + b") && text.contains("2×4"))
    #expect(text.contains("cols is 9×4 = 36 floats"))
    // The current window's column and filter's row: window 2 of filter 0, done up to it.
    let panels = ScreenLayout(forward).panels
    let cols = try #require(panels.first { $0.panel.title.hasPrefix("cols") })
    #expect(cols.panel.grid.window == GridRegion(row: 0, col: 2, rows: 9, cols: 1))
    let y = try #require(panels.first { $0.panel.title.hasPrefix("Y") })
    #expect(y.panel.grid.current == GridCell(row: 0, col: 2))
    #expect(y.panel.grid.value(0, 2) != nil && y.panel.grid.value(0, 3) == nil)
    #expect(y.panel.grid.value(1, 0) == nil)
    let backward = try Self.model(
      scenario, keys: ["Tab", "Right", "Right", "Right", "Right", "Right"])
    assertSnapshot(view(backward), named: "unfold-backward-120x40")
    let back = view(backward).plainText
    #expect(back.contains("dW = dY·colsᵀ") && back.contains("dcols = Wᵀ·dY"), "\(back)")
    #expect(back.contains("col2im → dx[0,0,:,:]"))
    let updated = try Self.model(scenario, keys: ["Tab", "Tab", "Right"])
    assertSnapshot(view(updated), named: "unfold-update-120x40")
    #expect(view(updated).plainText.contains("W − lr·dW"))
  }

  @Test("the lesson opens unfolded (view: unfold); u toggles to the maps and back")
  func toggle() throws {
    let scenario = try ScenarioBuilder.build(try BuiltinLessons.request(for: "im2col")).scenario
    #expect(scenario.startUnfolded)
    let unfolded = try Self.model(scenario, keys: ["Right"])
    #expect(unfolded.display.unfold)
    let titles = { (m: Model) in ScreenLayout(m).panels.map(\.panel.title) }
    var m = unfolded
    _ = update(&m, .key(.character("u")))
    #expect(!m.display.unfold && m.message?.text.contains("Maps again") == true)
    #expect(titles(m) != titles(unfolded))
    #expect(titles(m).contains("Output y[0,0,:,:]"), "\(titles(m))")
    _ = update(&m, .key(.character("u")))
    #expect(m.display.unfold && m.message?.text.contains("im2col") == true)
    #expect(titles(m) == titles(unfolded))
    let block = try ScenarioBuilder.build(try BuiltinLessons.request(for: "conv-relu-pool"))
      .scenario
    var relu = try Self.model(block, keys: ["Tab", "Right"])
    #expect(relu.phase == .relu && !relu.display.unfold)
    let maps = ScreenLayout(relu).panels.map(\.panel.title)
    _ = update(&relu, .key(.character("u")))
    #expect(relu.message?.text.contains("stays maps") == true)
    #expect(ScreenLayout(relu).panels.map(\.panel.title) == maps)
    #expect(view(relu).plainText.contains("ReLU and pooling stay maps"))
  }

  @Test("view: unfold is a lesson key, written back by w, and anything else is refused")
  func lessonKey() throws {
    let entry = try #require(BuiltinLessons.named("im2col"))
    var scenario = try ScenarioBuilder.build(try LessonFile.parse(entry.text, source: "im2col"))
      .scenario
    #expect(scenario.startUnfolded)
    #expect(LessonFile.write(scenario).contains("\nview: unfold\n"))
    scenario.startUnfolded = false
    #expect(!LessonFile.write(scenario).contains("view:"))
    let maps = entry.text.replacingOccurrences(of: "view: unfold", with: "view: maps")
    #expect(
      !(try ScenarioBuilder.build(try LessonFile.parse(maps, source: "m")).scenario.startUnfolded))
    let bad = entry.text.replacingOccurrences(of: "view: unfold", with: "view: sideways")
    #expect {
      _ = try LessonFile.parse(bad, source: "bad.lesson")
    } throws: { error in
      "\(error)".contains("view: \"sideways\" is not unfold or maps")
    }
  }

  @Test("a grouped and a reflect-padded layer unfolded: the group's channels, copies marked")
  func groupedAndReflect() throws {
    let grouped = try Self.model(Self.layers[1].1, keys: ["u", "f", "f", "f", "Right"])
    let text = view(grouped).plainText
    #expect(text.contains("cols = im2col(x[0,2…3,:,:])"), "\(text)")
    #expect(text.contains("W = w[3…5]") && text.contains("3×18"), "\(text)")
    #expect(Facts.lines(grouped).joined().contains("one per group (2 of them)"))
    let reflect = try Self.model(Self.layers[2].1, keys: ["u"])
    let cols = try #require(ScreenLayout(reflect).panels.first { $0.panel.title.hasPrefix("cols") })
    // Window (0, 0) with padding 1: tap (0, 0) is padding (−1, −1), a reflect copy of x[1, 1].
    #expect(cols.panel.grid.kind?(0, 0) == .copy)
    #expect(cols.panel.grid.value(0, 0) == Self.layers[2].1.input.data[1 * 7 + 1])
    #expect(cols.panel.grid.kind?(4, 0) == .data)
    let zeros = try Self.model(Self.layers[0].1, keys: ["u"])
    let zcols = try #require(ScreenLayout(zeros).panels.first { $0.panel.title.hasPrefix("cols") })
    #expect(zcols.panel.grid.kind?(0, 0) == .padding && zcols.panel.grid.value(0, 0) == 0)
  }

  @Test("a click on a cell of Y jumps to its window")
  func click() throws {
    let scenario = try ScenarioBuilder.build(try BuiltinLessons.request(for: "im2col")).scenario
    var m = try Self.model(scenario, keys: [])
    let y = try #require(ScreenLayout(m).panels.first { $0.panel.title.hasPrefix("Y") })
    let rect = try #require(y.layout.screenRect(of: GridCell(row: 1, col: 3)))
    let event = MouseEvent(
      column: rect.x + rect.width / 2, row: rect.y + rect.height / 2, kind: .click(.left))
    _ = update(&m, .mouse(event))
    let w = try #require(m.currentWindow)
    #expect((w.filter, w.row, w.column) == (1, 1, 1))
  }

  @Test(
    "the layout's promises hold unfolded: every conv phase, start/middle/end, sizes and modes",
    arguments: ["im2col", "first", "padding-modes", "rgb-edges", "depthwise-separable", "article"])
  func layoutUnfolded(name: String) throws {
    let scenario = try LayoutPropertyTests.scenario(name)
    let phases = scenario.phases.filter { [.forward, .backward, .update].contains($0) }
    for caps in LayoutPropertyTests.levels {
      for (w, h) in LayoutPropertyTests.sizes {
        var base = try Model(scenario: scenario, capabilities: caps, width: w, height: h)
        try LayoutPropertyTests.press(&base, ["u"])
        for phase in phases {
          for modes in [0, 1, 2] {
            for position in ["Right", "middle", "G"] {
              var m = base
              while m.phase != phase { try LayoutPropertyTests.press(&m, ["Tab"]) }
              try LayoutPropertyTests.press(&m, Array(repeating: "v", count: modes))
              if position == "middle" {
                let middle = max(1, m.timeline.unitCount(m.granularity) / 2)
                try LayoutPropertyTests.press(
                  &m, [":"] + String(middle).map(String.init) + ["Enter"])
              } else {
                try LayoutPropertyTests.press(&m, [position])
              }
              LayoutPropertyTests.check(
                m,
                context:
                  "unfolded \(name) \(phase) \(m.display.mode) \(position) \(w)×\(h) \(caps.unicode)"
              )
            }
          }
        }
      }
    }
  }

  @Test("a monkey unfolded: random keys and resizes over a grouped, padded, batched block")
  func monkey() throws {
    let keys = [
      "u", "Right", "Left", "Down", "Tab", "Shift-Tab", "f", "F", "b", "B", "c", "m", "v", "z",
      "o", "G", "g", "s", "e", "j", "k",
    ]
    let cfg = Conv2DConfig(
      inChannels: 4, filters: 6, kernel: 3, stride: 2, padding: 1, groups: 2,
      paddingMode: .replicate)
    var block = Self.scenario(cfg, [2, 4, 7, 6])
    block.relu = true
    block.pool = MaxPool2DConfig(kernel: 2, stride: 1)
    var m = try Self.model(block, width: 100, height: 30, keys: ["u"])
    var g = SeededGenerator(seed: 7)
    for i in 0..<1500 {
      let key = try #require(Key(spelling: keys[Int(g.next() % UInt64(keys.count))]))
      _ = update(&m, .key(key))
      if i % 97 == 0 {
        _ = update(&m, .resize(width: Int(g.next() % 200), height: Int(g.next() % 70)))
      }
      if i % 3 == 0 {
        let screen = view(m)
        #expect(screen.width == m.width && screen.height == m.height)
      }
    }
  }

  @Test("a big layer's cols (9×65536) draws from the input without building the matrix")
  func bigLayer() throws {
    let cfg = Conv2DConfig(inChannels: 1, filters: 1, kernel: 3, padding: 1)
    let m = try Self.model(Self.scenario(cfg, [1, 1, 256, 256]), keys: ["u", "End"])
    let text = view(m).plainText
    #expect(text.contains("9×65536"), "\(text)")
    #expect(text.contains("589824 floats ("), "\(text)")
  }
}
