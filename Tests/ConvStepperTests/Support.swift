import ConvCore
import ConvFormats
import ConvLessons
import ConvStepper
import Foundation
import Testing

// MARK: - Scenarios for the tests

enum Scenarios {
  /// A scenario with random normal data (so summation order matters) for `config`.
  static func normal(
    _ config: Conv2DConfig, batch: Int, size: Size2, relu: Bool = false,
    pool: MaxPool2DConfig? = nil, gradient: GradientSource = .random(seed: 9), seed: UInt64 = 1
  ) -> Scenario {
    Scenario(
      config: config,
      input: Tensor.normal(shape: [batch, config.inChannels, size.h, size.w], seed: seed),
      weight: Tensor.normal(shape: config.weightShape, seed: seed + 1),
      bias: Tensor.normal(shape: config.biasShape, seed: seed + 2), gradient: gradient, relu: relu,
      pool: pool, learningRate: 0.05)
  }

  /// Configurations covering strides, padding, dilation, channels, batch and non-square shapes.
  static let configurations: [(String, Scenario)] = [
    ("first lesson", .firstLesson),
    (
      "stride 2, padding 1",
      normal(
        Conv2DConfig(inChannels: 1, filters: 2, kernel: 3, stride: 2, padding: 1), batch: 2,
        size: Size2(7, 6))
    ),
    (
      "stride 3, no padding, floor",
      normal(
        Conv2DConfig(inChannels: 2, filters: 1, kernel: 2, stride: 3), batch: 1, size: Size2(8, 7))
    ),
    (
      "dilation 2",
      normal(
        Conv2DConfig(inChannels: 1, filters: 2, kernel: 3, padding: 2, dilation: 2), batch: 1,
        size: Size2(6, 6))
    ),
    (
      "non-square everything",
      normal(
        Conv2DConfig(
          inChannels: 3, filters: 2, kernel: Size2(3, 2), stride: Size2(2, 1), padding: Size2(1, 0),
          dilation: Size2(1, 2)), batch: 2, size: Size2(7, 6))
    ),
    (
      "kernel larger than input",
      normal(
        Conv2DConfig(inChannels: 2, filters: 2, kernel: 5, padding: 2), batch: 2, size: Size2(3, 3))
    ),
    (
      "1×1 kernel, stride 2",
      normal(
        Conv2DConfig(inChannels: 2, filters: 3, kernel: 1, stride: 2, padding: 1), batch: 2,
        size: Size2(5, 6))
    ),
    (
      "conv → ReLU → max-pool",
      normal(
        Conv2DConfig(inChannels: 2, filters: 2, kernel: 3, padding: 1), batch: 2, size: Size2(6, 5),
        relu: true, pool: MaxPool2DConfig(kernel: 2))
    ),
    (
      "conv → max-pool with padding",
      normal(
        Conv2DConfig(inChannels: 1, filters: 2, kernel: 2), batch: 1, size: Size2(6, 6),
        pool: MaxPool2DConfig(kernel: 3, stride: 2, padding: 1))
    ),
    (
      "groups 2, reflect padding",
      normal(
        Conv2DConfig(
          inChannels: 4, filters: 2, kernel: 3, stride: Size2(1, 2), padding: Size2(2, 1),
          groups: 2, paddingMode: .reflect), batch: 2, size: Size2(5, 6))
    ),
    (
      "depthwise ×2, replicate padding, dilation",
      normal(
        Conv2DConfig(
          inChannels: 2, filters: 4, kernel: 2, padding: 2, dilation: Size2(2, 1), groups: 2,
          paddingMode: .replicate), batch: 1, size: Size2(4, 5))
    ),
    (
      "circular padding → ReLU",
      normal(
        Conv2DConfig(
          inChannels: 2, filters: 2, kernel: 3, padding: Size2(1, 3), paddingMode: .circular),
        batch: 1, size: Size2(5, 4), relu: true)
    ),
  ]

  static let vectorsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/conv-vectors")

  /// A shared vector as a scenario with its own dy.
  static func vector(_ name: String) throws -> Scenario {
    let path = vectorsFolder.appendingPathComponent("\(name).json").path
    #expect(FileManager.default.fileExists(atPath: path), "missing fixture \(path)")
    let c = try ConvCase.load(path: path)
    let config = try #require(c.conv)
    return Scenario(
      config: config, input: try c.tensor("x"), weight: try c.tensor("w"), bias: try c.tensor("b"),
      gradient: .tensor(try c.tensor("dy")), learningRate: c.seedLayer?.alpha ?? 0.1)
  }
}
