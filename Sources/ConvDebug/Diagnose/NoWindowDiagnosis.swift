import ConvCore

// MARK: - The article's int() output size

extension BugInfo {
  /// Article bug 6: the output size by int() truncation.
  public static let articleIntOutputSize = BugInfo(
    id: "article-int-output-size",
    title: "the output size is computed with int() instead of floor division: no window fits, "
      + "yet your layer returns an empty output (the article's bug 6)",
    explanation:
      "output_size = int((H − K + 2·P)/S + 1) divides in floating point and truncates toward "
      + "zero. When the filter is larger than the padded input the value lies between −1 and 1 "
      + "and int() turns it into 0: an empty output and no error, where the layer should refuse.",
    fix: "Use integer floor division, O = (H + 2*P - K) // S + 1, and raise an error when "
      + "O < 1 (the filter does not fit the padded input).",
    separatingHint: "a filter larger than the padded input", erratum: 6, affects: [.y])
}

// MARK: - NoWindowDiagnosis

/// What to say when the layer itself is impossible — no window fits — but the user's code
/// returned an output anyway.
public enum NoWindowDiagnosis {
  /// The article's output length along one axis: `int((padded − effectiveKernel)/stride + 1)`,
  /// computed in floating point and truncated toward zero (Python's `int()`).
  public static func truncatedOutputLength(paddedInput: Int, effectiveKernel: Int, stride: Int)
    -> Int
  {
    Int(Double(paddedInput - effectiveKernel) / Double(max(1, stride)) + 1)
  }

  /// For a layer whose kernel does not fit (`error` is ``ConvError/kernelDoesNotFit(axis:effectiveKernel:paddedInput:)``),
  /// the article's int() mistake when the user's `y` is empty and int() gives 0 along that
  /// axis; nil otherwise.
  public static func diagnose(_ error: ConvError, stride: Size2, userY: Tensor?) -> Diagnosis? {
    guard case .kernelDoesNotFit(let axis, let effective, let padded) = error,
      let userY, userY.count == 0
    else { return nil }
    let s = axis == "height" ? stride.h : stride.w
    guard truncatedOutputLength(paddedInput: padded, effectiveKernel: effective, stride: s) == 0
    else { return nil }
    let value = Double(padded - effective) / Double(max(1, s)) + 1
    let shown = (value * 1000).rounded() / 1000
    return Diagnosis(
      bug: .articleIntOutputSize,
      detail: "along the \(axis): int((\(padded) − \(effective))/\(s) + 1) = int(\(shown)) = 0",
      quality: .exact, explains: [.y], contradicts: [], indistinguishableFrom: [])
  }
}
