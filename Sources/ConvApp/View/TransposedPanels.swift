import ConvCore
import ConvStepper
import NumberText
import TermUI

// MARK: - TransposedPanels

/// The stamp view of a transposed convolution: forward, each input cell's value times the
/// kernel stamped onto the output (overlaps adding up); backward, the same footprint gathered
/// from `dy` into `dx` and `x·dy` added to `dw`; the update, one input channel's kernels a step,
/// then the bias. Every number is the ``TransposedTrace``'s.
enum TransposedPanels {
  static func panels(_ model: Model, _ walk: TransposedWalk) -> [GridPanel] {
    switch walk.phase {
    case .backward: return backward(model, walk)
    case .update: return update(model, walk)
    default: return forward(model, walk)
    }
  }

  // MARK: The conv2d views

  /// The conv2d views' panels named for the transposed layer they show: the zero-inserted input
  /// and the flipped kernel; in the adjoint conv2d, which tensor of the transposed layer each is,
  /// and in its backward pass the transposed `y − b` beside its `dx`, to compare number by
  /// number.
  static func relabelled(
    _ panels: [GridPanel], _ model: Model, _ walk: TransposedWalk, _ w: WindowRef, channel: Int
  ) -> [GridPanel] {
    var out = panels
    for i in out.indices {
      let title = out[i].title
      switch walk.view {
      case .stamps:
        break
      case .zeroInsertion:
        let bare = out[i].shortTitle
        if model.phase == .forward, out[i].role == .input, bare.hasPrefix("x[") {
          out[i].title = "x′" + bare.dropFirst() + " zeros inserted"
          out[i].words = ""
        } else if out[i].role == .kernel, bare.hasPrefix("w[") {
          out[i].title = "flipped w′" + bare.dropFirst()
          out[i].words = ""
        }
      case .adjoint:
        for (prefix, name) in [
          ("Input x[", "convT dy"), ("dy[", "convT x"), ("dx[", "convT y − b"),
        ]
        where title.hasPrefix(prefix) || title.hasPrefix("Gradient " + prefix) {
          out[i].title = title + " = " + name
        }
      }
    }
    guard walk.view == .adjoint, model.phase == .backward else { return out }
    let t = walk.trace
    let yv = t.y.data[plane(t.y, w.sample, channel)]
    let b = t.scenario.bias.data[channel]
    let values = yv.map { $0 - b }
    let grid = map(
      model, rows: t.dims.oh, cols: t.dims.ow, values: values.map { Optional($0) },
      widthFrom: values[...])
    out.append(
      GridPanel(
        title: "convT " + index("y", w.sample, channel) + " − b (stamps view)", words: "convT",
        note: "the same numbers", grid: grid, role: .other, range: MapStats.maxAbs(values[...])))
    return out
  }

  // MARK: Helpers

  /// A map of `rows×cols` values (nil: not computed yet), numbers as wide as `widthFrom`'s.
  static func map(
    _ model: Model, rows: Int, cols: Int, values: [Float?], widthFrom: ArraySlice<Float>
  ) -> HeatGridModel {
    var grid = HeatGridModel(rows: rows, cols: cols, values: values, range: 1)
    grid.numberWidth = HeatGridLayout.numberWidth(
      of: widthFrom, unicode: model.capabilities.unicode)
    return grid
  }

  /// The flat range of map `[n, ch]` of a rank-4 tensor.
  static func plane(_ t: Tensor, _ n: Int, _ ch: Int) -> Range<Int> {
    let size = t.shape[2] * t.shape[3]
    let base = (n * t.shape[1] + ch) * size
    return base..<(base + size)
  }

  /// The output cells a stamp's taps land on, as a region with the dilation as its step (nil
  /// when every tap falls on the cropped padding).
  static func footprint(_ taps: [StampTap], dilation: Size2) -> GridRegion? {
    guard let first = taps.first, let last = taps.last else { return nil }
    return GridRegion(
      row: first.outputRow, col: first.outputColumn,
      rows: (last.outputRow - first.outputRow) / dilation.h + 1,
      cols: (last.outputColumn - first.outputColumn) / dilation.w + 1,
      rowStep: dilation.h, colStep: dilation.w)
  }

