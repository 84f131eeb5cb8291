import ConvCore
import ConvLessons
import ConvStepper
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - The transposed walk on screen

/// The stamp view draws the trace's numbers as the walk goes, its keys walk phases, samples and
/// output channels, `t` cycles the three views on the same numbers, and the keys that would
/// build a conv2d say so instead.
@Suite("Transposed convolution on screen")
struct TransposedViewTests {
  static let caps = Capabilities(color: .ansi256, unicode: true)

  static func lesson() throws -> TransposedScenario {
    try TransposedBuilder.build(try BuiltinLessons.request(for: "transposed")).scenario
  }

  /// Two input channels stamping onto four output channels in two groups, stride 2, padding
  /// 1, output_padding 1, a batch of 2.
  static func grouped() -> TransposedScenario {
    TransposedScenario(
      spec: GeneralConvSpec(
        transposed: true, stride: Size2(2), padding: Size2(1), outputPadding: Size2(1),
        groups: 2),
      input: Tensor.uniform(shape: [2, 2, 3, 3], seed: 5),
      weight: Tensor.uniform(shape: [2, 2, 3, 3], seed: 6),
      bias: Tensor.uniform(shape: [4], seed: 7), gradient: .random(seed: 8))
  }

  static func model(
    _ s: TransposedScenario, width: Int = 120, height: Int = 40, keys: [String] = []
  ) throws -> Model {
    var m = try Model(transposed: s, capabilities: caps, width: width, height: height)
    for k in keys { _ = update(&m, .key(try #require(Key(spelling: k)))) }
    return m
  }

  static func panel(_ m: Model, _ prefix: String) throws -> ScreenLayout.PlacedPanel {
    try #require(ScreenLayout(m).panels.first { $0.panel.title.hasPrefix(prefix) })
  }

  @Test("Forward: y fills in stamp by stamp, the stamp's footprint outlined")
  func forwardStamps() throws {
    let s = try Self.lesson()
    let trace = try TransposedTrace(s)
    for k in 0..<trace.stepCount(.forward) {
      let m = try Self.model(s, keys: Array(repeating: "Right", count: k))
      let walk = try #require(m.transposed)
      #expect(walk.step == k)
      let out = try Self.panel(m, "Output y[0,0")
      let partial = trace.partialOutput(sample: 0, channel: 0, through: k)
      for r in 0..<trace.dims.oh {
        for c in 0..<trace.dims.ow {
          #expect(out.panel.grid.value(r, c) == partial[r * trace.dims.ow + c])
        }
      }
      let cell = trace.inputCell(step: k)
      let taps = trace.taps(row: cell.row, column: cell.column)
      let region = try #require(out.panel.grid.window)
      for t in taps { #expect(region.contains(row: t.outputRow, col: t.outputColumn)) }
      #expect(
        try Self.panel(m, "Input x").panel.grid.current == GridCell(row: cell.row, col: cell.column)
      )
    }
    // The last stamp leaves y itself.
    let end = try Self.model(s, keys: ["End"])
    let y = try Self.panel(end, "Output y[0,0")
    #expect(y.panel.grid.value(2, 2) == trace.y.data[2 * trace.dims.ow + 2])
    #expect(end.transposed?.step == trace.stepCount(.forward) - 1)
  }

  @Test("Backward and update: dx cell by cell, dw so far, then w − lr·dw")
  func backwardAndUpdate() throws {
    let s = Self.grouped()
    let trace = try TransposedTrace(s)
    let m = try Self.model(s, keys: ["Tab", "Right", "Right", "b"])
    let walk = try #require(m.transposed)
    #expect(walk.phase == .backward && walk.sample == 1 && walk.step == 2)
    let dx = try Self.panel(m, "Input gradient dx[1,0")
    let base = (1 * 2 + 0) * 9
    #expect(dx.panel.grid.value(0, 2) == trace.gradients.dx.data[base + 2])
    #expect(dx.panel.grid.value(1, 0) == nil)
    let dw = try Self.panel(m, "dw[0,0,:,:] so far")
    let expected = trace.partialWeightGradient(sample: 1, through: 2)
    #expect(dw.panel.grid.value(0, 0) == expected.data[0])
    let text = view(m).plainText
    #expect(text.contains("dx[1,0,0,2] = "), "\(text)")
    let update = try Self.model(s, keys: ["Tab", "Tab", "Right", "Right"])
    #expect(update.transposed?.isBiasStep == true)
    let after = try Self.panel(update, "b after")
    #expect(after.panel.grid.value(0, 3) == trace.updatedBias.data[3])
  }

  @Test("f walks the output channels of the current input channel's group")
  func outputChannels() throws {
    let m = try Self.model(Self.grouped(), keys: ["f"])
    #expect(m.transposed?.shownOutput == 1)
    // Output channel 2 is in group 1: the walk moves to input channel 1, same cell.
    let g = try Self.model(Self.grouped(), keys: ["Right", "f", "f"])
    #expect(g.transposed?.shownOutput == 2)
    #expect(g.transposed?.cell.channel == 1 && g.transposed?.cell.column == 1)
    #expect(view(g).plainText.contains("x[1] → y[2…3]"), "\(view(g).plainText)")
    // In the update, f moves to the kernels of the output channel's group.
    let u = try Self.model(Self.grouped(), keys: ["Tab", "Tab", "f", "f"])
    #expect(u.transposed?.shownOutput == 2 && u.transposed?.updateChannel == 1)
  }

  @Test("t cycles stamps → zero insertion → its conv2d → stamps, on the same numbers")
  func views() throws {
    let s = try Self.lesson()
    let trace = try TransposedTrace(s)
    let zero = try Self.model(s, keys: ["t"])
    #expect(zero.transposed?.view == .zeroInsertion)
    #expect(zero.trace.y == trace.y)
    let text = view(zero).plainText
    #expect(text.contains("x′[0,0,:,:] zeros inserted") && text.contains("flipped w′[0,0,:,:]"))
    // The inserted zeros are padding cells.
    let input = try Self.panel(zero, "x′[0,0")
    #expect(input.panel.grid.kind?(0, 0) == .padding)
    #expect(input.panel.grid.kind?(1, 1) == .data)
    #expect(input.panel.grid.kind?(1, 2) == .padding)
    let adjoint = try Self.model(s, keys: ["t", "t"])
    #expect(adjoint.transposed?.view == .adjoint && adjoint.phase == .backward)
    // Its dx is the transposed y − b: side by side on the screen.
    #expect(adjoint.trace.gradients.dx == trace.y)  // the lesson's bias is 0
    #expect(view(adjoint).plainText.contains("convT y[0,0,:,:] − b (stamps view)"))
    #expect(view(adjoint).plainText.contains("dx[0,0,:,:] = convT y − b"))
    let back = try Self.model(s, keys: ["t", "t", "t"])
    #expect(back.transposed?.view == .stamps)
  }

  @Test("output_padding at the stride has no conv2d view: t says why and skips it")
  func noAdjoint() throws {
    var s = try Self.lesson()
    s.spec = GeneralConvSpec(
      transposed: true, stride: Size2(1), dilation: Size2(2), outputPadding: Size2(1))
    let m = try Self.model(s, keys: ["t", "t"])
    #expect(m.transposed?.view == .stamps)
    #expect(m.message?.text.contains("No conv2d view") == true)
  }

  @Test("Keys that build a conv2d are refused; r resets; q quits")
  func refusals() throws {
    var m = try Self.model(Self.grouped(), keys: ["Right", "Right"])
    for key in ["R", "K", "I", "i", "o", "w"] {
      _ = update(&m, .key(try #require(Key(spelling: key))))
      #expect(m.message?.text.contains("transposed layer is set by its flags") == true, "\(key)")
    }
    // C writes the transposed layer's own program (ConvTranspose2d's scatter), in any view.
    let effects = update(&m, .key(.character("C")))
    guard case .writeCode(_, let source, _, _)? = effects.first else {
      Issue.record("C wrote no code: \(effects)")
      return
    }
    #expect(source.contains("ConvTranspose2d"), "\(source)")
    _ = update(&m, .key(.character("m")))
    #expect(m.message?.text.contains("Not in the stamp view") == true)
    _ = update(&m, .key(.character("r")))
    #expect(m.transposed?.step == 0)
    #expect(update(&m, .key(.character("q"))).contains(.quit))
  }

  @Test("Playback steps the stamps and stops at the end")
  func playback() throws {
    var m = try Self.model(try Self.lesson())
    #expect(
      update(&m, .key(.character(" "))).contains {
        if case .startTicks = $0 { true } else { false }
      })
    for _ in 0..<200 { _ = update(&m, .tick(periods: 1)) }
    #expect(m.transposed?.step == 8)
    #expect(m.playing == false)
  }

  @Test("The stamp view at 80×24, 120×40 and 160×48", arguments: [(80, 24), (120, 40), (160, 48)])
  func screens(width: Int, height: Int) throws {
    let m = try Self.model(try Self.lesson(), width: width, height: height, keys: ["Right"] + [])
    let text = view(m).plainText
    #expect(text.contains("convT C1→F1"), "\(text)")
    #expect(text.contains("step 2/9"))
    assertSnapshot(view(m), named: "transposed-stamps-\(width)x\(height)")
    let grouped = try Self.model(
      Self.grouped(), width: width, height: height, keys: ["Tab", "Right"])
    assertSnapshot(view(grouped), named: "transposed-backward-\(width)x\(height)")
  }
}
