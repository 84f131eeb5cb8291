import ConvCore
import ConvFormats

// MARK: - ImageFolder

/// A folder of images in PyTorch's ImageFolder convention: `root/<class>/<image>`, the classes
/// sorted by name and numbered from 0 (as torchvision numbers them), the images of a class
/// sorted by name. Images are PNG or PGM/PPM/PBM (`.png`, `.pgm`, `.ppm`, `.pbm`, `.pnm`,
/// any case), read whole and scaled to 0…1 by their full-scale value (255, 65535 or the
/// maxval); alpha is dropped. Other files, subfolders of class folders and hidden entries are
/// skipped; a JPEG, GIF, BMP, TIFF or WebP file is refused (convscope cannot read it).
///
/// Every image must have the first image's size. Grey images are one channel; when any image
/// has colour, every image becomes RGB (a grey image's plane repeated three times).
///
/// The split: `root/train/<class>` and `root/test/<class>` when `root` holds both `train` and
/// `test` (with the same classes); otherwise the fixed split in each class, every 5th image in
/// name order (index 4 mod 5) a test image.
enum ImageFolder {
  /// The most files and folders read, the most bytes of images, for one data set.
  static let maxEntries = 250_000
  static let maxBytes = 1 << 31
  /// The image files read, by extension.
  static let imageExtensions: Set<String> = ["png", "pgm", "ppm", "pbm", "pnm"]
  /// Image files convscope cannot read, refused rather than skipped.
  static let unreadable: [String: String] = [
    "jpg": "a JPEG image", "jpeg": "a JPEG image", "gif": "a GIF image", "bmp": "a BMP image",
    "tif": "a TIFF image", "tiff": "a TIFF image", "webp": "a WebP image",
  ]

  /// One class folder and its images.
  struct ClassFiles {
    var name: String
    var images: [FolderListing.Entry]
  }

  /// Reads the data set in the folder `root`.
  static func load(_ root: String) throws -> DataSplit {
    var listing = FolderListing(root: root, entryLimit: maxEntries, byteLimit: maxBytes)
    let top = try listing.list(root).filter(\.isFolder)
    let names = Set(top.map(\.name))
    if names.contains("train") && names.contains("test") {
      let trainRoot = FolderListing.join(root, "train")
      let testRoot = FolderListing.join(root, "test")
      let train = try classes(trainRoot, &listing)
      let test = try classes(testRoot, &listing)
      guard train.map(\.name) == test.map(\.name) else {
        throw InputError(
          source: root,
          "train/ has classes \(listed(train.map(\.name))) but test/ has "
            + "\(listed(test.map(\.name))); they must be the same")
      }
      return try read(
        train: train.map(\.images), test: test.map(\.images), classes: train.map(\.name),
        root: root, listing: &listing,
        split: "the folder's own train/ and test/ folders")
    }
    let all = try classes(root, &listing)
    var train: [[FolderListing.Entry]] = []
    var test: [[FolderListing.Entry]] = []
    for group in all {
      train.append(group.images.indices.filter { !Datasets.isTest($0) }.map { group.images[$0] })
      test.append(group.images.indices.filter(Datasets.isTest).map { group.images[$0] })
    }
    guard test.contains(where: { !$0.isEmpty }) else {
      throw InputError(
        source: root,
        "no class has 5 images, too few for a test set (every 5th image of a class is a test "
          + "image); add images or give train/ and test/ folders")
    }
    return try read(
      train: train, test: test, classes: all.map(\.name), root: root, listing: &listing,
      split: "fixed: in each class (files sorted by name), every 5th image (index 4, 9, … "
        + "counted from 0) is a test image")
  }

  /// Up to eight names, for messages.
  static func listed(_ names: [String]) -> String {
    "(" + names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "") + ")"
  }

  /// The class folders of `folder` and their image files, sorted; errors for no class, a class
  /// without images and an image file convscope cannot read.
  static func classes(_ folder: String, _ listing: inout FolderListing) throws -> [ClassFiles] {
    let folders = try listing.list(folder).filter(\.isFolder)
    guard !folders.isEmpty else {
      throw InputError(
        source: folder,
        "no class folders: an image folder holds one folder of images per class "
          + "(\(folder)/<class>/*.png or *.pgm)")
    }
    guard folders.count <= Datasets.maxClasses else {
      throw InputError(
        source: folder, "\(folders.count) class folders, over the limit of \(Datasets.maxClasses)")
    }
    return try folders.map { classFolder in
      var images: [FolderListing.Entry] = []
      for entry in try listing.list(classFolder.path) where !entry.isFolder {
        let ext = entry.fileExtension
        if let kind = unreadable[ext] {
          throw InputError(
            source: entry.path, "\(kind), which convscope cannot read (convert it to PNG)")
        }
        guard imageExtensions.contains(ext) else { continue }
        try listing.reserve(entry)
        images.append(entry)
      }
      guard !images.isEmpty else {
        throw InputError(
          source: classFolder.path, "no images (.png, .pgm, .ppm, .pbm) in this class folder")
      }
      return ClassFiles(name: classFolder.name, images: images)
    }
  }

  /// Reads the images of both sets, class by class, into one split.
  static func read(
    train: [[FolderListing.Entry]], test: [[FolderListing.Entry]], classes: [String],
    root: String, listing: inout FolderListing, split: String
  ) throws -> DataSplit {
    var reader = ImageStack(root: root)
    let total = (train + test).reduce(0) { $0 + $1.count }
    var trainSet = try reader.read(train, classes: classes, total: total)
    var testSet = try reader.read(test, classes: classes, total: total)
    var notes: [String] = []
    if reader.colour {
      trainSet = try ImageStack.rgb(trainSet)
      testSet = try ImageStack.rgb(testSet)
      if reader.greyCount > 0 {
        notes.append("\(reader.greyCount) grey images repeated to 3 channels (RGB)")
      }
    }
    if reader.alphaCount > 0 { notes.append("alpha dropped from \(reader.alphaCount) images") }
    return DataSplit(
      train: trainSet, test: testSet, name: root,
      split: split + ": \(trainSet.count) train, \(testSet.count) test", notes: notes)
  }
}
