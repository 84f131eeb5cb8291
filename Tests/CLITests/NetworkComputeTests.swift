import Foundation
import Testing

// MARK: - convscope compute on whole networks

@Suite("convscope compute: network cases")
struct NetworkComputeTests {
  /// The shared network case and the repo's own (made with PyTorch by
  /// scripts/make_net_fixtures.py).
  static let paths: [String] = {
    let folder = Binary.root.appendingPathComponent("Tests/Fixtures/net-cases")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return [Binary.vectors.appendingPathComponent("net_tiny.json").path]
      + files.filter { $0.hasSuffix(".json") }.sorted().map {
        folder.appendingPathComponent($0).path
      }
  }()

  /// The worst relative difference, `|a − e| / max(1, |e|)`, or +∞ when the counts differ.
  static func worst(_ a: [Double], _ e: [Double]) -> Double {
    guard a.count == e.count else { return .infinity }
    return zip(a, e).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
  }

  @Test("logits, loss, dx and every layer's dw and db match the case's", arguments: paths)
  func matches(path: String) throws {
    let name = URL(fileURLWithPath: path).lastPathComponent
    let (computed, expected) = try Binary.computed(path)
    #expect(computed["op"] as? String == "network")
    for key in ["logits", "dx"] {
      let a = try #require(computed[key] as? [Double], "\(name): no \(key)")
      let e = try #require(expected[key] as? [Double])
      #expect(Self.worst(a, e) <= 1e-4, "\(name) \(key): \(Self.worst(a, e))")
    }
    let loss = try #require(computed["loss"] as? Double)
    let expectedLoss = try #require(expected["loss_value"] as? Double)
    #expect(abs(loss - expectedLoss) <= 1e-4 * max(1, abs(expectedLoss)), "\(name) loss")
    let layers = try #require(computed["layers"] as? [[String: Any]])
    let expectedLayers = try #require(expected["layers"] as? [[String: Any]])
    #expect(layers.count == expectedLayers.count)
    for (k, (layer, spec)) in zip(layers, expectedLayers).enumerated() {
      guard let block = spec["expected"] as? [String: Any] else {
        #expect(layer.isEmpty, "\(name) layer \(k) has no weights but gave \(layer.keys)")
        continue
      }
      for key in ["dw", "db"] {
        let a = try #require(layer[key] as? [Double], "\(name) layer \(k): no \(key)")
        let e = try #require(block[key] as? [Double])
        #expect(Self.worst(a, e) <= 1e-4, "\(name) layer \(k) \(key): \(Self.worst(a, e))")
      }
    }
  }

  @Test("the repo's own network fixtures are there")
  func fixturesExist() {
    #expect(Self.paths.count >= 6, "missing Tests/Fixtures/net-cases: \(Self.paths)")
  }

  @Test(
    "the commands of one layer refuse a network case in one line naming compute",
    arguments: [
      ["steps"], ["view", "--case"], ["code", "--case"], ["render", "--case"],
      [
        "check", "--check-y",
        Binary.root.appendingPathComponent("Tests/Fixtures/formats/npy/bool.npy").path, "--case",
      ],
    ])
  func othersRefuse(command: [String]) throws {
    let path = Binary.vectors.appendingPathComponent("net_tiny.json").path
    let result = try Binary.run(command + [path])
    #expect(result.status == 2, "\(command): \(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("network") && result.stderr.contains("only compute takes it"))
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
  }

  /// A tiny file whose padding or pool asks for huge work.
  static let hugeWork: [(layers: String, words: String)] = [
    (
      #"{"type": "conv2d", "params": {"padding": 5000}, "shapes": {"w": [1,1,1,1], "b": [1]}, "w": [1], "b": [0]}, {"type": "maxpool2d", "params": {"kernel": 10001}}"#,
      "layer 1 (1, 1, 10001, 10001) implies 100020001 values"
    ),
    (
      #"{"type": "conv2d", "params": {"padding": 2000}, "shapes": {"w": [1,1,1,1], "b": [1]}, "w": [1], "b": [0]}, {"type": "maxpool2d", "params": {"kernel": 2000, "stride": 1}}, {"type": "maxpool2d", "params": {"kernel": 2002}}"#,
      "layer 2 (1, 1, 2002, 2002) implies 16032016000000 comparisons"
    ),
  ]

  @Test("a network whose layers imply huge work is refused before any is done", arguments: 0..<2)
  func hugeWorkRefused(index: Int) throws {
    let (layers, words) = Self.hugeWork[index]
    let json =
      #"{"op": "network", "shapes": {"x": [1, 1, 1, 1]}, "x": [1], "target": [0], "layers": ["#
      + layers
      + #", {"type": "flatten"}, {"type": "linear", "shapes": {"w": [2, 1], "b": [2]}, "w": [1, 1], "b": [0, 0]}]}"#
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-net-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(json.utf8).write(to: url)
    let result = try Binary.run(["compute", url.path], timeout: 20)
    #expect(result.status == 2)
    #expect(result.stderr.contains(words), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }
}
