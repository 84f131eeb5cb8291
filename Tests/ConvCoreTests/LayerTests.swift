import ConvCore
import Testing

// MARK: - The stateful layer and the article's adapter

@Suite("Conv2DLayer and ArticleConvLayer")
struct LayerTests {
  @Test("backward before forward, and SGD before backward, are errors, not traps")
  func ordering() throws {
    var layer = try Conv2DLayer(config: Conv2DConfig(inChannels: 1, filters: 2, kernel: 3), seed: 1)
    #expect(throws: ConvError.missingPass(needed: "forward", by: "backward")) {
      try layer.backward(Tensor(shape: [1, 2, 2, 2]))
    }
    #expect(throws: ConvError.missingPass(needed: "backward", by: "sgdStep")) {
      try layer.sgdStep(learningRate: 0.1)
    }
  }

  @Test("sgdStep applies w −= lr·dw and b −= lr·db with the stored gradients")
  func sgd() throws {
    let config = Conv2DConfig(inChannels: 1, filters: 2, kernel: 2)
    var layer = try Conv2DLayer(config: config, seed: 2)
    let w0 = layer.weight
    let b0 = layer.bias
    let x = dyadic([2, 1, 4, 4], seed: 9)
    let y = try layer.forward(x)
    let g = try layer.backward(y)
    try layer.sgdStep(learningRate: 0.5)
    for i in w0.data.indices { #expect(layer.weight.data[i] == w0.data[i] - 0.5 * g.dw.data[i]) }
    for i in b0.data.indices { #expect(layer.bias.data[i] == b0.data[i] - 0.5 * g.db.data[i]) }
  }

  @Test("He initialisation: seeded, zero bias, variance 2/fan-in")
  func initialisation() throws {
    let config = Conv2DConfig(inChannels: 4, filters: 64, kernel: 5)
    let a = try Conv2DLayer(config: config, seed: 3)
    let b = try Conv2DLayer(config: config, seed: 3)
    #expect(a.weight == b.weight)
    #expect(a.bias.data.allSatisfy { $0 == 0 })
    let v = a.weight.data.reduce(0) { $0 + $1 * $1 } / Float(a.weight.count)
    #expect(abs(v - 2.0 / 100) < 0.003)
  }

  @Test("the article's layer: the demo's three shapes")
  func articleShapes() throws {
    var layer = try ArticleConvLayer(
      inputSize: 32, filterSize: 5, numFilters: 16, stride: 1, padding: 2, alpha: 0.01, seed: 0)
    let x = Tensor.normal(shape: [10, 32, 32], seed: 1)
    let out = try layer.forward(x)
    let dX = try layer.backward(out)
    #expect(x.shape == [10, 32, 32])
    #expect(out.shape == [10, 32, 32, 16])
    #expect(dX.shape == [10, 32, 32])
  }

  @Test("the article's layer updates after the whole batch: every sample's dX uses the old weights")
  func updateAfterBatch() throws {
    var layer = try ArticleConvLayer(
      inputSize: 6, filterSize: 3, numFilters: 2, stride: 1, padding: 1, alpha: 0.5, seed: 4)
    let w0 = layer.conv.weight
    let b0 = layer.conv.bias
    let x = dyadic([3, 6, 6], seed: 5)
    let out = try layer.forward(x)
    let dX = try layer.backward(out)
    let nchw = try x.reshaped([3, 1, 6, 6])
    let expected = try Conv2D.backward(
      x: nchw, weight: w0, dy: Layout.nhwcToNCHW(out), config: layer.conv.config)
    #expect(try dX.reshaped([3, 1, 6, 6]) == expected.dx)
    #expect(layer.conv.weight == SGD.step(w0, gradient: expected.dw, learningRate: 0.5))
    #expect(layer.conv.bias == SGD.step(b0, gradient: expected.db, learningRate: 0.5))
    // The bias is added in forward (the article never adds it).
    var withBias = layer
    try withBias.setParameters(filters: layer.filters, biases: layer.biases.map { $0 + 1 })
    let shifted = try withBias.forward(x)
    let plain = try layer.forward(x)
    #expect(zip(shifted.data, plain.data).allSatisfy { abs($0 - $1 - 1) <= 1e-5 * max(1, abs($1)) })
  }

  @Test("the article's layer validates its input and its parameters")
  func articleValidation() throws {
    #expect(throws: ConvError.self) {
      try ArticleConvLayer(inputSize: 4, filterSize: 7, numFilters: 1)
    }
    #expect(throws: ConvError.self) {
      try ArticleConvLayer(inputSize: 8, filterSize: 3, numFilters: 1, stride: 0)
    }
    #expect(throws: ConvError.self) {
      try ArticleConvLayer(inputSize: 8, filterSize: 3, numFilters: 1, alpha: .nan)
    }
    var layer = try ArticleConvLayer(inputSize: 8, filterSize: 3, numFilters: 2)
    #expect(throws: ConvError.self) { try layer.forward(Tensor(shape: [2, 8, 9])) }
    #expect(throws: ConvError.self) { try layer.backward(Tensor(shape: [2, 6, 6, 2])) }
  }
}
