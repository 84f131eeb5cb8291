import ConvCore

// MARK: - LayerTrace

/// Everything a walk of a ``Scenario`` shows, computed once: the forward results of every
/// phase, the resolved output gradients, the canonical backward pass and the updated weights.
///
/// The convolution's numbers come from ``CanonicalConv`` — the order the step engine shows — so
/// a walk that runs every step ends with exactly these tensors. `LayerTrace` is immutable and
/// shared between timelines; backward checkpoints are built lazily, per sample.
public final class LayerTrace: Sendable {
  /// The scenario (validated).
  public let scenario: Scenario
  /// The convolution's geometry.
  public let geometry: ConvGeometry
  /// The convolution's output `y[N, F, OH, OW]` (canonical order).
  public let y: Tensor
  /// `max(y, 0)` when the scenario has a ReLU.
  public let reluOutput: Tensor?
  /// Max pooling of `reluOutput ?? y` when the scenario pools.
  public let pooled: MaxPool2D.Output?
  /// The block's output: pooled, else rectified, else `y`.
  public let blockOutput: Tensor
  /// The gradient of the block's output (the resolved ``GradientSource``).
  public let blockGradient: Tensor
  /// The gradient of the pooling's input (pool backward), when the scenario pools.
  public let poolInputGradient: Tensor?
  /// The gradient of the convolution's output, `dy` of the conv backward pass.
  public let convGradient: Tensor
  /// The conv backward pass, `(dx, dw, db)`, in the canonical order.
  public let gradients: Conv2DGradients
  /// The weights after one SGD step.
  public let weightAfter: Tensor
  /// The bias after one SGD step.
  public let biasAfter: Tensor
  /// `dw` and `db` at the start of each sample's backward windows (for checkpoints).
  let sampleStarts: [(dw: [Float], db: [Float])]
  let checkpoints: CheckpointCache

  /// Computes every phase of `scenario`; throws a one-line error when it does not validate.
  public init(_ scenario: Scenario, checkpointBudgetBytes: Int = 32 << 20) throws {
    try scenario.validate()
    let g = try scenario.geometry()
    self.scenario = scenario
    self.geometry = g
    let y = CanonicalConv.forward(
      x: scenario.input, weight: scenario.weight, bias: scenario.bias, geometry: g)
    self.y = y
    let relu = scenario.relu ? ReLU.forward(y) : nil
    self.reluOutput = relu
    let poolInput = relu ?? y
    let pooled = try scenario.pool.map { try MaxPool2D.forward(poolInput, config: $0) }
    self.pooled = pooled
    let output = pooled?.y ?? poolInput
    self.blockOutput = output

    let dyBlock: Tensor
    switch scenario.gradient {
    case .ones: dyBlock = Tensor(shape: output.shape, repeating: 1)
    case .output: dyBlock = output
    case .random(let seed): dyBlock = Tensor.uniform(shape: output.shape, seed: seed)
    case .tensor(let t): dyBlock = t
    }
    self.blockGradient = dyBlock
    let poolGrad = try pooled.map {
      try MaxPool2D.backward(inputShape: y.shape, dy: dyBlock, argmax: $0.argmax)
    }
    self.poolInputGradient = poolGrad
    let afterPool = poolGrad ?? dyBlock
    let convGrad = scenario.relu ? try ReLU.backward(x: y, dy: afterPool) : afterPool
    self.convGradient = convGrad

    // The canonical backward pass, sample by sample, remembering dw and db at each sample start.
    var dx = Tensor(shape: g.inputShape)
    var dw = Tensor(shape: g.weightShape)
    var db = Tensor(shape: [g.config.filters])
    var starts: [(dw: [Float], db: [Float])] = []
    let perSample = g.config.filters * g.output.h * g.output.w
    for n in 0..<g.batch {
      starts.append((dw.data, db.data))
      BackwardReplay.apply(
        trace: (scenario.input, scenario.weight, convGrad, g),
        globalRange: (n * perSample)..<((n + 1) * perSample),
        dx: &dx.data, dw: &dw.data, db: &db.data)
    }
    self.sampleStarts = starts
    self.gradients = Conv2DGradients(dx: dx, dw: dw, db: db)
    self.weightAfter = SGD.step(scenario.weight, gradient: dw, learningRate: scenario.learningRate)
    self.biasAfter = SGD.step(scenario.bias, gradient: db, learningRate: scenario.learningRate)

    let stateFloats = g.config.inChannels * g.input.h * g.input.w + dw.count + db.count
    let budgetWindows = max(1, checkpointBudgetBytes / max(1, stateFloats * 4))
    let interval = max(16, (perSample + budgetWindows - 1) / budgetWindows)
    self.checkpoints = CheckpointCache(interval: interval)
  }

  /// Windows (output cells) of the convolution per sample: `F·OH·OW`.
  public var convWindowsPerSample: Int {
    geometry.config.filters * geometry.output.h * geometry.output.w
  }

  /// Taps per convolution window: `C·KH·KW`.
  public var tapsPerWindow: Int {
    geometry.config.inChannels * geometry.config.kernel.h * geometry.config.kernel.w
  }

  /// The pooled map size, when the scenario pools.
  public var pooledSize: Size2? {
    pooled.map { Size2($0.y.shape[2], $0.y.shape[3]) }
  }
}
