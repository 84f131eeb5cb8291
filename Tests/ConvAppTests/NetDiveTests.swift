import ConvCore
import ConvStepper
import Foundation
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - Dive in: the scenario

/// Enter on a layer of the net screen: the single-layer viewer's scenario holds the network's
/// own tensors, and walking it gives the network's own numbers.
@Suite("The net screen: dive in (scenario)")
struct NetDiveScenarioTests {
  /// The network's forward pass and gradients for the image shown.
  static func pass(_ model: NetModel) throws -> (NetworkActivations, NetworkGradients) {
    let x = model.test.batch([model.imageIndex]).x
    return (
      try model.network.forward(x),
      try model.network.lossAndGradients(x: x, targets: [model.label])
    )
  }

  /// The scenario Enter makes on `layer` of `model`.
  static func scenario(_ model: NetModel, layer: Int) throws -> (NetDive, Scenario) {
    let block = try NetDive.block(of: layer, in: model.network)
    let (a, g) = try pass(model)
    let s = try block.scenario(
      network: model.network, activations: a, gradients: g, titles: model.layerTitles,
      image: model.imageIndex, label: model.className(model.label),
      learningRate: model.learningRate)
    return (block, s)
  }

  /// Whether `a` has `b`'s values (in `b`'s shape or any other of the same count) within `tol`.
  static func same(_ a: Tensor?, _ b: Tensor, tol: Float = 1e-4) -> Bool {
    guard let a, a.count == b.count else { return false }
    let scale = max(1, b.maxAbs)
    return zip(a.data, b.data).allSatisfy { abs($0 - $1) <= tol * scale }
  }

  @Test("a conv layer opens its block (conv, ReLU, max-pool) with the network's tensors")
  func convBlock() throws {
    var model = try netModel()
    updateNet(&model, .key(.right))
    let (block, s) = try Self.scenario(model, layer: 0)
    #expect(block.layers == 0...2 && block.conv == 0 && block.relu == 1 && block.pool == 2)
    #expect(s.startPhase == .forward && s.relu && s.pool != nil)
    let (a, g) = try Self.pass(model)
    #expect(s.input == a.values[0])
    #expect(s.weight == model.network.layers[0].weight)
    #expect(s.bias == model.network.layers[0].bias)
    #expect(s.gradient == .tensor(g.activationGradients[3]))
    #expect(s.learningRate == model.learningRate)
    #expect(s.title == "layer 1: conv 8 3x3 pad 1 · image 2 (true 1)")
    #expect(s.text.contains("Layers 1–3 as one block: conv 8 3x3 pad 1 → relu → maxpool 2."))
    #expect(s.text.contains("dy is the loss's gradient at layer 3's output"))
    let trace = try LayerTrace(s)
    #expect(Self.same(trace.y, a.values[1]), "the conv's output is the network's")
    #expect(Self.same(trace.reluOutput, a.values[2]), "the ReLU's output is the network's")
    #expect(Self.same(trace.blockOutput, a.values[3]), "the pool's output is the network's")
    #expect(Self.same(trace.poolInputGradient, g.activationGradients[2]))
    #expect(Self.same(trace.convGradient, g.activationGradients[1]))
    #expect(Self.same(trace.gradients.dx, g.activationGradients[0]), "dx at the layer's input")
    #expect(Self.same(trace.gradients.dw, try #require(g.layers[0].dw)))
    #expect(Self.same(trace.gradients.db, try #require(g.layers[0].db)))
  }

  @Test("a ReLU or a max-pool opens the conv block before it, at its own phase")
  func reluAndPool() throws {
    let model = try netModel()
    let (relu, r) = try Self.scenario(model, layer: 4)
    #expect(relu.layers == 3...5 && r.startPhase == .relu)
    #expect(r.title.hasPrefix("layer 4: conv 16 3x3 pad 1 · image 1 (true 0)"))
    let (pool, p) = try Self.scenario(model, layer: 5)
    #expect(pool.layers == 3...5 && p.startPhase == .pool)
    #expect(p.input == r.input && p.gradient == r.gradient)
    let (a, g) = try Self.pass(model)
    let trace = try LayerTrace(p)
    #expect(Self.same(trace.blockOutput, a.values[6]))
    #expect(Self.same(trace.gradients.dx, g.activationGradients[3]))
    #expect(try Model(scenario: p, capabilities: .full).phase == .pool)
  }

