import ConvCore

// MARK: - LabelledImages

/// Images with their classes.
public struct LabelledImages: Sendable, Equatable {
  /// The images, `[N, C, H, W]`.
  public var x: Tensor
  /// One class a image, each in `0..<classes.count`.
  public var labels: [Int]
  /// The class names: `"0"`…`"9"` for the digits and an `.npz`, the folder names for an
  /// ImageFolder.
  public var classes: [String]

  /// The number of images.
  public var count: Int { labels.count }

  /// One image's shape, `[C, H, W]`.
  public var imageShape: [Int] { Array(x.shape.dropFirst()) }

  /// The values of one image, `C · H · W`.
  public var imageSize: Int { x.shape.dropFirst().reduce(1, *) }

  /// How many images each class has, indexed by class.
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: classes.count)
    for label in labels { counts[label] += 1 }
    return counts
  }

  /// Images and labels that the loaders have checked: `x` of rank 4 with one label an image,
  /// every label in `0..<classes.count`.
  public init(x: Tensor, labels: [Int], classes: [String]) {
    precondition(x.rank == 4 && x.shape[0] == labels.count, "x \(x.shape) for \(labels.count)")
    precondition(labels.allSatisfy { (0..<classes.count).contains($0) }, "a label out of range")
    self.x = x
    self.labels = labels
    self.classes = classes
  }

  /// The images at `indices`, in that order, as one batch `[n, C, H, W]` and their labels
  /// (fast: a copy per image, no per-element work). Each index must be in `0..<count`.
  public func batch(_ indices: some Collection<Int>) -> (x: Tensor, labels: [Int]) {
    (x.samples(indices), indices.map { labels[$0] })
  }

  /// The set as ConvCore's ``ConvCore/TrainingSet`` (what a ``ConvCore/Trainer`` learns from),
  /// with `classes` classes (the split's, so that a test set lacking a class still fits).
  public func trainingSet(classes: Int) throws -> TrainingSet {
    try TrainingSet(x: x, labels: labels, classes: classes)
  }

  /// The images at `indices` as a set of their own (same classes).
  public func subset(_ indices: some Collection<Int>) -> LabelledImages {
    let (x, labels) = batch(indices)
    return LabelledImages(x: x, labels: labels, classes: classes)
  }
}

// MARK: - DataSplit

/// A training set and a test set of the same image shape and classes.
public struct DataSplit: Sendable, Equatable {
  /// The images trained on.
  public var train: LabelledImages
  /// The images held out to measure accuracy.
  public var test: LabelledImages
  /// What was loaded: `digits`, the folder or the file as given.
  public var name: String
  /// One line saying how the split was made (for `--json` and the screen).
  public var split: String
  /// What was done to the data on the way, one line each (`x: uint8 values divided by 255
  /// (0…1)`, `grey images repeated to 3 channels`); empty for the digits.
  public var notes: [String]

  /// A split of `train` and `test`, which share their classes and image shape.
  public init(
    train: LabelledImages, test: LabelledImages, name: String, split: String,
    notes: [String] = []
  ) {
    precondition(train.classes == test.classes && train.imageShape == test.imageShape)
    self.train = train
    self.test = test
    self.name = name
    self.split = split
    self.notes = notes
  }

  /// The classes (both sets have the same).
  public var classes: [String] { train.classes }

  /// One image's shape, `[C, H, W]`.
  public var imageShape: [Int] { train.imageShape }

  /// One line for the screen, e.g. `digits: 1438 train + 359 test images, 1×8×8, 10 classes`.
  public var summary: String {
    let shape = imageShape.map(String.init).joined(separator: "×")
    return "\(name): \(train.count) train + \(test.count) test images, \(shape), "
      + "\(classes.count) classes"
  }
}
