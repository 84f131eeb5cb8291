import ConvCore

// MARK: - ImageConversion

/// Turns a decoded image into a `[C, H, W]` tensor of values in [0, 1] (or [−1, 1]).
///
/// - Alpha is dropped: the colour samples are used as stored, not composited on a background
///   (a transparent pixel keeps the colour it was saved with). A note says so.
/// - `grey` converts RGB to BT.601 luma, `0.299 R + 0.587 G + 0.114 B`, after scaling to [0, 1].
/// - `maxSize` reduces by area averaging (``ImageReduction``) before scaling.
/// - `center` maps `v` to `2v − 1`.
enum ImageConversion {
  /// The tensor and the notes about what was done to it.
  static func tensor(from image: DecodedImage, options: LoadOptions, source: String) throws
    -> (tensor: Tensor, notes: [String])
  {
    var notes: [String] = []
    let colours = image.colourChannels
    let (oh, ow) = ImageReduction.reducedSize(
      height: image.height, width: image.width, maxSize: options.maxSize)
    let reduced = (oh, ow) != (image.height, image.width)
    if image.hasAlpha { notes.append("alpha channel dropped") }
    if reduced {
      notes.append(
        "reduced from \(image.width)×\(image.height) to \(ow)×\(oh) by area averaging")
    }
    let scale = Float(image.maxValue)
    let planeSize = oh * ow
    SizeGuard.allocating(colours * planeSize)
    var planes = [Float](repeating: 0, count: colours * planeSize)
    for c in 0..<colours {
      let base = c * planeSize
      if reduced {
        let plane = ImageReduction.reducePlane(
          height: image.height, width: image.width, toHeight: oh, width: ow
        ) { Double(image.samples[$0 * image.channels + c]) }
        for i in 0..<planeSize { planes[base + i] = Float(plane[i] / Double(image.maxValue)) }
      } else {
        for i in 0..<planeSize {
          planes[base + i] = Float(image.samples[i * image.channels + c]) / scale
        }
      }
    }
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
