import ConvLessons
import Foundation
import TermUI
import TestSupport
import Testing

@testable import ConvApp
@testable import ConvCore

// MARK: - History, speed and keys

@Suite("The net screen: training history and speed")
struct NetHistoryTests {
  @Test("the history after an epoch is the losses of a Trainer run by hand with the same seed")
  func historyMatchesTrainer() throws {
    let (model, trainer) = try NetTrainingTests.setUp()
    defer { trainer.stop() }
    trainer.send(.epoch)
    let report = try #require(NetTrainingTests.await(trainer) { !$0.busy })
    #expect(report.steps == 4)
    // The same network, data and options, stepped by hand.
    var hand = try Trainer(
      network: try initialNetwork(), train: model.test,
      options: TrainingOptions(
        batchSize: 5, sgd: SGDConfig(learningRate: 0.05, momentum: 0.9), seed: 1))
    let before = try Trainer.evaluate(hand.network, on: model.test)
    var losses: [Double] = []
    var accuracies: [Double] = []
    var tests: [Double] = [before.loss]
    for _ in 0..<4 {
      let step = try hand.step()
      losses.append(step.loss)
      accuracies.append(Double(step.correct) / 5)
      tests.append(try Trainer.evaluate(hand.network, on: model.test).loss)
    }
    let h = report.history
    #expect(h.trainLoss.ys == losses)
    #expect(h.trainLoss.xs == [1, 2, 3, 4])
    #expect(h.trainAccuracy.ys == accuracies)
    // Four batches an epoch: a test after each, and one before the first step.
    #expect(h.testLoss.xs == [0, 1, 2, 3, 4])
    #expect(h.testLoss.ys == tests)
    #expect(report.network == hand.network)
    let last = try #require(h.lastTest)
    #expect(last.step == 4 && last.accuracy == report.testAccuracy)
  }

  @Test("the confusion matrix sums to the test images, its diagonal over the total is the accuracy")
  func confusion() throws {
    let (model, trainer) = try NetTrainingTests.setUp()
    defer { trainer.stop() }
    trainer.send(.step)
    let report = try #require(NetTrainingTests.await(trainer) { !$0.busy })
    let test = try #require(report.history.lastTest)
    let m = test.confusion
    #expect(m.count == 10 && m.allSatisfy { $0.count == 10 })
    let total = m.flatMap { $0 }.reduce(0, +)
    #expect(total == model.test.count)
    let diagonal = (0..<10).map { m[$0][$0] }.reduce(0, +)
    #expect(Double(diagonal) / Double(total) == test.accuracy)
    let evaluation = try Trainer.evaluate(report.network, on: model.test)
    #expect(test.predictions == evaluation.predictions && test.loss == evaluation.loss)
    // Rows are the true class.
    for k in 0..<10 {
      #expect(m[k].reduce(0, +) == model.test.labels.count { $0 == k })
    }
    let small = NetTestResult.confusion(
      labels: [0, 1, 1, 2], predictions: [0, 1, 0, 7], classes: 3)
    #expect(small == [[1, 0, 0], [1, 1, 0], [0, 0, 0]])
  }

  @Test("a curve keeps at most its capacity: full, it merges pairs and averages twice as many")
  func curveDownsamples() {
    var c = NetCurve(capacity: 4)
    for k in 1...3 { c.append(x: Double(k), y: Double(10 * k)) }
    #expect(c.xs == [1, 2, 3] && c.stride == 1)
    c.append(x: 4, y: 40)
    #expect(c.xs == [1.5, 3.5] && c.ys == [15, 35] && c.stride == 2)
    c.append(x: 5, y: 50)
    #expect(c.xs == [1.5, 3.5, 5], "an incomplete pair shows as its mean so far")
    for k in 6...8 { c.append(x: Double(k), y: Double(10 * k)) }
    #expect(c.xs == [2.5, 6.5] && c.ys == [25, 65] && c.stride == 4)
    var long = NetCurve()
    for k in 1...100_000 { long.append(x: Double(k), y: 1) }
    #expect(long.points.count <= 2048 && long.points.count > 1024)
    #expect(long.ys.allSatisfy { $0 == 1 })
    #expect((long.xs.last ?? 0) > 99_000, "the whole run stays on the curve")
  }

