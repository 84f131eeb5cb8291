import ConvCore
import Testing

// MARK: - Trainer

/// The training loop: shuffles, batches, determinism, epochs, evaluation and its refusals.
@Suite("trainer: shuffles, batches, epochs, evaluation")
struct TrainerTests {
  /// Twelve 1×4×4 images of three classes: class k lights row k (plus noise).
  static func set(count: Int = 12) throws -> TrainingSet {
    var x = Tensor.uniform(shape: [count, 1, 4, 4], in: 0...0.2, seed: 5)
    let labels = (0..<count).map { $0 % 3 }
    for (n, k) in labels.enumerated() {
      for j in 0..<4 { x.data[n * 16 + k * 4 + j] += 1 }
    }
    return try TrainingSet(x: x, labels: labels, classes: 3)
  }

  static let spec = NetSpec(layers: [
    .conv2d(ConvLayerSpec(filters: 2, kernel: Size2(3), padding: 1)), .relu,
    .maxPool2d(MaxPool2DConfig(kernel: 2)), .flatten, .linear(outputs: 3),
  ])

  static func trainer(seed: UInt64 = 7, batch: Int = 5) throws -> Trainer {
    let net = try spec.initialized(input: [1, 1, 4, 4], seed: seed)
    return try Trainer(
      network: net, train: try set(),
      options: TrainingOptions(
        batchSize: batch, sgd: SGDConfig(learningRate: 0.1, momentum: 0.9), seed: seed))
  }

  @Test("a shuffle is a permutation, differs from the identity and repeats with its seed")
  func shuffle() {
    var a = SeededGenerator(seed: 3)
    var b = SeededGenerator(seed: 3)
    let first = Trainer.shuffled(count: 50, &a)
    #expect(first.sorted() == Array(0..<50))
    #expect(first != Array(0..<50))
    #expect(first == Trainer.shuffled(count: 50, &b))
    #expect(Trainer.shuffled(count: 50, &a) != first)
    #expect(Trainer.shuffled(count: 0, &a).isEmpty)
    #expect(Trainer.shuffled(count: 1, &a) == [0])
  }

  @Test("batch copies the chosen images in order, with their labels")
  func batch() throws {
    let s = try Self.set()
    let (x, labels) = s.batch([4, 0, 4])
    #expect(x.shape == [3, 1, 4, 4])
    #expect(labels == [1, 0, 1])
    #expect(Array(x.data[0..<16]) == Array(s.x.data[64..<80]))
    #expect(Array(x.data[16..<32]) == Array(s.x.data[0..<16]))
    #expect(Array(x.data[32..<48]) == Array(s.x.data[64..<80]))
  }

  @Test("an epoch visits every image once, in batches of the size asked (the last smaller)")
  func epochs() throws {
    var t = try Self.trainer()
    #expect(t.batchesPerEpoch == 3)
    var seen: [Int] = []
    var sizes: [Int] = []
    for k in 1...3 {
      let s = try t.step()
      #expect(s.epoch == 1 && s.batch == k && s.batches == 3)
      #expect(s.endsEpoch == (k == 3))
      seen += s.indices
      sizes.append(s.indices.count)
    }
    #expect(seen.sorted() == Array(0..<12))
    #expect(sizes == [5, 5, 2])
    #expect(t.epochsDone == 1 && t.nextBatch == 0)
    let next = try t.step()
    #expect(next.epoch == 2)
    #expect(next.indices != Array(seen.prefix(5)))
  }

  @Test("the same seed gives the same bits; another seed other weights")
  func deterministic() throws {
    var a = try Self.trainer()
    var b = try Self.trainer()
    var c = try Self.trainer(seed: 8)
    for _ in 0..<7 {
      #expect(try a.step() == b.step())
      _ = try c.step()
    }
    #expect(a.network == b.network)
    #expect(a.optimizer == b.optimizer)
    #expect(a.network != c.network)
  }

  @Test("training lowers the loss and learns the rows; evaluation counts right answers")
  func learns() throws {
    var t = try Self.trainer()
    let set = try Self.set()
    let before = try Trainer.evaluate(t.network, on: set)
    for _ in 0..<(30 * t.batchesPerEpoch) { _ = try t.step() }
    let after = try Trainer.evaluate(t.network, on: set, batchSize: 5)
    #expect(after.loss < before.loss / 4)
    #expect(after.accuracy == 1)
    #expect(after.predictions == set.labels)
    // The finished epoch's figures stay until the next epoch's first step.
    let soFar = try #require(t.epochSoFar)
    #expect(soFar.accuracy > 0.9 && soFar.loss > 0 && soFar.loss < before.loss)
    #expect(try Self.trainer().epochSoFar == nil)
  }

