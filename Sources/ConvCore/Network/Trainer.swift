// MARK: - TrainingSet

/// Images `[N, C, H, W]` and their class indices: what a ``Trainer`` learns from or is tested on.
public struct TrainingSet: Sendable, Equatable {
  /// The images, `[N, C, H, W]`.
  public var x: Tensor
  /// One class index per image, each in `0..<classes`.
  public var labels: [Int]
  /// The number of classes.
  public var classes: Int

  /// A set of `x` and `labels`; throws unless there is one label per image, each a class index.
  public init(x: Tensor, labels: [Int], classes: Int) throws {
    guard x.rank == 4, x.shape[0] == labels.count else {
      throw ConvError.shapeMismatch(
        name: "images", expected: "[\(labels.count), C, H, W] (one per label)", actual: x.shape)
    }
    try CrossEntropy.requireTargets(labels, batch: labels.count, classes: classes)
    self.x = x
    self.labels = labels
    self.classes = classes
  }

  /// The number of images.
  public var count: Int { labels.count }

  /// The images at `indices`, in that order, as one batch `[n, C, H, W]`, and their labels.
  public func batch(_ indices: some Collection<Int>) -> (x: Tensor, labels: [Int]) {
    (x.samples(indices), indices.map { labels[$0] })
  }
}

extension Tensor {
  /// The samples (first-axis slices) at `indices`, in that order, as one tensor `[n, …]`: a
  /// copy per sample, no per-element work. Each index must be in `0..<shape[0]`.
  public func samples(_ indices: some Collection<Int>) -> Tensor {
    let n = shape.first ?? 0
    let size = n == 0 ? 0 : count / n
    var out = Tensor(shape: [indices.count] + shape.dropFirst())
    data.withUnsafeBufferPointer { from in
      out.data.withUnsafeMutableBufferPointer { to in
        guard let source = from.baseAddress, let target = to.baseAddress else { return }
        for (k, i) in indices.enumerated() {
          precondition((0..<n).contains(i), "sample \(i) of \(n)")
          (target + k * size).update(from: source + i * size, count: size)
        }
      }
    }
    return out
  }
}

// MARK: - TrainingOptions

/// How a ``Trainer`` trains: mini-batches of `batchSize`, ``SGDOptimizer`` with `sgd`, shuffled by `seed`.
public struct TrainingOptions: Sendable, Equatable {
  /// Images per mini-batch (the last batch of an epoch may be smaller, as PyTorch's
  /// `DataLoader` gives it by default).
  public var batchSize: Int
  /// The optimiser's settings.
  public var sgd: SGDConfig
  /// The seed of the shuffling (the weights' seed is the network's, see ``NetSpec``).
  public var seed: UInt64

  /// Options of a run.
  public init(batchSize: Int, sgd: SGDConfig, seed: UInt64) {
    self.batchSize = batchSize
    self.sgd = sgd
    self.seed = seed
  }
}

// MARK: - Step and epoch reports

/// What one mini-batch step did.
public struct TrainingStep: Sendable, Equatable {
  /// The epoch the step belongs to, from 1.
  public var epoch: Int
  /// The batch within the epoch, from 1.
  public var batch: Int
  /// The number of batches in an epoch.
  public var batches: Int
  /// The images of the batch, by index into the training set.
  public var indices: [Int]
  /// The batch's mean loss, before the update.
  public var loss: Double
  /// How many of the batch's images the network classified right, before the update.
  public var correct: Int
  /// Whether the step ended its epoch.
  public var endsEpoch: Bool { batch == batches }
}

/// A network's mean loss and accuracy on a set of images, and its prediction for each.
public struct Evaluation: Sendable, Equatable {
  /// The mean cross-entropy loss.
  public var loss: Double
  /// The fraction of images classified right, 0…1.
  public var accuracy: Double
  /// The predicted class of every image (the first largest logit).
  public var predictions: [Int]
}

// MARK: - Trainer

/// Trains a ``Network`` on a ``TrainingSet`` one mini-batch at a time: each epoch visits the
/// images in a new order (a Fisher–Yates shuffle drawn from one ``SeededGenerator``), and each
/// step runs forward, cross-entropy and backward on the fast path, then an ``SGDOptimizer`` update.
/// The same network, data, options and seed give the same bits on one machine.
public struct Trainer: Sendable {
  /// The network as trained so far.
  public private(set) var network: Network
  /// The optimiser, with its momentum buffers.
  public private(set) var optimizer: SGDOptimizer
  /// The images it learns from.
  public let train: TrainingSet
  /// The run's options.
  public let options: TrainingOptions
  /// Epochs completed.
  public private(set) var epochsDone = 0
  /// The next batch of the current epoch, from 0.
  public private(set) var nextBatch = 0
  private var order: [Int] = []
  private var shuffler: SeededGenerator
  private var running = (loss: 0.0, correct: 0, seen: 0)

