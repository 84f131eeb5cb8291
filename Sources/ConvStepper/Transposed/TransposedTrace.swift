import ConvCore

// MARK: - TransposedDims

/// The sizes of a transposed convolution: `x[N, C, H, W]`, `w[C, F/G, KH, KW]`,
/// `y[N, F, OH, OW]`.
public struct TransposedDims: Sendable, Equatable {
  /// Batch, input channels, input height and width.
  public var n: Int, c: Int, h: Int, w: Int
  /// Output channels, kernel height and width, output height and width.
  public var f: Int, kh: Int, kw: Int, oh: Int, ow: Int
  /// Groups; `C/G` input and `F/G` output channels in each.
  public var groups: Int

  /// `C/G`: the input channels of a group.
  public var groupInputs: Int { c / groups }
  /// `F/G`: the output channels of a group (one kernel each in `w[c]`).
  public var groupOutputs: Int { f / groups }
  /// The output channels input channel `c` stamps onto: its group's.
  public func outputChannels(ofInput c: Int) -> Range<Int> {
    let g = c / groupInputs
    return (g * groupOutputs)..<((g + 1) * groupOutputs)
  }
  /// The input channels stamping onto output channel `f`: its group's.
  public func inputChannels(ofOutput f: Int) -> Range<Int> {
    let g = f / groupOutputs
    return (g * groupInputs)..<((g + 1) * groupInputs)
  }
  /// The flat index of `w[c, f mod F/G, p, q]`.
  public func weightIndex(input c: Int, output f: Int, row p: Int, column q: Int) -> Int {
    ((c * groupOutputs + f % groupOutputs) * kh + p) * kw + q
  }
}

// MARK: - StampTap

/// One kernel tap of a stamp: `w[c, f, p, q]` lands on output cell `(outputRow, outputColumn)`.
public struct StampTap: Sendable, Equatable {
  /// The kernel tap.
  public var kernelRow: Int, kernelColumn: Int
  /// The output cell it lands on.
  public var outputRow: Int, outputColumn: Int
}

// MARK: - TransposedTrace

/// A transposed convolution computed once (forward, backward, update), and what its walk shows
/// at any step, by step index: which input cell stamps, which output cells it lands on, the
/// output and the weight gradient as far as the walk has gone.
///
/// Forward and backward have one step per input cell of a sample (channel, row, column, in
/// that order); the update has one step per input channel's kernels `w[c]`, then one for the
/// bias.
public struct TransposedTrace: Sendable {
  /// The scenario.
  public let scenario: TransposedScenario
  /// Its sizes.
  public let dims: TransposedDims
  /// The output `y`.
  public let y: Tensor
  /// The output gradient `dy` (from the scenario's source).
  public let dy: Tensor
  /// `dx`, `dw`, `db`.
  public let gradients: Conv2DGradients
  /// `w − lr·dw`.
  public let updatedWeight: Tensor
  /// `b − lr·db`.
  public let updatedBias: Tensor

  /// Computes the layer (on the fast path); throws a one-line error when it does not validate.
  public init(_ scenario: TransposedScenario) throws {
    try scenario.validate()
    let s = scenario
    let out = try s.outputShape()
    self.scenario = s
    dims = TransposedDims(
      n: s.input.shape[0], c: s.input.shape[1], h: s.input.shape[2], w: s.input.shape[3],
      f: out[1], kh: s.weight.shape[2], kw: s.weight.shape[3], oh: out[2], ow: out[3],
      groups: s.spec.groups)
    let y = try TransposedConv.forward(x: s.input, weight: s.weight, bias: s.bias, spec: s.spec)
    self.y = y
    let dy = LayerTrace.blockGradient(s.gradient, shape: out, output: { y }, previous: nil)
    self.dy = dy
    let g = try TransposedConv.backward(x: s.input, weight: s.weight, dy: dy, spec: s.spec)
    gradients = g
    var w = s.weight
    for i in w.data.indices { w.data[i] -= s.learningRate * g.dw.data[i] }
    updatedWeight = w
    var b = s.bias
    for i in b.data.indices { b.data[i] -= s.learningRate * g.db.data[i] }
    updatedBias = b
  }

  // MARK: Steps

  /// The steps of `phase` (forward and backward: per sample; the update: for the batch).
  public func stepCount(_ phase: Phase) -> Int {
    phase == .update ? dims.c + 1 : dims.c * dims.h * dims.w
  }

  /// The input cell of forward or backward step `k`: `(channel, row, column)`.
  public func inputCell(step k: Int) -> (channel: Int, row: Int, column: Int) {
    let plane = dims.h * dims.w
    return (k / plane, (k % plane) / dims.w, k % dims.w)
  }

  /// The step of input cell `(channel, row, column)`.
  public func step(channel c: Int, row i: Int, column j: Int) -> Int {
    (c * dims.h + i) * dims.w + j
  }

  /// The kernel taps of input cell `(i, j)`'s stamp that land inside the output (the others
  /// fall on the cropped padding `p`, or past it).
  public func taps(row i: Int, column j: Int) -> [StampTap] {
    let s = scenario.spec
    var taps: [StampTap] = []
    for p in 0..<dims.kh {
      let oi = i * s.stride.h - s.padding.h + p * s.dilation.h
      guard (0..<dims.oh).contains(oi) else { continue }
      for q in 0..<dims.kw {
        let oj = j * s.stride.w - s.padding.w + q * s.dilation.w
        guard (0..<dims.ow).contains(oj) else { continue }
        taps.append(StampTap(kernelRow: p, kernelColumn: q, outputRow: oi, outputColumn: oj))
      }
    }
    return taps
  }

