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
  }

  /// The contributions of windows `0..<windows` of sample `n` (clamped to the sample's
  /// `F·OH·OW` windows). `x`, `weight` and `dy` must have `geometry`'s shapes.
  public static func sample(
    x: Tensor, weight: Tensor, dy: Tensor, geometry g: ConvGeometry, sample n: Int, windows: Int
  ) -> Contribution {
    precondition(x.shape == g.inputShape && weight.shape == g.weightShape)
    precondition(dy.shape == g.outputShape && (0..<g.batch).contains(n))
    let c = g.config
    let plane = g.output.h * g.output.w
    let taps = c.inChannels * c.kernel.h * c.kernel.w
    let sampleX = c.inChannels * g.input.h * g.input.w
    let done = max(0, min(windows, c.filters * plane))
    var out = Contribution(
      dx: [Float](repeating: 0, count: sampleX), dw: [Float](repeating: 0, count: c.filters * taps),
      db: [Float](repeating: 0, count: c.filters))
    let full = done / plane
    let rest = done % plane
    var shape = ConvShape(g)
    shape.batch = 1
    x.data.withUnsafeBufferPointer { xb in
      weight.data.withUnsafeBufferPointer { wb in
        let xs = UnsafeBufferPointer(rebasing: xb[(n * sampleX)..<((n + 1) * sampleX)])
        if full > 0 {
          shape.filters = full
          dy.data.withUnsafeBufferPointer { dyb in
            let base = n * c.filters * plane
            pass(
              shape, x: xs, weight: UnsafeBufferPointer(rebasing: wb[0..<(full * taps)]),
              dy: UnsafeBufferPointer(rebasing: dyb[base..<(base + full * plane)]),
              into: &out, filterOffset: 0, accumulateDX: false)
          }
        }
        if rest > 0 {
          shape.filters = 1
          var masked = [Float](repeating: 0, count: plane)
          let start = (n * c.filters + full) * plane
          for k in 0..<rest { masked[k] = dy.data[start + k] }
          masked.withUnsafeBufferPointer { mb in
            pass(
              shape, x: xs,
              weight: UnsafeBufferPointer(rebasing: wb[(full * taps)..<((full + 1) * taps)]),
              dy: mb, into: &out, filterOffset: full, accumulateDX: full > 0)
          }
        }
      }
    }
    return out
  }

  /// One fast backward pass over `shape.filters` filters starting at `filterOffset`; its `dw`
  /// and `db` land in their filters' places, its `dx` in `out.dx` (added when `accumulateDX`).
  private static func pass(
    _ shape: ConvShape, x: UnsafeBufferPointer<Float>, weight: UnsafeBufferPointer<Float>,
    dy: UnsafeBufferPointer<Float>, into out: inout Contribution, filterOffset: Int,
    accumulateDX: Bool
  ) {
    let taps = shape.channels * shape.kh * shape.kw
    var dx = [Float](repeating: 0, count: shape.inputCount)
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
    if accumulateDX {
      for k in dx.indices { out.dx[k] += dx[k] }
    } else {
      out.dx = dx
    }
    for k in dw.indices { out.dw[filterOffset * taps + k] = dw[k] }
    for k in db.indices { out.db[filterOffset + k] = db[k] }
  }
}
