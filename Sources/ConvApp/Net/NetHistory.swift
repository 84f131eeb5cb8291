import ConvCore

// MARK: - NetCurve

/// A curve that grows by one value at a time and stays small: at most ``capacity`` points.
///
/// Each point is `(x, y)`. When the curve is full, each pair of neighbouring points becomes one
/// (the mean of their x and of their y), and from then on each new point is the mean of twice
/// as many values as before (``stride``), so the points stay evenly spaced and the whole run
/// stays on the curve, ever more smoothed. The values of a stride not yet complete show as one
/// last point (their mean so far).
public struct NetCurve: Sendable, Equatable {
  /// The most points kept.
  public let capacity: Int
  /// How many values each complete point is the mean of (1, 2, 4, …).
  public private(set) var stride = 1
  private var complete: [(x: Double, y: Double)] = []
  private var pending = (x: 0.0, y: 0.0, count: 0)

  /// An empty curve of at most `capacity` points (at least 2).
  public init(capacity: Int = 2048) {
    self.capacity = max(2, capacity)
  }

  /// Adds the value `y` at `x`.
  public mutating func append(x: Double, y: Double) {
    pending.x += x
    pending.y += y
    pending.count += 1
    guard pending.count == stride else { return }
    complete.append((pending.x / Double(stride), pending.y / Double(stride)))
    pending = (0, 0, 0)
    if complete.count >= capacity {
      complete = Swift.stride(from: 0, to: complete.count - 1, by: 2).map { k in
        ((complete[k].x + complete[k + 1].x) / 2, (complete[k].y + complete[k + 1].y) / 2)
      }
      stride *= 2
    }
  }

  /// The points, oldest first (the last one the mean of an incomplete stride, when there is one).
  public var points: [(x: Double, y: Double)] {
    guard pending.count > 0 else { return complete }
    let n = Double(pending.count)
    return complete + [(pending.x / n, pending.y / n)]
  }

  /// The x values of ``points``.
  public var xs: [Double] { points.map(\.x) }
  /// The y values of ``points``.
  public var ys: [Double] { points.map(\.y) }
  /// Whether no value was added.
  public var isEmpty: Bool { complete.isEmpty && pending.count == 0 }
  /// The last value's mean point (nil when empty).
  public var last: (x: Double, y: Double)? { points.last }

  /// Curves are equal when they hold the same points and will merge the same way.
  public static func == (a: NetCurve, b: NetCurve) -> Bool {
    a.capacity == b.capacity && a.stride == b.stride && a.pending == b.pending
      && a.complete.elementsEqual(b.complete) { $0 == $1 }
  }
}

// MARK: - NetTestResult

/// One evaluation of the network on the test images.
public struct NetTestResult: Sendable, Equatable {
  /// The steps taken when it was made (0: the weights before training).
  public var step: Int
  /// The mean cross-entropy loss.
  public var loss: Double
  /// The fraction classified right, 0…1.
  public var accuracy: Double
  /// The predicted class of each test image.
  public var predictions: [Int]
  /// `confusion[true][predicted]`: how many test images of each class went to each class.
  public var confusion: [[Int]]

  /// The result of `evaluation` on images labelled `labels`, of `classes` classes, at `step`.
  public init(step: Int, evaluation: Evaluation, labels: [Int], classes: Int) {
    self.step = step
    loss = evaluation.loss
    accuracy = evaluation.accuracy
    predictions = evaluation.predictions
    confusion = Self.confusion(
      labels: labels, predictions: evaluation.predictions, classes: classes)
  }

  /// The confusion matrix of `predictions` against `labels` (rows true, columns predicted);
  /// labels or predictions outside `0..<classes` are not counted.
  public static func confusion(labels: [Int], predictions: [Int], classes: Int) -> [[Int]] {
    var m = Array(repeating: Array(repeating: 0, count: max(0, classes)), count: max(0, classes))
    for (t, p) in zip(labels, predictions) where m.indices.contains(t) && m.indices.contains(p) {
      m[t][p] += 1
    }
    return m
  }
}

// MARK: - NetHistory

/// What training has done so far, for the curves: each step's batch loss and accuracy, and
/// each test evaluation's loss and accuracy (x: the steps taken), with the last evaluation
/// whole (predictions, confusion matrix).
public struct NetHistory: Sendable, Equatable {
  /// Each step's batch loss (before its update), at its step number (from 1).
  public internal(set) var trainLoss = NetCurve()
  /// Each step's batch accuracy, 0…1, at its step number.
  public internal(set) var trainAccuracy = NetCurve()
  /// Each test evaluation's mean loss, at the steps taken when it was made (0: untrained).
  public internal(set) var testLoss = NetCurve()
  /// Each test evaluation's accuracy, 0…1.
  public internal(set) var testAccuracy = NetCurve()
  /// The last test evaluation (nil before the first).
  public internal(set) var lastTest: NetTestResult?

  /// An empty history.
  public init() {}

  /// Records step `number`'s figures.
  mutating func record(step number: Int, _ step: TrainingStep) {
    trainLoss.append(x: Double(number), y: step.loss)
    let seen = max(1, step.indices.count)
    trainAccuracy.append(x: Double(number), y: Double(step.correct) / Double(seen))
  }

  /// Records a test evaluation.
  mutating func record(test: NetTestResult) {
    testLoss.append(x: Double(test.step), y: test.loss)
    testAccuracy.append(x: Double(test.step), y: test.accuracy)
    lastTest = test
  }

  /// Whether a test evaluation is due after a step that ended batch `batch` (from 1) of
  /// `batches`: four times an epoch, at the first batch that reaches each quarter (12, 23, 34
  /// and 45 of 45), so always at the epoch's end; every batch of an epoch of four or fewer.
  public static func testDue(batch: Int, of batches: Int) -> Bool {
    guard batches > 0 else { return false }
    return batch * 4 / batches > (batch - 1) * 4 / batches
  }
}
