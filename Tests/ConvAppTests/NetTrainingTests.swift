import ConvCore
import ConvLessons
import Foundation
import TermUI
import Testing

@testable import ConvApp

// MARK: - Training on the net screen

/// The net screen's training: the keys make requests, the trainer's thread answers them, and
/// its reports change the screen's network and status line.
@Suite("The net screen: training live")
struct NetTrainingTests {
  /// A trainer of the digits network on `count` seeded images (batches of 5) and the model.
  static func setUp(count: Int = 20) throws -> (NetModel, NetTrainer) {
    let (file, name) = try BuiltinNets.load("digits")
    let network = try file.spec.initialized(input: [1, 1, 8, 8], seed: 1)
    let x = Tensor.uniform(shape: [count, 1, 8, 8], in: 0...1, seed: 7)
    let set = try TrainingSet(x: x, labels: (0..<count).map { $0 % 10 }, classes: 10)
    let trainer = try Trainer(
      network: network, train: set,
      options: TrainingOptions(
        batchSize: 5, sgd: SGDConfig(learningRate: 0.05, momentum: 0.9), seed: 1))
    var model = try NetModel(
      network: network, test: set, classNames: (0..<10).map(String.init),
      layerTitles: file.texts, netName: name, weightsFile: nil, seed: 1, trainable: true)
    updateNet(&model, .capabilities(.full))
    updateNet(&model, .resize(width: 120, height: 40))
    return (model, NetTrainer(trainer: trainer, test: set))
  }

  /// Waits (up to `timeout` seconds) for a report that satisfies `done`; the last one seen.
  static func await(
    _ trainer: NetTrainer, timeout: Double = 30, until done: (NetTrainingReport) -> Bool
  ) -> NetTrainingReport? {
    let deadline = Date().addingTimeInterval(timeout)
    var last: NetTrainingReport?
    while Date() < deadline {
      if let r = trainer.report() {
        last = r
        if done(r) { return r }
      }
      usleep(2_000)
    }
    return last
  }

  @Test("Space, s and e ask the trainer; a screen without training images ignores them")
  func keys() throws {
    var (model, trainer) = try Self.setUp()
    trainer.stop()
    updateNet(&model, .key(.character(" ")))
    #expect(model.running && model.requests == [.run])
    updateNet(&model, .key(.character(" ")))
    #expect(!model.running && model.requests == [.run, .pause])
    updateNet(&model, .key(.character("s")))
    updateNet(&model, .key(.character("e")))
    #expect(model.requests == [.run, .pause, .step, .epoch])
    var still = try netModel()
    for key in [" ", "s", "e"] { updateNet(&still, .key(.character(Character(key)))) }
    #expect(still.requests.isEmpty && !still.running)
  }

  @Test("one step, then an epoch: the reports count them and bring the test accuracy")
  func stepAndEpoch() throws {
    let (_, trainer) = try Self.setUp()
    defer { trainer.stop() }
    trainer.send(.step)
    let step = try #require(Self.await(trainer) { !$0.busy })
    #expect(step.steps == 1 && step.batch == 1 && step.batches == 4 && step.epochsDone == 0)
    #expect(step.testAccuracy == nil && step.problem == nil)
    trainer.send(.epoch)
    let epoch = try #require(Self.await(trainer) { !$0.busy })
    #expect(epoch.steps == 4 && epoch.epochsDone == 1 && epoch.batch == 0)
    #expect(epoch.testAccuracy != nil)
    #expect(!trainer.isBusy)
  }

