import ArgumentParser
import ConvCore
import ConvData
import ConvFormats
import ConvKernels
import ConvLessons
import Foundation

// MARK: - TrainCommand

/// `convscope train`: trains a network from a `.net` file on the built-in digits or the user's
/// images, with mini-batch SGD (momentum, weight decay), seeded so that a run repeats bit for bit.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a small CNN (a .net file) on the built-in digits or your own images.",
    discussion: """
      The network is a .net file or a built-in one (digits, the default; one-conv; deeper). \
      The data is "digits" (the 1797 8×8 UCI digits, built in, split 1438/359), a folder of \
      images in PyTorch's ImageFolder layout (DIR/<class>/*.png|pgm), or an .npz with "x" \
      [N,C,H,W] or [N,H,W] and "y" [N]. Training is mini-batch SGD with momentum and weight \
      decay, as torch.optim.SGD does it, on images shuffled anew each epoch; weights are He \
      initialised. --seed draws both, so a run repeats bit for bit on one machine. \
      On a terminal a progress bar shows the epoch, the running loss and accuracy, images a \
      second and the time left; a line per epoch goes to standard output. --json prints one \
      object instead. Weights are written (--save) and read (--load) as .npz or .safetensors \
      with PyTorch's nn.Sequential names (0.weight, 0.bias, …). Ctrl-C stops at once and \
      writes nothing.
      """)

  @Option(help: "The network: a .net file, or digits, one-conv or deeper (built in).")
  var net = BuiltinNets.defaultName

  @Option(help: ArgumentHelp(Datasets.argumentHelp))
  var data = "digits"

  @Option(help: "Passes over the training images (0: only evaluate).")
  var epochs = 10

  @OptionGroup var training: TrainingFlags

  @Option(help: "Threads of the convolution kernels (default: chosen by layer size).")
  var threads: Int?

  @Option(help: "Write the trained weights here (.npz or .safetensors).")
  var save: String?

  @Option(help: "Start from these weights (.npz or .safetensors) instead of random ones.")
  var load: String?

  @Flag(help: "Print one JSON object (epochs, final, net, seed, …) instead of lines.")
  var json = false

  @Option(
    name: .customLong("log-steps"),
    help: ArgumentHelp(
      "Write every step's batch and loss here, one JSON object a line.", visibility: .hidden))
  var logSteps: String?

  func validate() throws {
    guard (0...100_000).contains(epochs) else {
      throw ValidationError("--epochs must be from 0 to 100000 (got \(epochs))")
    }
    if let threads, !(1...256).contains(threads) {
      throw ValidationError("--threads must be from 1 to 256 (got \(threads))")
    }
  }

  func run() throws {
    let setup = try reportingUserErrors { try prepare() }
    if let threads { FastConv.threadCount = threads }
    var run = try reportingUserErrors {
      try TrainRun(setup: setup, epochs: epochs, logSteps: logSteps != nil)
    }
    let record = try reportingUserErrors { try run.train(printLines: !json) }
    if let logSteps { try emit(run.stepLog, to: logSteps) }
    var result = record
    if let save {
      try reportingUserErrors {
        try Interruption.whileWriting { try NetworkWeights.save(run.trainer.network, to: save) }
      }
      result.saved = save
    }
    if json {
      try Output.write(try JSONOutput.text(result, layout: .pretty, snakeCase: true))
    } else {
      try Output.write(TrainText.summary(result))
    }
  }
}

// MARK: - Setting up

/// Everything a run needs, checked: the network with its first weights, the data, the options.
struct TrainSetup {
  var network: Network
  var train: TrainingSet
  var test: TrainingSet
  var options: TrainingOptions
  var record: TrainRecord
  /// The data's one-line summary and its loader's notes, for the plan.
  var data: (summary: String, notes: [String])
}

