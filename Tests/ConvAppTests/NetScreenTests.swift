import ConvCore
import ConvLessons
import Foundation
import TermUI
import TestSupport
import Testing

@testable import ConvApp

// MARK: - A net screen to look at

/// The built-in digits network (He weights of seed 1) and `count` seeded 8×8 test images,
/// labelled 0, 1, 2, … in turn, on a screen of `width`×`height`.
func netModel(
  width: Int = 120, height: Int = 40, capabilities: Capabilities = .full, count: Int = 25,
  net: String = "digits"
) throws -> NetModel {
  let (file, name) = try BuiltinNets.load(net)
  let network = try file.spec.initialized(input: [1, 1, 8, 8], seed: 1)
  let x = Tensor.uniform(shape: [count, 1, 8, 8], in: 0...16, seed: 7)
  let test = try TrainingSet(x: x, labels: (0..<count).map { $0 % 10 }, classes: 10)
  var model = try NetModel(
    network: network, test: test, classNames: (0..<10).map(String.init),
    layerTitles: file.texts, netName: name, weightsFile: nil, seed: 1)
  updateNet(&model, .capabilities(capabilities))
  updateNet(&model, .resize(width: width, height: height))
  return model
}

@Suite("The net screen: view")
struct NetViewTests {
  @Test(
    "every size shows the layer headers, the image's label and the class bars",
    arguments: [
      (80, 24), (120, 40), (160, 48),
    ])
  func sizes(width: Int, height: Int) throws {
    let model = try netModel(width: width, height: height)
    let buffer = netView(model)
    #expect(buffer.width == width && buffer.height == height)
    let lines = buffer.lines
    #expect(lines.count == height && lines.allSatisfy { $0.count == width })
    let text = lines.joined(separator: "\n")
    #expect(text.contains("layer 1 of 8: conv 8 3x3 pad 1"), "\(text)")
    for header in ["1 conv", "2 relu", "3 pool", "4 conv"] {
      #expect(text.contains(header), "no \(header) at \(width)×\(height):\n\(text)")
    }
    #expect(text.contains("8×8×8") && text.contains("class scores"))
    #expect(text.contains("true: 0"), "the image's label")
    let predicted = model.predicted
    #expect(
      lines.contains { $0.contains("▸ \(predicted) ") }, "the predicted class is marked:\n\(text)")
    #expect(text.contains("predicted \(predicted)"))
    #expect(text.contains(predicted == 0 ? "✓ right" : "✗ wrong"))
    #expect(text.contains("untrained (seed 1)"))
  }

  @Test("at 120×40 and wider every layer has its column")
  func everyColumn() throws {
    for (w, h) in [(120, 40), (160, 48)] {
      let text = netView(try netModel(width: w, height: h)).plainText
      for header in ["5 relu", "6 pool", "7 flat", "8 linear", "64 feat"] {
        #expect(text.contains(header), "no \(header) at \(w)×\(h):\n\(text)")
      }
    }
  }

  @Test("the selected layer's column is highlighted and scrolled into view at 80×24")
  func selectedColumn() throws {
    var model = try netModel(width: 80, height: 24)
    for _ in 0..<7 { updateNet(&model, .key(.down)) }
    #expect(model.selectedLayer == 7)
    let buffer = netView(model)
    let text = buffer.plainText
    #expect(text.contains("layer 8 of 8: linear 10"), "\(text)")
    #expect(text.contains("8 linear"))
    #expect(text.contains("◀"), "hidden columns to the left are announced")
    #expect(!text.contains("1 conv"), "the first columns scrolled away")
    let row = buffer.lines.firstIndex { $0.contains("8 linear") } ?? 0
    let x = buffer.lines[row].distance(
      from: buffer.lines[row].startIndex, to: buffer.lines[row].range(of: "8 linear")!.lowerBound)
    #expect(buffer[x, row].style == Theme.standard(for: .full).labelCurrent)
  }

  @Test("a terminal too small says so, and the screen comes back when it grows")
  func tooSmall() throws {
    var model = try netModel(width: 30, height: 8)
    let text = netView(model).plainText
    #expect(text.contains("Too small") || text.contains("too small"), "\(text)")
    #expect(!text.contains("class scores"))
    updateNet(&model, .resize(width: 80, height: 24))
    #expect(netView(model).plainText.contains("class scores"))
    updateNet(&model, .resize(width: 1, height: 1))
    #expect(netView(model).lines.count == 1)
  }

  @Test("--ascii draws only ASCII, and says right/wrong in words")
  func ascii() throws {
    let model = try netModel(width: 120, height: 40, capabilities: .plain)
    let text = netView(model).plainText
    #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(text)")
    #expect(text.contains("conv 8 3x3 pad 1 -> 8x8x8"))
  }

  @Test("the class scores are the softmax of the logits")
  func probabilities() throws {
    let model = try netModel()
    let p = model.probabilities
    #expect(p.count == 10 && abs(p.reduce(0, +) - 1) < 1e-9)
    #expect(p.indices.max { p[$0] < p[$1] } == model.predicted)
  }

  @Test(
    "on every size and layer of every built-in net the columns keep off the class scores",
    arguments: ["digits", "one-conv", "deeper"])
  func columnsKeepOffTheScores(net: String) throws {
    var model = try netModel(net: net)
    for layer in 0..<model.network.layers.count {
      for (w, h) in [(60, 16), (71, 20), (80, 24), (97, 30), (120, 40), (143, 45), (200, 60)] {
        updateNet(&model, .resize(width: w, height: h))
        let lines = netView(model).lines
        let top = try #require(lines.firstIndex { $0.contains("class scores") })
        // All ten classes from 19 rows on; fewer (the likeliest, then "+N more") below.
        let shown = h - 9 >= 10 ? 10 : h - 10
        if shown < 10 { #expect(lines[top + 3 + shown].contains("+\(10 - shown) more")) }
        for k in 0..<shown {
          let row = lines[top + 3 + k].trimmingCharacters(in: .whitespaces)
          #expect(
            row.range(of: #"[0-9]\.[0-9][0-9]$"#, options: .regularExpression) != nil,
            "\(net) layer \(layer + 1) at \(w)×\(h): class row \(k) is \(row)")
        }
        #expect(lines[0].contains("image") && lines[h - 1].contains("untrained"))
      }
      updateNet(&model, .key(.down))
    }
  }

  @Test("snapshot at 80×24 without colour")
  func snapshot() throws {
    let model = try netModel(
      width: 80, height: 24, capabilities: Capabilities(color: .none, unicode: true))
    assertSnapshot(netView(model), named: "net-80x24-plain")
  }
}

