import ConvCore
import ConvFormats

// MARK: - NPZData

/// A data set in a NumPy `.npz` (`np.savez`, `np.savez_compressed`): `x` `[N, C, H, W]` or
/// `[N, H, W]` (one channel) of any element type the `.npy` reader takes, and `y` `[N]` of
/// whole numbers ≥ 0 (integers, or floats that are whole). The classes are `"0"`…`"max(y)"`.
///
/// `x_test` and `y_test`, when both are present, are the test set; otherwise the fixed split
/// (every 5th image, index 4 mod 5, is a test image). Keras' `mnist.npz` names work too:
/// `x_train`/`y_train` stand for `x`/`y` when those are absent.
///
/// Values are taken as stored, except `uint8` images, which are divided by 255 (as
/// torchvision's `ToTensor` does) so they lie in 0…1 like the digits and the image folders.
/// Every value must be finite.
enum NPZData {
  /// Reads the data set in the `.npz` at `path`.
  static func load(_ path: String) throws -> DataSplit {
    guard let members = try TensorFile.members(path: path) else {
      throw InputError(
        source: path, "not an .npz archive (np.savez); it should hold arrays x and y")
    }
    func pick(_ names: [String]) -> String? { names.first(where: members.contains) }
    guard let xName = pick(["x", "x_train"]), let yName = pick(["y", "y_train"]) else {
      let listed = members.prefix(8).joined(separator: ", ") + (members.count > 8 ? ", …" : "")
      throw InputError(
        source: path,
        "an .npz data set needs arrays x [N,C,H,W] (or [N,H,W]) and y [N]; it holds "
          + (members.isEmpty ? "none" : listed))
    }
    let hasX = members.contains("x_test")
    guard hasX == members.contains("y_test") else {
      throw InputError(
        source: path,
        "holds \(hasX ? "x_test but no y_test" : "y_test but no x_test"); give both "
          + "for a test set of your own, or neither for the fixed split")
    }
    var notes: [String] = []
    let train = try pair(path, x: xName, y: yName, notes: &notes)
    guard hasX else {
      let all = labelled(train, classCount: train.classCount, path: path)
      var split = try Datasets.splitEveryFifth(all, name: path, what: "the file")
      split.notes = notes
      return split
    }
    let test = try pair(path, x: "x_test", y: "y_test", notes: &notes)
    guard test.x.shape.dropFirst() == train.x.shape.dropFirst() else {
      throw InputError(
        source: "\(path):x_test",
        "images of \(ConvError.format(Array(test.x.shape.dropFirst()))) but x's are "
          + "\(ConvError.format(Array(train.x.shape.dropFirst()))); both sets need one shape")
    }
    let classCount = max(train.classCount, test.classCount)
    return DataSplit(
      train: labelled(train, classCount: classCount, path: path),
      test: labelled(test, classCount: classCount, path: path), name: path,
      split: "the file's own test set (x_test, y_test): \(train.labels.count) train, "
        + "\(test.labels.count) test", notes: notes)
  }

  /// Images `[N, C, H, W]` and labels read from two members.
  struct Pair {
    var x: Tensor
    var labels: [Int]
    var classCount: Int { (labels.max() ?? -1) + 1 }
  }

  static func labelled(_ pair: Pair, classCount: Int, path: String) -> LabelledImages {
    LabelledImages(
      x: pair.x, labels: pair.labels, classes: Datasets.numberedClasses(classCount))
  }

  /// The images `xName` and labels `yName`, checked against each other.
  static func pair(_ path: String, x xName: String, y yName: String, notes: inout [String])
    throws -> Pair
  {
    let x = try images(path, member: xName, notes: &notes)
    let labels = try self.labels(path, member: yName)
    guard labels.count == x.shape[0] else {
      throw InputError(
        source: path,
        "\(xName) holds \(x.shape[0]) images but \(yName) \(labels.count) labels; they must "
          + "match")
    }
    return Pair(x: x, labels: labels)
  }

  /// The member `name` as `[N, C, H, W]`, finite, `uint8` scaled to 0…1.
  static func images(_ path: String, member name: String, notes: inout [String]) throws
    -> Tensor
  {
    let loaded = try TensorFile.load(
      path: path, options: LoadOptions(maxSize: 0, elementLimit: Datasets.maxValues),
      preferredMember: name)
    let source = "\(path):\(name)"
    var x = loaded.tensor
    let shape = x.shape
    guard shape.count == 3 || shape.count == 4 else {
      throw InputError(
        source: source,
        "shape \(ConvError.format(shape)); images must be [N, C, H, W] or [N, H, W]")
    }
    guard shape.allSatisfy({ $0 > 0 }) else {
      throw InputError(
        source: source, "shape \(ConvError.format(shape)) holds no images (a size is 0)")
    }
    if shape.count == 3 { x = try Tensor(shape: [shape[0], 1, shape[1], shape[2]], data: x.data) }
    let firstBad: Int? = x.data.withUnsafeBufferPointer { values in
      for i in values.indices where !values[i].isFinite { return i }
      return nil
    }
    if let bad = firstBad {
      let counts = NonFiniteCounts(counting: x.data)
      throw InputError(
        source: source,
        "\(counts.description) (the first in image \(bad / (x.count / x.shape[0]))); training "
          + "needs finite values")
    }
    if loaded.storedType == "uint8" {
      x.data.withUnsafeMutableBufferPointer { values in
        for i in values.indices { values[i] /= 255 }
      }
      notes.append("\(name): uint8 values divided by 255 (0…1)")
    }
    return x
  }

  /// The member `name` as class indices: a vector of whole numbers in `0..<maxClasses`.
  static func labels(_ path: String, member name: String) throws -> [Int] {
    let loaded = try TensorFile.load(
      path: path, options: LoadOptions(maxSize: 0, elementLimit: Datasets.maxValues),
      preferredMember: name)
    let source = "\(path):\(name)"
    let y = loaded.tensor
    guard y.rank == 1 else {
      throw InputError(
        source: source, "shape \(ConvError.format(y.shape)); labels must be a vector [N]")
    }
    var labels: [Int] = []
    labels.reserveCapacity(y.count)
    for (i, v) in y.data.enumerated() {
      guard v.isFinite, v.rounded() == v else {
        throw InputError(source: source, "label \(i) is \(v), not a whole number")
      }
      guard v >= 0, v < Float(Datasets.maxClasses) else {
        throw InputError(
          source: source,
          "label \(i) is \(Int(v)); labels must be class numbers 0…\(Datasets.maxClasses - 1)")
      }
      labels.append(Int(v))
    }
    return labels
  }
}
