import Foundation
import Testing

// MARK: - convscope compute

@Suite("convscope compute")
struct ComputeCommandTests {
  /// Every shared vector of a feature convscope computes.
  static let caseNames: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: Binary.vectors.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
      .filter { !networkCases.contains($0) }.sorted()
  }()

  /// The transposed cases: walked one input cell a step (`steps` lists other fields for them).
  static let transposedCases: Set<String> = ["convT_s1", "convT_s2_p1_op1", "convT_d2_g2"]

  /// The conv2d, pooling and ReLU cases: every command takes them.
  static let walkableCaseNames = caseNames.filter { !transposedCases.contains($0) }

  /// The whole-network cases (issue 16): their own output (`NetworkCaseTests`).
  static let networkCases: Set<String> = ["net_tiny"]

  @Test("there are cases to run")
  func casesExist() {
    #expect(Self.caseNames.count >= 23, "missing fixtures in Tests/Fixtures/conv-vectors")
  }

  @Test("matches every shared vector", arguments: caseNames)
  func matchesVector(name: String) throws {
    let path = Binary.vectors.appendingPathComponent("\(name).json").path
    let (computed, expected) = try Binary.computed(path)
    let exact = (expected["exact_in_float32"] as? Bool) ?? false
    var keys = ["y", "dx", "dw", "db"].filter { expected[$0] != nil }
    var reference = expected
    if let seed = expected["seed_layer"] as? [String: Any] {
      for key in ["filters_after_sgd", "biases_after_sgd"] where seed[key] != nil {
        reference[key] = seed[key]
        keys.append(key)
      }
    }
    #expect(keys.count >= 2)
    for key in keys {
      let a = try #require(computed[key] as? [Double], "\(name): no \(key) in the output")
      let e = try #require(reference[key] as? [Double])
      #expect(a.count == e.count, "\(name) \(key)")
      let tol = exact && !key.hasSuffix("_sgd") ? 1e-6 : 1e-4
      let worst = zip(a, e).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
      #expect(worst <= tol, "\(name) \(key): worst relative difference \(worst)")
    }
  }

  @Test("writes to --output")
  func outputFile() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-compute-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: out) }
    let path = Binary.vectors.appendingPathComponent("relu.json").path
    let result = try Binary.run(["compute", path, "--output", out.path])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    let written = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
    #expect(written?["y"] is [Double])
  }

  /// Writes `json` to a temporary case file and runs `compute` on it.
  static func computeText(_ json: String) throws -> Binary.Output {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "convscope-bad-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(json.utf8).write(to: url)
    return try Binary.run(["compute", url.path])
  }

  static let badCases: [(json: String, mentions: String)] = [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "JSON object"),
    (#"{"op": "conv2d"}"#, "\"shapes\""),
    (#"{"op": "conv3d", "shapes": {}}"#, "unknown operation"),
    (
      #"{"op": "relu", "shapes": {"x": [2, 2]}, "x": [1, 2, 3]}"#,
      "field \"x\": 3 values but shapes.x (2, 2) needs 4"
    ),
    (
      #"{"op": "relu", "shapes": {"x": [1]}, "x": ["a"]}"#, "field \"x\": element 0 is not a number"
    ),
    (
      #"{"op": "conv2d", "shapes": {"x": [1,1,2,2], "w": [1,1,3,3], "b": [1]}, "x": [1,2,3,4], "w": [1,1,1,1,1,1,1,1,1], "b": [0]}"#,
      "effective kernel"
    ),
    (
      #"{"op": "conv2d", "params": {"stride": [0, 1]}, "shapes": {"x": [1,1,2,2], "w": [1,1,1,1], "b": [1]}, "x": [1,2,3,4], "w": [1], "b": [0]}"#,
      "stride must be ≥ 1 (got 0,1)"
    ),
    (#"{"op": "conv2d", "shapes": {"x": [1,1,2,2]}, "x": [1,2,3,4]}"#, "\"w\""),
    (
      #"{"op": "relu", "shapes": {"x": [100000, 100000, 100000]}, "x": [1]}"#,
      "exceeds the limit"
    ),
    (
      #"{"op": "maxpool2d", "params": {"kernel": [0, 2]}, "shapes": {"x": [1,1,2,2]}, "x": [1,2,3,4]}"#,
      "pool kernel"
    ),
  ]

  @Test("bad input: one line naming the problem, exit status 2", arguments: 0..<badCases.count)
  func badInput(index: Int) throws {
    let bad = Self.badCases[index]
    let result = try Self.computeText(bad.json)
    #expect(result.status == 2)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("convscope: error: "))
    #expect(result.stderr.contains(bad.mentions), "\(result.stderr)")
  }

  @Test("missing files and directories")
  func missingFile() throws {
    let missing = try Binary.run(["compute", "/no/such/case.json"])
    #expect(missing.status == 2)
    #expect(missing.stderr == "convscope: error: /no/such/case.json: no such file\n")
    let dir = try Binary.run(["compute", "/tmp"])
    #expect(dir.status == 2)
    #expect(dir.stderr.contains("is a directory"))
  }
}
