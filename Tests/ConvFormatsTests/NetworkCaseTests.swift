import ConvCore
import Foundation
import Testing

@testable import ConvFormats

// MARK: - Network cases

/// `"op": "network"` cases: read (layers are an array of objects), computed through the library,
/// and refused in one line when a field is wrong.
@Suite("network cases")
struct NetworkCaseTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// net_tiny and the repo's PyTorch-made network cases.
  static let paths: [String] = {
    let own = folder.appendingPathComponent("net-cases")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: own.path)) ?? []
    return [folder.appendingPathComponent("conv-vectors/net_tiny.json").path]
      + files.filter { $0.hasSuffix(".json") }.sorted().map { own.appendingPathComponent($0).path }
  }()

  static func close(_ a: Tensor, _ e: Tensor?) -> Bool {
    guard let e, a.shape == e.shape else { return false }
    return zip(a.data, e.data).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) }
  }

  @Test(
    "the library computes every network case on the fast path and on the oracle", arguments: paths)
  func computes(path: String) throws {
    let c = try ConvCase.load(path: path)
    #expect(c.op == .network)
    let net = try #require(c.network)
    for backend in [ConvBackend.fast, .reference] {
      let g = try CaseRunner.runNetwork(c, backend: backend)
      #expect(Self.close(g.logits, net.expectedLogits), "\(path) logits \(backend)")
      #expect(Self.close(g.dx, c.tensors["dx"]), "\(path) dx \(backend)")
      let loss = try #require(net.expectedLoss)
      #expect(abs(g.loss - loss) <= 1e-4 * max(1, abs(loss)), "\(path) loss \(backend)")
      for (k, expected) in net.expectedLayers.enumerated() {
        #expect((expected.dw != nil) == net.network.layers[k].hasWeights)
        guard let dw = g.layers[k].dw, let db = g.layers[k].db else { continue }
        #expect(Self.close(dw, expected.dw) && Self.close(db, expected.db), "\(path) layer \(k)")
      }
    }
  }

  @Test("net_tiny reads as conv2d, relu, maxpool2d, flatten, linear")
  func tinyLayers() throws {
    let c = try ConvCase.load(
      path: Self.folder.appendingPathComponent("conv-vectors/net_tiny.json").path)
    let layers = try #require(c.network).network.layers
    #expect(layers.map(\.typeName) == ["conv2d", "relu", "maxpool2d", "flatten", "linear"])
    #expect(layers[0].weight?.shape == [2, 1, 3, 3] && layers[4].weight?.shape == [3, 18])
    #expect(c.network?.targets.count == 2)
  }

  @Test("arrays of objects are kept; arrays of numbers read as before")
  func scanner() throws {
    let json = #"{"a": [{"k": 1}, {"k": [2, 3]}], "b": [1, 2, {"x": 1}], "c": [1.5, -2]}"#
    let doc = try Data(json.utf8).withUnsafeBytes {
      try JSONScanner.parse($0.bindMemory(to: UInt8.self))
    }
    guard case .object(let members) = doc else {
      Issue.record("not an object")
      return
    }
    let fields = JSONFields(members)
    let a = try fields.objects("a")
    #expect(a.count == 2 && a[1].path == "a[1]")
    #expect(try a[1].floats("k") == [2, 3])
    #expect(try fields.floats("c") == [1.5, -2])
    #expect(throws: InputError.self) { try fields.objects("b") }
    #expect(throws: InputError.self) { try fields.objects("c") }
    #expect(throws: InputError.self) { try fields.floats("b") }
  }

  static let layersOK =
    #"[{"type": "flatten"}, {"type": "linear", "shapes": {"w": [2, 4], "b": [2]}, "w": [1,0,0,0,0,1,0,0], "b": [0, 0]}]"#

  static func network(layers: String = layersOK, extra: String = "") -> String {
    #"{"op": "network", "shapes": {"x": [1, 1, 2, 2]}, "x": [1, 2, 3, 4], "target": [1], "layers": "#
      + layers + extra + "}"
  }

  /// Bad network cases and words their one-line error must hold.
  static let bad: [(json: String, words: String)] = [
    (network(layers: "[]"), "field \"layers\": no layers"),
    (network(layers: "[1]"), "field \"layers\": element 0 is not an object"),
    (
      network(layers: #"[{"type": "softmax"}]"#),
      "field \"layers[0].type\": unknown layer \"softmax\""
    ),
    (network(layers: #"[{"type": "linear"}]"#), "missing field \"layers[0].shapes\""),
    (
      network(
        layers:
          #"[{"type": "flatten"}, {"type": "linear", "shapes": {"w": [2, 3], "b": [2]}, "w": [1,0,0,0,0,1], "b": [0, 0]}]"#
      ),
      "layer 2 (input shape (1, 4))"
    ),
    (
      network(
        layers:
          #"[{"type": "linear", "shapes": {"w": [2, 4], "b": [2]}, "w": [1,0,0,0,0,1,0,0], "b": [0, 0]}]"#
      ),
      "flatten first"
    ),
    (network(extra: #", "loss": "mse""#), "field \"loss\": \"mse\""),
    (
      network(layers: #"[{"type": "relu"}]"#),
      "\"layers\": the last layer gives (1, 1, 2, 2), not logits"
    ),
    (
      #"{"op": "network", "shapes": {"x": [1, 1, 2, 2]}, "x": [1, 2, 3, 4], "target": [2], "layers": "#
        + layersOK + "}",
      "target must be a class index from 0 to 1 (got 2)"
    ),
  ]

  @Test("a bad network case is refused in one line naming the field", arguments: 0..<bad.count)
  func refuses(index: Int) throws {
    let (json, words) = Self.bad[index]
    do {
      _ = try ConvCase.parse(Data(json.utf8), source: "n.json")
      Issue.record("accepted \(json)")
    } catch {
      let text = "\(error)"
      #expect(text.contains(words) && text.hasPrefix("n.json: "), "\(text)")
      #expect(!text.contains("\n"))
    }
  }

  @Test("a good hand-written network case computes: the identity picks x's first two values")
  func handWritten() throws {
    let c = try ConvCase.parse(Data(Self.network().utf8), source: "n.json")
    let g = try CaseRunner.runNetwork(c)
    #expect(g.logits.data == [1, 2])
    let text = try CaseRunner.networkJSON(g, name: "n")
    #expect(text.contains("\"layers\"") && text.contains("\"loss\""))
  }
}
