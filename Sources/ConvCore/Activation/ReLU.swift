// MARK: - ReLU

/// The rectified linear unit, `y = max(x, 0)`, and its gradient.
public enum ReLU {
  /// `y = x` where `x > 0`, else `0` (NaN stays NaN).
  public static func forward(_ x: Tensor) -> Tensor {
    x.map { $0.isNaN ? $0 : ($0 > 0 ? $0 : 0) }
  }

  /// `dx = dy` where `x > 0`, else `0` (also at `x == 0`).
  public static func backward(x: Tensor, dy: Tensor) throws -> Tensor {
    try dy.requireShape(x.shape, name: "output gradient dy")
    var dx = dy
    for i in dx.data.indices where !(x.data[i] > 0) { dx.data[i] = 0 }
    return dx
  }
}
