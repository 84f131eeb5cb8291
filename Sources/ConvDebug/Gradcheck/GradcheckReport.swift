import ConvCore
import Foundation

// MARK: - The gradient check as text

extension GradcheckResult {
  /// The report `convscope gradcheck` prints: the verdict per tensor and the map of one plane.
  public func text(
    map name: CheckedTensor = .dx, plane: (Int, Int) = (0, 0), style: ErrorMap.Style = .shades,
    ascii: Bool = false
  ) -> String {
    var lines = [
      "convscope gradcheck: " + CheckReport.layerLine(geometry),
      "central differences in Double of L = Σ dy·y (ε = \(report.epsilon)), analytic gradients "
        + "from the step engine; a cell passes below relative error \(TextWrap.number(threshold))",
      "",
    ]
    for t in report.tensors {
      let ok = t.maxRelativeError < threshold
      var line =
        "  \(t.name): max relative error \(TextWrap.number(t.maxRelativeError)) over "
        + "\(t.checked) of \(t.total) cells  \(ok ? "ok" : "FAILS")"
      if !ok, t.worstIndex >= 0 {
        let shape =
          t.name == "dx" ? geometry.inputShape : t.name == "dw" ? geometry.weightShape : [t.total]
        let index = TensorComparison.unflatten(t.worstIndex, shape: shape)
        line += " (worst: \(t.name)[" + index.map(String.init).joined(separator: ",") + "])"
      }
      lines.append(line)
    }
    lines.append("")
    if let map = map(name, plane: plane) {
      lines += map.lines(style: style, threshold: threshold, ascii: ascii)
      lines.append("")
    }
    lines.append(
      passed
        ? "Result: the backward pass agrees with finite differences (exit status 0)."
        : "Result: the backward pass does NOT agree with finite differences (exit status 1).")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The result as JSON: `passed`, `threshold`, `epsilon`, and per tensor `name`,
  /// `max_relative_error`, `max_absolute_error`, `checked`, `total`, `worst_index` and the flat
  /// `relative_errors` (null for cells not checked).
  public func json() -> String {
    struct TensorJSON: Encodable {
      var name: String
      var maxRelativeError: Double?
      var maxAbsoluteError: Double?
      var checked: Int
      var total: Int
      var worstIndex: Int
      var relativeErrors: [Double?]
    }
    struct ResultJSON: Encodable {
      var passed: Bool
      var threshold: Double
      var epsilon: Double
      var tensors: [TensorJSON]
    }
    let value = ResultJSON(
      passed: passed, threshold: threshold, epsilon: report.epsilon,
      tensors: report.tensors.map {
        TensorJSON(
          name: $0.name, maxRelativeError: CheckReport.finite($0.maxRelativeError),
          maxAbsoluteError: CheckReport.finite($0.maxAbsoluteError), checked: $0.checked,
          total: $0.total, worstIndex: $0.worstIndex,
          relativeErrors: $0.relativeErrors.map { $0.flatMap(CheckReport.finite) })
      })
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys]
    guard let data = try? encoder.encode(value) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