extension TrainCommand {
  /// Reads the network and the data, checks that they fit each other and the work budget,
  /// draws (or loads) the weights.
  func prepare() throws -> TrainSetup {
    let loaded = try LoadedNet(
      net: net, data: data, batch: training.batch, seed: training.seed, weights: load)
    let (file, split, train, test) = (loaded.file, loaded.split, loaded.train, loaded.test)
    let image = loaded.imageShape
    // The options are checked once, by the Trainer that TrainRun makes before any step.
    let options = training.options
    let record = TrainRecord(
      epochs: [], final: .init(testAccuracy: 0, testLoss: 0), net: loaded.netName, data: split.name,
      split: split.split, trainImages: train.count, testImages: test.count,
      parameters: (try file.spec.parameterCount(input: [1] + image)) ?? 0, seed: training.seed,
      batch: training.batch, lr: training.lr, momentum: training.momentum,
      weightDecay: training.weightDecay,
      threads: threads ?? 0, loaded: load, saved: nil)
    return TrainSetup(
      network: loaded.network, train: train, test: test, options: options, record: record,
      data: (split.summary, split.notes))
  }
}

// MARK: - TrainRun

/// The epochs of a run: steps with a progress bar, a test evaluation after each epoch.
struct TrainRun {
  var trainer: Trainer
  let test: TrainingSet
  let epochs: Int
  var record: TrainRecord
  let data: (summary: String, notes: [String])
  /// Every step's epoch, batch, loss and images, one JSON object a line (when asked for).
  private(set) var stepLog = ""
  private let logging: Bool

  init(setup: TrainSetup, epochs: Int, logSteps: Bool) throws {
    trainer = try Trainer(network: setup.network, train: setup.train, options: setup.options)
    test = setup.test
    self.epochs = epochs
    record = setup.record
    data = setup.data
    logging = logSteps
  }

  /// Trains every epoch; prints the plan and a line per epoch when `printLines`.
  mutating func train(printLines: Bool) throws -> TrainRecord {
    if printLines {
      try Output.write(
        TrainText.plan(record, epochs: epochs, data: data.summary, notes: data.notes))
    }
    var progress = TrainProgress()
    let started = ContinuousClock.now
    let totalSteps = epochs * trainer.batchesPerEpoch
    var stepsDone = 0
    for _ in 0..<epochs {
      let epochStart = ContinuousClock.now
      var step: TrainingStep
      repeat {
        step = try trainer.step()
        stepsDone += 1
        if logging { try log(step) }
        let elapsed = seconds(since: started)
        let running = trainer.epochSoFar ?? (step.loss, 0)
        progress.show(
          TrainProgress.line(
            epoch: step.epoch, epochs: epochs, batch: step.batch, batches: step.batches,
            loss: running.loss, accuracy: running.accuracy,
            imagesPerSecond: Double(stepsDone * trainer.options.batchSize) / elapsed,
            secondsLeft: elapsed / Double(stepsDone) * Double(totalSteps - stepsDone),
            width: TrainProgress.terminalWidth))
      } while !step.endsEpoch
      let seconds = seconds(since: epochStart)
      let soFar = trainer.epochSoFar ?? (0, 0)
      let evaluation = try Trainer.evaluate(trainer.network, on: test)
      let epoch = TrainRecord.Epoch(
        epoch: step.epoch, trainLoss: soFar.loss, trainAccuracy: soFar.accuracy,
        testLoss: evaluation.loss, testAccuracy: evaluation.accuracy, seconds: seconds)
      record.epochs.append(epoch)
      progress.finish()
      if printLines { try Output.write(TrainText.epochLine(epoch, of: epochs) + "\n") }
    }
    progress.finish()
    let final = try Trainer.evaluate(trainer.network, on: test)
    record.final = .init(testAccuracy: final.accuracy, testLoss: final.loss)
    return record
  }

  private mutating func log(_ step: TrainingStep) throws {
    struct Line: Encodable {
      var epoch, batch: Int
      var loss: Double
      var indices: [Int]
    }
    stepLog += try JSONOutput.text(
      Line(epoch: step.epoch, batch: step.batch, loss: step.loss, indices: step.indices))
  }

  private func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
}