  @Test("tests are due four times an epoch, at the first batch reaching each quarter")
  func testsDue() {
    let due45 = (1...45).filter { NetHistory.testDue(batch: $0, of: 45) }
    #expect(due45 == [12, 23, 34, 45])
    #expect((1...4).allSatisfy { NetHistory.testDue(batch: $0, of: 4) })
    #expect((1...2).allSatisfy { NetHistory.testDue(batch: $0, of: 2) })
    #expect(!NetHistory.testDue(batch: 0, of: 0))
  }

  @Test("the trainer's wait before a throttled step")
  func delays() {
    #expect(abs(NetTrainer.delay(stepsPerSecond: 1, sinceLastStep: 0.2) - 0.8) < 1e-12)
    #expect(abs(NetTrainer.delay(stepsPerSecond: 10, sinceLastStep: 0.04) - 0.06) < 1e-12)
    #expect(NetTrainer.delay(stepsPerSecond: 10, sinceLastStep: 0.5) == 0)
    #expect(NetTrainer.delay(stepsPerSecond: nil, sinceLastStep: 0) == 0)
    #expect(NetTrainer.delay(stepsPerSecond: 5, sinceLastStep: nil) == 0, "the first is due")
    #expect(NetTrainer.sleepSlice <= 0.01)
  }

  @Test("at one step a second a run takes one step, and a step asked for comes at once")
  func throttledRun() throws {
    let (_, trainer) = try NetTrainingTests.setUp()
    defer { trainer.stop() }
    trainer.send(.limit(stepsPerSecond: 1))
    trainer.send(.run)
    let first = try #require(NetTrainingTests.await(trainer) { $0.steps >= 1 })
    #expect(first.steps == 1 && first.busy)
    let asked = Date()
    usleep(300_000)
    // The next run step is not due for a second: nothing more has come.
    #expect(trainer.report() == nil)
    trainer.send(.pause)
    trainer.send(.step)
    // A step is not throttled, and the thread is not asleep for the rest of the second.
    let stepped = try #require(NetTrainingTests.await(trainer, timeout: 5) { !$0.busy })
    #expect(stepped.steps == 2)
    #expect(Date().timeIntervalSince(asked) < 0.9, "the step waited for the throttle")
  }

  @Test("v switches views; + (=) and - choose the speed, ask the trainer and say so")
  func keys() throws {
    var (model, trainer) = try NetTrainingTests.setUp()
    trainer.stop()
    #expect(!model.dashboard.showsTraining && model.dashboard.stepsPerSecond == nil)
    updateNet(&model, .key(.character("v")))
    #expect(model.dashboard.showsTraining)
    updateNet(&model, .key(.character("+")))
    #expect(
      model.dashboard.stepsPerSecond == nil && model.requests == [.limit(stepsPerSecond: nil)])
    #expect(model.notice?.contains("max speed (the fastest)") == true)
    updateNet(&model, .key(.character("-")))
    updateNet(&model, .key(.character("-")))
    #expect(model.dashboard.stepsPerSecond == 25 && model.dashboard.speedText == "25 steps/s")
    #expect(model.requests.last == .limit(stepsPerSecond: 25))
    updateNet(&model, .key(.character("=")))
    #expect(model.dashboard.stepsPerSecond == 100)
    for _ in 0..<10 { updateNet(&model, .key(.character("-"))) }
    #expect(model.dashboard.stepsPerSecond == 1 && model.dashboard.speedText == "1 step/s")
    #expect(model.notice?.contains("(the slowest)") == true)
    updateNet(&model, .key(.character("v")))
    #expect(!model.dashboard.showsTraining)
    // A screen that cannot train switches views but has no speed.
    var still = try netModel()
    updateNet(&still, .key(.character("-")))
    #expect(still.requests.isEmpty && still.dashboard.stepsPerSecond == nil)
    updateNet(&still, .key(.character("v")))
    #expect(still.dashboard.showsTraining)
  }

  @Test("the status line says the speed while training")
  func statusSpeed() throws {
    var (model, trainer) = try NetTrainingTests.setUp()
    trainer.stop()
    updateNet(&model, .key(.character("-")))
    updateNet(&model, .key(.character(" ")))
    updateNet(&model, .trained(fabricatedReport(model, steps: 3)))
    let status = netView(model).lines.last ?? ""
    #expect(
      status.contains("training") && status.contains("100 steps/s") || status.contains("100/s"),
      "\(status)")
    updateNet(&model, .resize(width: 80, height: 24))
    let narrow = netView(model).lines.last ?? ""
    #expect(narrow.contains("100/s"), "\(narrow)")
  }

  /// The network `NetTrainingTests.setUp` trains, before training.
  private func initialNetwork() throws -> Network {
    let (file, _) = try BuiltinNets.load("digits")
    return try file.spec.initialized(input: [1, 1, 8, 8], seed: 1)
  }
}

