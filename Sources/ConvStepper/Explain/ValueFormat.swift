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

// MARK: - Tensor indices

extension ValueFormat {
  /// A tensor's index with every axis written, counted from 0 as in NumPy and PyTorch: `:` for an
  /// axis taken whole. `index("y", 0, 1, nil, nil)` is `y[0,1,:,:]`, the map of sample 0 and
  /// filter 1; `index("y", 0, 1, 2, 3)` is one of its cells.
  public static func index(_ name: String, _ axes: Int?...) -> String {
    name + "[" + axes.map { $0.map(String.init) ?? ":" }.joined(separator: ",") + "]"
  }

  /// An inclusive range of indices, written one way everywhere: `−1…1` (`2` when it is one
  /// index). Negative numbers take the minus sign (ASCII terminals show `-`).
  public static func range(_ low: Int, _ high: Int) -> String {
    let text = { (n: Int) in n < 0 ? "−\(-n)" : "\(n)" }
    return low == high ? text(low) : "\(text(low))…\(text(high))"
  }
}