  /// The kernel `w[c, f mod F/G]` of `weights` as a kernel panel.
  static func kernel(
    _ model: Model, _ d: TransposedDims, _ weights: Tensor, c: Int, f: Int, title: String,
    note: String,
    tap: GridCell? = nil
  ) -> GridPanel {
    let base = d.weightIndex(input: c, output: f, row: 0, column: 0)
    let slice = weights.data[base..<(base + d.kh * d.kw)]
    var grid = map(
      model, rows: d.kh, cols: d.kw, values: slice.map { Optional($0) }, widthFrom: slice)
    grid.tap = tap
    return GridPanel(
      title: title, note: note, grid: grid, role: .kernel, range: MapStats.maxAbs(slice),
      group: title)
  }

  /// `name[n,c,:,:]`.
  static func index(_ name: String, _ a: Int, _ b: Int) -> String {
    ValueFormat.index(name, a, b, nil, nil)
  }

  /// `w[c,f′]` with the kernel's own index in `w` (`f mod F/G`).
  static func kernelName(_ d: TransposedDims, _ c: Int, _ f: Int) -> String {
    index("w", c, f % d.groupOutputs)
  }

  // MARK: Forward

  static func forward(_ model: Model, _ walk: TransposedWalk) -> [GridPanel] {
    let t = walk.trace
    let d = t.dims
    let (c, i, j) = walk.cell
    let n = walk.sample
    let f = walk.shownOutput
    let stamps = d.outputChannels(ofInput: c).contains(f)
    let x = t.scenario.input
    let xv = x.data[plane(x, n, c)]
    var input = map(model, rows: d.h, cols: d.w, values: xv.map { Optional($0) }, widthFrom: xv)
    input.current = walk.step >= 0 ? GridCell(row: i, col: j) : nil
    input.kind = { r, q in t.step(channel: c, row: r, column: q) <= walk.step ? .data : .unread }
    let value = xv[xv.startIndex + i * d.w + j]
    let short = { (v: Float) in NumberFormat.short(v, ascii: !model.capabilities.unicode) }
    var panels = [
      GridPanel(
        title: "Input " + index("x", n, c), words: "Input",
        note: "\(d.h)×\(d.w) · one cell a step" + groupNote(d, c), grid: input, role: .input,
        range: MapStats.maxAbs(xv))
    ]
    let w = t.scenario.weight
    panels.append(
      kernel(
        model, d, w, c: c, f: f, title: "Kernel " + kernelName(d, c, f),
        note: "× x = " + short(value)))
    var stamp = w
    for k in stamp.data.indices { stamp.data[k] *= value }
    panels.append(
      kernel(
        model, d, stamp, c: c, f: f, title: "Stamp x·" + kernelName(d, c, f), note: "added onto y"))
    let partial = t.partialOutput(sample: n, channel: f, through: walk.step)
    let final = t.y.data[plane(t.y, n, f)]
    var out = map(
      model, rows: d.oh, cols: d.ow, values: partial.map { Optional($0) }, widthFrom: final)
    if stamps, walk.step >= 0 {
      out.window = footprint(t.taps(row: i, column: j), dilation: t.scenario.spec.dilation)
    }
    panels.append(
      GridPanel(
        title: "Output " + index("y", n, f) + " so far", words: "Output",
        note: "\(d.oh)×\(d.ow) · starts at b = " + short(t.scenario.bias.data[f])
          + (stamps ? "" : " · x[\(c)] does not stamp onto it"),
        grid: out, role: .output, range: MapStats.maxAbs(final)))
    panels.append(overlaps(model, t))
    return panels
  }

  /// How many stamps of one input channel land on each output cell: the checkerboard.
  static func overlaps(_ model: Model, _ t: TransposedTrace) -> GridPanel {
    let counts = t.overlapCounts().map { Float($0) }
    let grid = map(
      model, rows: t.dims.oh, cols: t.dims.ow, values: counts.map { Optional($0) },
      widthFrom: counts[...])
    return GridPanel(
      title: "Overlaps: stamps per y cell", words: "Overlaps:",
      note: "per input channel", grid: grid, role: .other, range: counts.max() ?? 1)
  }