// MARK: - A report to draw

/// A report of `steps` steps on `model`'s network: falling losses, rising accuracies, a test
/// every other step, the last one predicting class `k` for image `k` except every third image.
func fabricatedReport(_ model: NetModel, steps: Int, busy: Bool = true) -> NetTrainingReport {
  var history = NetHistory()
  let labels = model.test.labels
  for s in 1...max(1, steps) {
    let step = TrainingStep(
      epoch: 1, batch: s, batches: steps, indices: Array(0..<10),
      loss: 2.3 / Double(s), correct: min(10, s))
    history.record(step: s, step)
    if s % 2 == 0 || s == steps {
      let predictions = labels.indices.map { $0 % 3 == 2 ? (labels[$0] + 1) % 10 : labels[$0] }
      let correct = zip(predictions, labels).count { $0 == $1 }
      let evaluation = Evaluation(
        loss: 2 / Double(s), accuracy: Double(correct) / Double(labels.count),
        predictions: predictions)
      history.record(
        test: NetTestResult(step: s, evaluation: evaluation, labels: labels, classes: 10))
    }
  }
  return NetTrainingReport(
    network: model.network, steps: steps, epochsDone: 0, batch: steps % 45, batches: 45,
    loss: 2.3 / Double(steps), epochLoss: 1, epochAccuracy: 0.5,
    testAccuracy: history.lastTest?.accuracy, busy: busy, problem: nil, history: history)
}

// MARK: - The training view

@Suite("The net screen: training view")
struct NetDashboardViewTests {
  /// A model on the training view, trained (by a fabricated report) `steps` steps.
  func dashboard(
    width: Int, height: Int, capabilities: Capabilities = .full, steps: Int = 40
  ) throws -> NetModel {
    var model = try netModel(width: width, height: height, capabilities: capabilities, count: 40)
    updateNet(&model, .key(.character("v")))
    if steps > 0 { updateNet(&model, .trained(fabricatedReport(model, steps: steps))) }
    return model
  }

  @Test("before any training it says what the keys do", arguments: [(80, 24), (120, 40)])
  func beforeTraining(width: Int, height: Int) throws {
    let model = try dashboard(width: width, height: height, steps: 0)
    let text = netView(model).plainText
    for phrase in [
      "not trained here yet", "Space", "one SGD step", "+ / -", "max speed", "overview",
    ] {
      #expect(text.contains(phrase), "no \(phrase):\n\(text)")
    }
    #expect(text.contains("layer 1 kernels"), "the untrained kernels show")
    #expect(text.contains("after the first test"), "\(text)")
  }

  @Test(
    "every size: curves with axes, kernels, confusion matrix; the strip from 120×40",
    arguments: [(80, 24), (120, 40), (160, 48)])
  func sizes(width: Int, height: Int) throws {
    let model = try dashboard(width: width, height: height)
    let buffer = netView(model)
    let lines = buffer.lines
    #expect(lines.count == height && lines.allSatisfy { $0.count == width })
    let text = buffer.plainText
    for phrase in ["loss", "accuracy", "train 0.05", "test 0.050", "100%", "steps", "┤", "└─"] {
      #expect(text.contains(phrase), "no \(phrase) at \(width)×\(height):\n\(text)")
    }
    #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "braille")
    #expect(text.contains("confusion"), "\(text)")
    #expect(text.contains("layer 1 kernels") && text.contains("one scale ±"), "\(text)")
    #expect(text.contains("test images") == (width >= 120), "the strip from 120×40:\n\(text)")
    if width >= 120 {
      #expect(text.contains("✗") && text.contains("✓") && text.contains("true "), "\(text)")
    }
  }

