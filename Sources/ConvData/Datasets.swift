import ConvCore
import ConvFormats
import Foundation

// MARK: - Datasets

/// The data a network trains on: the built-in digits, a folder of images in PyTorch's
/// ImageFolder convention, or a NumPy `.npz` of arrays (see README, "Training data").
public enum Datasets {
  /// The argument that names the built-in set.
  public static let builtinName = "digits"
  /// What ``load(_:)`` takes, for a flag's help.
  public static let argumentHelp =
    "digits (the built-in 8×8 digits), a folder of class folders of PNG/PGM images "
    + "(ImageFolder: root/<class>/*.png, or root/train/ and root/test/) or an .npz with x and y"

  /// The most values (all images of both sets together) a data set may hold:
  /// `Tensor.maxElementCount`, 2^28 (1 GiB of `Float`), checked before the images are read.
  public static let maxValues = Tensor.maxElementCount
  /// The most classes a data set may have.
  public static let maxClasses = 10_000

  /// "digits" (the built-in set), a folder (ImageFolder) or a file ending in .npz. Errors are
  /// one line (InputError, naming the path) — never a trap.
  public static func load(_ argument: String) throws -> DataSplit {
    if argument == builtinName { return try digits() }
    guard !argument.isEmpty else {
      throw InputError(
        source: "--data", "empty; give digits, a folder of class folders or an .npz file")
    }
    var info = stat()
    guard stat(argument, &info) == 0 else {
      throw InputError(
        source: argument,
        "no such file or folder (give digits, a folder of class folders or an .npz file)")
    }
    if info.st_mode & S_IFMT == S_IFDIR { return try ImageFolder.load(argument) }
    guard argument.lowercased().hasSuffix(".npz") else {
      throw InputError(
        source: argument,
        "not a data set: give digits, a folder of class folders (ImageFolder) or an .npz file "
          + "with arrays x and y")
    }
    return try NPZData.load(argument)
  }

  /// The built-in digits with the fixed split.
  public static func digits() throws -> DataSplit {
    try Digits.split.get()
  }

  // MARK: The fixed split

  /// Whether the image at `index` (counted from 0) goes to the test set in the fixed split:
  /// every 5th, `index % 5 == 4`.
  public static func isTest(_ index: Int) -> Bool { index % 5 == 4 }

  /// Splits `all` by position (``isTest(_:)``): test gets indices 4, 9, 14, …; train the rest.
  /// Throws when the test set would be empty (fewer than 5 images).
  static func splitEveryFifth(_ all: LabelledImages, name: String, what: String) throws
    -> DataSplit
  {
    let test = (0..<all.count).filter(isTest)
    let train = (0..<all.count).filter { !isTest($0) }
    guard !test.isEmpty else {
      throw InputError(
        source: name,
        "\(all.count) images, too few for a test set (every 5th image is a test image; give at "
          + "least 5)")
    }
    return DataSplit(
      train: all.subset(train), test: all.subset(test), name: name,
      split:
        "fixed: the test set is every 5th image of \(what) (index 4, 9, 14, … counted from 0): "
        + "\(train.count) train, \(test.count) test")
  }

  /// Class names `"0"`, `"1"`, … for `count` classes.
  static func numberedClasses(_ count: Int) -> [String] {
    (0..<count).map(String.init)
  }
}
