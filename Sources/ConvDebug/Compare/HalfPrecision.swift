import ConvCore

// MARK: - Float16 rounding

extension Comparison {
  /// For a tensor the user stored as float16 that differs: a sentence saying so when every
  /// difference is within float16's rounding of the correct value (half a float16 step, 2⁻¹¹
  /// relative; 2⁻²⁵ absolute below float16's normal range), with the tolerance that would accept
  /// it; nil otherwise.
  public func float16Advice(_ name: CheckedTensor) -> String? {
    guard user.storedTypes[name] == "float16", let r = self[name], r.shapeMatches,
      let theirs = r.user, !r.mismatches.isEmpty
    else { return nil }
    var needsAtol = false
    for k in r.mismatches {
      let u = Double(theirs.data[k])
      let c = Double(r.correct.data[k])
      guard u.isFinite, c.isFinite else { return nil }
      let difference = abs(u - c)
      // A little over half a step: the correct value is itself a float32 rounding.
      guard difference <= (0x1p-11 * abs(c) + 0x1p-25) * 1.001 else { return nil }
      if difference > tolerance.atol + 1e-3 * abs(c) { needsAtol = true }
    }
    let widen = needsAtol ? "--rtol to 1e-3 and --atol to 1e-7" : "--rtol to 1e-3"
    return "your \(name) is float16: every difference is within float16 rounding of the correct "
      + "values (≤ 2^-11 relative); compare in float32, or widen \(widen)"
  }
}