  @Test("the kernels are the shown network's first conv weights, on the scale stated")
  func kernelsFollowTheNetwork() throws {
    var model = try dashboard(width: 120, height: 40)
    let before = netView(model)
    var network = model.network
    let weight = try #require(network.layers[0].weight)
    network.layers[0].weight = weight.map { $0 * 2 }
    var report = fabricatedReport(model, steps: 40)
    report.network = network
    updateNet(&model, .trained(report))
    let after = netView(model)
    func scale(_ b: CellBuffer) -> Double? {
      let line = b.lines.first { $0.contains("one scale ±") } ?? ""
      let tail = line.components(separatedBy: "one scale ±").last ?? ""
      return Double(tail.prefix { $0 != " " })
    }
    let stated = try #require(scale(after))
    #expect(abs(stated - 2 * Double(weight.maxAbs)) <= 0.006, "\(after.plainText)")
    #expect(abs(try #require(scale(before)) - Double(weight.maxAbs)) <= 0.006)
    // The same shades on a doubled scale: every kernel cell looks the same.
    let row = try #require(after.lines.firstIndex { $0.contains("one scale") })
    for y in (row + 1)...(row + 7) {
      #expect(after.styleRuns(row: y) == before.styleRuns(row: y))
    }
  }

  @Test("the confusion matrix: a row per true class, counts, the diagonal highlighted")
  func confusionMatrix() throws {
    let model = try dashboard(width: 120, height: 40)
    let buffer = netView(model)
    let lines = buffer.lines
    let title = try #require(lines.firstIndex { $0.contains("confusion") })
    // 40 images, 4 of each class; every third image is taken for the next class.
    let m = try #require(model.training?.history.lastTest?.confusion)
    let x = try #require(lines[title].range(of: "confusion")).lowerBound
    let col = lines[title].distance(from: lines[title].startIndex, to: x)
    for k in 0..<10 {
      let row = String(Array(lines[title + 2 + k])[col...].prefix(3 + 10 * 3))
      let counts = m[k].map { $0 == 0 ? "·" : String($0) }
      #expect(
        row.split(separator: " ").map(String.init) == [String(k)] + counts,
        "row \(k): \(row)")
      let diagonal = buffer[col + 3 + k * 3 + 2, title + 2 + k]
      #expect(diagonal.style.attributes.contains(.bold))
    }
    #expect(m.flatMap { $0 }.reduce(0, +) == 40)
  }

  @Test(
    "in every colour level the diagonal, the mistakes and the zeros look different",
    arguments: [
      Capabilities.full, Capabilities(color: .ansi256, unicode: true),
      Capabilities(color: .ansi8, unicode: true), Capabilities(color: .none, unicode: true),
      Capabilities.plain,
    ])
  func confusionStyles(caps: Capabilities) throws {
    let model = try dashboard(width: 120, height: 40, capabilities: caps)
    let buffer = netView(model)
    let title = try #require(buffer.lines.firstIndex { $0.contains("confusion") })
    let line = buffer.lines[title]
    let col = try #require(line.range(of: "confusion")).lowerBound
    let x = line.distance(from: line.startIndex, to: col)
    // Row 0: 3 right, 1 taken for class 1, the rest zero.
    let right = buffer[x + 3 + 2, title + 2].style
    let wrong = buffer[x + 3 + 3 + 2, title + 2].style
    let zero = buffer[x + 3 + 6 + 2, title + 2].style
    #expect(
      buffer[x + 3 + 2, title + 2].glyph == "3" && buffer[x + 3 + 3 + 2, title + 2].glyph == "1")
    #expect(right != wrong && wrong != zero && right != zero, "\(right) \(wrong) \(zero)")
  }

  @Test("the strip marks mistakes in a way that survives ASCII and no colour")
  func stripMarks() throws {
    for caps in [Capabilities(color: .none, unicode: true), .plain] {
      let model = try dashboard(width: 120, height: 40, capabilities: caps)
      let text = netView(model).plainText
      #expect(text.contains(caps.unicode ? "2 ✗" : "2 X"), "image 3 is wrong:\n\(text)")
      #expect(text.contains(caps.unicode ? "0 ✓" : "0 ok"), "\(text)")
    }
  }

  @Test("ASCII at every size: nothing but ASCII", arguments: [(80, 24), (120, 40), (160, 48)])
  func asciiOnly(width: Int, height: Int) throws {
    let model = try dashboard(width: width, height: height, capabilities: .plain)
    let buffer = netView(model)
    let bad = buffer.lines.enumerated().filter { !$0.element.allSatisfy(\.isASCII) }
    #expect(bad.isEmpty, "\(bad)")
    #expect(buffer.plainText.contains("confusion") && buffer.plainText.contains("loss"))
  }

  @Test("snapshots at 80×24 and 120×40")
  func snapshots() throws {
    assertSnapshot(netView(try dashboard(width: 80, height: 24)), named: "net-dashboard-80x24")
    assertSnapshot(
      netView(try dashboard(width: 120, height: 40, capabilities: .plain)),
      named: "net-dashboard-120x40-ascii")
  }
}

