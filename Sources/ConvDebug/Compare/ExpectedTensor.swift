import ConvCore

// MARK: - ExpectedTensor

/// The values one tensor should have, in `Double`, with what the tolerance needs per cell.
struct ExpectedTensor: Sendable {
  /// The shape, in the frame given by ``frame``.
  var shape: [Int]
  /// Flat row-major values.
  var values: [Double]
  /// Per cell, the sum of the absolute values of the terms that make it.
  var magnitude: [Double]
  /// How many terms a cell sums (at most).
  var terms: Int
  /// The layout the values are in: `nil` for channels first (converted to the user's layout
  /// before comparing), or a layout that is compared as is.
  var frame: DataLayout? = nil

  /// The values rounded to `Float`.
  var tensor: Tensor { Tensor(rounding: values, shape: shape) }

  /// The same values with another shape (same count).
  func reshaped(_ newShape: [Int]) -> ExpectedTensor {
    var e = self
    e.shape = newShape
    return e
  }

  /// Every value and magnitude multiplied by `factor`.
  func scaled(_ factor: Double) -> ExpectedTensor {
    var e = self
    e.values = values.map { $0 * factor }
    e.magnitude = magnitude.map { $0 * abs(factor) }
    return e
  }

  /// The tensor as it appears in `layout` (rank-4 tensors are permuted for channels last),
  /// unless it already has a fixed ``frame``.
  func inFrame(_ layout: DataLayout) -> ExpectedTensor {
    guard frame == nil else { return self }
    guard layout == .nhwc, shape.count == 4 else { return self }
    var e = self
    e.values = ExpectedTensor.nhwc(values, shape)
    e.magnitude = ExpectedTensor.nhwc(magnitude, shape)
    e.shape = DataLayout.nhwc.shape(fromNCHW: shape)
    e.frame = layout
    return e
  }

  /// `[N, C, H, W]` values reordered as `[N, H, W, C]`.
  static func nhwc(_ v: [Double], _ s: [Int]) -> [Double] {
    let (n, c, h, w) = (s[0], s[1], s[2], s[3])
    var r = [Double](repeating: 0, count: v.count)
    for a in 0..<n {
      for b in 0..<c {
        for i in 0..<h {
          for j in 0..<w { r[((a * h + i) * w + j) * c + b] = v[((a * c + b) * h + i) * w + j] }
        }
      }
    }
    return r
  }
}

// MARK: - Cell statistics

/// How a user's values compare with expected ones, cell by cell.
struct CellStats: Sendable {
  /// Flat indices of the cells that differ beyond the tolerance, ascending.
  var mismatches: [Int] = []
  /// How many cells differ (counted even when the indices are not collected).
  var mismatchCount = 0
  /// The largest `|yours − correct|` (∞ when a NaN or infinity disagrees).
  var maxAbsoluteError = 0.0
  /// The largest `|yours − correct| / |correct|` over cells whose correct value is not 0.
  var maxRelativeError = 0.0
  /// The cell with the largest absolute error.
  var worstIndex: Int?
  /// Cells where the user has NaN and the correct value is not NaN.
  var userNaNCount = 0
  /// Whether every value is the correct one rounded to `Float`, bit for bit.
  var exact = true

  /// Compares `user` with `expected` (same count); stops at the first mismatch unless
  /// `collect` is set.
  static func compare(
    _ user: [Float], _ expected: ExpectedTensor, _ tolerance: Tolerance, collect: Bool
  ) -> CellStats {
    var s = CellStats()
    for k in user.indices {
      let u = user[k]
      let c = expected.values[k]
      if u != Float(c) && !(u.isNaN && c.isNaN) { s.exact = false }
      let ok = tolerance.accepts(
        u, correct: c, magnitude: expected.magnitude[k], terms: expected.terms)
      let diff = abs(Double(u) - c)
      let absErr = diff.isNaN ? (ok ? 0 : Double.infinity) : diff
      if absErr > s.maxAbsoluteError {
        s.maxAbsoluteError = absErr
        s.worstIndex = k
      }
      if c != 0, c.isFinite, absErr.isFinite {
        s.maxRelativeError = max(s.maxRelativeError, absErr / abs(c))
      } else if !ok {
        s.maxRelativeError = .infinity
      }
      if u.isNaN && !c.isNaN { s.userNaNCount += 1 }
      if !ok {
        s.mismatchCount += 1
        if collect { s.mismatches.append(k) } else { return s }
      }
    }
    return s
  }
}
