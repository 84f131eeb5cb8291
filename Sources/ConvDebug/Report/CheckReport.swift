import ConvCore
import ConvStepper

// MARK: - CheckReport

/// The report `convscope check` prints: per tensor, the shape, the differing cells, the largest
/// errors and the first differing cell with its correct formula; then the known mistakes that
/// reproduce the numbers, in plain words with the fix.
public enum CheckReport {
  /// The exit status for a comparison: 0 when everything agrees, 1 when something differs.
  public static func exitStatus(_ comparison: Comparison) -> Int32 {
    comparison.allMatch ? 0 : 1
  }

  /// One line describing a layer: `N=2, C=2, 6×7 input → 3 filters 3×3, stride 1, …` (groups
  /// and the padding mode when not the defaults).
  public static func layerLine(_ g: ConvGeometry) -> String {
    let c = g.config
    return "batch \(g.batch), \(c.inChannels) channel\(c.inChannels == 1 ? "" : "s") of "
      + "\(g.input.h)×\(g.input.w), \(c.filters) filter\(c.filters == 1 ? "" : "s") "
      + "\(c.kernel.h)×\(c.kernel.w), stride \(c.stride), padding \(c.padding), "
      + "dilation \(c.dilation)" + (c.groups == 1 ? "" : ", groups \(c.groups)")
      + (c.paddingMode == .zeros ? "" : ", padding_mode \(c.paddingMode.rawValue)")
      + " → output \(g.output.h)×\(g.output.w)"
  }

