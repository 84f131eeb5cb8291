// MARK: - Which taps read an input cell

extension ConvGeometry {
  /// The `(output row i, kernel row p)` pairs whose tap reads input row `h`: directly, or
  /// through a padding cell that a copying padding mode fills from row `h`.
  public func readers(ofRow h: Int) -> [(i: Int, p: Int)] {
    let c = config
    return ConvGeometry.readers(
      of: h, length: input.h, outputs: output.h, kernel: c.kernel.h, stride: c.stride.h,
      padding: c.padding.h, dilation: c.dilation.h, mode: c.paddingMode)
  }

  /// The `(output column j, kernel column q)` pairs whose tap reads input column `w`.
  public func readers(ofColumn w: Int) -> [(j: Int, q: Int)] {
    let c = config
    return ConvGeometry.readers(
      of: w, length: input.w, outputs: output.w, kernel: c.kernel.w, stride: c.stride.w,
      padding: c.padding.w, dilation: c.dilation.w, mode: c.paddingMode
    ).map { (j: $0.i, q: $0.p) }
  }

  /// The filters that read input channel `c` (its group's), and the weight channel they read
  /// it through.
  public func filters(readingChannel c: Int) -> (filters: Range<Int>, weightChannel: Int) {
    let cfg = config
    let group = c / max(1, cfg.groupChannels)
    let first = group * cfg.groupFilters
    return (first..<(first + cfg.groupFilters), c - group * cfg.groupChannels)
  }

  /// The input cells a padded index along one axis stands for: `index` itself, and under a
  /// copying mode every padding index that copies it; then the `(window, tap)` pairs reading
  /// each.
  static func readers(
    of index: Int, length: Int, outputs: Int, kernel: Int, stride: Int, padding: Int,
    dilation: Int, mode: PaddingMode
  ) -> [(i: Int, p: Int)] {
    var padded = [index]
    if mode != .zeros {
      for r in -padding..<0 where mode.source(r, length: length) == index { padded.append(r) }
      for r in length..<(length + padding) where mode.source(r, length: length) == index {
        padded.append(r)
      }
    }
    var result: [(i: Int, p: Int)] = []
    for r in padded {
      for p in 0..<kernel {
        let ri = r + padding - p * dilation
        guard ri >= 0, ri % stride == 0, ri / stride < outputs else { continue }
        result.append((ri / stride, p))
      }
    }
    return result
  }
}
