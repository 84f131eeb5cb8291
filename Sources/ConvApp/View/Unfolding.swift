import ConvCore
import ConvStepper
import TermUI

// MARK: - Unfolding

/// The matrices of im2col for one sample and one group of a layer, read lazily from the trace's
/// tensors: nothing is copied, so a 256×256 input's `cols` (9×65536) costs only the entries drawn.
///
/// - `cols` is `[C/G·KH·KW × OH·OW]`: column `k` is window `k` (row-major over the output map),
///   row `r` is tap `(c, p, q)` in the step engine's order (`r = (c·KH + p)·KW + q`), so
///   `cols[r, k]` is the value window `k` multiplies by `w[f, c, p, q]` (0 on zero padding, the
///   copied value on a copying padding mode).
/// - `W` is `[F/G × C/G·KH·KW]`: the group's filters' weights `w[f, :, :, :]` flattened, one row per
///   filter (the weight tensor's own memory read as a matrix).
/// - `Y = W·cols + b` is `[F/G × OH·OW]`: the group's output maps, one row per filter.
struct Unfolding {
  let trace: LayerTrace
  /// The sample unfolded.
  let sample: Int
  /// The group unfolded (its filters are rows of `W`, its channels taps of `cols`).
  let group: Int

  /// Rows of `cols` (columns of `W`): `C/G·KH·KW`.
  let taps: Int
  /// Columns of `cols` and `Y`: `OH·OW`.
  let windows: Int
  /// Rows of `W` and `Y`: `F/G`.
  let filters: Int

  /// The unfolding of `sample` for the group of `filter`.
  init(_ trace: LayerTrace, sample: Int, filter: Int) {
    let cfg = trace.geometry.config
    self.trace = trace
    self.sample = sample
    self.group = cfg.group(ofFilter: filter)
    self.taps = cfg.groupChannels * cfg.kernel.h * cfg.kernel.w
    self.windows = trace.geometry.output.h * trace.geometry.output.w
    self.filters = cfg.groupFilters
  }

  var config: Conv2DConfig { trace.geometry.config }
  /// The group's first filter.
  var firstFilter: Int { group * filters }
  /// The group's first input channel.
  var firstChannel: Int { group * config.groupChannels }

  /// The tap of row `r` of `cols`: weight channel, kernel row, kernel column.
  func tap(ofRow r: Int) -> (channel: Int, row: Int, column: Int) {
    let (kh, kw) = (config.kernel.h, config.kernel.w)
    return (r / (kh * kw), r / kw % kh, r % kw)
  }

  /// The row of `cols` of a tap.
  func row(of tap: Tap) -> Int {
    (tap.weightChannel * config.kernel.h + tap.kernelRow) * config.kernel.w + tap.kernelColumn
  }

  /// The column of `cols` (and `Y`) of output cell `(i, j)`.
  func column(row i: Int, column j: Int) -> Int { i * trace.geometry.output.w + j }

  /// The flat index in `[N, F, OH, OW]` (and the global window) of `Y[fr, k]`.
  func outputIndex(filterRow fr: Int, window k: Int) -> Int {
    (sample * config.filters + firstFilter + fr) * windows + k
  }

  /// `cols[r, k]` and what it is: input data, zero padding, or a padding cell that copies.
  func entry(_ r: Int, _ k: Int) -> (value: Float, kind: HeatCellKind) {
    let g = trace.geometry
    let (c, p, q) = tap(ofRow: r)
    let (i, j) = (k / g.output.w, k % g.output.w)
    let h = g.inputRow(outputRow: i, kernelRow: p)
    let w = g.inputColumn(outputColumn: j, kernelColumn: q)
    guard let sh = g.sourceRow(h), let sw = g.sourceColumn(w) else { return (0, .padding) }
    let x = trace.scenario.input.data
    let value = x[
      ((sample * config.inChannels + firstChannel + c) * g.input.h + sh) * g.input.w + sw]
    let inside = h >= 0 && h < g.input.h && w >= 0 && w < g.input.w
    return (value, inside ? .data : .copy)
  }

  /// `W[fr, r]` of `weights` (`[F, C/G, KH, KW]`, the layer's weights or one of their
  /// gradients): the weight tensor's own memory, read as a matrix.
  func weight(_ weights: Tensor, _ fr: Int, _ r: Int) -> Float {
    weights.data[(firstFilter + fr) * taps + r]
  }

  /// The flat range of `[N, C, H, W]` the group's channels of the sample take (what `cols` copies).
  var inputPlanes: Range<Int> {
    let plane = trace.geometry.input.h * trace.geometry.input.w
    let start = (sample * config.inChannels + firstChannel) * plane
    return start..<(start + config.groupChannels * plane)
  }

  /// The flat range of `[F, C/G, KH, KW]` the group's filters take (what `W` reads).
  var weightRows: Range<Int> { (firstFilter * taps)..<((firstFilter + filters) * taps) }

  /// The flat range of `[N, F, OH, OW]` the group's maps of the sample take (what `Y` reads).
  var outputPlanes: Range<Int> {
    let start = outputIndex(filterRow: 0, window: 0)
    return start..<(start + filters * windows)
  }

  /// `dcols[r, k] = Σ_f W[f, r]·dY[f, k]` over the group's filters whose window `k` is `done`
  /// (nil when none is yet), with `partial` taps of filter row `partial.filterRow`'s window
  /// `partial.window` (a window walked tap by tap adds its rows one at a time).
  func dcols(
    _ r: Int, _ k: Int, done: (Int) -> Bool,
    partial: (filterRow: Int, window: Int, taps: Int)? = nil
  ) -> Float? {
    let w = trace.scenario.weight
    let dy = trace.convGradient.data
    var sum: Float = 0
    var any = false
    for fr in 0..<filters {
      let flat = outputIndex(filterRow: fr, window: k)
      var counts = done(flat)
      if let partial, partial.filterRow == fr, partial.window == k { counts = r < partial.taps }
      guard counts else { continue }
      sum += weight(w, fr, r) * dy[flat]
      any = true
    }
    return any ? sum : nil
  }
}
