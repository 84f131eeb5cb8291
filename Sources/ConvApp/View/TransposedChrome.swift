import ConvCore
import ConvStepper
import NumberText
import TermUI

// MARK: - TransposedChrome

/// The title, formula, status and notes of a transposed convolution's walk: the layer's own
/// parameters in every view, the stamp view's arithmetic and position, and what each view is.
enum TransposedChrome {
  /// The title bar's right side: `convT C2→F3 · k 3×3 · stride 2 · pad 1 · out_pad 1 · …`.
  static func titleParts(_ walk: TransposedWalk) -> [String] {
    let s = walk.trace.scenario.spec
    let d = walk.trace.dims
    var parts = [
      "convT C\(d.c)→F\(d.f)", "k \(d.kh)×\(d.kw)", "stride \(s.stride)", "pad \(s.padding)",
    ]
    if s.outputPadding != Size2(0) { parts.append("out_pad \(s.outputPadding)") }
    if s.dilation != Size2(1) { parts.append("dil \(s.dilation)") }
    if s.groups != 1 { parts.insert(s.groups == d.c ? "depthwise" : "groups \(s.groups)", at: 1) }
    parts.append(viewName(walk.view))
    return parts
  }

  /// The view's short name, for the title bar.
  static func viewName(_ view: TransposedView) -> String {
    switch view {
    case .stamps: return "view: stamps (t)"
    case .zeroInsertion: return "view: zero insertion (t)"
    case .adjoint: return "view: its conv2d (t)"
    }
  }

  // MARK: Formula

  /// The stamp view's arithmetic for the current step.
  static func formulaBlocks(_ m: Model, _ walk: TransposedWalk, theme: Theme) -> [Chrome
    .FormulaBlock]
  {
    guard walk.step >= 0 else { return [] }
    let ascii = !m.capabilities.unicode
    let short = { (v: Float) in NumberFormat.short(v, ascii: ascii) }
    let paren = { (v: Float) in v < 0 ? "(" + short(v) + ")" : short(v) }
    let t = walk.trace
    let (c, i, j) = walk.cell
    let n = walk.sample
    let f = walk.shownOutput
    func text(_ s: String) -> String { ascii ? TextFit.ascii(s) : s }
    switch walk.phase {
    case .forward:
      let v = t.scenario.input.data[((n * t.dims.c + c) * t.dims.h + i) * t.dims.w + j]
      let taps = t.taps(row: i, column: j)
      let s = t.scenario.spec
      let lhs =
        "y[\(n),\(f),\(i)·\(s.stride.h)−\(s.padding.h)+p·\(s.dilation.h), "
        + "\(j)·\(s.stride.w)−\(s.padding.w)+q·\(s.dilation.w)] += x[\(n),\(c),\(i),\(j)]·w[\(c),\(f % t.dims.groupOutputs),p,q]"
      let terms = taps.map { tap in
        let w = t.scenario.weight.data[
          t.dims.weightIndex(input: c, output: f, row: tap.kernelRow, column: tap.kernelColumn)]
        return
          "y[\(tap.outputRow),\(tap.outputColumn)] += \(short(v))·\(paren(w)) = \(short(v * w))"
      }
      let cropped = t.dims.kh * t.dims.kw - taps.count
      return [
        .list(text: text(lhs), note: ""),
        .list(
          text: text(terms.joined(separator: ", ")),
          note: cropped > 0 ? text("  (\(cropped) taps fall on the cropped padding)") : ""),
      ]
    case .backward:
      let terms = t.gradientTerms(sample: n, channel: c, row: i, column: j)
      let dx = t.gradients.dx.data[((n * t.dims.c + c) * t.dims.h + i) * t.dims.w + j]
      let formula = Formula(
        lhs: "dx[\(n),\(c),\(i),\(j)]", symbolic: "Σ w[c,f,p,q]·dy[n,f,stamp]",
        terms: terms.map { "\(short($0.weight))·\(paren($0.gradient))" },
        total: short(dx), highlight: nil, joiner: " + ")
      return [.sum(FormulaText(formula: formula, capabilities: m.capabilities, theme: theme))]
    default:
      return updateBlocks(walk, short: short, text: text)
    }
  }

