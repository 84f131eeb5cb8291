import ConvCore
import Synchronization

// MARK: - BackwardReplay

/// Replays the convolution's backward windows in canonical order (``CanonicalConv``), whole or in
/// sub-steps: sub-step 0 is `db[f] += dy`, sub-step `1 + t` is tap `t` in `(c, p, q)` order.
enum BackwardReplay {
  typealias Inputs = (x: Tensor, w: Tensor, dy: Tensor, geometry: ConvGeometry)

  /// Applies whole windows `globalRange` (global window index = flat index of `dy`).
  static func apply(
    trace t: Inputs, globalRange: Range<Int>, dx: inout [Float], dw: inout [Float],
    db: inout [Float]
  ) {
    let g = t.geometry
    let (F, OH, OW) = (g.config.filters, g.output.h, g.output.w)
    t.x.data.withUnsafeBufferPointer { xp in
      t.w.data.withUnsafeBufferPointer { wp in
        dx.withUnsafeMutableBufferPointer { dxp in
          dw.withUnsafeMutableBufferPointer { dwp in
            db.withUnsafeMutableBufferPointer { dbp in
              for global in globalRange {
                let j = global % OW
                let i = (global / OW) % OH
                let f = (global / (OW * OH)) % F
                let n = global / (OW * OH * F)
                CanonicalConv.accumulateWindow(
                  x: xp, w: wp, gradient: t.dy.data[global], geometry: g, n: n, f: f, i: i, j: j,
                  dx: dxp, dw: dwp, db: dbp)
              }
            }
          }
        }
      }
    }
  }

  /// The cells a sub-step writes; empty for a zero-padding tap (its contribution is discarded).
  static func touched(geometry g: ConvGeometry, global: Int, subStep s: Int) -> [GradientCell] {
    let (F, OH, OW) = (g.config.filters, g.output.h, g.output.w)
    let j = global % OW
    let i = (global / OW) % OH
    let f = (global / (OW * OH)) % F
    let n = global / (OW * OH * F)
    if s == 0 { return [GradientCell(.db, f)] }
    guard let tap = tapLocation(g, n: n, f: f, i: i, j: j, tap: s - 1) else { return [] }
    return [GradientCell(.dw, tap.wIndex), GradientCell(.dx, tap.xIndex)]
  }

  /// Where tap `t` of window `(n, f, i, j)` reads: flat indices into x (the cell a copying
  /// padding cell copies) and w, or nil for zero padding. `t` counts the filter's `C/G·KH·KW`
  /// taps; the x channel is the group's.
  static func tapLocation(_ g: ConvGeometry, n: Int, f: Int, i: Int, j: Int, tap t: Int)
    -> (xIndex: Int, wIndex: Int)?
  {
    let k = g.config.kernel
    let c = t / (k.h * k.w)
    let p = (t / k.w) % k.h
    let q = t % k.w
    guard let h = g.sourceRow(g.inputRow(outputRow: i, kernelRow: p)),
      let col = g.sourceColumn(g.inputColumn(outputColumn: j, kernelColumn: q))
    else { return nil }
    let channel = g.config.inputChannel(filter: f, weightChannel: c)
    return (
      ((n * g.config.inChannels + channel) * g.input.h + h) * g.input.w + col,
      ((f * g.config.groupChannels + c) * k.h + p) * k.w + q
    )
  }

  /// Applies sub-steps `range` of window `global` (a subset of what ``apply`` does for it);
  /// `sign` −1 takes them back out (fast traces rewind so, within float rounding).
  static func applySubSteps(
    trace t: Inputs, global: Int, range: Range<Int>, dx: inout [Float], dw: inout [Float],
    db: inout [Float], sign: Float = 1
  ) {
    let g = t.geometry
    let (F, OH, OW) = (g.config.filters, g.output.h, g.output.w)
    let j = global % OW
    let i = (global / OW) % OH
    let f = (global / (OW * OH)) % F
    let n = global / (OW * OH * F)
    let gv = sign * t.dy.data[global]
    for s in range {
      if s == 0 {
        db[f] += gv
      } else if let tap = tapLocation(g, n: n, f: f, i: i, j: j, tap: s - 1) {
        dw[tap.wIndex] += gv * t.x.data[tap.xIndex]
        dx[tap.xIndex] += gv * t.w.data[tap.wIndex]
      }
    }
  }
}

// MARK: - GradientCell

/// The gradient tensors a backward step writes into.
enum GradientTensor: Sendable, Hashable {
  /// The input gradient dx.
  case dx
  /// The weight gradient dw.
  case dw
  /// The bias gradient db.
  case db
  /// The max-pool backward's gradient at the pool's input.
  case poolInput
}

/// One cell of a gradient tensor: which tensor, and the flat index in it.
struct GradientCell: Sendable, Hashable {
  var tensor: GradientTensor
  var index: Int

  init(_ tensor: GradientTensor, _ index: Int) {
    self.tensor = tensor
    self.index = index
  }
}

// MARK: - CheckpointCache

/// Lazily built snapshots of the backward state, every `interval` windows within a sample.
final class CheckpointCache: Sendable {
  /// One sample's snapshots: `dx` of that sample only, `dw`, `db`.
  struct Sample: Sendable {
    var dx: [[Float]]
    var dw: [[Float]]
    var db: [[Float]]
  }

  let interval: Int
  private let samples = Mutex<[Int: Sample]>([:])
  private let order = Mutex<[Int]>([])

  init(interval: Int) {
    self.interval = interval
  }

  /// The snapshots of sample `n`, built on first use (at most two samples are kept).
  func sample(_ n: Int, build: () -> Sample) -> Sample {
    if let s = samples.withLock({ $0[n] }) { return s }
    let built = build()
    samples.withLock { cache in
      cache[n] = built
      order.withLock { o in
        o.removeAll { $0 == n }
        o.append(n)
        while o.count > 2 {
          cache[o.removeFirst()] = nil
        }
      }
    }
    return built
  }
}
