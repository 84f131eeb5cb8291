import ConvCore

// MARK: - The report for a layer with no output

extension CheckReport {
  /// The text report when no window fits (so there is nothing correct to compare with) but the
  /// user's code returned an output that a known mistake explains.
  public static func noWindowText(error: ConvError, userShape: [Int], diagnosis: Diagnosis)
    -> String
  {
    var lines = TextWrap.wrap(
      "the layer has no output: \(error.description).", indent: "  ",
      first: "convscope check: ")
    lines.append("Your y has shape \(ConvError.format(userShape)), where the layer should refuse.")
    lines.append("")
    lines.append("Diagnosis: one known mistake explains it.")
    lines.append("")
    lines += diagnosisLines(diagnosis, number: 1)
    lines.append("")
    lines.append("Result: y differs: an output where there is none (exit status 1).")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The same as JSON, with the keys of ``json(_:_:)`` (`layer` null, `error` the reason).
  public static func noWindowJSON(
    error: ConvError, userShape: [Int], diagnosis: Diagnosis, tolerance: Tolerance,
    layout: DataLayout
  ) -> String {
    encode(
      ReportJSON(
        layer: nil, layout: layout.rawValue,
        tolerance: ToleranceJSON(
          rtol: tolerance.rtol, atol: tolerance.atol,
          float32Allowance: tolerance.float32Allowance),
        match: false,
        tensors: [
          TensorJSON(
            name: "y", file: nil, shape: userShape, expectedShape: [], shapeOk: false, cells: 0,
            mismatches: 0, maxAbsError: nil, maxRelError: nil, exact: false, nanInYours: 0,
            firstMismatch: nil)
        ],
        diagnoses: [diagnosisJSON(diagnosis)], unexplained: [], patterns: [], blindSpots: [],
        error: error.description))
  }
}
