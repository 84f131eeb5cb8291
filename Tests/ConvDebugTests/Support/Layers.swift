import ConvCore
import ConvStepper

@testable import ConvDebug

// MARK: - Small layers for the tests

enum Layers {
  /// A layer with seeded random data (floats in [−1, 1]) and a random output gradient.
  static func random(
    batch: Int = 2, channels: Int = 2, filters: Int = 2, input: Size2 = Size2(5, 6),
    kernel: Size2 = 3, stride: Size2 = 1, padding: Size2 = 1, dilation: Size2 = 1,
    seed: UInt64 = 1, gradient: GradientSource? = nil, groups: Int = 1,
    paddingMode: PaddingMode = .zeros
  ) throws -> Scenario {
    let config = Conv2DConfig(
      inChannels: channels, filters: filters, kernel: kernel, stride: stride, padding: padding,
      dilation: dilation, groups: groups, paddingMode: paddingMode)
    let x = Tensor.uniform(shape: [batch, channels, input.h, input.w], seed: seed)
    let w = Tensor.uniform(shape: config.weightShape, seed: seed &+ 1)
    let b = Tensor.uniform(shape: [filters], seed: seed &+ 2)
    return try Scenario(
      config: config, input: x, weight: w, bias: b, gradient: gradient ?? .random(seed: seed &+ 3)
    ).validated()
  }

  /// The correct tensors of a scenario (reference, rounded to Float), channels first.
  static func correct(_ s: Scenario) throws -> (y: Tensor, dx: Tensor, dw: Tensor, db: Tensor) {
    let trace = try LayerTrace(s)
    let y = try Conv2D.forward(
      x: s.input, weight: s.weight, bias: s.bias, config: s.config, backend: .reference)
    let g = try Conv2D.backward(
      x: s.input, weight: s.weight, dy: trace.convGradient, config: s.config, backend: .reference)
    return (y, g.dx, g.dw, g.db)
  }
}