  /// The update step's line.
  static func updateBlocks(
    _ walk: TransposedWalk, short: (Float) -> String, text: (String) -> String
  ) -> [Chrome.FormulaBlock] {
    let lr = short(walk.trace.scenario.learningRate)
    if walk.isBiasStep {
      return [.list(text: text("b ← b − \(lr)·db, db[f] = Σ dy[:,f,:,:]"), note: "")]
    }
    let c = walk.updateChannel
    return [
      .list(
        text: text("w[\(c),:,:,:] ← w[\(c),:,:,:] − \(lr)·dw[\(c),:,:,:]"),
        note: text("  (input channel \(c)'s kernels, one per output channel of its group)"))
    ]
  }

  // MARK: Status

  /// The stamp view's status segments: phase, sample, channels, step.
  static func statusSegments(_ m: Model, _ walk: TransposedWalk, theme: Theme) -> [StatusSegment] {
    let d = walk.trace.dims
    var left = [StatusSegment(" \(walk.phase)", style: theme.statusKey, priority: 12)]
    if d.n > 1, walk.phase != .update {
      left.append(
        StatusSegment(
          "sample \(walk.sample) of \(d.n)", priority: 6, shorter: ["n \(walk.sample) of \(d.n)"]))
    }
    let unit = walk.phase == .update ? (walk.isBiasStep ? "bias" : "kernels") : "input cell"
    let step = "\(walk.step + 1)/\(walk.stepCount)"
    left.append(StatusSegment("step " + step, priority: 11, shorter: [step]))
    left.append(
      StatusSegment(
        "y channel \(walk.shownOutput) of \(d.f)", priority: 8,
        shorter: ["f \(walk.shownOutput)"]))
    left.append(StatusSegment(unit, priority: 5))
    left.append(
      m.playing
        ? StatusSegment("\(m.capabilities.symbols.play) playing", priority: 6)
        : StatusSegment("paused", priority: 6))
    return left
  }

  /// The stamp view's status bar.
  static func status(
    _ m: Model, _ walk: TransposedWalk, theme: Theme, into buffer: inout CellBuffer, area: Rect
  ) {
    var left = statusSegments(m, walk, theme: theme)
    if m.recording {
      left.append(
        StatusSegment("\(m.capabilities.symbols.record) REC", style: theme.error, priority: 9))
    }
    let back = Chrome.backSegment(m, theme: theme).map { [$0] } ?? []
    var bar = StatusBar(
      left: left, right: back + [StatusSegment("? help ", priority: 10)],
      capabilities: m.capabilities, theme: theme)
    if !m.capabilities.unicode { bar.left = bar.left.map { $0.mapText(TextFit.ascii) } }
    bar.render(into: &buffer, area: area)
  }

  /// `OH = (H − 1)·s − 2·p + d·(K − 1) + output_padding + 1 = …`.
  static func outputSize(_ walk: TransposedWalk) -> String {
    let s = walk.trace.scenario.spec
    let d = walk.trace.dims
    func one(_ n: Int, _ st: Int, _ p: Int, _ dil: Int, _ k: Int, _ op: Int, _ o: Int) -> String {
      "(\(n) − 1)·\(st) − 2·\(p) + \(dil)·(\(k) − 1) + \(op) + 1 = \(o)"
    }
    return "Output size: OH = "
      + one(d.h, s.stride.h, s.padding.h, s.dilation.h, d.kh, s.outputPadding.h, d.oh)
      + ", OW = " + one(d.w, s.stride.w, s.padding.w, s.dilation.w, d.kw, s.outputPadding.w, d.ow)
      + " ((H − 1)·stride − 2·padding + dilation·(K − 1) + output_padding + 1)."
  }

  // MARK: Notes

