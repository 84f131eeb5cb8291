import ConvCore
import Foundation
import Testing

@testable import ConvFormats

// MARK: - Training against PyTorch

/// convscope's optimiser and trainer against `torch.optim.SGD`, step for step: the same first
/// weights, the same batches, and the loss and every weight and bias after each step
/// (Tests/Fixtures/train-cases, made by scripts/make_train_fixtures.py in float32).
@Suite("training: SGD with momentum and weight decay against PyTorch")
struct TrainingAgainstTorchTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/train-cases")

  static let paths: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.sorted().map {
      folder.appendingPathComponent($0).path
    }
  }()

  /// One step of the fixture: the batch, PyTorch's loss and the parameters after the update.
  struct Step {
    var indices: [Int]
    var loss: Double
    var params: [(w: [Float], b: [Float])]
  }

  /// The fixture's SGD settings and steps (read with Foundation: test code only).
  static func steps(_ path: String) throws -> (SGDConfig, [Step]) {
    let object = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: path)))
    let root = try #require(object as? [String: Any])
    let sgd = try #require(root["sgd"] as? [String: Double])
    let config = SGDConfig(
      learningRate: try #require(sgd["lr"]), momentum: try #require(sgd["momentum"]),
      weightDecay: try #require(sgd["weight_decay"]))
    let steps = try #require(root["steps"] as? [[String: Any]]).map { s in
      let params = try #require(s["params"] as? [[String: [Double]]]).map { p in
        (w: (p["w"] ?? []).map(Float.init), b: (p["b"] ?? []).map(Float.init))
      }
      return Step(
        indices: try #require(s["indices"] as? [Int]), loss: try #require(s["loss"] as? Double),
        params: params)
    }
    return (config, steps)
  }

  static func close(_ a: [Float], _ e: [Float], _ tolerance: Float = 2e-5) -> Bool {
    a.count == e.count && zip(a, e).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
  }

  @Test("each step's loss and parameters match torch.optim.SGD's", arguments: paths)
  func matchesTorch(path: String) throws {
    let c = try ConvCase.load(path: path)
    var network = try #require(c.network).network
    let set = try TrainingSet(
      x: try c.tensor("x"), labels: try #require(c.network).targets,
      classes: try network.shapes(input: [1] + Array(try c.tensor("x").shape.dropFirst()))
        .last?.last ?? 0)
    let (config, steps) = try Self.steps(path)
    #expect(steps.count >= 5)
    var optimizer = SGDOptimizer(config: config)
    for (k, step) in steps.enumerated() {
      let (x, labels) = set.batch(step.indices)
      let g = try network.lossAndGradients(x: x, targets: labels)
      #expect(abs(g.loss - step.loss) <= 2e-5 * max(1, step.loss), "\(path) step \(k + 1) loss")
      try optimizer.step(&network, gradients: g.layers)
      let weighted = network.layers.filter(\.hasWeights)
      #expect(weighted.count == step.params.count)
      for (layer, expected) in zip(weighted, step.params) {
        #expect(Self.close(layer.weight?.data ?? [], expected.w), "\(path) step \(k + 1) w")
        #expect(Self.close(layer.bias?.data ?? [], expected.b), "\(path) step \(k + 1) b")
      }
    }
    #expect(optimizer.steps == steps.count)
  }

  @Test("without momentum's buffers the same steps drift away from PyTorch's (the test can fail)")
  func momentumMatters() throws {
    let path = try #require(Self.paths.first { $0.contains("momentum") })
    let c = try ConvCase.load(path: path)
    var network = try #require(c.network).network
    let set = try TrainingSet(
      x: try c.tensor("x"), labels: try #require(c.network).targets, classes: 4)
    let (config, steps) = try Self.steps(path)
    var plain = config
    plain.momentum = 0
    var optimizer = SGDOptimizer(config: plain)
    for step in steps {
      let (x, labels) = set.batch(step.indices)
      try optimizer.step(
        &network, gradients: try network.lossAndGradients(x: x, targets: labels).layers)
    }
    let last = try #require(steps.last)
    let w = network.layers.first(where: \.hasWeights)?.weight?.data ?? []
    #expect(!Self.close(w, last.params[0].w))
  }
}