// MARK: - Update

@Suite("The net screen: keys")
struct NetUpdateTests {
  @Test("←/→ and h/l change the image and its activations; the ends hold")
  func images() throws {
    var model = try netModel()
    let first = model.activations
    updateNet(&model, .key(.left))
    #expect(model.imageIndex == 0 && model.activations == first)
    updateNet(&model, .key(.right))
    #expect(model.imageIndex == 1 && model.label == 1)
    #expect(model.activations != first)
    #expect(model.activations == (try model.network.forward(model.test.batch([1]).x)))
    updateNet(&model, .key(.character("l")))
    updateNet(&model, .key(.character("h")))
    #expect(model.imageIndex == 1)
    updateNet(&model, .key(.pageDown))
    #expect(model.imageIndex == 11)
    updateNet(&model, .key(.pageDown))
    updateNet(&model, .key(.pageDown))
    #expect(model.imageIndex == 24, "clamped to the last image")
    updateNet(&model, .key(.right))
    #expect(model.imageIndex == 24)
    updateNet(&model, .key(.pageUp))
    #expect(model.imageIndex == 14)
    updateNet(&model, .key(.home))
    #expect(model.imageIndex == 0 && model.activations == first)
    updateNet(&model, .key(.end))
    #expect(model.imageIndex == 24)
  }

  @Test("↑/↓ and k/j select a layer within bounds")
  func layers() throws {
    var model = try netModel()
    updateNet(&model, .key(.up))
    #expect(model.selectedLayer == 0)
    updateNet(&model, .key(.down))
    updateNet(&model, .key(.character("j")))
    #expect(model.selectedLayer == 2)
    for _ in 0..<20 { updateNet(&model, .key(.down)) }
    #expect(model.selectedLayer == model.network.layers.count - 1)
    updateNet(&model, .key(.character("k")))
    #expect(model.selectedLayer == model.network.layers.count - 2)
  }

  @Test("q and Ctrl-C quit, Esc never; ? shows the keys; other keys do nothing")
  func quitAndHelp() throws {
    var model = try netModel()
    #expect(updateNet(&model, .key(.character("q"))))
    #expect(!updateNet(&model, .key(.escape)))
    #expect(netView(model).plainText.contains("Esc only closes what is open; q quits"))
    updateNet(&model, .key(.character("v")))
    #expect(model.dashboard.showsTraining)
    #expect(!updateNet(&model, .key(.escape)))
    #expect(!model.dashboard.showsTraining, "Esc closes the training view")
    #expect(updateNet(&model, .key(.ctrl("c"))))
    #expect(!updateNet(&model, .key(.character("x"))))
    #expect(!updateNet(&model, .key(.character("?"))))
    #expect(model.showsHelp)
    #expect(netView(model).plainText.contains("PgUp/PgDn"))
  }

  @Test("a model needs a test image and a title per layer")
  func checks() throws {
    let (file, _) = try BuiltinNets.load("digits")
    let network = try file.spec.initialized(input: [1, 1, 8, 8], seed: 1)
    let empty = try TrainingSet(x: Tensor(shape: [0, 1, 8, 8]), labels: [], classes: 10)
    #expect(throws: (any Error).self) {
      try NetModel(
        network: network, test: empty, classNames: [], layerTitles: file.texts, netName: "d",
        weightsFile: nil, seed: 1)
    }
  }
}

// MARK: - The loop

@Suite("The net screen: loop")
struct NetLoopTests {
  @Test("→ then q on the fake terminal: two images drawn, exit 0, the terminal given back")
  func loop() throws {
    let terminal = FakeTerminal(
      columns: 120, rows: 40,
      script: [(.milliseconds(10), .key(.right)), (.milliseconds(20), .key(.character("q")))])
    var loop = NetLoop(model: try netModel(), terminal: terminal)
    #expect(loop.run() == 0)
    #expect(terminal.stopped)
    #expect(loop.model.imageIndex == 1)
    #expect(terminal.frames.count == 2)
    #expect(terminal.frames[0].buffer.plainText.contains("test image 1 of 25"))
    #expect(terminal.screen.contains("test image 2 of 25"))
  }

  @Test("a resize redraws at the new size; a quit signal ends with 128 + signal")
  func resizeAndSignal() throws {
    let terminal = FakeTerminal(
      columns: 120, rows: 40,
      script: [(.milliseconds(10), .resize(width: 80, height: 24))], limit: .seconds(1))
    var loop = NetLoop(model: try netModel(), terminal: terminal)
    #expect(loop.run() == 129, "the fake terminal runs out with signal 1")
    #expect(terminal.frames.last?.buffer.width == 80)
    #expect(terminal.stopped)
  }
}
