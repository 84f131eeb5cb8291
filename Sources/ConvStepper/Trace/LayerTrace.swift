import ConvCore
import Synchronization

// MARK: - TraceArithmetic

/// How a ``LayerTrace`` computes the convolution's numbers.
public enum TraceArithmetic: String, Sendable {
  /// One window at a time in the step engine's order (``CanonicalConv``): a walk that runs
  /// every step ends with exactly these tensors, and any position is restored bit for bit.
  case canonical
  /// The fast path (``ConvBackend/fast``): whole passes as matrix products, and a position's
  /// partial gradients recomputed from its step index (``PartialBackward``). Within the fast
  /// path's bound of the canonical sums, not bit for bit; used for big layers.
  case fast
}

// MARK: - InputEdit

/// One input cell changed since `previous` was traced: the new trace's forward pass recomputes
/// only the windows that read it (``forward(_:geometry:arithmetic:)``); everything else of `y`
/// is `previous`'s.
public struct InputEdit: Sendable {
  /// The trace before the edit.
  public let previous: LayerTrace
  /// The flat index of the changed cell in `x[N, C, H, W]`.
  public let flat: Int

  /// An edit of input cell `flat` since `previous`.
  public init(previous: LayerTrace, flat: Int) {
    self.previous = previous
    self.flat = flat
  }

  /// `y` of `scenario` from `previous.y`, the windows that read the cell recomputed in canonical
  /// order (bit for bit what a whole canonical pass gives; on a fast trace within its bound);
  /// nil when `scenario` differs from `previous`'s in more than that cell's layer (another
  /// geometry, weights, bias or arithmetic), so the caller computes it whole.
  func forward(_ scenario: Scenario, geometry g: ConvGeometry, arithmetic: TraceArithmetic)
    -> Tensor?
  {
    let p = previous
    guard p.geometry == g, p.arithmetic == arithmetic, p.scenario.weight == scenario.weight,
      p.scenario.bias == scenario.bias, (0..<scenario.input.count).contains(flat)
    else { return nil }
    let c = g.config
    let (h, w) = ((flat / g.input.w) % g.input.h, flat % g.input.w)
    let plane = g.input.h * g.input.w
    let n = flat / (c.inChannels * plane)
    // The output rows and columns whose windows reach row h and column w, directly or through
    // a padding cell that copies it, in the filters of the cell's channel's group.
    let rows = Set(g.readers(ofRow: h).map(\.i)).sorted()
    let cols = Set(g.readers(ofColumn: w).map(\.j)).sorted()
    var y = p.y
    let taps = c.groupChannels * c.kernel.h * c.kernel.w
    for f in g.filters(readingChannel: (flat / plane) % c.inChannels).filters {
      for i in rows {
        for j in cols {
          var acc: Float = 0
          for t in 0..<taps {
            if let loc = BackwardReplay.tapLocation(g, n: n, f: f, i: i, j: j, tap: t) {
              acc += scenario.input.data[loc.xIndex] * scenario.weight.data[loc.wIndex]
            }
          }
          y.data[((n * c.filters + f) * g.output.h + i) * g.output.w + j] =
            acc + scenario.bias.data[f]
        }
      }
    }
    return y
  }
}

// MARK: - ReusableGradient

/// A trace's output gradient and its source, lent to the next trace of the same layer.
public struct ReusableGradient: Sendable {
  /// How the gradient was made.
  public let source: GradientSource
  /// The gradient.
  public let tensor: Tensor
}

// MARK: - LayerTrace

