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
    x.data.withUnsafeBufferPointer { x in
      dx.data.withUnsafeMutableBufferPointer { dx in
        for i in 0..<dx.count where !(x[i] > 0) { dx[i] = 0 }
      }
    }
    return dx
  }
}
