import ConvCore

// MARK: - ImageReduction

/// Area-averaging reduction: each output pixel is the mean of the input area it covers, with
/// partly covered input pixels weighted by the covered fraction (exact box filtering, the
/// behaviour of Pillow's `Image.reduce` for whole factors and of OpenCV's `INTER_AREA`).
///
/// The aspect ratio is kept: the longer side becomes `maxSize` and the shorter one is rounded
/// to the nearest whole pixel (at least 1).
public enum ImageReduction {
  /// The size an image of `height`×`width` is reduced to; unchanged when it already fits or
  /// when `maxSize` is 0 (or negative).
  public static func reducedSize(height: Int, width: Int, maxSize: Int) -> (height: Int, width: Int)
  {
    let longer = max(height, width)
    guard maxSize > 0, longer > maxSize else { return (height, width) }
    func scaled(_ n: Int) -> Int { max(1, (2 * n * maxSize + longer) / (2 * longer)) }
    return (scaled(height), scaled(width))
  }

  /// Reduces the last two dimensions of a tensor of rank 2 or more (`[H, W]`, `[C, H, W]`,
  /// `[N, C, H, W]`) so that neither exceeds `maxSize`.
  public static func reduce(_ tensor: Tensor, maxSize: Int) throws -> Tensor {
    guard tensor.rank >= 2 else { return tensor }
    let h = tensor.shape[tensor.rank - 2]
    let w = tensor.shape[tensor.rank - 1]
    let (oh, ow) = reducedSize(height: h, width: w, maxSize: maxSize)
    guard (oh, ow) != (h, w), h > 0, w > 0 else { return tensor }
    let planes = tensor.count / (h * w)
    var out: [Float] = []
    out.reserveCapacity(planes * oh * ow)
    for p in 0..<planes {
      let base = p * h * w
      let plane = reducePlane(height: h, width: w, toHeight: oh, width: ow) {
        Double(tensor.data[base + $0])
      }
      out.append(contentsOf: plane.map { Float($0) })
    }
    var shape = tensor.shape
    shape[shape.count - 2] = oh
    shape[shape.count - 1] = ow
    return try Tensor(shape: shape, data: out, name: "reduced tensor")
  }

  // MARK: Weights

  /// For each of `m` output positions along an axis of `n` inputs: the first input index and
  /// the weights of the inputs it covers (summing to 1).
  ///
  /// In units of 1/(n·m): input `i` covers `[i·m, (i+1)·m)`, output `o` covers `[o·n, (o+1)·n)`;
  /// the overlaps are integers, so no rounding error accumulates.
  static func weights(from n: Int, to m: Int) -> [(first: Int, weights: [Double])] {
    (0..<m).map { o in
      let lo = o * n
      let hi = (o + 1) * n
      let first = lo / m
      let last = (hi - 1) / m
      let ws = (first...last).map { i in
        Double(min((i + 1) * m, hi) - max(i * m, lo)) / Double(n)
      }
      return (first, ws)
    }
  }

  /// Reduces one `height`×`width` plane, read through `value(y · width + x)`, to
  /// `oh`×`ow` (row-major).
  static func reducePlane(
    height: Int, width: Int, toHeight oh: Int, width ow: Int, value: (Int) -> Double
  ) -> [Double] {
    let wx = weights(from: width, to: ow)
    let wy = weights(from: height, to: oh)
    // Rows first: every input row reduced to `ow` columns.
    var rows = [Double](repeating: 0, count: height * ow)
    for y in 0..<height {
      for (ox, column) in wx.enumerated() {
        var sum = 0.0
        for (k, weight) in column.weights.enumerated() {
          sum += weight * value(y * width + column.first + k)
        }
        rows[y * ow + ox] = sum
      }
    }
    var out = [Double](repeating: 0, count: oh * ow)
    for (oy, row) in wy.enumerated() {
      for ox in 0..<ow {
        var sum = 0.0
        for (k, weight) in row.weights.enumerated() {
          sum += weight * rows[(row.first + k) * ow + ox]
        }
        out[oy * ow + ox] = sum
      }
    }
    return out
  }
}