  /// With groups: the group of input channel `c` and the output channels it stamps onto.
  static func groupNote(_ d: TransposedDims, _ c: Int) -> String {
    guard d.groups > 1 else { return "" }
    let out = d.outputChannels(ofInput: c)
    return
      " · group \(c / d.groupInputs) of \(d.groups): y[\(out.lowerBound)…\(out.upperBound - 1)]"
  }

  // MARK: Backward

  static func backward(_ model: Model, _ walk: TransposedWalk) -> [GridPanel] {
    let t = walk.trace
    let d = t.dims
    let (c, i, j) = walk.cell
    let n = walk.sample
    let f = walk.shownOutput
    let dyv = t.dy.data[plane(t.dy, n, f)]
    var dy = map(model, rows: d.oh, cols: d.ow, values: dyv.map { Optional($0) }, widthFrom: dyv)
    if walk.step >= 0 {
      dy.window = footprint(t.taps(row: i, column: j), dilation: t.scenario.spec.dilation)
    }
    let dxv = t.gradients.dx.data[plane(t.gradients.dx, n, c)]
    let dxDone: [Float?] = dxv.indices.map { k in
      let r = (k - dxv.startIndex) / d.w
      let q = (k - dxv.startIndex) % d.w
      return t.step(channel: c, row: r, column: q) <= walk.step ? dxv[k] : nil
    }
    var dx = map(model, rows: d.h, cols: d.w, values: dxDone, widthFrom: dxv)
    dx.current = walk.step >= 0 ? GridCell(row: i, col: j) : nil
    var dwSoFar = t.scenario.weight
    let partial = t.partialKernelGradient(sample: n, input: c, output: f, through: walk.step)
    let base = d.weightIndex(input: c, output: f, row: 0, column: 0)
    dwSoFar.data.replaceSubrange(base..<(base + partial.count), with: partial)
    return [
      GridPanel(
        title: "Gradient " + index("dy", n, f), words: "Gradient",
        note: "\(d.oh)×\(d.ow) · the stamp's cells gathered", grid: dy, role: .input,
        range: MapStats.maxAbs(dyv)),
      kernel(
        model, d, t.scenario.weight, c: c, f: f, title: "Kernel " + kernelName(d, c, f),
        note: "dx = Σ w·dy"),
      kernel(
        model, d, dwSoFar, c: c, f: f, title: "d" + kernelName(d, c, f) + " so far",
        note: "+= x·dy" + (n > 0 ? " (samples 0…\(n - 1) in)" : "")),
      GridPanel(
        title: "Input gradient " + index("dx", n, c), words: "Input gradient",
        note: "\(d.h)×\(d.w) · one cell a step", grid: dx, role: .output,
        range: MapStats.maxAbs(dxv)),
    ]
  }

  // MARK: Update

  static func update(_ model: Model, _ walk: TransposedWalk) -> [GridPanel] {
    let t = walk.trace
    let d = t.dims
    if walk.isBiasStep { return biasUpdate(model, t) }
    let c = walk.updateChannel
    let f = walk.shownOutput
    let name = kernelName(d, c, f)
    let lr = NumberFormat.short(t.scenario.learningRate, ascii: !model.capabilities.unicode)
    return [
      kernel(model, d, t.scenario.weight, c: c, f: f, title: name + " before", note: "lr = " + lr),
      kernel(
        model, d, t.gradients.dw, c: c, f: f, title: "d" + name, note: "summed over the batch"),
      kernel(model, d, t.updatedWeight, c: c, f: f, title: name + " after", note: "w − lr·dw"),
    ]
  }

  /// The bias step: `b`, `db = Σ dy` per output channel, and `b − lr·db`, as 1×F rows.
  static func biasUpdate(_ model: Model, _ t: TransposedTrace) -> [GridPanel] {
    func row(_ title: String, _ v: Tensor, _ note: String) -> GridPanel {
      let values = v.data[...]
      var grid = map(
        model, rows: 1, cols: values.count, values: values.map { Optional($0) }, widthFrom: values)
      grid.zoom = .numbers
      return GridPanel(
        title: title, note: note, grid: grid, role: .other, range: MapStats.maxAbs(values))
    }
    return [
      row("b before", t.scenario.bias, "[F]"),
      row("db = Σ dy", t.gradients.db, "over n, rows, columns"),
      row("b after", t.updatedBias, "b − lr·db"),
    ]
  }
}