/// Everything a walk of a ``Scenario`` shows, computed once: the forward results of every
/// phase, the resolved output gradients, the canonical backward pass and the updated weights.
///
/// Up to ``canonicalLimitMACs`` the convolution's numbers come from ``CanonicalConv`` — the order
/// the step engine shows — so a walk that runs every step ends with exactly these tensors, and
/// backward checkpoints are built lazily, per sample. Bigger layers use the fast path
/// (``TraceArithmetic/fast``): no checkpoints, a position's partial gradients are recomputed
/// from its step index. `LayerTrace` is immutable and shared between timelines.
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
  /// How the convolution's numbers were computed.
  public let arithmetic: TraceArithmetic
  /// `dw` and `db` at the start of each sample's backward windows (for checkpoints).
  let sampleStarts: [(dw: [Float], db: [Float])]
  let checkpoints: CheckpointCache
  private let memos = Mutex<[String: any Sendable]>([:])
  private let filterCache = Mutex<(sample: Int, count: Int, value: PartialBackward.Contribution)?>(
    nil)

  /// Layers with at most this many forward multiply–adds are traced in the canonical order
  /// (``TraceArithmetic/canonical``); bigger ones on the fast path.
  public static let canonicalLimitMACs = 16_000_000

  /// Computes every phase of `scenario`; throws a one-line error when it does not validate.
  /// `arithmetic` nil chooses by size (``canonicalLimitMACs``). A `previous` trace's output
  /// gradient (``reusableGradient``), when it was generated the same way (ones, or random with
  /// the same seed) for the same shape, is shared instead of made again (a recomputed big
  /// layer would otherwise hold two).
  public init(
    _ scenario: Scenario, checkpointBudgetBytes: Int = 32 << 20,
    arithmetic: TraceArithmetic? = nil, reusing previous: ReusableGradient? = nil,
    editedInput: InputEdit? = nil
  ) throws {
    try scenario.validate()
    let g = try scenario.geometry()
    let mode = arithmetic ?? (g.forwardMACs <= LayerTrace.canonicalLimitMACs ? .canonical : .fast)
    self.scenario = scenario
    self.geometry = g
    self.arithmetic = mode
    let early = LayerTrace.backwardFirst(
      scenario, geometry: g, arithmetic: mode, previous: previous)
    let y = try LayerTrace.convForward(scenario, geometry: g, arithmetic: mode, edit: editedInput)
    self.y = y
    let relu = scenario.relu ? ReLU.forward(y) : nil
    self.reluOutput = relu
    let poolInput = relu ?? y
    let pooled = try scenario.pool.map { try MaxPool2D.forward(poolInput, config: $0) }
    self.pooled = pooled
    let output = pooled?.y ?? poolInput
    self.blockOutput = output

    let dyBlock =
      early?.dy
      ?? LayerTrace.blockGradient(
        scenario.gradient, shape: output.shape, output: { output }, previous: previous)
    self.blockGradient = dyBlock
    let poolGrad = try pooled.map {
      try MaxPool2D.backward(inputShape: y.shape, dy: dyBlock, argmax: $0.argmax)
    }
    self.poolInputGradient = poolGrad
    let afterPool = poolGrad ?? dyBlock
    let convGrad = scenario.relu ? try ReLU.backward(x: y, dy: afterPool) : afterPool
    self.convGradient = convGrad

    let inputs = (scenario.input, scenario.weight, convGrad, g)
    let (gradients, starts) =
      early.map { ($0.gradients, $0.starts) }
      ?? (mode == .canonical
        ? LayerTrace.canonicalBackward(inputs) : LayerTrace.fastBackward(inputs))
    self.sampleStarts = starts
    self.gradients = gradients
    if mode == .fast { PartialBackward.releaseScratch() }
    self.weightAfter = SGD.step(
      scenario.weight, gradient: gradients.dw, learningRate: scenario.learningRate)
    self.biasAfter = SGD.step(
      scenario.bias, gradient: gradients.db, learningRate: scenario.learningRate)

    let perSample = g.config.filters * g.output.h * g.output.w
    let stateFloats =
      g.config.inChannels * g.input.h * g.input.w + gradients.dw.count + gradients.db.count
    let budgetWindows = max(1, checkpointBudgetBytes / max(1, stateFloats * 4))
    let interval = max(16, (perSample + budgetWindows - 1) / budgetWindows)
    self.checkpoints = CheckpointCache(interval: interval)
  }

  /// The block's output gradient and how it was made, for the next trace to share
  /// (``init(_:checkpointBudgetBytes:arithmetic:reusing:)``) without keeping this trace alive.
  public var reusableGradient: ReusableGradient {
    ReusableGradient(source: scenario.gradient, tensor: blockGradient)
  }

  /// The block's output gradient from its source, for an output of `shape` (`output` gives
  /// the output itself, for the `output` source); a generated one is borrowed from `previous`
  /// when it was generated the same way for the same shape.
  static func blockGradient(
    _ source: GradientSource, shape: [Int], output: () -> Tensor, previous: ReusableGradient?
  ) -> Tensor {
    switch source {
    case .ones, .random:
      if let p = previous, p.tensor.shape == shape, sameGenerated(p.source, source) {
        return p.tensor
      } else if case .random(let seed) = source {
        return Tensor.uniform(shape: shape, seed: seed)
      } else {
        return Tensor(shape: shape, repeating: 1)
      }
    case .output: return output()
    case .tensor(let t): return t
    }
  }

  /// A fast trace whose dy does not depend on y (no ReLU, no pooling, dy not `output`) does
  /// its backward pass first: its scratch is then gone before y is made, which lowers the
  /// peak while a recomputed big layer is built beside the one on screen. Nil for the others.
  static func backwardFirst(
    _ scenario: Scenario, geometry g: ConvGeometry, arithmetic mode: TraceArithmetic,
    previous: ReusableGradient?
  ) -> (gradients: Conv2DGradients, starts: [(dw: [Float], db: [Float])], dy: Tensor)? {
    if case .output = scenario.gradient { return nil }
    guard mode == .fast, !scenario.relu, scenario.pool == nil else { return nil }
    let dy = blockGradient(
      scenario.gradient, shape: g.outputShape, output: { Tensor(shape: g.outputShape) },
      previous: previous)
    let (gradients, starts) = fastBackward((scenario.input, scenario.weight, dy, g))
    PartialBackward.releaseScratch()
    return (gradients, starts, dy)
  }

  /// The convolution's output: from `edit` when one input cell changed, else a whole pass in
  /// the trace's arithmetic.
  static func convForward(
    _ scenario: Scenario, geometry g: ConvGeometry, arithmetic mode: TraceArithmetic,
    edit: InputEdit?
  ) throws -> Tensor {
    if let edited = edit?.forward(scenario, geometry: g, arithmetic: mode) { return edited }
    if mode == .canonical {
      return CanonicalConv.forward(
        x: scenario.input, weight: scenario.weight, bias: scenario.bias, geometry: g)
    }
    return try Conv2D.forward(
      x: scenario.input, weight: scenario.weight, bias: scenario.bias, config: g.config,
      backend: .fast)
  }

  /// Whether two gradient sources generate the same tensor for the same shape.
  static func sameGenerated(_ a: GradientSource, _ b: GradientSource) -> Bool {
    switch (a, b) {
    case (.ones, .ones): return true
    case (.random(let s), .random(let t)): return s == t
    default: return false
    }
  }

  /// The canonical backward pass, sample by sample, remembering dw and db at each sample start.
  static func canonicalBackward(_ t: BackwardReplay.Inputs) -> (
    Conv2DGradients, [(dw: [Float], db: [Float])]
  ) {
    let g = t.geometry
    var dx = Tensor(shape: g.inputShape)
    var dw = Tensor(shape: g.weightShape)
    var db = Tensor(shape: [g.config.filters])
    var starts: [(dw: [Float], db: [Float])] = []
    let perSample = g.config.filters * g.output.h * g.output.w
    for n in 0..<g.batch {
      starts.append((dw.data, db.data))
      BackwardReplay.apply(
        trace: t, globalRange: (n * perSample)..<((n + 1) * perSample), dx: &dx.data,
        dw: &dw.data, db: &db.data)
    }
    return (Conv2DGradients(dx: dx, dw: dw, db: db), starts)
  }

  /// The backward pass on the fast path, one sample at a time (so that dw and db at each
  /// sample's start are known, as the canonical pass knows them), samples summed in order.
  static func fastBackward(_ t: BackwardReplay.Inputs) -> (
    Conv2DGradients, [(dw: [Float], db: [Float])]
  ) {
    let g = t.geometry
    let perSample = g.config.filters * g.output.h * g.output.w
    var dw = Tensor(shape: g.weightShape)
    var db = Tensor(shape: [g.config.filters])
    var starts: [(dw: [Float], db: [Float])] = []
    let sampleX = g.config.inChannels * g.input.h * g.input.w
    var parts: [[Float]] = []
    for n in 0..<g.batch {
      starts.append((dw.data, db.data))
      let part = PartialBackward.sample(
        x: t.x, weight: t.w, dy: t.dy, geometry: g, sample: n, windows: perSample)
      parts.append(part.dx)
      for k in dw.data.indices { dw.data[k] += part.dw[k] }
      for k in db.data.indices { db.data[k] += part.db[k] }
    }
    // One sample: its dx is the whole of dx (no second copy of a big tensor).
    let whole = parts.count == 1 ? parts[0] : parts.flatMap { $0 }
    let dx = (try? Tensor(shape: g.inputShape, data: whole)) ?? Tensor(shape: g.inputShape)
    precondition(dx.count == g.batch * sampleX)
    return (Conv2DGradients(dx: dx, dw: dw, db: db), starts)
  }

  /// Lets go of what this trace keeps to answer seeks quickly (its cached partial gradients):
  /// called when a recomputed layer is about to replace it.
  public func dropCaches() {
    filterCache.withLock { $0 = nil }
  }

  // MARK: Fast traces: partial gradients

  /// What the first `count` filters of sample `n` contribute to dx, dw and db, on the fast
  /// path. One entry is kept: moving within a filter reuses it, the next or previous filter
  /// adds or takes away one filter's pass; anything else recomputes.
  func completeFilters(sample n: Int, count: Int) -> PartialBackward.Contribution {
    // Taken out of the cache while it is updated, so the update mutates it in place (a copy
    // of dx is tens of megabytes on a big layer).
    let cached = filterCache.withLock { cache in
      defer { if cache?.sample != n || cache?.count != count { cache = nil } }
      return cache
    }
    if let c = cached, c.sample == n, c.count == count { return c.value }
    let (x, w, dy, g) = (scenario.input, scenario.weight, convGradient, geometry)
    var value: PartialBackward.Contribution
    if let c = cached, c.sample == n, abs(c.count - count) <= 2 {
      value = c.value
      PartialBackward.addFilters(
        x: x, weight: w, dy: dy, geometry: g, sample: n,
        range: min(c.count, count)..<max(c.count, count),
        into: &value, sign: c.count < count ? 1 : -1)
    } else {
      value = PartialBackward.zero(g)
      PartialBackward.addFilters(
        x: x, weight: w, dy: dy, geometry: g, sample: n, range: 0..<count, into: &value)
    }
    filterCache.withLock { $0 = (n, count, value) }
    return value
  }

  /// What the first `windows` windows of sample `n` contribute (fast traces).
  func partialContribution(sample n: Int, windows: Int) -> PartialBackward.Contribution {
    let plane = geometry.output.h * geometry.output.w
    var part = completeFilters(sample: n, count: windows / plane)
    PartialBackward.addFilter(
      x: scenario.input, weight: scenario.weight, dy: convGradient, geometry: geometry,
      sample: n, filter: windows / plane, windows: windows % plane, into: &part)
    return part
  }

  // MARK: Memoized facts

  /// The value `make` computes, computed once per trace under `key` (the trace is immutable,
  /// so anything derived from it alone may be kept): what a frame would otherwise recompute
  /// over whole maps every time it is drawn.
  public func memo<T: Sendable>(_ key: String, _ make: () -> T) -> T {
    // Unwrapped before the cast: `nil as? T` succeeds when T is itself optional.
    if let known = memos.withLock({ $0[key] }), let value = known as? T { return value }
    let value = make()
    memos.withLock { $0[key] = value }
    return value
  }

  /// How many windows (per filter) read each input cell (``ConvGeometry/readCounts()``).
  public var readCounts: [Int] { memo("readCounts") { geometry.readCounts() } }

  /// Whether some input cell is read by no window.
  public var hasUnreadInput: Bool { memo("hasUnreadInput") { readCounts.contains(0) } }

  /// Whether the input or the weights hold a NaN or an infinity.
  public var hasNonFinite: Bool {
    memo("hasNonFinite") {
      scenario.input.data.contains { !$0.isFinite }
        || scenario.weight.data.contains { !$0.isFinite }
    }
  }

  /// Whether `t` shares its storage with one of the trace's own tensors (which never change
  /// while the trace lives, so facts about them may be memoized by that storage's address).
  public func storageKey(of t: Tensor) -> UInt? {
    let address = t.data.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    guard address != 0 else { return nil }
    let own = [
      y, reluOutput, pooled?.y, blockOutput, blockGradient, poolInputGradient, convGradient,
      gradients.dx, gradients.dw, gradients.db, weightAfter, biasAfter, scenario.input,
      scenario.weight, scenario.bias,
    ]
    for case let o? in own
    where o.data.withUnsafeBufferPointer({ UInt(bitPattern: $0.baseAddress) }) == address {
      return address
    }
    return nil
  }

  /// Windows (output cells) of the convolution per sample: `F·OH·OW`.
  public var convWindowsPerSample: Int {
    geometry.config.filters * geometry.output.h * geometry.output.w
  }

  /// Taps per convolution window: `C/G·KH·KW`.
  public var tapsPerWindow: Int {
    geometry.config.groupChannels * geometry.config.kernel.h * geometry.config.kernel.w
  }

  /// The pooled map size, when the scenario pools.
  public var pooledSize: Size2? {
    pooled.map { Size2($0.y.shape[2], $0.y.shape[3]) }
  }
}
