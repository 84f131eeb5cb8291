import ArgumentParser
import ConvCore

// MARK: - TrainingFlags

/// How `train` and `net` train: the mini-batch, the SGD settings and the seed.
struct TrainingFlags: ParsableArguments {
  @Option(help: "Images per mini-batch.")
  var batch = 32

  @Option(help: "The learning rate.")
  var lr = 0.05

  @Option(help: "SGD momentum, from 0 up to 1.")
  var momentum = 0.9

  @Option(name: .customLong("weight-decay"), help: "L2 weight decay (PyTorch's weight_decay).")
  var weightDecay = 0.0

  @Option(help: "The seed of the initial weights and of the shuffling.")
  var seed: UInt64 = 1

  func validate() throws {
    guard batch >= 1 else { throw ValidationError("--batch must be at least 1 (got \(batch))") }
  }

  /// The trainer's options (checked when a ``Trainer`` is made).
  var options: TrainingOptions {
    TrainingOptions(
      batchSize: batch,
      sgd: SGDConfig(learningRate: lr, momentum: momentum, weightDecay: weightDecay), seed: seed)
  }
}