  /// The notes of every view: what the view is, and how it relates to the others.
  static func notes(_ m: Model, _ walk: TransposedWalk) -> [String] {
    let s = walk.trace.scenario
    var out: [String] = []
    if !s.text.isEmpty { out.append(s.text) }
    out.append(outputSize(walk))
    switch walk.view {
    case .stamps:
      out += groupNotes(walk.trace.dims) + stampNotes(walk)
    case .zeroInsertion:
      let z = try? ZeroInsertion(spec: s.spec, x: s.input.shape, w: s.weight.shape)
      let lead = z.map { "\($0.lead.h)×\($0.lead.w)" } ?? "?"
      out.append(
        "The same y as a plain conv2d: \(s.spec.stride.h - 1)×\(s.spec.stride.w - 1) zeros "
          + "inserted between x's cells (stride − 1), d·(K − 1) − p = \(lead) of zero padding "
          + "around (plus output_padding at the bottom and right), stride 1, and each kernel "
          + "flipped 180° with its channel axes swapped. Its inserted zeros are the padding-"
          + "coloured cells inside the input.")
    case .adjoint:
      out.append(
        "This conv2d has the same w, stride, padding, dilation and groups, read as [F, C/G, KH, "
          + "KW] with F = \(walk.trace.dims.c) filters. Its input is the transposed layer's dy and its "
          + "output gradient is the transposed layer's x: its backward dx is the transposed "
          + "layer's y − b (here, step by step), its forward output is the transposed dx, and its "
          + "dw is the transposed dw. A transposed convolution is conv2d's backward pass.")
    }
    return out
  }

  /// With groups: which output channels each group's input channels stamp onto.
  static func groupNotes(_ d: TransposedDims) -> [String] {
    guard d.groups > 1 else { return [] }
    let bands = (0..<min(d.groups, 4)).map { g in
      let c = (g * d.groupInputs)..<((g + 1) * d.groupInputs)
      let f = d.outputChannels(ofInput: c.lowerBound)
      return "x[\(ValueFormat.range(c.lowerBound, c.upperBound - 1))] → "
        + "y[\(ValueFormat.range(f.lowerBound, f.upperBound - 1))]"
    }
    return [
      "Groups (G = \(d.groups)): each input channel stamps only onto its group's output "
        + "channels: " + bands.joined(separator: ", ") + (d.groups > 4 ? ", …" : "")
        + "; w[c] holds F/G = \(d.groupOutputs) kernel\(d.groupOutputs == 1 ? "" : "s")."
    ]
  }

  /// The stamp view's notes for its phase.
  static func stampNotes(_ walk: TransposedWalk) -> [String] {
    let s = walk.trace.scenario.spec
    switch walk.phase {
    case .forward:
      var out = [
        "Each input cell x[n,c,i,j] adds x·w[c,f,:,:] onto y with its top-left at "
          + "(i·stride − padding, j·stride − padding), taps dilation apart; y starts at the bias."
      ]
      if s.stride.h > 1 || s.stride.w > 1 {
        out.append(
          "Overlaps shows how many stamps land on each y cell: with a stride that does not "
            + "divide the kernel, neighbours get different counts — the checkerboard artefact "
            + "of upsampling with transposed convolutions.")
      }
      if s.padding != Size2(0) || s.outputPadding != Size2(0) {
        out.append(
          "Padding crops \(s.padding.h)×\(s.padding.w) off y's borders (taps there are dropped); "
            + "output_padding adds \(s.outputPadding.h)×\(s.outputPadding.w) at the bottom and "
            + "right, so a stride-s conv2d and this layer can map sizes back exactly.")
      }
      return out
    case .backward:
      return [
        "dx[n,c,i,j] gathers dy under the cell's stamp: Σ w·dy — a plain conv2d of dy with the "
          + "same w. dw[c,f,p,q] adds x[n,c,i,j]·dy at each tap; db[f] sums dy[:,f]."
      ]
    default:
      return ["SGD: every kernel w[c,f,:,:] moves against its gradient, then the bias."]
    }
  }
}
