import ConvCore
import ConvData
import ConvFormats
import ConvLessons

// MARK: - NetLoading

/// A network and its data, read and checked against each other, with its first weights:
/// what `train` and `net` start from.
struct LoadedNet {
  /// The `.net` file (its layers' lines and texts).
  var file: NetFile
  /// The network's name: a built-in one's, or the file's path.
  var netName: String
  /// The data as loaded (names, class names, notes).
  var split: DataSplit
  /// The training images.
  var train: TrainingSet
  /// The test images.
  var test: TrainingSet
  /// The network, with He weights drawn from the seed, or the weights of `weights`.
  var network: Network

  /// Reads the network (`net`: a built-in name or a `.net` file) and the data (`data`), checks
  /// that they fit each other and the work budget for batches of `batch`, draws the weights
  /// from `seed` or loads them from `weights`. Every error is one line.
  init(net: String, data: String, batch: Int, seed: UInt64, weights: String?) throws {
    let (file, netName) = try BuiltinNets.load(net)
    let split = try Datasets.load(data)
    let train = try split.train.trainingSet(classes: split.classes.count)
    let test = try split.test.trainingSet(classes: split.classes.count)
    let image = Array(train.x.shape.dropFirst())
    if let declared = file.input, declared != image {
      throw InputError(
        source: netName,
        "the network's input line says \(NetFile.describe([1] + declared)), but the images of "
          + "\(data) are \(NetFile.describe([1] + image))")
    }
    let shapes = try file.shapes(input: [batch] + image, source: netName)
    try WorkBudget.requireTrainable(file.spec, input: [batch] + image, flag: "--net \(net)")
    let classes = shapes.last ?? []
    guard classes.count == 2, classes[1] == split.train.classes.count else {
      throw InputError(
        source: netName,
        "the last layer gives \(NetFile.describe(classes)), but \(data) has "
          + "\(split.train.classes.count) classes: end with linear \(split.train.classes.count)")
    }
    var network = try file.spec.initialized(input: [1] + image, seed: seed)
    if let weights { network = try NetworkWeights.load(weights, into: network) }
    self.file = file
    self.netName = netName
    self.split = split
    self.train = train
    self.test = test
    self.network = network
  }

  /// The image shape `[C, H, W]`.
  var imageShape: [Int] { Array(train.x.shape.dropFirst()) }
}
