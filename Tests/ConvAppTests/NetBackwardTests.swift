import ConvCore
import Foundation
import NumberText
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - Backward through the network

/// `b` on the net screen: a walk from the loss back to the input, the walked columns showing
/// ∂loss/∂activation.
@Suite("The net screen: backward through the network")
struct NetBackwardTests {
  /// The network's gradients for the image shown.
  static func gradients(_ model: NetModel) throws -> NetworkGradients {
    try model.network.lossAndGradients(
      x: model.test.batch([model.imageIndex]).x, targets: [model.label])
  }

  @Test("b starts at the loss: softmax − one-hot of the true label")
  func atTheLoss() throws {
    var model = try netModel()
    #expect(!updateNet(&model, .key(.character("b"))))
    let walk = try #require(model.backward)
    #expect(walk.atLoss && walk.layer == 8 && model.selectedLayer == 7)
    let g = try Self.gradients(model)
    #expect(walk.logitGradient == g.activationGradients[8])
    let p = model.probabilities
    for k in 0..<10 {
      let expected = p[k] - (k == model.label ? 1 : 0)
      #expect(abs(Double(walk.logitGradient.data[k]) - expected) < 1e-5)
    }
    #expect(walk.gradient(column: 7) == g.activationGradients[8])
    #expect(walk.gradient(column: 6) == nil && walk.inputGradient == nil)
  }

