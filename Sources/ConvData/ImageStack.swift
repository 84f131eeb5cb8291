import ConvCore
import ConvFormats

// MARK: - ImageStack

/// Reads image files one by one into one `[N, C, H, W]` tensor: the first image fixes the size,
/// a later image of another size is an error naming both, and the first colour image turns the
/// stack into RGB (the grey planes read so far repeated three times).
struct ImageStack {
  /// The data set's folder, for messages.
  let root: String
  /// The first image read: its path and size.
  private(set) var first: (path: String, height: Int, width: Int)?
  /// Whether any image so far has colour.
  private(set) var colour = false
  /// Grey images and images with alpha read so far.
  private(set) var greyCount = 0
  private(set) var alphaCount = 0

  init(root: String) {
    self.root = root
  }

  /// The images of `groups` (one group a class, labelled by its position) in order; `total` is
  /// the number of images of the whole data set, checked against ``Datasets/maxValues`` once
  /// the first image's size is known.
  mutating func read(_ groups: [[FolderListing.Entry]], classes: [String], total: Int) throws
    -> LabelledImages
  {
    var values: [Float] = []
    var labels: [Int] = []
    var channels = colour ? 3 : 1
    let count = groups.reduce(0) { $0 + $1.count }
    for (label, group) in groups.enumerated() {
      for entry in group {
        let image = try load(entry, total: total)
        let plane = image.count / image.shape[0]
        if image.shape[0] == 3 && channels == 1 {
          values = Self.repeated(values, plane: plane, capacity: count * 3 * plane)
          channels = 3
        }
        // One allocation for the set (its size was checked against the limit by `load`).
        if values.isEmpty { values.reserveCapacity(count * max(channels, image.shape[0]) * plane) }
        if channels == 3 && image.shape[0] == 1 {
          for _ in 0..<3 { values.append(contentsOf: image.data) }
        } else {
          values.append(contentsOf: image.data)
        }
        labels.append(label)
      }
    }
    let (height, width) = (first?.height ?? 0, first?.width ?? 0)
    let x = try Tensor(shape: [labels.count, channels, height, width], data: values, name: root)
    return LabelledImages(x: x, labels: labels, classes: classes)
  }

  /// One image as `[C, H, W]` (C 1 or 3), checked against the first image's size.
  private mutating func load(_ entry: FolderListing.Entry, total: Int) throws -> Tensor {
    var options = LoadOptions(maxSize: 0, elementLimit: Datasets.maxValues)
    if let first {
      // A larger image is refused from its header, before it is decoded.
      options.elementLimit = 3 * first.height * first.width
      options.limitRole =
        "an image of \(root) (each must be \(first.width)×\(first.height) like "
        + "\(first.path))"
    }
    let loaded = try TensorFile.load(path: entry.path, options: options)
    guard loaded.isImage, loaded.tensor.rank == 3 else {
      throw InputError(
        source: entry.path, "holds \(loaded.format.displayName) data, not an image")
    }
    let shape = loaded.tensor.shape
    if let first {
      guard shape[1] == first.height, shape[2] == first.width else {
        throw InputError(
          source: entry.path,
          "\(shape[2])×\(shape[1]) pixels, but \(first.path) is \(first.width)×\(first.height); "
            + "every image of a data set must have the same size")
      }
    } else {
      first = (entry.path, shape[1], shape[2])
      guard total * shape[0] * shape[1] * shape[2] <= Datasets.maxValues else {
        throw InputError(
          source: root,
          "\(total) images of \(shape[0])×\(shape[1])×\(shape[2]) are more than "
            + "\(Datasets.maxValues) values, the limit for a data set; refused before reading")
      }
    }
    if shape[0] == 3 {
      colour = true
      guard total * 3 * shape[1] * shape[2] <= Datasets.maxValues else {
        throw InputError(
          source: entry.path,
          "a colour image makes \(total) images of 3×\(shape[1])×\(shape[2]), more than "
            + "\(Datasets.maxValues) values, the limit for a data set")
      }
    } else {
      greyCount += 1
    }
    if loaded.storedShape.first == 2 || loaded.storedShape.first == 4 { alphaCount += 1 }
    return loaded.tensor
  }

  /// `values` (images of one plane of `plane` values each) with every plane repeated three
  /// times: grey images as RGB (room made for `capacity` values).
  static func repeated(_ values: [Float], plane: Int, capacity: Int = 0) -> [Float] {
    guard plane > 0 else { return values }
    var out: [Float] = []
    out.reserveCapacity(max(capacity, values.count * 3))
    for start in stride(from: 0, to: values.count, by: plane) {
      for _ in 0..<3 { out.append(contentsOf: values[start..<(start + plane)]) }
    }
    return out
  }

  /// `set` with three channels (grey images repeated); unchanged when it has them.
  static func rgb(_ set: LabelledImages) throws -> LabelledImages {
    guard set.x.shape[1] == 1 else { return set }
    let (h, w) = (set.x.shape[2], set.x.shape[3])
    let x = try Tensor(
      shape: [set.count, 3, h, w], data: repeated(set.x.data, plane: h * w), name: "images")
    return LabelledImages(x: x, labels: set.labels, classes: set.classes)
  }
}
