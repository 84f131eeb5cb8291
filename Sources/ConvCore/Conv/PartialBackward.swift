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
  /// `[F·C/G·KH·KW]` and `db` `[F]`.
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
    guard !range.isEmpty else { return }
    precondition(range.lowerBound >= 0 && range.upperBound <= c.filters)
    check(x: x, weight: weight, dy: dy, geometry: g, sample: n)
    // Groups of filters whose bordered copy of dy stays under `groupBytes`: a pass's scratch
    // is then a few tens of megabytes even for a map of a million cells. A pass never crosses
    // from one group of the layer's channels to the next.
    let batchSize = max(
      1, min(range.count, groupBytes / max(1, 4 * (g.output.h + 8) * (g.output.w + 8))))
    var shape = pieceShape(g)
    dy.data.withUnsafeBufferPointer { dyb in
      var first = range.lowerBound
      while first < range.upperBound {
        let groupEnd = (c.group(ofFilter: first) + 1) * c.groupFilters
        let last = min(range.upperBound, first + batchSize, groupEnd)
        shape.filters = last - first
        let base = (n * c.filters + first) * plane
        pass(
          shape, x: x, geometry: g, sample: n, rows: g.input.h, firstFilter: first,
          weight: weight,
          dy: UnsafeBufferPointer(rebasing: dyb[base..<(base + (last - first) * plane)]),
          into: &out, sign: sign)
        first = last
      }
    }
  }

  /// The most bytes of `dy` one pass of ``addFilters`` copies (16 MiB).
  static let groupBytes = 16 << 20

  /// Adds the contributions of the first `windows` windows (row by row) of filter `f` of
  /// sample `n` to `out`; nothing when `windows` is 0 or `f` is past the last filter. Only the
  /// output rows those windows are on, and the input rows they read, go through the pass (all
  /// the rows under a copying padding mode, whose bottom padding copies the last rows).
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
    let hc = c.paddingMode == .zeros ? max(1, min(g.input.h, lastRow + 1)) : g.input.h
    var shape = pieceShape(g)
    shape.filters = 1
    shape.height = hc
    shape.oh = (hc + 2 * c.padding.h - c.dilation.h * (c.kernel.h - 1) - 1) / c.stride.h + 1
    var masked = [Float](repeating: 0, count: shape.oh * ow)
    let start = (n * c.filters + f) * plane
    for k in 0..<done { masked[k] = dy.data[start + k] }
    masked.withUnsafeBufferPointer { mb in
      pass(
        shape, x: x, geometry: g, sample: n, rows: hc, firstFilter: f, weight: weight, dy: mb,
        into: &out, sign: 1)
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
      dw: [Float](repeating: 0, count: c.filters * c.groupChannels * c.kernel.h * c.kernel.w),
      db: [Float](repeating: 0, count: c.filters), dxIsZero: true)
  }

  static func check(x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry, sample n: Int)
  {
    precondition(x.shape == g.inputShape && weight.shape == g.weightShape)
    precondition(dy.shape == g.outputShape && (0..<g.batch).contains(n))
  }

  /// The shape of one pass: one sample, the `C/G` channels of one group (no groups left), the
  /// layer's padding mode.
  static func pieceShape(_ g: ConvGeometry) -> ConvShape {
    var shape = ConvShape(g)
    shape.batch = 1
    shape.channels = g.config.groupChannels
    shape.groups = 1
    return shape
  }

  /// One fast backward pass over `shape.filters` filters of one group starting at
  /// `firstFilter`, on the first `rows` input rows of sample `n`'s channels of that group,
  /// added to `out` times `sign`: its `dw` and `db` in their filters' places, its `dx` into
  /// `out.dx` at the group's channels.
  private static func pass(
    _ shape: ConvShape, x: Tensor, geometry g: ConvGeometry, sample n: Int, rows: Int,
    firstFilter: Int, weight: Tensor, dy: UnsafeBufferPointer<Float>,
    into out: inout Contribution, sign: Float
  ) {
    let cfg = g.config
    let taps = shape.taps
    let firstChannel = cfg.group(ofFilter: firstFilter) * cfg.groupChannels
    let (fullPlane, cropPlane) = (g.input.h * g.input.w, rows * g.input.w)
    // The group's channels of the sample, cropped to `rows`: contiguous when nothing is cut.
    let xStart = (n * cfg.inChannels + firstChannel) * fullPlane
    var cropped: [Float] = []
    if rows < g.input.h {
      cropped = [Float](repeating: 0, count: shape.channels * cropPlane)
      for ch in 0..<shape.channels {
        for k in 0..<cropPlane { cropped[ch * cropPlane + k] = x.data[xStart + ch * fullPlane + k] }
      }
    }
    // Into out.dx itself when it is still zero and the pass covers it whole (the first pass
    // of a sample of a plain layer): no second buffer of its size.
    let direct = sign == 1 && shape.inputCount == out.dx.count && out.dxIsZero
    out.dxIsZero = false
    var dx = direct ? [] : [Float](repeating: 0, count: shape.inputCount)
    if direct { swap(&dx, &out.dx) }
    defer { if direct { swap(&dx, &out.dx) } }
    var dw = [Float](repeating: 0, count: shape.weightCount)
    var db = [Float](repeating: 0, count: shape.filters)
    x.data.withUnsafeBufferPointer { xb in
      cropped.withUnsafeBufferPointer { cb in
        let xs =
          rows < g.input.h
          ? cb : UnsafeBufferPointer(rebasing: xb[xStart..<(xStart + shape.inputCount)])
        weight.data.withUnsafeBufferPointer { wb in
          dx.withUnsafeMutableBufferPointer { dxb in
            dw.withUnsafeMutableBufferPointer { dwb in
              db.withUnsafeMutableBufferPointer { dbb in
                FastConv.backward(
                  shape: shape, x: xs,
                  weight: UnsafeBufferPointer(
                    rebasing: wb[(firstFilter * taps)..<((firstFilter + shape.filters) * taps)]),
                  dy: dy, dx: dxb, dw: dwb, db: dbb)
              }
            }
          }
        }
      }
    }
    for k in dw.indices { out.dw[firstFilter * taps + k] += sign * dw[k] }
    for k in db.indices { out.db[firstFilter + k] += sign * db[k] }
    if direct { return }
    out.dx.withUnsafeMutableBufferPointer { o in
      dx.withUnsafeBufferPointer { d in
        for ch in 0..<shape.channels {
          let (src, dst) = (ch * cropPlane, (firstChannel + ch) * fullPlane)
          for k in 0..<cropPlane { o[dst + k] += sign * d[src + k] }
        }
      }
    }
  }
}
