import ConvCore

// MARK: - ImageConversion

/// Turns an image, read row by row, into a `[C, H, W]` tensor of values in [0, 1] (or [−1, 1]).
///
/// - Alpha is dropped: the colour samples are used as stored, not composited on a background
///   (a transparent pixel keeps the colour it was saved with). A note says so.
/// - `grey` converts RGB to BT.601 luma, `0.299 R + 0.587 G + 0.114 B`, after scaling to [0, 1].
/// - `maxSize` reduces by area averaging (``ImageReduction``) while the rows are read
///   (``ImageAccumulator``), before scaling: memory is one row and the reduced image.
/// - `center` maps `v` to `2v − 1`.
enum ImageConversion {
  /// Reads every row of `reader` and returns the tensor and the notes about what was done.
  ///
  /// The tensor's size is checked against `options.elementLimit` before anything is allocated
  /// (the reader checked the image against ``ImageLimits`` when it opened it).
  static func tensor<Reader: ImageRowReader>(
    from reader: inout Reader, options: LoadOptions, source: String
  ) throws -> (tensor: Tensor, notes: [String]) {
    let image = reader.header
    let colours = image.colourChannels
    let (oh, ow) = ImageReduction.reducedSize(
      height: image.height, width: image.width, maxSize: options.maxSize)
    let reduced = (oh, ow) != (image.height, image.width)
    try ImageLimits.checkTensor(image, options: options, source: source)
    var accumulator = ImageAccumulator(image, height: oh, width: ow)
    let rowCount = image.width * image.channels
    SizeGuard.allocating(rowCount)
    let row = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: rowCount)
    defer { row.deallocate() }
    for _ in 0..<image.height {
      try reader.readRow(into: row)
      accumulator.add(UnsafeBufferPointer(row))
    }
    var notes: [String] = []
    if image.hasAlpha { notes.append("alpha channel dropped") }
    if reduced {
      notes.append(
        "reduced from \(image.width)×\(image.height) to \(ow)×\(oh) by area averaging")
    }
    var planes = accumulator.planes()
    let planeSize = oh * ow
    var channels = colours
    if options.grey, colours == 3 {
      var luma = [Float](repeating: 0, count: planeSize)
      for i in 0..<planeSize {
        luma[i] =
          0.299 * planes[i] + 0.587 * planes[planeSize + i] + 0.114 * planes[2 * planeSize + i]
      }
      planes = luma
      channels = 1
      notes.append("converted to grey (BT.601 luma)")
    }
    if options.center {
      for i in planes.indices { planes[i] = 2 * planes[i] - 1 }
    }
    do {
      return (try Tensor(shape: [channels, oh, ow], data: planes, name: source), notes)
    } catch {
      throw InputError(source: source, "\(error)")
    }
  }
}

// MARK: - ImageAccumulator

/// Builds the colour planes of an image from its rows, reducing by area averaging as they come:
/// each row is reduced along x to the output's width, then added, weighted, into the one or two
/// output rows it covers. The sums are made in the order ``ImageReduction/reducePlane`` makes
/// them, so the result is the same to the last bit as reducing the whole decoded image.
struct ImageAccumulator {
  let width: Int
  let height: Int
  let channels: Int
  let colours: Int
  let outHeight: Int
  let outWidth: Int
  let reduced: Bool
  let maxValue: Int
  /// Unreduced: the scaled planes, filled row by row.
  private var direct: [Float]
  /// Reduced: the weighted sums, `colours × outHeight × outWidth`.
  private var sums: [Double]
  /// The current row reduced along x, `colours × outWidth`.
  private var line: [Double]
  /// Per output column: the first input column and where its weights start in `xWeights`
  /// (`xStart` has one more entry, the end).
  private let xFirst: [Int]
  private let xStart: [Int]
  private let xWeights: [Double]
  private let yFirst: [Int]
  private let yStart: [Int]
  private let yWeights: [Double]
  /// The next row to come.
  private var y = 0

  /// An accumulator for `image` reduced to `oh`×`ow` (its own size: no reduction).
  init(_ image: ImageHeader, height oh: Int, width ow: Int) {
    width = image.width
    height = image.height
    channels = image.channels
    colours = image.colourChannels
    outHeight = oh
    outWidth = ow
    maxValue = image.maxValue
    reduced = (oh, ow) != (image.height, image.width)
    let count = colours * oh * ow
    SizeGuard.allocating(count)
    direct = reduced ? [] : [Float](repeating: 0, count: count)
    sums = reduced ? [Double](repeating: 0, count: count) : []
    line = reduced ? [Double](repeating: 0, count: colours * ow) : []
    (xFirst, xStart, xWeights) =
      reduced ? Self.flatten(ImageReduction.weights(from: width, to: ow)) : ([], [], [])
    (yFirst, yStart, yWeights) =
      reduced ? Self.flatten(ImageReduction.weights(from: height, to: oh)) : ([], [], [])
  }

  static func flatten(_ w: [(first: Int, weights: [Double])]) -> ([Int], [Int], [Double]) {
    var start = [0]
    for column in w { start.append(start[start.count - 1] + column.weights.count) }
    return (w.map(\.first), start, w.flatMap(\.weights))
  }

  /// Adds the next row (`width · channels` samples).
  mutating func add(_ row: UnsafeBufferPointer<UInt16>) {
    guard y < height else { return }
    defer { y += 1 }
    if !reduced {
      let scale = Float(maxValue)
      let plane = height * width
      direct.withUnsafeMutableBufferPointer { out in
        for c in 0..<colours {
          let base = c * plane + y * width
          for x in 0..<width { out[base + x] = Float(row[x * channels + c]) / scale }
        }
      }
      return
    }
    reduceAlongX(row)
    // The output rows this input row covers, and its weight in each.
    let lo = y * outHeight / height
    let hi = ((y + 1) * outHeight - 1) / height
    for o in lo...hi {
      let weight = yWeights[yStart[o] + y - yFirst[o]]
      for c in 0..<colours {
        let to = (c * outHeight + o) * outWidth
        let from = c * outWidth
        for ox in 0..<outWidth { sums[to + ox] += weight * line[from + ox] }
      }
    }
  }

  /// `line` = the row reduced to `outWidth` columns, colour by colour.
  private mutating func reduceAlongX(_ row: UnsafeBufferPointer<UInt16>) {
    let (channels, outWidth) = (self.channels, self.outWidth)
    xWeights.withUnsafeBufferPointer { weights in
      xStart.withUnsafeBufferPointer { start in
        xFirst.withUnsafeBufferPointer { first in
          line.withUnsafeMutableBufferPointer { line in
            for c in 0..<colours {
              for ox in 0..<outWidth {
                var sum = 0.0
                var at = first[ox] * channels + c
                for k in start[ox]..<start[ox + 1] {
                  sum += weights[k] * Double(row[at])
                  at += channels
                }
                line[c * outWidth + ox] = sum
              }
            }
          }
        }
      }
    }
  }

  /// The planes, `colours × outHeight × outWidth`, scaled to [0, 1].
  func planes() -> [Float] {
    guard reduced else { return direct }
    let scale = Double(maxValue)
    return sums.map { Float($0 / scale) }
  }
}