  @Test("deeper: a grouped conv, a strided conv, and a ReLU after a linear layer (identity)")
  func deeper() throws {
    let model = try netModel(net: "deeper")
    let (a, g) = try Self.pass(model)
    // conv 16 groups 2 → relu → maxpool: layers 3–5 (indices 2…4).
    let (grouped, s) = try Self.scenario(model, layer: 2)
    #expect(grouped.layers == 2...4)
    var trace = try LayerTrace(s)
    #expect(Self.same(trace.blockOutput, a.values[5]))
    #expect(Self.same(trace.gradients.dx, g.activationGradients[2]))
    // conv 32 stride 2 → relu (a flatten follows): layers 6–7.
    let (strided, t) = try Self.scenario(model, layer: 5)
    #expect(strided.layers == 5...6 && t.pool == nil)
    trace = try LayerTrace(t)
    #expect(Self.same(trace.blockOutput, a.values[7]))
    #expect(Self.same(trace.gradients.dx, g.activationGradients[5]))
    // relu after linear 64: an identity 1×1 conv on [1, 64] seen as [1, 64, 1, 1].
    let (identity, u) = try Self.scenario(model, layer: 9)
    #expect(identity.conv == nil && identity.layers == 9...9 && u.startPhase == .relu)
    #expect(u.input.shape == [1, 64, 1, 1] && u.weight.shape == [64, 64, 1, 1])
    #expect(u.weight.data.reduce(0, +) == 64 && u.bias.data.allSatisfy { $0 == 0 })
    #expect(u.text.contains("identity 1×1 convolution") && u.text.contains("[N, F, 1, 1]"))
    #expect(u.title == "layer 10: relu (after an identity conv) · image 1 (true 0)")
    trace = try LayerTrace(u)
    #expect(Self.same(trace.y, a.values[9]), "the identity changes nothing")
    #expect(Self.same(trace.blockOutput, a.values[10]))
    #expect(Self.same(trace.gradients.dx, g.activationGradients[9]))
  }

  @Test("flatten and linear cannot be entered, and say which layers can")
  func refusals() throws {
    let model = try netModel()
    for layer in [6, 7] {
      #expect(throws: NetDiveRefusal.self) { try NetDive.block(of: layer, in: model.network) }
    }
    #expect(throws: NetDiveRefusal.noLayer(8)) { try NetDive.block(of: 8, in: model.network) }
    let refusal = NetDiveRefusal.notEnterable(7, "linear")
    #expect(refusal.description.contains("conv, ReLU and max-pool"))
  }
}

// MARK: - Dive in: keys and the loop

@Suite("The net screen: dive in (keys and loop)")
struct NetDiveLoopTests {
  @Test("Enter asks for the dive and pauses training; the way back says so")
  func enterPauses() throws {
    var model = try netModel()
    updateNet(&model, .key(.enter))
    #expect(model.dive?.block.layers == 0...2 && model.dive?.pausedTraining == false)
    updateNet(&model, .returned(problem: nil))
    #expect(model.dive == nil && model.notice == nil)
    let setUp = try NetTrainingTests.setUp()
    setUp.1.stop()
    var trained = setUp.0
    updateNet(&trained, .key(.character(" ")))
    updateNet(&trained, .key(.enter))
    #expect(!trained.running && trained.requests == [.run, .pause])
    #expect(trained.dive?.pausedTraining == true)
    updateNet(&trained, .returned(problem: nil))
    #expect(trained.notice?.contains("training paused") == true)
  }