  /// A trainer of `network` on `train`; throws a one-line error for a bad option or a network
  /// whose output does not have one score per class.
  public init(network: Network, train: TrainingSet, options: TrainingOptions) throws {
    try options.sgd.validate()
    guard options.batchSize >= 1 else {
      throw ConvError.invalidParameter(
        name: "batch size", value: "\(options.batchSize)", requirement: "at least 1")
    }
    guard train.count >= 1 else {
      throw ConvError.invalidParameter(
        name: "training set", value: "no images", requirement: "at least one image")
    }
    var shape = train.x.shape
    shape[0] = 1
    let out = try network.shapes(input: shape).last ?? []
    guard out == [1, train.classes] else {
      throw ConvError.shapeMismatch(
        name: "the network's output", expected: "[N, \(train.classes)] (one score per class)",
        actual: out)
    }
    self.network = network
    self.train = train
    self.options = options
    optimizer = SGDOptimizer(config: options.sgd)
    // A stream of its own, so the shuffles do not depend on how the weights were drawn.
    shuffler = SeededGenerator(seed: options.seed ^ 0x5348_5546_464C_4531)
  }

  /// The number of mini-batches in an epoch.
  public var batchesPerEpoch: Int { (train.count + options.batchSize - 1) / options.batchSize }

  /// The mean loss and the accuracy of the steps of the current epoch so far, or of the epoch
  /// just finished until the next one's first step (each step's figures taken before its
  /// update, weighted by its batch size); nil before the first step.
  public var epochSoFar: (loss: Double, accuracy: Double)? {
    guard running.seen > 0 else { return nil }
    return (running.loss / Double(running.seen), Double(running.correct) / Double(running.seen))
  }

  /// One mini-batch: forward, loss, backward, update. Shuffles at the start of each epoch.
  public mutating func step() throws -> TrainingStep {
    if nextBatch == 0 {
      order = Self.shuffled(count: train.count, &shuffler)
      running = (0, 0, 0)
    }
    let start = nextBatch * options.batchSize
    let indices = Array(order[start..<min(start + options.batchSize, train.count)])
    let (x, labels) = train.batch(indices)
    let g = try network.lossAndGradients(x: x, targets: labels)
    let correct = zip(Self.predictions(g.logits), labels).count { $0 == $1 }
    try optimizer.step(&network, gradients: g.layers)
    running.loss += g.loss * Double(indices.count)
    running.correct += correct
    running.seen += indices.count
    let report = TrainingStep(
      epoch: epochsDone + 1, batch: nextBatch + 1, batches: batchesPerEpoch, indices: indices,
      loss: g.loss, correct: correct)
    nextBatch += 1
    if nextBatch == batchesPerEpoch {
      nextBatch = 0
      epochsDone += 1
    }
    return report
  }

  // MARK: Evaluation

  /// `network`'s loss, accuracy and predictions on `set`, in batches of `batchSize`.
  public static func evaluate(_ network: Network, on set: TrainingSet, batchSize: Int = 256)
    throws -> Evaluation
  {
    var predictions: [Int] = []
    predictions.reserveCapacity(set.count)
    var total = 0.0
    var start = 0
    while start < set.count {
      let indices = start..<min(start + max(1, batchSize), set.count)
      let (x, labels) = set.batch(indices)
      let logits = try network.forward(x).logits
      total +=
        try CrossEntropy.lossAndGradient(logits: logits, targets: labels).loss
        * Double(indices.count)
      predictions += Self.predictions(logits)
      start = indices.upperBound
    }
    let n = max(1, set.count)
    let correct = zip(predictions, set.labels).count { $0 == $1 }
    return Evaluation(
      loss: total / Double(n), accuracy: Double(correct) / Double(n), predictions: predictions)
  }

  /// The first largest logit of each row of `logits [N, classes]`.
  public static func predictions(_ logits: Tensor) -> [Int] {
    guard logits.rank == 2, logits.shape[1] > 0 else { return [] }
    let classes = logits.shape[1]
    return (0..<logits.shape[0]).map { r in
      var best = 0
      for k in 1..<classes where logits.data[r * classes + k] > logits.data[r * classes + best] {
        best = k
      }
      return best
    }
  }

  /// `0..<count` in a Fisher–Yates order drawn from `generator` (unbiased: rejection sampling).
  public static func shuffled(count: Int, _ generator: inout SeededGenerator) -> [Int] {
    var order = Array(0..<count)
    var i = count - 1
    while i > 0 {
      let bound = UInt64(i + 1)
      let limit = UInt64.max - UInt64.max % bound
      var r = generator.next()
      while r >= limit { r = generator.next() }
      order.swapAt(i, Int(r % bound))
      i -= 1
    }
    return order
  }
}