  @Test("q with training not written asks first: q again quits, another key or w calls it off")
  func quitAsks() throws {
    var (model, trainer) = try Self.setUp()
    defer { trainer.stop() }
    #expect(model.unsavedSteps == 0)
    #expect(updateNet(&model, .key(.character("q"))), "untrained, q quits at once")
    trainer.send(.step)
    _ = try #require(Self.await(trainer) { !$0.busy && $0.steps == 1 })
    trainer.send(.step)
    let report = try #require(Self.await(trainer) { !$0.busy && $0.steps == 2 })
    updateNet(&model, .trained(report))
    #expect(model.unsavedSteps == 2)
    #expect(!updateNet(&model, .key(.character("q"))))
    #expect(netView(model).plainText.contains("2 training steps not written: w writes them"))
    #expect(!updateNet(&model, .key(.right)), "another key calls the question off")
    #expect(!updateNet(&model, .key(.character("q"))))
    #expect(updateNet(&model, .key(.character("q"))), "q again quits")
    // Written, nothing is lost: q quits at once; Ctrl-C always does.
    updateNet(&model, .saved(path: "w.npz", error: nil))
    #expect(model.unsavedSteps == 0)
    #expect(updateNet(&model, .key(.character("q"))))
    // A failed write saves nothing: q still asks. Ctrl-C always quits.
    let other = try Self.setUp()
    other.1.stop()
    var fresh = other.0
    fresh.training = report
    updateNet(&fresh, .saved(path: "w.npz", error: "disk full"))
    #expect(fresh.unsavedSteps == 2, "a failed write does not count as written")
    #expect(!updateNet(&fresh, .key(.character("q"))))
    #expect(updateNet(&fresh, .key(.ctrl("c"))))
  }

  @Test("run goes on until pause; the report's network is the one the model then shows")
  func runAndPause() throws {
    var (model, trainer) = try Self.setUp()
    defer { trainer.stop() }
    let before = model.network
    trainer.send(.run)
    let running = try #require(Self.await(trainer) { $0.steps >= 10 })
    #expect(running.busy)
    trainer.send(.pause)
    // A step under way when the pause came ends with one more report; none comes after it.
    var paused = Self.await(trainer, timeout: 2) { !$0.busy } ?? running
    paused.busy = false
    usleep(50_000)
    #expect(trainer.report() == nil, "nothing more after the pause")
    updateNet(&model, .trained(paused))
    #expect(model.network == paused.network && model.network != before)
    #expect(model.activations == (try paused.network.forward(model.test.batch([0]).x)))
    let status = netView(model).lines.last ?? ""
    #expect(status.contains("paused") && status.contains("loss "), "\(status)")
    #expect(status.contains("Space train"), "\(status)")
    // Running, then paused by the key: paused at once, and a report made before the pause
    // that comes in after it does not say otherwise.
    var busy = paused
    busy.busy = true
    updateNet(&model, .key(.character(" ")))
    updateNet(&model, .trained(busy))
    #expect(netView(model).lines.last?.contains("training") == true)
    updateNet(&model, .key(.character(" ")))
    #expect(netView(model).lines.last?.contains("paused") == true)
    updateNet(&model, .trained(busy))
    #expect(netView(model).lines.last?.contains("paused") == true)
    // A step asked for says so until its last report.
    updateNet(&model, .key(.character("s")))
    updateNet(&model, .trained(busy))
    #expect(netView(model).lines.last?.contains("stepping") == true)
    updateNet(&model, .trained(paused))
    #expect(netView(model).lines.last?.contains("paused") == true)
  }

  @Test("w asks for the weights to be written; the result is a notice until the next key")
  func save() throws {
    var (model, trainer) = try Self.setUp()
    trainer.stop()
    #expect(model.savePath == "weights.npz" && !model.saveRequested)
    updateNet(&model, .key(.character("w")))
    #expect(model.saveRequested)
    updateNet(&model, .saved(path: "weights.npz", error: nil))
    #expect(!model.saveRequested)
    #expect(netView(model).lines.last?.contains("weights written to weights.npz") == true)
    updateNet(&model, .key(.right))
    #expect(model.notice == nil)
    updateNet(&model, .saved(path: "/x/w.npz", error: "no such folder"))
    #expect(netView(model).lines.last?.contains("weights not written: no such folder") == true)
  }
}