  @Test("Enter on flatten says which layers open, in the status line")
  func enterRefused() throws {
    var model = try netModel()
    for _ in 0..<6 { updateNet(&model, .key(.down)) }
    updateNet(&model, .key(.enter))
    #expect(model.dive == nil)
    #expect(
      netView(model).plainText.contains(
        "layer 7 (flatten): Enter opens only conv, ReLU and max-pool layers"))
  }

  @Test("Enter, Tab, →, Esc on the fake terminal: the viewer on layer 1, then the network; q")
  func nested() throws {
    let terminal = FakeTerminal(
      columns: 120, rows: 40,
      script: [
        at(10, .key(.enter)), at(20, .key(.tab)), at(30, .key(.tab)), at(40, .key(.tab)),
        at(50, .key(.tab)), at(55, .key(.tab)), at(60, .key(.right)),
        at(65, .resize(width: 100, height: 30)), at(70, .key(.escape)),
        at(80, .key(.character("q"))),
      ])
    var loop = NetLoop(model: try netModel(), terminal: terminal)
    #expect(loop.run() == 0)
    #expect(!terminal.ranOut && terminal.stopped)
    let screens = terminal.frames.map(\.buffer.plainText)
    let viewer = try #require(
      screens.firstIndex { $0.contains("layer 1: conv 8 3x3 pad 1 · image 1") })
    #expect(screens[viewer].contains("Esc back to the network"), "\(screens[viewer])")
    #expect(screens.contains { $0.contains("Esc back") && $0.contains(" backward ") })
    #expect(screens[0].contains("class scores") && terminal.screen.contains("class scores"))
    let last = try #require(terminal.frames.last?.buffer)
    #expect(last.width == 100 && last.height == 30, "the network redrawn at the viewer's new size")
    #expect(loop.model.width == 100 && loop.model.height == 30)
    #expect(loop.model.dive == nil)
  }

  @Test("q in the viewer goes back too; a quit signal in it ends the program with 128 + signal")
  func quitAndSignal() throws {
    var terminal = FakeTerminal(
      columns: 120, rows: 40,
      script: [at(10, .key(.enter)), at(20, .key(.character("q")))], limit: .seconds(1))
    var loop = NetLoop(model: try netModel(), terminal: terminal)
    #expect(loop.run() == 129, "the script ran out on the net screen")
    #expect(terminal.screen.contains("class scores"))
    terminal = FakeTerminal(
      columns: 120, rows: 40,
      script: [at(10, .key(.enter)), at(20, .interrupted(signal: 15))])
    loop = NetLoop(model: try netModel(), terminal: terminal)
    #expect(loop.run() == 143)
    #expect(terminal.stopped)
    #expect(terminal.screen.contains("Esc back to the network"), "it ended inside the viewer")
  }

  @Test("a recording made in the viewer is saved on the way back and said on the network")
  func recordingInADive() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var terminal = FakeTerminal(
      columns: 120, rows: 40,
      script: [
        at(10, .key(.enter)), at(20, .key(.character("X"))), at(30, .key(.right)),
        at(40, .key(.character("q"))), at(50, .key(.character("q"))),
      ])
    var loop = NetLoop(model: try netModel(), terminal: terminal, directory: folder.path)
    #expect(loop.run() == 0 && loop.farewell.isEmpty)
    let back = try #require(terminal.frames.last?.buffer.plainText)
    #expect(back.contains("class scores") && back.contains("Wrote the recording"), "\(back)")
    let cast = folder.appendingPathComponent("convscope-session.cast")
    #expect(FileManager.default.fileExists(atPath: cast.path))
    // A quit signal inside the viewer: saved too, and said once the terminal is restored.
    terminal = FakeTerminal(
      columns: 120, rows: 40,
      script: [
        at(10, .key(.enter)), at(20, .key(.character("X"))), at(30, .key(.right)),
        at(40, .interrupted(signal: 2)),
      ])
    loop = NetLoop(model: try netModel(), terminal: terminal, directory: folder.path)
    #expect(loop.run() == 130 && terminal.stopped)
    #expect(loop.farewell.count == 1 && loop.farewell[0].contains("convscope-session-2.cast"))
  }

  @Test("the viewer alone: Esc does nothing and q quits; opened from a screen both go back")
  func viewerAlone() throws {
    let scenario = try NetDiveScenarioTests.scenario(try netModel(), layer: 0).1
    var terminal = FakeTerminal(script: [at(10, .key(.escape)), at(20, .key(.character("q")))])
    var alone = InteractiveLoop(
      model: try Model(scenario: scenario, capabilities: .full), terminal: terminal)
    #expect(alone.run() == 0)
    #expect(terminal.stopped && terminal.frames.count == 2)
    #expect(!terminal.screen.contains("Esc back"))
    terminal = FakeTerminal(script: [at(10, .key(.escape))], limit: .seconds(1))
    var nested = InteractiveLoop(
      model: try Model(scenario: scenario, capabilities: .full, backTo: "the network"),
      terminal: terminal)
    #expect(nested.runNested() == .back)
    #expect(!terminal.stopped && !terminal.ranOut, "the terminal stays for the network")
    // Esc closes the help first; the next Esc goes back.
    terminal = FakeTerminal(
      script: [at(10, .key(.character("?"))), at(20, .key(.escape)), at(30, .key(.escape))])
    nested = InteractiveLoop(
      model: try Model(scenario: scenario, capabilities: .full, backTo: "the network"),
      terminal: terminal)
    #expect(nested.runNested() == .back)
    #expect(nested.model.overlay == nil && terminal.frames.count == 3)
  }
}
