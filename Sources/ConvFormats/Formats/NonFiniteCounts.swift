// MARK: - NonFiniteCounts

/// How many values of a tensor are NaN or infinite.
///
/// Such values are accepted (a user debugging a layer may well have them) but reported, so the
/// status line can name them and the UI can draw them distinctly.
public struct NonFiniteCounts: Sendable, Equatable, CustomStringConvertible {
  /// The number of NaN values.
  public var nan: Int
  /// The number of +∞ values.
  public var positiveInfinity: Int
  /// The number of −∞ values.
  public var negativeInfinity: Int

  /// Counts with the given values (all zero by default).
  public init(nan: Int = 0, positiveInfinity: Int = 0, negativeInfinity: Int = 0) {
    self.nan = nan
    self.positiveInfinity = positiveInfinity
    self.negativeInfinity = negativeInfinity
  }

  /// Counts the non-finite values in `values`.
  public init(counting values: [Float]) {
    self.init()
    for v in values where !v.isFinite {
      if v.isNaN {
        nan += 1
      } else if v > 0 {
        positiveInfinity += 1
      } else {
        negativeInfinity += 1
      }
    }
  }

  /// The number of non-finite values.
  public var total: Int { nan + positiveInfinity + negativeInfinity }

  /// E.g. `2 NaN, 1 +Inf`; empty when every value is finite.
  public var description: String {
    var parts: [String] = []
    if nan > 0 { parts.append("\(nan) NaN") }
    if positiveInfinity > 0 { parts.append("\(positiveInfinity) +Inf") }
    if negativeInfinity > 0 { parts.append("\(negativeInfinity) −Inf") }
    return parts.joined(separator: ", ")
  }
}
