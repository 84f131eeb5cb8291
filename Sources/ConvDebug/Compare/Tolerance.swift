import ConvCore

// MARK: - Tolerance

/// When a user's value counts as equal to the correct one.
///
/// The rule is numpy.allclose's, `|yours − correct| ≤ atol + rtol·|correct|` (defaults
/// `rtol = 1e-5`, `atol = 1e-8`), plus — unless ``float32Allowance`` is off — the rounding that
/// a correct float32 computation may make in *any* summation order:
/// `(n + 1) · 2⁻²⁴ · Σ|terms|`, where `n` is the number of terms summed for that cell and
/// `Σ|terms|` the sum of their absolute values (for `y[n,f,i,j]`: `|b[f]| + Σ|w·x|`). That is the
/// classic worst-case bound of recursive float32 summation, so a correct float32 layer (NumPy
/// float32, PyTorch on CPU or GPU, convscope's own fast path) never fails, however much its sums
/// cancel, while a mistake — which changes a cell by about the size of its terms — still shows.
/// The correct values themselves are computed in `Double` from the float32 inputs.
///
/// Non-finite values: a NaN agrees only with a NaN where the correct value is NaN too (which
/// happens only when the inputs hold NaN or infinities); an infinity only with the same infinity.
public struct Tolerance: Sendable, Equatable {
  /// The unit roundoff of float32, `2⁻²⁴`.
  public static let float32UnitRoundoff = 0x1p-24

  /// Relative tolerance.
  public var rtol: Double
  /// Absolute tolerance.
  public var atol: Double
  /// Whether the float32 rounding allowance is added (off: plain numpy.allclose).
  public var float32Allowance: Bool

  /// A tolerance; the defaults are numpy.allclose's plus the float32 allowance.
  public init(rtol: Double = 1e-5, atol: Double = 1e-8, float32Allowance: Bool = true) {
    self.rtol = rtol
    self.atol = atol
    self.float32Allowance = float32Allowance
  }

  /// Throws a one-line error unless `rtol` and `atol` are finite and ≥ 0.
  public func validate() throws {
    for (name, v) in [("rtol", rtol), ("atol", atol)] where !(v.isFinite && v >= 0) {
      throw ConvError.invalidParameter(name: name, value: "\(v)", requirement: "finite, ≥ 0")
    }
  }

  /// The largest difference accepted for a cell whose correct value is `correct`, made of
  /// `terms` terms whose absolute values sum to `magnitude`.
  public func bound(correct: Double, magnitude: Double, terms: Int) -> Double {
    let allowance =
      float32Allowance ? Double(terms + 1) * Tolerance.float32UnitRoundoff * magnitude : 0
    return atol + rtol * abs(correct) + allowance
  }

  /// Whether `user` agrees with `correct` (see the type's rules for NaN and infinities).
  public func accepts(_ user: Float, correct: Double, magnitude: Double, terms: Int) -> Bool {
    if correct.isNaN { return user.isNaN }
    if user.isNaN { return false }
    if correct.isInfinite || user.isInfinite { return Double(user) == correct }
    return abs(Double(user) - correct)
      <= bound(correct: correct, magnitude: magnitude, terms: terms)
  }

  /// One line describing the rule, e.g. for a report header.
  public var summary: String {
    let base = "|yours − correct| ≤ atol + rtol·|correct| (rtol \(rtol), atol \(atol))"
    return float32Allowance
      ? base + " + float32 rounding allowance (n+1)·2⁻²⁴·Σ|terms|"
      : base + ", no float32 allowance"
  }
}