  @Test("b, ↑ and k take one layer's backward pass each, from the last layer to the input")
  func order() throws {
    var model = try netModel()
    let g = try Self.gradients(model)
    updateNet(&model, .key(.character("b")))
    let keys: [Key] = [.character("b"), .up, .character("k"), .character("b")]
    for layer in stride(from: 7, through: 0, by: -1) {
      updateNet(&model, .key(keys[layer % keys.count]))
      let walk = try #require(model.backward)
      #expect(walk.layer == layer && model.selectedLayer == layer)
      #expect(walk.newest == g.activationGradients[layer])
      for column in 0..<8 {
        let shown = walk.gradient(column: column)
        #expect(
          shown == (column + 1 >= layer ? g.activationGradients[column + 1] : nil),
          "column \(column) at layer \(layer)")
      }
    }
    #expect(model.backward?.inputGradient == g.activationGradients[0])
    updateNet(&model, .key(.up))
    #expect(model.backward?.layer == 0, "↑ holds at the input")
    updateNet(&model, .key(.down))
    updateNet(&model, .key(.character("j")))
    #expect(model.backward?.layer == 2, "↓ and j go back toward the loss")
    for _ in 0..<2 { updateNet(&model, .key(.character("b"))) }
    #expect(model.backward?.layer == 0)
    updateNet(&model, .key(.character("b")))
    #expect(model.backward == nil, "b at the input leaves")
  }

  @Test("Esc leaves the walk without quitting; a new image recomputes it at the same layer")
  func escAndImages() throws {
    var model = try netModel()
    updateNet(&model, .key(.character("b")))
    for _ in 0..<5 { updateNet(&model, .key(.character("b"))) }
    updateNet(&model, .key(.right))
    let walk = try #require(model.backward)
    #expect(walk.image == 1 && walk.layer == 3 && model.imageIndex == 1)
    #expect(walk.gradients == (try Self.gradients(model)))
    #expect(!updateNet(&model, .key(.escape)))
    #expect(model.backward == nil)
    #expect(!updateNet(&model, .key(.escape)), "a second Esc does not quit")
    #expect(model.notice?.contains("q quits") == true)
  }

  @Test("new weights from the trainer recompute the walk where it is")
  func newWeights() throws {
    var model = try netModel()
    updateNet(&model, .key(.character("b")))
    for _ in 0..<3 { updateNet(&model, .key(.character("b"))) }
    let before = try #require(model.backward)
    var network = model.network
    network.layers[7].weight = network.layers[7].weight.map { $0.map { $0 * 2 } }
    let report = NetTrainingReport(
      network: network, steps: 1, epochsDone: 0, batch: 1, batches: 4, loss: 1, epochLoss: 1,
      epochAccuracy: 0, testAccuracy: nil, busy: false, problem: nil)
    updateNet(&model, .trained(report))
    let after = try #require(model.backward)
    #expect(after.layer == 5 && after.gradients != before.gradients)
    #expect(after.gradients == (try Self.gradients(model)))
  }

  @Test("the walked columns are shaded with the gradient, the others with the activations")
  func shading() throws {
    var model = try netModel(width: 160, height: 48)
    let g = try Self.gradients(model)
    updateNet(&model, .key(.character("b")))
    for _ in 0..<7 { updateNet(&model, .key(.character("b"))) }
    #expect(model.backward?.layer == 1)
    let buffer = netView(model)
    let lines = buffer.lines
    let text = buffer.plainText
    #expect(
      text.contains(
        "backward: layer 2 of 8 · ReLU backward: zeroed where its input ≤ 0 · "
          + "∂loss/∂(layer 2's input) "), "\(text)")
    #expect(lines[lines.count - 1].contains("ReLU backward: the gradient passes where"))
    #expect(text.contains("grad 8×8×8") && text.contains("∂8×4×4"))
    let header = try #require(lines.firstIndex { $0.contains("2 relu") })
    for (name, column, tensor) in [
      ("2 relu", 1, g.activationGradients[2]), ("1 conv", 0, g.activationGradients[1]),
    ] {
      let x = try #require(lines[header].range(of: name)).lowerBound.utf16Offset(
        in: lines[header])
      let y = header + 3
      let expected = Shader(capabilities: .full, range: tensor.maxAbs)
        .shade(tensor[n: 0, c: 0, h: 0, w: 0]).style
      #expect(buffer[x, y].style == expected, "column \(column) shows its gradient")
    }
    updateNet(&model, .key(.down))
    updateNet(&model, .key(.down))
    let later = netView(model)
    let a = model.activations.values[1]
    let x = try #require(later.lines[header].range(of: "1 conv")).lowerBound.utf16Offset(
      in: later.lines[header])
    let expected = Shader(capabilities: .full, range: a.maxAbs)
      .shade(a[n: 0, c: 0, h: 0, w: 0]).style
    #expect(later[x, header + 3].style == expected, "not walked: the activation")
  }

  @Test("the class scores carry ∂loss/∂logits; the input shows ∂loss/∂x at the end")
  func scoresAndInput() throws {
    var model = try netModel()
    updateNet(&model, .key(.character("b")))
    var text = netView(model).plainText
    #expect(text.contains("backward: the loss · ∂loss/∂logits"), "\(text)")
    #expect(text.contains("∂loss/∂logits = softmax − one-hot of the true class"))
    let lines = netView(model).lines
    let label = model.label
    let walk = try #require(model.backward)
    for k in 0..<10 {
      let value = walk.logitGradient.data[k]
      #expect((value <= 0) == (k == label), "only the true class's gradient is negative")
      let number = NetPainter.gradientText(value, unicode: true)
      #expect(
        lines.contains {
          $0.contains(" \(k) ") && $0.trimmingCharacters(in: .whitespaces).hasSuffix("  " + number)
        }, "class \(k)'s row ends with \(number)")
    }
    for _ in 0..<8 { updateNet(&model, .key(.character("b"))) }
    text = netView(model).plainText
    #expect(text.contains("input grad") && text.contains("∂loss/∂x"), "\(text)")
    #expect(text.contains("b or Esc leave"))
  }

  @Test(
    "every size fits, and ASCII spells it out",
    arguments: [(60, 16), (80, 24), (120, 40), (160, 48)])
  func sizes(width: Int, height: Int) throws {
    for capabilities in [Capabilities.full, .plain] {
      var model = try netModel(width: width, height: height, capabilities: capabilities)
      updateNet(&model, .key(.character("b")))
      for step in 0...8 {
        let lines = netView(model).lines
        #expect(lines.count == height && lines.allSatisfy { $0.count == width })
        #expect(
          lines[1].contains("backward")
            || (width < 80 && (lines[1].contains("the loss") || lines[1].contains("layer"))),
          "step \(step) at \(width)×\(height): \(lines[1])")
        if !capabilities.unicode {
          let odd = lines.joined().unicodeScalars.filter { !$0.isASCII }
          #expect(
            odd.isEmpty, "not ASCII at step \(step): \(String(String.UnicodeScalarView(odd)))")
          #expect(step > 0 || lines.joined().contains("dloss/dlogits"))
        }
        updateNet(&model, .key(.character("k")))
      }
    }
  }

  @Test("snapshot of the walk at layer 3 at 80×24 without colour")
  func snapshot() throws {
    var model = try netModel(
      width: 80, height: 24, capabilities: Capabilities(color: .none, unicode: true))
    for _ in 0..<7 { updateNet(&model, .key(.character("b"))) }
    assertSnapshot(netView(model), named: "net-backward-80x24-plain")
  }
}
