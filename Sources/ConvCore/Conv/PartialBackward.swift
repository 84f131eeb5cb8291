import ConvKernels

// MARK: - PartialBackward

/// The backward pass of one sample's first windows, on the fast path: what the step engine's
/// state holds after `windows` windows of sample `n` in canonical order (filter by filter, each
/// map row by row), computed in one or two matrix products instead of replayed window by window.
///
/// The complete filters (`windows / (OH·OW)` of them) go through the fast backward pass on their
/// rows of `dy` and `w` in place; the filter in progress through a second pass on a copy of its
/// `dy` plane with the windows not yet done set to zero. The sums are the fast path's, so they
/// agree with a window-by-window replay within the fast path's documented bound
/// (docs/performance.md, "Tolerance"), not bit for bit.
public enum PartialBackward {
  /// One sample's contributions: `dx` of that sample `[C·H·W]`, and what its windows add to `dw`
  /// `[F·C·KH·KW]` and `db` `[F]`.
  public struct Contribution: Sendable {
    /// The sample's input gradient, `C·H·W` values.
    public var dx: [Float]
    /// What the windows add to the weight gradient.
    public var dw: [Float]
    /// What the windows add to the bias gradient.
    public var db: [Float]
    /// Whether nothing has been added to `dx` yet (then a pass writes into it directly).
    var dxIsZero = false
  }

  /// The contributions of windows `0..<windows` of sample `n` (clamped to the sample's
  /// `F·OH·OW` windows). `x`, `weight` and `dy` must have `geometry`'s shapes.
  public static func sample(
    x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry, sample n: Int, windows: Int
  ) -> Contribution {
    let plane = g.output.h * g.output.w
    let done = max(0, min(windows, g.config.filters * plane))
    var out = zero(g)
    addFilters(
      x: x, weight: weight, dy: dy, geometry: g, sample: n, range: 0..<(done / plane), into: &out)
    addFilter(
      x: x, weight: weight, dy: dy, geometry: g, sample: n, filter: done / plane,
      windows: done % plane, into: &out)
    return out
  }

  /// Adds (`sign` 1) or takes away (`sign` −1) the contributions of the complete filters
  /// `range` of sample `n` (all their windows) to `out`.
  public static func addFilters(
    x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry, sample n: Int,
    range: Range<Int>, into out: inout Contribution, sign: Float = 1
  ) {
    let c = g.config
    let plane = g.output.h * g.output.w
    let taps = c.inChannels * c.kernel.h * c.kernel.w
    let sampleX = c.inChannels * g.input.h * g.input.w
    guard !range.isEmpty else { return }
    precondition(range.lowerBound >= 0 && range.upperBound <= c.filters)
    check(x: x, weight: weight, dy: dy, geometry: g, sample: n)
    // Groups of filters whose bordered copy of dy stays under `groupBytes`: a pass's scratch
    // is then a few tens of megabytes even for a map of a million cells.
    let group = max(
      1, min(range.count, groupBytes / max(1, 4 * (g.output.h + 8) * (g.output.w + 8))))
    var shape = ConvShape(g)
    shape.batch = 1
    x.data.withUnsafeBufferPointer { xb in
      weight.data.withUnsafeBufferPointer { wb in
        dy.data.withUnsafeBufferPointer { dyb in
          var first = range.lowerBound
          while first < range.upperBound {
            let last = min(range.upperBound, first + group)
            shape.filters = last - first
            let base = (n * c.filters + first) * plane
            pass(
              shape, x: UnsafeBufferPointer(rebasing: xb[(n * sampleX)..<((n + 1) * sampleX)]),
              weight: UnsafeBufferPointer(rebasing: wb[(first * taps)..<(last * taps)]),
              dy: UnsafeBufferPointer(rebasing: dyb[base..<(base + (last - first) * plane)]),
              into: &out, filterOffset: first, sign: sign)
            first = last
          }
        }
      }
    }
  }

  /// The most bytes of `dy` one pass of ``addFilters`` copies (16 MiB).
  static let groupBytes = 16 << 20

