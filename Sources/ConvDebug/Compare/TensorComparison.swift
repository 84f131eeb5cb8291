import ConvCore

// MARK: - TensorComparison

/// How one of the user's tensors compares with the correct one.
///
/// Indices are flat row-major positions in the **channels-first** tensor (whatever the user's
/// layout), so a mismatching `y` cell's index is also its global forward window (see
/// ``Comparison/mismatchWindows(in:)``).
public struct TensorComparison: Sendable {
  /// Which tensor.
  public let tensor: CheckedTensor
  /// The correct channels-first shape.
  public let expectedShape: [Int]
  /// The shape the correct tensor has in the user's layout (what their file should hold).
  public let expectedUserShape: [Int]
  /// The shape of the user's tensor as read.
  public let userShape: [Int]
  /// Whether the shapes agree (up to axes of size 1).
  public let shapeMatches: Bool
  /// The correct values (channels first, `Float`).
  public let correct: Tensor
  /// The user's values as channels first, when the shape matches.
  public let user: Tensor?
  /// Per cell (channels first): whether the user's value differs beyond the tolerance. Empty
  /// when the shape does not match.
  public let mask: [Bool]
  /// The flat indices of the differing cells, ascending (empty when the shape does not match).
  public let mismatches: [Int]
  /// The largest absolute error (0 when the shape does not match).
  public let maxAbsoluteError: Double
  /// The largest relative error over cells whose correct value is not 0 (∞ when a cell whose
  /// correct value is 0, or a NaN, disagrees).
  public let maxRelativeError: Double
  /// The cell with the largest absolute error, if any differs at all.
  public let worstIndex: Int?
  /// Cells where the user has NaN and the correct value is a number.
  public let userNaNCount: Int
  /// Whether every value equals the correct one rounded to `Float`, bit for bit.
  public let exact: Bool

  /// The number of cells of the correct tensor.
  public var cellCount: Int { correct.count }
  /// The number of differing cells (every cell when the shape does not match).
  public var mismatchCount: Int { shapeMatches ? mismatches.count : cellCount }
  /// The first differing cell in row-major order.
  public var firstMismatch: Int? { mismatches.first }
  /// Whether the user's tensor agrees: right shape, no differing cell.
  public var matches: Bool { shapeMatches && mismatches.isEmpty }

  /// The channels-first multi-index of flat index `flat`.
  public func index(ofFlat flat: Int) -> [Int] {
    TensorComparison.unflatten(flat, shape: expectedShape)
  }

  /// The multi-index of channels-first flat index `flat` in the user's layout (for `nhwc`,
  /// `[n, h, w, c]`-ordered for rank-4 tensors).
  public func userIndex(ofFlat flat: Int, layout: DataLayout) -> [Int] {
    let i = index(ofFlat: flat)
    guard layout == .nhwc, i.count == 4 else { return i }
    return [i[0], i[2], i[3], i[1]]
  }

  /// `name[i, j, …]` for flat index `flat`, e.g. `y[0,2,1,3]`.
  public func label(ofFlat flat: Int) -> String {
    "\(tensor)[" + index(ofFlat: flat).map(String.init).joined(separator: ",") + "]"
  }

  /// The row-major multi-index of `flat` in `shape`.
  static func unflatten(_ flat: Int, shape: [Int]) -> [Int] {
    var r = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for k in stride(from: shape.count - 1, through: 0, by: -1) where shape[k] > 0 {
      r[k] = rest % shape[k]
      rest /= shape[k]
    }
    return r
  }

  /// Compares the user's tensor with `expected` (channels first).
  init(
    _ name: CheckedTensor, user: UserTensors, userTensor: Tensor, expected: ExpectedTensor,
    tolerance: Tolerance
  ) {
    tensor = name
    expectedShape = expected.shape
    expectedUserShape = user.layout.shape(fromNCHW: expected.shape)
    userShape = userTensor.shape
    correct = expected.tensor
    let shaped = user.channelsFirst(name, expected: expected.shape)
    self.user = shaped
    shapeMatches = shaped != nil
    if let shaped {
      let s = CellStats.compare(shaped.data, expected, tolerance, collect: true)
      var mask = [Bool](repeating: false, count: shaped.count)
      for k in s.mismatches { mask[k] = true }
      self.mask = mask
      mismatches = s.mismatches
      maxAbsoluteError = s.maxAbsoluteError
      maxRelativeError = s.maxRelativeError
      worstIndex = s.worstIndex
      userNaNCount = s.userNaNCount
      exact = s.exact
    } else {
      mask = []
      mismatches = []
      maxAbsoluteError = 0
      maxRelativeError = 0
      worstIndex = nil
      userNaNCount = 0
      exact = false
    }
  }
}
