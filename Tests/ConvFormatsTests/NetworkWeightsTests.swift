import ConvCore
import Foundation
import TestSupport
import Testing

@testable import ConvFormats

// MARK: - Network weights

@Suite("Formats: a network's weights in .npz and .safetensors, named as PyTorch names them")
struct NetworkWeightsTests {
  /// A network from `.net` text, He-initialised from `seed` for inputs of shape `input`.
  static func network(_ text: String, input: [Int] = [1, 1, 8, 8], seed: UInt64 = 1) throws
    -> Network
  {
    try NetFile.parse(text, source: "t.net").spec.initialized(input: input, seed: seed)
  }

  /// A shipped network (`nets/NAME.net`).
  static func shipped(_ name: String, seed: UInt64 = 1) throws -> Network {
    let path = NetFileTests.nets.appendingPathComponent("\(name).net").path
    return try NetFile.load(path: path).spec.initialized(input: [1, 1, 8, 8], seed: seed)
  }

  /// Every layer kind, a grouped conv with a rectangular kernel, stride, dilation and a padding
  /// mode, two linear layers, odd sizes and a linear layer of one output (a 1-element bias).
  static let everyKind = """
    input 3x9x7
    conv 6 3x2 stride 2x1 pad 1 dilation 1x2 groups 3 padding-mode reflect
    relu
    maxpool 3 stride 1 pad 1
    conv 5 1x1
    flatten
    linear 7
    relu
    linear 1
    """

  @Test("digits.net's parameters: nn.Sequential's names, PyTorch's layouts")
  func digitsNames() throws {
    let named = NetworkWeights.named(try Self.shipped("digits"))
    #expect(
      named.map(\.name) == ["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"])
    #expect(
      named.map(\.tensor.shape) == [[8, 1, 3, 3], [8], [16, 8, 3, 3], [16], [10, 64], [10]])
    let grouped = NetworkWeights.named(try Self.network(Self.everyKind, input: [1, 3, 9, 7]))
    #expect(
      grouped.map(\.name) == [
        "0.weight", "0.bias", "3.weight", "3.bias", "5.weight", "5.bias", "7.weight", "7.bias",
      ])
    #expect(grouped[0].tensor.shape == [6, 1, 3, 2] && grouped.last?.tensor.shape == [1])
  }

  @Test(
    "save then load gives the same network, in both formats",
    arguments: ["digits", "one-conv", "deeper", "every-kind"], ["npz", "safetensors"])
  func roundTrip(net: String, format: String) throws {
    let dir = try FileErrorTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let saved: Network
    let fresh: Network
    if net == "every-kind" {
      saved = try Self.network(Self.everyKind, input: [1, 3, 9, 7], seed: 5)
      fresh = try Self.network(Self.everyKind, input: [1, 3, 9, 7], seed: 6)
    } else {
      saved = try Self.shipped(net, seed: 5)
      fresh = try Self.shipped(net, seed: 6)
    }
    #expect(saved != fresh)
    let path = dir.appendingPathComponent("w.\(format)").path
    try NetworkWeights.save(saved, to: path)
    #expect(try NetworkWeights.load(path, into: fresh) == saved)
    #expect(try NetworkWeights.read(path).map(\.name) == NetworkWeights.named(saved).map(\.name))
    // The same weights give the same bytes.
    let again = dir.appendingPathComponent("again.\(format)").path
    try NetworkWeights.save(saved, to: again)
    #expect(
      FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: again))
  }

  @Test(
    "weights PyTorch saved load into digits.net and give PyTorch's logits",
    arguments: ["digits_torch.safetensors", "digits_torch.npz"])
  func torchWeights(file: String) throws {
    let path = SafeTensorsTests.weights.appendingPathComponent(file).path
    let network = try NetworkWeights.load(path, into: try Self.shipped("digits"))
    let io = SafeTensorsTests.weights.appendingPathComponent("digits_torch_io.npz").path
    let x = try TensorFile.load(path: io + ":x").tensor
    let expected = try TensorFile.load(path: io + ":logits").tensor
    let logits = try network.forward(x).logits
    #expect(logits.shape == [3, 10])
    #expect(logits.maxAbsDifference(to: expected) < 1e-4, "\(logits) vs \(expected)")
  }

  /// The message `load` gives for a file of `tensors` saved as safetensors.
  static func loadError(
    _ tensors: [(name: String, tensor: Tensor)], into network: Network, in dir: URL
  ) throws -> String {
    let path = dir.appendingPathComponent("bad.safetensors").path
    try SafeFile.write(SafeTensors.encode(tensors), to: path)
    let message = inputErrorMessage { _ = try NetworkWeights.load(path, into: network) }
    #expect(message?.hasPrefix(path + ": ") == true && message?.contains("\n") == false)
    return message ?? ""
  }

  @Test("a missing, unexpected, misshapen or non-finite tensor is a one-line error")
  func loadErrors() throws {
    let dir = try FileErrorTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let digits = try Self.shipped("digits")
    let named = NetworkWeights.named(digits)
    var message = try Self.loadError(Array(named.dropLast()), into: digits, in: dir)
    #expect(message.contains("no '7.bias' (the bias of layer 7 (linear), (10,)); the file holds"))
    message = try Self.loadError(named + [("9.weight", Tensor(shape: [2]))], into: digits, in: dir)
    #expect(message.contains("'9.weight' is not a parameter of this network (it has 0.weight"))
    let oneConv = NetworkWeights.named(try Self.shipped("one-conv"))
    message = try Self.loadError(oneConv, into: digits, in: dir)
    #expect(message.contains("'0.weight' is (4, 1, 3, 3), but layer 0 (conv2d) needs (8, 1, 3, 3)"))
    var poisoned = named
    poisoned[3].tensor.data[2] = .nan
    poisoned[3].tensor.data[5] = -.infinity
    message = try Self.loadError(poisoned, into: digits, in: dir)
    #expect(message.contains("'3.bias' holds non-finite values (1 NaN, 1 −Inf)"))
    let int64 = SafeTensorsTests.weights.appendingPathComponent("int64.safetensors").path
    message = inputErrorMessage { _ = try NetworkWeights.load(int64, into: digits) } ?? ""
    #expect(message.contains("dtype I64 is not read"))
    #expect(throws: InputError.self) {
      _ = try NetworkWeights.apply(named + [named[0]], to: digits, source: "twice.npz")
    }
  }

  @Test("a name that is neither .npz nor .safetensors, a folder, a broken file: one line each")
  func pathErrors() throws {
    let dir = try FileErrorTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let digits = try Self.shipped("digits")
    let cases: [(() throws -> Void, String)] = [
      (
        { try NetworkWeights.save(digits, to: dir.path + "/w.pt") }, "saved as .npz or .safetensors"
      ),
      (
        {
          try FileManager.default.createDirectory(
            atPath: dir.path + "/folder.npz", withIntermediateDirectories: true)
          try NetworkWeights.save(digits, to: dir.path + "/folder.npz")
        }, "cannot write: it is a folder"
      ),
      ({ _ = try NetworkWeights.load(dir.path + "/none.npz", into: digits) }, "no such file"),
      (
        {
          try SafeFile.write(Array("not a zip".utf8), to: dir.path + "/text.npz")
          _ = try NetworkWeights.load(dir.path + "/text.npz", into: digits)
        }, "not an .npz archive"
      ),
    ]
    for (body, expected) in cases {
      let message = inputErrorMessage(body) ?? "accepted"
      #expect(message.contains(expected) && !message.contains("\n"), "\(message)")
    }
  }
}