  /// Adds the contributions of the first `windows` windows (row by row) of filter `f` of
  /// sample `n` to `out`; nothing when `windows` is 0 or `f` is past the last filter. Only the
  /// output rows those windows are on, and the input rows they read, go through the pass.
  public static func addFilter(
    x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry, sample n: Int, filter f: Int,
    windows: Int, into out: inout Contribution
  ) {
    let c = g.config
    guard windows > 0, (0..<c.filters).contains(f) else { return }
    check(x: x, weight: weight, dy: dy, geometry: g, sample: n)
    let (ow, plane) = (g.output.w, g.output.h * g.output.w)
    let done = min(windows, plane)
    // The output rows 0..<rows, and the input rows their windows reach.
    let rows = (done + ow - 1) / ow
    let lastRow = (rows - 1) * c.stride.h - c.padding.h + c.dilation.h * (c.kernel.h - 1)
    let hc = max(1, min(g.input.h, lastRow + 1))
    var shape = ConvShape(g)
    shape.batch = 1
    shape.filters = 1
    shape.height = hc
    shape.oh = (hc + 2 * c.padding.h - c.dilation.h * (c.kernel.h - 1) - 1) / c.stride.h + 1
    let taps = c.inChannels * c.kernel.h * c.kernel.w
    var masked = [Float](repeating: 0, count: shape.oh * ow)
    let start = (n * c.filters + f) * plane
    for k in 0..<done { masked[k] = dy.data[start + k] }
    var cropped = [Float](repeating: 0, count: c.inChannels * hc * g.input.w)
    let (inPlane, cropPlane) = (g.input.h * g.input.w, hc * g.input.w)
    for ch in 0..<c.inChannels {
      let from = (n * c.inChannels + ch) * inPlane
      for k in 0..<cropPlane { cropped[ch * cropPlane + k] = x.data[from + k] }
    }
    cropped.withUnsafeBufferPointer { xs in
      weight.data.withUnsafeBufferPointer { wb in
        masked.withUnsafeBufferPointer { mb in
          pass(
            shape, x: xs, weight: UnsafeBufferPointer(rebasing: wb[(f * taps)..<((f + 1) * taps)]),
            dy: mb, into: &out, filterOffset: f, sign: 1)
        }
      }
    }
  }

  /// Gives back the scratch memory the fast path keeps between calls (after the one-off passes
  /// of a big layer's trace it would stay resident for the whole session).
  public static func releaseScratch() {
    FastConv.releaseScratch()
  }

  /// Adds `b` to `a`, element by element.
  public static func add(_ b: Contribution, to a: inout Contribution) {
    precondition(a.dx.count == b.dx.count && a.dw.count == b.dw.count && a.db.count == b.db.count)
    for k in a.dx.indices { a.dx[k] += b.dx[k] }
    for k in a.dw.indices { a.dw[k] += b.dw[k] }
    for k in a.db.indices { a.db[k] += b.db[k] }
  }

  /// Nothing yet: zero `dx` of one sample, zero `dw` and `db`.
  public static func zero(_ g: ConvGeometry) -> Contribution {
    let c = g.config
    return Contribution(
      dx: [Float](repeating: 0, count: c.inChannels * g.input.h * g.input.w),
      dw: [Float](repeating: 0, count: c.filters * c.inChannels * c.kernel.h * c.kernel.w),
      db: [Float](repeating: 0, count: c.filters), dxIsZero: true)
  }

  static func check(x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry, sample n: Int)
  {
    precondition(x.shape == g.inputShape && weight.shape == g.weightShape)
    precondition(dy.shape == g.outputShape && (0..<g.batch).contains(n))
  }

  /// One fast backward pass over `shape.filters` filters starting at `filterOffset`, added to
  /// `out` times `sign`: its `dw` and `db` in their filters' places, its `dx` (the first
  /// `shape.height` rows of each channel) into `out.dx`.
  private static func pass(
    _ shape: ConvShape, x: UnsafeBufferPointer<Float>, weight: UnsafeBufferPointer<Float>,
    dy: UnsafeBufferPointer<Float>, into out: inout Contribution, filterOffset: Int, sign: Float
  ) {
    let taps = shape.channels * shape.kh * shape.kw
    // Into out.dx itself when it is still zero and the pass covers it whole (the first pass
    // of a sample): no second buffer of its size.
    let direct = sign == 1 && shape.inputCount == out.dx.count && out.dxIsZero
    out.dxIsZero = false
    var dx = direct ? [] : [Float](repeating: 0, count: shape.inputCount)
    if direct { swap(&dx, &out.dx) }
    defer { if direct { swap(&dx, &out.dx) } }
    var dw = [Float](repeating: 0, count: shape.weightCount)
    var db = [Float](repeating: 0, count: shape.filters)
    dx.withUnsafeMutableBufferPointer { dxb in
      dw.withUnsafeMutableBufferPointer { dwb in
        db.withUnsafeMutableBufferPointer { dbb in
          FastConv.backward(
            shape: shape, x: x, weight: weight, dy: dy, dx: dxb, dw: dwb, db: dbb)
        }
      }
    }
    for k in dw.indices { out.dw[filterOffset * taps + k] += sign * dw[k] }
    for k in db.indices { out.db[filterOffset + k] += sign * db[k] }
    if direct { return }
    let cropPlane = shape.height * shape.width
    let fullPlane = out.dx.count / max(1, shape.channels)
    out.dx.withUnsafeMutableBufferPointer { o in
      dx.withUnsafeBufferPointer { d in
        for ch in 0..<shape.channels {
          let (src, dst) = (ch * cropPlane, ch * fullPlane)
          for k in 0..<cropPlane { o[dst + k] += sign * d[src + k] }
        }
      }
    }
  }
}