// MARK: - Layout

@Suite("The net screen: training view layout")
struct NetDashboardLayoutTests {
  /// The digits' panels: a 33×12 confusion matrix, 8 kernels 3×3 (two columns a cell when 4
  /// fit across), an 11-row strip.
  func plan(_ width: Int, _ height: Int, classes: Int = 10) -> DashboardLayout {
    DashboardLayout.plan(
      body: Rect(x: 0, y: 1, width: width, height: height - 2),
      confusion: (3 + 3 * classes, 2 + classes),
      kernels: { w in
        let cw = w >= 27 ? 2 : 1
        let across = min(8, (w + 1) / (3 * cw + 1))
        let rows = (8 + across - 1) / across
        return across > 0 ? (across * (3 * cw + 1) - 1, 2 + rows * 4 - 1) : nil
      }, stripHeight: 11)
  }

  @Test("panels drop in order: the strip, then the right column (kernels, then the matrix)")
  func priorities() {
    let small = plan(60, 16)
    #expect(small.confusion == nil && small.strip == nil)
    #expect(small.kernels != nil, "kernels in one-column cells fit beside the curves")
    #expect(small.curves.width >= DashboardLayout.minCurveWidth)
    let tiny = plan(44, 16)
    #expect(tiny.confusion == nil && tiny.kernels == nil && tiny.curves.width == 42)
    let two = plan(80, 24, classes: 2)
    #expect(two.confusion?.width == 33 && two.kernels?.width == 33, "a small matrix, wide column")
    let many = plan(160, 48, classes: 40)
    #expect(many.confusion == nil && many.kernels != nil, "a matrix too wide leaves the kernels")
    let medium = plan(80, 24)
    #expect(medium.confusion != nil && medium.kernels != nil && medium.strip == nil)
    let short = plan(100, 22)
    #expect(short.confusion != nil && short.kernels == nil, "kernels go before the matrix")
    for (w, h) in [(120, 40), (160, 48)] {
      let large = plan(w, h)
      #expect(large.confusion != nil && large.kernels != nil && large.strip != nil)
    }
  }

  @Test("panels never overlap and stay inside the body", arguments: [20, 60, 80, 100, 120, 200])
  func noOverlap(width: Int) {
    for height in stride(from: 10, through: 70, by: 3) {
      let l = plan(width, height)
      let body = Rect(x: 0, y: 1, width: width, height: height - 2)
      let rects = [l.curves, l.confusion, l.kernels, l.strip].compactMap { $0 }
      for (i, a) in rects.enumerated() {
        #expect(a.intersection(body) == a, "\(a) outside \(body)")
        for b in rects[(i + 1)...] {
          #expect(a.intersection(b).isEmpty, "\(a) and \(b) overlap at \(width)×\(height)")
        }
      }
      if let k = l.kernels { #expect(k.height >= 9) }
      if let c = l.confusion { #expect(c.height == 12 && c.width >= 33) }
      #expect(l.curves.width >= min(DashboardLayout.minCurveWidth, width - 2))
    }
  }
}
