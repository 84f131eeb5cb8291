// MARK: - ValueFormat

/// Indices in a symbolic formula. (Numbers go through `NumberFormat.short` in NumberText.)
public enum ValueFormat {
  /// Subscript digits for a symbolic formula: `12` → `₁₂`.
  public static func subscripted(_ n: Int) -> String {
    let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
    let s = String(abs(n))
    return (n < 0 ? "₋" : "") + String(s.compactMap { $0.wholeNumberValue.map { digits[$0] } })
  }
}