  @Test("predictions take the first largest logit")
  func predictions() throws {
    let logits = try Tensor(shape: [3, 3], data: [1, 5, 5, 0, 0, 0, -1, -2, -0.5])
    #expect(Trainer.predictions(logits) == [1, 0, 2])
  }

  @Test("bad options and a network of the wrong width are refused in one line")
  func refusals() throws {
    let net = try Self.spec.initialized(input: [1, 1, 4, 4], seed: 1)
    let set = try Self.set()
    func options(batch: Int = 4, lr: Double = 0.1, momentum: Double = 0, decay: Double = 0)
      -> TrainingOptions
    {
      TrainingOptions(
        batchSize: batch,
        sgd: SGDConfig(learningRate: lr, momentum: momentum, weightDecay: decay), seed: 1)
    }
    for bad in [
      options(batch: 0), options(lr: 0), options(lr: .nan), options(momentum: 1),
      options(momentum: -0.1), options(decay: -1),
    ] {
      #expect(throws: ConvError.self) { try Trainer(network: net, train: set, options: bad) }
    }
    let wide = try NetSpec(layers: Self.spec.layers.dropLast() + [.linear(outputs: 4)])
      .initialized(input: [1, 1, 4, 4], seed: 1)
    #expect(throws: ConvError.self) { try Trainer(network: wide, train: set, options: options()) }
    #expect(throws: ConvError.self) {
      try TrainingSet(x: set.x, labels: Array(set.labels.dropLast()), classes: 3)
    }
    #expect(throws: ConvError.self) {
      try TrainingSet(x: set.x, labels: set.labels.map { $0 + 1 }, classes: 3)
    }
  }

  @Test("SGD with weight decay and momentum, by hand: d = g + λp, v = μv + d, p −= lr·v")
  func sgdByHand() throws {
    var net = Network(layers: [
      NetLayer(.linear, weight: try Tensor(shape: [1, 1], data: [2]), bias: Tensor(shape: [1]))
    ])
    var sgd = SGDOptimizer(config: SGDConfig(learningRate: 0.5, momentum: 0.5, weightDecay: 0.25))
    let g = [
      LayerGradients(
        dw: try Tensor(shape: [1, 1], data: [1]), db: try Tensor(shape: [1], data: [1]))
    ]
    try sgd.step(&net, gradients: g)
    // d = 1 + 0.25·2 = 1.5, v = 1.5, p = 2 − 0.75 = 1.25.
    #expect(net.layers[0].weight?.data == [1.25])
    try sgd.step(&net, gradients: g)
    // d = 1 + 0.3125 = 1.3125, v = 0.75 + 1.3125 = 2.0625, p = 1.25 − 1.03125 = 0.21875.
    #expect(net.layers[0].weight?.data == [0.21875])
    // The bias decays too: 0 → −0.5; then d = 1 − 0.125, v = 0.5 + 0.875, b = −0.5 − 0.6875.
    #expect(net.layers[0].bias?.data == [-1.1875])
  }

  @Test("the parameter count and the work budget come from the shapes, before any weight")
  func budget() throws {
    // conv 2·1·3·3 + 2, linear 3·8 + 3.
    #expect(try Self.spec.parameterCount(input: [1, 1, 4, 4]) == 20 + 27)
    try WorkBudget.requireTrainable(Self.spec, input: [32, 1, 4, 4], flag: "--net")
    let huge = NetSpec(layers: [.flatten, .linear(outputs: 1 << 13)])
    #expect(try huge.parameterCount(input: [1, 1, 64, 64]) == (1 << 13) * 4097)
    #expect(throws: ConvError.self) {
      try WorkBudget.requireTrainable(huge, input: [1, 1, 64, 64], flag: "--net")
    }
    // Few weights, but a batch of outputs too large for one layer.
    let wide = NetSpec(layers: [.conv2d(ConvLayerSpec(filters: 64, kernel: Size2(1)))])
    try WorkBudget.requireTrainable(wide, input: [1, 1, 64, 64], flag: "--net")
    #expect(throws: ConvError.self) {
      try WorkBudget.requireTrainable(wide, input: [4096, 1, 64, 64], flag: "--net")
    }
  }
}
