import ConvCore
import ConvStepper

// MARK: - The report of a transposed layer

extension CheckReport {
  /// The exit status for a transposed comparison: 0 when everything agrees, 1 when something
  /// differs.
  public static func exitStatus(_ comparison: TransposedComparison) -> Int32 {
    comparison.allMatch ? 0 : 1
  }

  /// The axes of a transposed layer's tensor in `layout`: `dw` is `[C, F/G, KH, KW]`.
  static func transposedAxes(_ t: CheckedTensor, in layout: DataLayout) -> String {
    switch (t, layout) {
    case (.dw, .nchw): return "[C, F/G, KH, KW]"
    case (.dw, .nhwc): return "[C, KH, KW, F/G]"
    default: return t.axes(in: layout)
    }
  }

  /// The whole report of a transposed layer as text: the same sections as a conv2d's, the
  /// first differing cell with the products that land on it (a transposed layer has no
  /// window).
  public static func text(
    _ comparison: TransposedComparison, _ report: DiagnosisReport, setup: LayerSetup? = nil
  ) -> String {
    var lines: [String] = []
    lines.append("convscope check: " + comparison.layer.line)
    lines += setup?.lines ?? []
    lines.append("tolerance: " + comparison.tolerance.summary)
    lines += comparison.user.notes.map { "note: " + $0 }
    lines.append("")
    for r in comparison.results { lines += comparisonLines(r, comparison) }
    lines.append("")
    if comparison.allMatch {
      lines.append("Your numbers are right.")
    } else if report.diagnoses.isEmpty {
      lines.append("No known mistake of transposed convolutions reproduces your numbers.")
    } else {
      let n = report.diagnoses.count
      lines.append(
        n == 1
          ? "Diagnosis: one known mistake reproduces your numbers."
          : "Diagnosis: \(n) known mistakes reproduce your numbers (best first).")
    }
    for (k, d) in report.diagnoses.enumerated() {
      lines.append("")
      lines += diagnosisLines(d, number: k + 1)
    }
    for group in report.indistinguishableGroups {
      lines.append("")
      lines += TextWrap.wrap(
        group.map(\.id).joined(separator: ", ")
          + " give the same numbers on this data, so it cannot tell them apart. "
          + separatingAdvice(group, given: comparison.user.given), indent: "  ", first: "Note: ")
    }
    if !report.unexplained.isEmpty && !report.diagnoses.isEmpty {
      lines.append("")
      lines.append(
        "No known mistake reproduces your "
          + report.unexplained.map(\.rawValue).joined(separator: ", ") + ".")
    }
    for tensor in report.unexplained {
      guard let p = comparison.differencePattern(tensor) else { continue }
      lines.append("")
      lines += TextWrap.wrap(p.text, indent: "  ", first: "Pattern: ")
    }
    if !report.blindSpots.isEmpty {
      lines.append("")
      lines += TextWrap.wrap(
        "this data gives the correct numbers even with these mistakes, so the check cannot rule "
          + "them out: "
          + report.blindSpots.map { "\($0.id) (shows with \($0.separatingHint))" }
          .joined(separator: "; ") + ".", indent: "  ", first: "Blind spots: ")
    }
    lines.append("")
    lines.append(
      comparison.allMatch
        ? "Result: everything agrees (exit status 0)."
        : "Result: " + comparison.mismatching.map(\.rawValue).joined(separator: ", ")
          + " differ\(comparison.mismatching.count == 1 ? "s" : "") (exit status 1).")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The lines of one tensor's comparison in a transposed layer.
  static func comparisonLines(_ r: TensorComparison, _ comparison: TransposedComparison)
    -> [String]
  {
    let name = r.tensor.rawValue.padding(toLength: 3, withPad: " ", startingAt: 0)
    let source = comparison.user.sources[r.tensor].map { " (\($0))" } ?? ""
    let layout = comparison.user.layout
    guard r.shapeMatches else {
      return [
        "\(name) DIFFERS\(source): shape \(ConvError.format(r.userShape)), but the layer's "
          + "\(r.tensor) is \(ConvError.format(r.expectedUserShape)) "
          + transposedAxes(r.tensor, in: layout)
      ]
    }
    let shape = ConvError.format(r.userShape)
    guard !r.matches else {
      return [
        "\(name) agrees\(source): shape \(shape), all \(r.cellCount) cells within tolerance"
          + (r.exact ? " (bit for bit)" : ", max abs error \(TextWrap.number(r.maxAbsoluteError))")
      ]
    }
    var lines = [
      "\(name) DIFFERS\(source): shape \(shape) ok, \(r.mismatchCount) of \(r.cellCount) cells "
        + "differ, max abs error \(TextWrap.number(r.maxAbsoluteError)), max rel error "
        + TextWrap.number(r.maxRelativeError)
        + (r.userNaNCount > 0 ? ", \(r.userNaNCount) NaN in yours" : "")
    ]
    if let first = r.firstMismatch, let cell = comparison.cell(r.tensor, flat: first) {
      lines.append("    first differing cell: " + cell.text(digits: 7))
      if let formula = comparison.correctFormula(r.tensor, flat: first) {
        lines += TextWrap.wrap("correct: " + formula, indent: "      ", first: "    ")
      }
      if r.tensor == .y {
        lines.append(
          "    (a transposed layer has no window: these are the input cells and taps that land "
            + "on the cell)")
      }
    }
    return lines
  }

  /// The report of a transposed layer as one JSON object: the keys of
  /// ``json(_:_:setup:)``'s (a pattern's `windows` empty: no viewer windows), its `layer` with `transposed: true` and
  /// `output_padding`, `filters` the output channels F.
  public static func json(
    _ comparison: TransposedComparison, _ report: DiagnosisReport, setup: LayerSetup? = nil
  ) -> String {
    let tensors = comparison.results.map { r -> TensorJSON in
      var first: CellJSON?
      if let k = r.firstMismatch, let cell = comparison.cell(r.tensor, flat: k) {
        first = CellJSON(
          index: cell.index, flat: k, yours: finite(Double(cell.user)),
          correct: finite(Double(cell.correct)),
          formula: comparison.correctFormula(r.tensor, flat: k))
      }
      return TensorJSON(
        name: r.tensor.rawValue, file: comparison.user.sources[r.tensor], shape: r.userShape,
        expectedShape: r.expectedUserShape, shapeOk: r.shapeMatches, cells: r.cellCount,
        mismatches: r.mismatchCount, maxAbsError: finite(r.maxAbsoluteError),
        maxRelError: finite(r.maxRelativeError), exact: r.exact, nanInYours: r.userNaNCount,
        firstMismatch: first)
    }
    let t = comparison.tolerance
    return encode(
      ReportJSON(
        layer: LayerJSON(transposed: comparison.layer), layout: comparison.user.layout.rawValue,
        tolerance: ToleranceJSON(rtol: t.rtol, atol: t.atol, float32Allowance: t.float32Allowance),
        match: comparison.allMatch, tensors: tensors,
        diagnoses: report.diagnoses.map(diagnosisJSON),
        unexplained: report.unexplained.map(\.rawValue),
        patterns: report.unexplained.compactMap { comparison.differencePattern($0) }.map(
          PatternJSON.init),
        blindSpots: report.blindSpots.map {
          BlindSpotJSON(id: $0.id, title: $0.title, separatingHint: $0.separatingHint)
        }, error: nil, notes: comparison.user.notes, setup: setup))
  }
}

extension CheckReport.LayerJSON {
  /// A transposed layer's parameters.
  init(transposed layer: TransposedLayer) {
    let s = layer.spec
    batch = layer.x.shape[0]
    inChannels = layer.x.shape[1]
    input = [layer.x.shape[2], layer.x.shape[3]]
    filters = layer.outputShape[1]
    kernel = [layer.w.shape[2], layer.w.shape[3]]
    stride = [s.stride.h, s.stride.w]
    padding = [s.padding.h, s.padding.w]
    dilation = [s.dilation.h, s.dilation.w]
    groups = s.groups == 1 ? nil : s.groups
    paddingMode = nil
    output = [layer.outputShape[2], layer.outputShape[3]]
    transposed = true
    outputPadding = [s.outputPadding.h, s.outputPadding.w]
  }
}
