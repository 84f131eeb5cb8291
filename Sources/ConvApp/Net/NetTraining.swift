import ConvCore
import Foundation
import Synchronization

// MARK: - What the screen asks of training

/// What the net screen asks its trainer to do.
public enum NetTrainRequest: Sendable, Hashable {
  /// Train until paused.
  case run
  /// Stop after the current step.
  case pause
  /// One mini-batch step, then stop.
  case step
  /// Train to the end of the current epoch, then stop.
  case epoch
}

// MARK: - What training reports

/// The trainer's state after some steps: the network as trained so far and its figures.
public struct NetTrainingReport: Sendable {
  /// The network after the last step.
  public var network: Network
  /// Steps taken since the screen opened.
  public var steps: Int
  /// Epochs completed.
  public var epochsDone: Int
  /// The next batch of the current epoch (0: at an epoch's start), and the batches in one.
  public var batch: Int
  /// The number of batches in an epoch.
  public var batches: Int
  /// The last step's batch loss.
  public var loss: Double
  /// The current (or just finished) epoch's mean loss and accuracy so far.
  public var epochLoss: Double
  /// The current (or just finished) epoch's accuracy so far, 0…1.
  public var epochAccuracy: Double
  /// The test accuracy after the last finished epoch (nil before the first).
  public var testAccuracy: Double?
  /// Whether the trainer is still working on a request.
  public var busy: Bool
  /// Why training stopped, when a step failed.
  public var problem: String?
}

// MARK: - NetTrainer

/// Trains a network on its own thread for the net screen, so the screen stays responsive: the
/// screen sends requests (``NetTrainRequest``), and reads the latest ``NetTrainingReport`` when
/// it polls (intermediate ones are dropped: the screen shows the newest).
public final class NetTrainer: Sendable {
  private struct State {
    var trainer: Trainer
    var test: TrainingSet
    var request: NetTrainRequest?
    var epochTarget: Int?
    var steps = 0
    var testAccuracy: Double?
    var latest: NetTrainingReport?
    var stopped = false
  }

  private let state: Mutex<State>

  /// A trainer of `trainer`'s network, tested on `test` after each epoch; its thread starts at
  /// once and idles until a request comes.
  public init(trainer: Trainer, test: TrainingSet) {
    state = Mutex(State(trainer: trainer, test: test))
    Thread.detachNewThread { [self] in self.work() }
  }

  /// Asks for `request`; it replaces the one under way.
  public func send(_ request: NetTrainRequest) {
    state.withLock { s in
      switch request {
      case .pause:
        s.request = nil
        s.epochTarget = nil
      case .epoch:
        s.request = .epoch
        s.epochTarget = s.trainer.epochsDone + 1
      case .run, .step:
        s.request = request
      }
    }
  }

  /// The newest report since the last call (nil: nothing new).
  public func report() -> NetTrainingReport? {
    state.withLock { s in
      defer { s.latest = nil }
      return s.latest
    }
  }

  /// Whether a request is under way or a report waits to be read.
  public var isBusy: Bool { state.withLock { $0.request != nil || $0.latest != nil } }

  /// Ends the thread (after its current step).
  public func stop() { state.withLock { $0.stopped = true } }

  private func work() {
    while true {
      let (stopped, job): (Bool, Trainer?) = state.withLock { s in
        (s.stopped, s.request == nil ? nil : s.trainer)
      }
      if stopped { return }
      guard var trainer = job else {
        // Idle: a request is taken within 10 ms, and an idle screen costs no CPU to speak of.
        usleep(10_000)
        continue
      }
      let outcome = Result { try trainer.step() }
      // The test accuracy at an epoch's end, outside the lock (it is a forward pass of the set).
      var accuracy: Double?
      if case .success(let step) = outcome, step.endsEpoch {
        let test = state.withLock { $0.test }
        accuracy = try? Trainer.evaluate(trainer.network, on: test).accuracy
      }
      state.withLock { s in
        s.trainer = trainer
        s.steps += 1
        if let accuracy { s.testAccuracy = accuracy }
        switch (outcome, s.request ?? .pause) {
        case (.failure, _), (_, .step): s.request = nil
        case (_, .epoch) where trainer.epochsDone >= (s.epochTarget ?? 0): s.request = nil
        default: break
        }
        s.latest = Self.report(s, outcome: outcome)
      }
    }
  }

  private static func report(_ s: State, outcome: Result<TrainingStep, any Error>)
    -> NetTrainingReport
  {
    let t = s.trainer
    var problem: String?
    var loss = 0.0
    switch outcome {
    case .success(let step): loss = step.loss
    case .failure(let error): problem = "training stopped: \(error)"
    }
    let epoch = t.epochSoFar ?? (loss, 0)
    return NetTrainingReport(
      network: t.network, steps: s.steps, epochsDone: t.epochsDone, batch: t.nextBatch,
      batches: t.batchesPerEpoch, loss: loss, epochLoss: epoch.loss,
      epochAccuracy: epoch.accuracy, testAccuracy: s.testAccuracy, busy: s.request != nil,
      problem: problem)
  }
}