  /// The flat index of `t[n, ch, r, c]` in a tensor of `channels` maps of `rows×cols`.
  static func index(_ n: Int, _ ch: Int, _ r: Int, _ c: Int, channels: Int, rows: Int, cols: Int)
    -> Int
  {
    ((n * channels + ch) * rows + r) * cols + c
  }

  // MARK: Forward

  /// `y[n, f]` (flat, `OH·OW`) after forward steps `0...k` of sample `n`: the bias, plus every
  /// stamp made so far (`k = −1`: the bias alone; the last step: `y[n, f]`).
  public func partialOutput(sample n: Int, channel f: Int, through k: Int) -> [Float] {
    var map = [Float](repeating: scenario.bias.data[f], count: dims.oh * dims.ow)
    let x = scenario.input.data
    let w = scenario.weight.data
    let s = scenario.spec
    for c in dims.inputChannels(ofOutput: f) {
      let kernel = dims.weightIndex(input: c, output: f, row: 0, column: 0)
      for i in 0..<dims.h {
        for j in 0..<dims.w where step(channel: c, row: i, column: j) <= k {
          let v = x[TransposedTrace.index(n, c, i, j, channels: dims.c, rows: dims.h, cols: dims.w)]
          for p in 0..<dims.kh {
            let oi = i * s.stride.h - s.padding.h + p * s.dilation.h
            guard (0..<dims.oh).contains(oi) else { continue }
            for q in 0..<dims.kw {
              let oj = j * s.stride.w - s.padding.w + q * s.dilation.w
              guard (0..<dims.ow).contains(oj) else { continue }
              map[oi * dims.ow + oj] += v * w[kernel + p * dims.kw + q]
            }
          }
        }
      }
    }
    return map
  }

  /// How many stamps of one input channel land on each output cell (flat, `OH·OW`): with a
  /// stride larger than one and a kernel that is not a multiple of it, the counts alternate,
  /// the checkerboard.
  public func overlapCounts() -> [Int] {
    var counts = [Int](repeating: 0, count: dims.oh * dims.ow)
    for i in 0..<dims.h {
      for j in 0..<dims.w {
        for t in taps(row: i, column: j) { counts[t.outputRow * dims.ow + t.outputColumn] += 1 }
      }
    }
    return counts
  }

  // MARK: Backward

  /// The terms of `dx[n, c, i, j]`: for each output channel of `c`'s group and each tap of the
  /// cell's stamp, `w[c, f, p, q]` and `dy[n, f, oi, oj]` (its sum is the cell's `dx`, and
  /// `x[n, c, i, j]` times each `dy` adds to `dw[c, f, p, q]`).
  public func gradientTerms(sample n: Int, channel c: Int, row i: Int, column j: Int) -> [(
    filter: Int, tap: StampTap, weight: Float, gradient: Float
  )] {
    let taps = taps(row: i, column: j)
    return dims.outputChannels(ofInput: c).flatMap { f in
      taps.map { t in
        let wi = dims.weightIndex(input: c, output: f, row: t.kernelRow, column: t.kernelColumn)
        let gi = TransposedTrace.index(
          n, f, t.outputRow, t.outputColumn, channels: dims.f, rows: dims.oh, cols: dims.ow)
        return (f, t, scenario.weight.data[wi], dy.data[gi])
      }
    }
  }

  /// One kernel `dw[c, f mod F/G]` (flat, `KH·KW`) after backward steps `0...k` of sample `n`:
  /// every earlier sample whole, and the cells of sample `n` walked so far. Reads only input
  /// channel `c`'s cells, so a frame of a large layer stays quick.
  public func partialKernelGradient(sample n: Int, input c: Int, output f: Int, through k: Int)
    -> [Float]
  {
    var dw = [Float](repeating: 0, count: dims.kh * dims.kw)
    let x = scenario.input.data
    let g = dy.data
    let s = scenario.spec
    for m in 0...n {
      for i in 0..<dims.h {
        for j in 0..<dims.w where m < n || step(channel: c, row: i, column: j) <= k {
          let v = x[TransposedTrace.index(m, c, i, j, channels: dims.c, rows: dims.h, cols: dims.w)]
          for p in 0..<dims.kh {
            let oi = i * s.stride.h - s.padding.h + p * s.dilation.h
            guard (0..<dims.oh).contains(oi) else { continue }
            let row = TransposedTrace.index(
              m, f, oi, 0, channels: dims.f, rows: dims.oh, cols: dims.ow)
            for q in 0..<dims.kw {
              let oj = j * s.stride.w - s.padding.w + q * s.dilation.w
              guard (0..<dims.ow).contains(oj) else { continue }
              dw[p * dims.kw + q] += v * g[row + oj]
            }
          }
        }
      }
    }
    return dw
  }

  /// `dw` after backward steps `0...k` of sample `n`: every earlier sample whole, and the cells
  /// of sample `n` walked so far.
  public func partialWeightGradient(sample n: Int, through k: Int) -> Tensor {
    var dw = Tensor(shape: scenario.weight.shape)
    let x = scenario.input.data
    for m in 0...n {
      for c in 0..<dims.c {
        for i in 0..<dims.h {
          for j in 0..<dims.w where m < n || step(channel: c, row: i, column: j) <= k {
            let v = x[
              TransposedTrace.index(m, c, i, j, channels: dims.c, rows: dims.h, cols: dims.w)]
            for term in gradientTerms(sample: m, channel: c, row: i, column: j) {
              let wi = dims.weightIndex(
                input: c, output: term.filter, row: term.tap.kernelRow,
                column: term.tap.kernelColumn)
              dw.data[wi] += v * term.gradient
            }
          }
        }
      }
    }
    return dw
  }
}
