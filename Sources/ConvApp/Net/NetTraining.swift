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
  /// Take at most this many steps a second while running (``run``); nil: as fast as it can.
  /// The request under way goes on.
  case limit(stepsPerSecond: Int?)
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
  /// Every step's figures and the test evaluations so far (see ``NetHistory``).
  public var history = NetHistory()
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
    var history = NetHistory()
    var stepsPerSecond: Int?
    var lastStep: ContinuousClock.Instant?
  }

  private let state: Mutex<State>

  /// A trainer of `trainer`'s network, tested on `test` before its first step and four times an
  /// epoch (``NetHistory/testDue(batch:of:)``); its thread starts at
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
      case .limit(let rate):
        s.stepsPerSecond = rate
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

  /// The longest the thread sleeps at once while it waits (idle, or between throttled
  /// steps): a request (a pause) is taken within this long.
  static let sleepSlice = 0.010

  /// Seconds still to wait before the next step of a run limited to `stepsPerSecond` (nil: no
  /// limit), when the last step started `sinceLastStep` seconds ago (nil: none yet): 0 when it
  /// is due. The thread sleeps at most ``sleepSlice`` of it at a time.
  static func delay(stepsPerSecond: Int?, sinceLastStep: Double?) -> Double {
    guard let rate = stepsPerSecond, rate > 0, let since = sinceLastStep else { return 0 }
    return max(0, 1 / Double(rate) - since)
  }

  private func work() {
    while true {
      let (stopped, job, wait): (Bool, Trainer?, Double) = state.withLock { s in
        let since = s.lastStep.map { Self.seconds($0.duration(to: .now)) }
        let limit = s.request == .run ? s.stepsPerSecond : nil
        return (
          s.stopped, s.request == nil ? nil : s.trainer,
          Self.delay(stepsPerSecond: limit, sinceLastStep: since)
        )
      }
      if stopped { return }
      guard var trainer = job, wait <= 0 else {
        // Idle or throttled: a request is taken within 10 ms, and waiting costs no CPU to
        // speak of.
        let pause = job == nil ? Self.sleepSlice : min(wait, Self.sleepSlice)
        usleep(UInt32(pause * 1_000_000))
        continue
      }
      testBeforeFirstStep(trainer.network)
      let started = ContinuousClock.now
      let outcome = Result { try trainer.step() }
      // The test evaluation four times an epoch, outside the lock (a forward pass of the set).
      var test: NetTestResult?
      if case .success(let step) = outcome, NetHistory.testDue(batch: step.batch, of: step.batches)
      {
        test = evaluate(trainer.network, step: state.withLock { $0.steps } + 1)
      }
      state.withLock { s in
        s.trainer = trainer
        s.steps += 1
        s.lastStep = started
        if case .success(let step) = outcome { s.history.record(step: s.steps, step) }
        if let test {
          s.history.record(test: test)
          if case .success(let step) = outcome, step.endsEpoch { s.testAccuracy = test.accuracy }
        }
        switch (outcome, s.request ?? .pause) {
        case (.failure, _), (_, .step): s.request = nil
        case (_, .epoch) where trainer.epochsDone >= (s.epochTarget ?? 0): s.request = nil
        default: break
        }
        s.latest = Self.report(s, outcome: outcome)
      }
    }
  }

  /// The untrained network's test figures (step 0), once, before the first step.
  private func testBeforeFirstStep(_ network: Network) {
    guard state.withLock({ $0.steps == 0 && $0.history.lastTest == nil }) else { return }
    if let test = evaluate(network, step: 0) {
      state.withLock { $0.history.record(test: test) }
    }
  }

  /// `network` on the test images, as of `step` (nil when the forward pass fails).
  private func evaluate(_ network: Network, step: Int) -> NetTestResult? {
    let set = state.withLock { $0.test }
    guard let evaluation = try? Trainer.evaluate(network, on: set) else { return nil }
    return NetTestResult(
      step: step, evaluation: evaluation, labels: set.labels, classes: set.classes)
  }

  private static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
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
      problem: problem, history: s.history)
  }
}