  /// The whole report as text.
  public static func text(
    _ comparison: Comparison, _ report: DiagnosisReport, setup: LayerSetup? = nil
  ) -> String {
    var lines: [String] = []
    lines.append("convscope check: " + layerLine(comparison.trace.geometry))
    lines += setup?.lines ?? []
    lines.append("tolerance: " + comparison.tolerance.summary)
    lines += comparison.user.notes.map { "note: " + $0 }
    lines.append("")
    for r in comparison.results {
      lines += tensorLines(r, comparison)
    }
    lines.append("")
    lines += diagnosisLines(comparison, report)
    lines.append("")
    if comparison.allMatch {
      lines.append("Result: everything agrees (exit status 0).")
    } else {
      lines.append(
        "Result: " + comparison.mismatching.map(\.rawValue).joined(separator: ", ")
          + " differ\(comparison.mismatching.count == 1 ? "s" : "") (exit status 1).")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The lines of one tensor's comparison, and the float16 advice when it applies.
  static func tensorLines(_ r: TensorComparison, _ comparison: Comparison) -> [String] {
    let advice = comparison.float16Advice(r.tensor).map {
      TextWrap.wrap($0, indent: "      ", first: "    ")
    }
    return comparisonLines(r, comparison) + (advice ?? [])
  }

  /// The lines of one tensor's comparison.
  static func comparisonLines(_ r: TensorComparison, _ comparison: Comparison) -> [String] {
    let name = r.tensor.rawValue.padding(toLength: 3, withPad: " ", startingAt: 0)
    let source = comparison.user.sources[r.tensor].map { " (\($0))" } ?? ""
    let layout = comparison.user.layout
    let grouped = comparison.trace.geometry.config.groups > 1
    guard r.shapeMatches else {
      let flat =
        r.userShape.count == 1 && r.userShape.first == r.cellCount
        ? "; a flat file? give --shape \(r.tensor)="
          + r.expectedUserShape.map(String.init).joined(separator: ",") : ""
      return [
        "\(name) DIFFERS\(source): shape \(ConvError.format(r.userShape)), but the layer's "
          + "\(r.tensor) is \(ConvError.format(r.expectedUserShape)) "
          + "\(r.tensor.axes(in: layout, grouped: grouped))\(flat)"
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
      var line = "    first differing cell: " + cell.text(digits: 7)
      if layout == .nhwc && r.expectedShape.count == 4 {
        let theirs = r.userIndex(ofFlat: first, layout: layout).map(String.init)
        line +=
          " (in your \(r.tensor.axes(in: layout, grouped: grouped)) order: \(r.tensor)["
          + theirs.joined(separator: ",") + "])"
      }
      lines.append(line)
      if let formula = comparison.correctFormula(r.tensor, flat: first) {
        lines += TextWrap.wrap("correct: " + formula, indent: "      ", first: "    ")
      }
      if r.tensor == .y {
        lines.append(
          "    (forward window \(comparison.forwardWindow(ofOutput: first) + 1) of "
            + "\(r.cellCount) in the viewer)")
      }
    }
    return lines
  }

  /// The diagnosis section.
  static func diagnosisLines(_ comparison: Comparison, _ report: DiagnosisReport) -> [String] {
    var lines: [String] = []
    if comparison.allMatch {
      lines.append("Your numbers are right.")
    } else if report.diagnoses.isEmpty {
      lines.append("No known mistake reproduces your numbers.")
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
      let ids = group.map(\.id).joined(separator: ", ")
      lines += TextWrap.wrap(
        "\(ids) give the same numbers on this data, so it cannot tell them apart. "
          + separatingAdvice(group, given: comparison.user.given),
        indent: "  ", first: "Note: ")
    }
    if !report.unexplained.isEmpty && !report.diagnoses.isEmpty {
      lines.append("")
      lines.append(
        "No known mistake reproduces your "
          + report.unexplained.map(\.rawValue).joined(separator: ", ") + ".")
    }
    lines += patternLines(comparison, report)
    if !report.blindSpots.isEmpty {
      lines.append("")
      lines += TextWrap.wrap(
        "this data gives the correct numbers even with these mistakes, so the check cannot rule "
          + "them out: "
          + report.blindSpots.map { "\($0.id) (shows with \($0.separatingHint))" }
          .joined(separator: "; ") + ".",
        indent: "  ", first: "Blind spots: ")
    }
    return lines
  }

  /// For each differing tensor no known mistake explains, where its differences lie
  /// (`Pattern: y differs in 6 of 252 cells: only filter f = 1 (of 0…2); …`).
  static func patternLines(_ comparison: Comparison, _ report: DiagnosisReport) -> [String] {
    var lines: [String] = []
    for tensor in report.unexplained {
      guard let p = comparison.differencePattern(tensor) else { continue }
      lines.append("")
      lines += TextWrap.wrap(
        p.text + (p.windowsText.map { " " + $0 } ?? ""), indent: "  ", first: "Pattern: ")
    }
    return lines
  }

  /// One diagnosis, numbered.
  static func diagnosisLines(_ d: Diagnosis, number: Int) -> [String] {
    var lines = TextWrap.wrap(d.title, indent: "   ", first: "\(number). ")
    let quality: String
    switch d.quality {
    case .exact: quality = "exactly"
    case .withinTolerance(let e):
      quality = "within tolerance (max abs difference \(TextWrap.number(e)))"
    }
    var what =
      "[\(d.id)] reproduces your \(d.explains.map(\.rawValue).joined(separator: ", ")) "
      + quality
    if let e = d.bug.erratum { what += "; docs/article-errata.md #\(e)" }
    lines += TextWrap.wrap(what, indent: "   ", first: "   ")
    if !d.contradicts.isEmpty {
      lines += TextWrap.wrap(
        "It would also change your " + d.contradicts.map(\.rawValue).joined(separator: ", ")
          + ", which it does not match: the mistake is only in the code that computes "
          + d.explains.map(\.rawValue).joined(separator: ", ") + ".",
        indent: "   ", first: "   ")
    }
    lines += TextWrap.wrap(d.bug.explanation, indent: "   ", first: "   Why: ")
    lines += TextWrap.wrap(d.bug.fix, indent: "   ", first: "   Fix: ")
    return lines
  }

  /// What would tell a group of indistinguishable mistakes apart.
  static func separatingAdvice(_ group: [Diagnosis], given: [CheckedTensor]) -> String {
    let unchecked = Set(group.flatMap(\.bug.affects)).subtracting(given)
    let differing = unchecked.filter { t in
      Set(group.map { $0.bug.affects.contains(t) }).count > 1
    }.sorted()
    if !differing.isEmpty {
      return "Checking " + differing.map(\.rawValue).joined(separator: " and ")
        + " too would tell them apart."
    }
    return "Data that would: "
      + group.map { "\($0.id): \($0.bug.separatingHint)" }.joined(separator: "; ") + "."
  }
}
