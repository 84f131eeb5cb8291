import ConvCore
import Foundation
import Testing

@testable import ConvFormats

// MARK: - .net files

@Suite(".net files: the network a person writes")
struct NetFileTests {
  static let nets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("nets")

  /// Each shipped network and its shapes for one image, layer after layer.
  static let shipped: [(name: String, shapes: [[Int]])] = [
    (
      "digits",
      [
        [1, 1, 8, 8], [1, 8, 8, 8], [1, 8, 8, 8], [1, 8, 4, 4], [1, 16, 4, 4], [1, 16, 4, 4],
        [1, 16, 2, 2], [1, 64], [1, 10],
      ]
    ),
    ("one-conv", [[1, 1, 8, 8], [1, 4, 6, 6], [1, 4, 6, 6], [1, 4, 3, 3], [1, 36], [1, 10]]),
    (
      "deeper",
      [
        [1, 1, 8, 8], [1, 8, 8, 8], [1, 8, 8, 8], [1, 16, 8, 8], [1, 16, 8, 8], [1, 16, 4, 4],
        [1, 32, 2, 2], [1, 32, 2, 2], [1, 128], [1, 64], [1, 64], [1, 10],
      ]
    ),
  ]

  @Test("every file in nets/ is one of the shipped networks tested here")
  func allShipped() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.nets.path)
      .filter { $0.hasSuffix(".net") }.sorted()
    #expect(files == Self.shipped.map { "\($0.name).net" }.sorted())
  }

  @Test("the shipped networks parse, shape-check and initialise", arguments: shipped.indices)
  func shippedNet(index: Int) throws {
    let (name, shapes) = Self.shipped[index]
    let path = Self.nets.appendingPathComponent("\(name).net").path
    let file = try NetFile.load(path: path)
    #expect(file.input == [1, 8, 8])
    #expect(try file.shapes(input: [1, 1, 8, 8], source: path) == shapes)
    let a = try file.spec.initialized(input: [1, 1, 8, 8], seed: 1)
    let b = try file.spec.initialized(input: [1, 1, 8, 8], seed: 1)
    let c = try file.spec.initialized(input: [1, 1, 8, 8], seed: 2)
    #expect(a == b && a != c)
    // A forward and backward pass of a batch of 3 runs and gives 10 class scores.
    let x = Tensor.uniform(shape: [3, 1, 8, 8], in: 0...1, seed: 4)
    let g = try a.lossAndGradients(x: x, targets: [0, 5, 9])
    #expect(g.logits.shape == [3, 10] && g.loss.isFinite && g.loss > 0)
  }

  @Test("digits.net reads as the layers it says")
  func digitsLayers() throws {
    let file = try NetFile.load(path: Self.nets.appendingPathComponent("digits.net").path)
    #expect(
      file.spec.layers.map(\.name) == [
        "conv", "relu", "maxpool", "conv", "relu", "maxpool", "flatten", "linear",
      ])
    #expect(file.spec.layers[0] == .conv2d(ConvLayerSpec(filters: 8, kernel: Size2(3), padding: 1)))
    #expect(file.spec.layers[2] == .maxPool2d(MaxPool2DConfig(kernel: 2)))
    #expect(file.lines.first == 4 && file.texts.last == "linear 10")
  }

  @Test("every option of a line, and comments, blank lines, tabs and HxW sizes")
  func options() throws {
    let text = """
      # a comment line

      input 3x9x7
      \tconv 6 3x2 stride 2x1 pad 1 dilation 1x2 groups 3 padding-mode reflect  # trailing
      maxpool 3 stride 1 pad 1
      flatten
      linear 4
      """
    let file = try NetFile.parse(text, source: "t.net")
    #expect(file.input == [3, 9, 7])
    #expect(
      file.spec.layers[0]
        == .conv2d(
          ConvLayerSpec(
            filters: 6, kernel: Size2(3, 2), stride: Size2(2, 1), padding: 1,
            dilation: Size2(1, 2), groups: 3, paddingMode: .reflect)))
    #expect(file.spec.layers[1] == .maxPool2d(MaxPool2DConfig(kernel: 3, stride: 1, padding: 1)))
    #expect(file.lines == [4, 5, 6, 7])
    #expect(try file.shapes(input: [2, 3, 9, 7], source: "t.net").last == [2, 4])
    // Without an input line, nothing is shape-checked until an input is given.
    // A big layer's shapes are checked without making its weights (600 MB here).
    let big = try NetFile.parse("input 4096x8x8\nconv 4096 3x3\nflatten\nlinear 2", source: "t.net")
    #expect(try big.shapes(input: [1, 4096, 8, 8], source: "t.net").last == [1, 2])
    let loose = try NetFile.parse("conv 2 5\nflatten\nlinear 3", source: "t.net")
    #expect(loose.input == nil)
    #expect(throws: InputError.self) { try loose.shapes(input: [1, 1, 3, 3], source: "t.net") }
  }

  /// Bad files and the exact one-line error each gives.
  static let bad: [(text: String, error: String)] = [
    ("", "t.net: no layers (one a line: conv, relu, maxpool, flatten, linear)"),
    ("# only a comment\n", "t.net: no layers (one a line: conv, relu, maxpool, flatten, linear)"),
    (
      "dense 10",
      "t.net:1: dense 10: unknown layer \"dense\" (expected conv, relu, maxpool, flatten or linear)"
    ),
    ("conv 8", "t.net:1: conv 8: expected the filter count and the kernel, e.g. conv 8 3x3 pad 1"),
    (
      "conv 8 3x3 strid 2",
      "t.net:1: conv 8 3x3 strid 2: unknown option \"strid\" (expected stride, pad, dilation, groups, padding-mode)"
    ),
    ("conv 8 3x3 pad", "t.net:1: conv 8 3x3 pad: pad needs a value"),
    ("conv 8 3x3 pad 1 pad 2", "t.net:1: conv 8 3x3 pad 1 pad 2: pad is given twice"),
    ("conv 8 3x3 pad one", "t.net:1: conv 8 3x3 pad one: pad one: expected a size, n or HxW"),
    (
      "conv 8 3 padding-mode mirror",
      "t.net:1: conv 8 3 padding-mode mirror: padding-mode mirror: expected zeros, reflect, replicate or circular"
    ),
    ("relu 2", "t.net:1: relu 2: relu takes nothing after it"),
    ("maxpool", "t.net:1: maxpool: expected the pool kernel, e.g. maxpool 2"),
    ("linear", "t.net:1: linear: expected the number of outputs, e.g. linear 10"),
    ("linear 0", "t.net:1: linear 0: expected the number of outputs, e.g. linear 10"),
    (
      "relu\ninput 1x8x8",
      "t.net:2: input 1x8x8: the input line comes once, before the first layer"
    ),
    (
      "input 8",
      "t.net:1: input 8: expected the image shape C×H×W (or H×W for one channel), e.g. input 1x8x8"
    ),
    (
      "input 1x8x8\nconv 8 3x3\nrelu\nlinear 10",
      "t.net:4: linear 10: the shape here, after line 3 (relu), is 8×6×6 (C×H×W); linear input has shape (1, 8, 6, 6) but [N, features] (flatten first) was expected"
    ),
    (
      "input 1x8x8\nconv 8 9x9",
      "t.net:2: conv 8 9x9: the shape here, after the input, is 1×8×8 (C×H×W); the effective kernel height (dilation·(kernel−1)+1 = 9) is larger than the padded input height (8): no window fits"
    ),
    (
      "input 1x8x8\nflatten\nconv 2 3",
      "t.net:3: conv 2 3: the shape here, after line 2 (flatten), is 64 features; conv input has shape (1, 64) but [N, C, H, W] (a conv cannot follow flatten or linear) was expected"
    ),
    (
      "input 65536x8x8\nconv 65536 3x3 pad 1",
      "t.net:2: conv 65536 3x3 pad 1: the shape here, after the input, is 65536×8×8 (C×H×W); conv weights with shape (65536, 65536, 3, 3) exceeds the limit"
    ),
    (
      "input 3x8x8\nconv 4 3 groups 2",
      "t.net:2: conv 4 3 groups 2: the shape here, after the input, is 3×8×8 (C×H×W); "
    ),
  ]

  @Test(
    "a bad line gives one line naming it and, for a shape, the shape there", arguments: bad.indices)
  func badFile(index: Int) throws {
    let (text, expected) = Self.bad[index]
    do {
      _ = try NetFile.parse(text, source: "t.net")
      Issue.record("accepted \(text)")
    } catch {
      let message = "\(error)"
      #expect(message.hasPrefix(expected), "\(message)")
      #expect(!message.contains("\n"))
    }
  }
}
