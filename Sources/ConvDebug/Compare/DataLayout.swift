import ConvCore

// MARK: - DataLayout

/// How the user's rank-4 tensors are laid out in memory.
///
/// `nchw` (the default, PyTorch's): `x`, `dx`, `y`, `dy` are `[N, C, H, W]`-like and the weights
/// `[F, C, KH, KW]`. `nhwc` (channels last; TensorFlow's activations and the blog article's
/// `out[B, O, O, F]`): `[N, H, W, C]`-like, and the weights `[F, KH, KW, C]`. Biases are `[F]`
/// either way. Axes of size 1 may be left out (`[B, H, W]` for one channel), as long as the
/// remaining axes are in order.
public enum DataLayout: String, Sendable, CaseIterable, CustomStringConvertible {
  /// Channels first.
  case nchw
  /// Channels last.
  case nhwc

  /// `nchw` or `nhwc`.
  public var description: String { rawValue }

  /// The other layout.
  public var other: DataLayout { self == .nchw ? .nhwc : .nchw }

  /// The shape a channels-first shape has in this layout (rank 4 is permuted for `nhwc`;
  /// other ranks are unchanged).
  public func shape(fromNCHW shape: [Int]) -> [Int] {
    guard self == .nhwc, shape.count == 4 else { return shape }
    return [shape[0], shape[2], shape[3], shape[1]]
  }

  /// A channels-first tensor laid out in this layout (rank 4 only; others unchanged).
  public func fromNCHW(_ t: Tensor) -> Tensor {
    guard self == .nhwc, t.rank == 4 else { return t }
    return Layout.nchwToNHWC(t)
  }

  /// A tensor in this layout as channels first (rank 4 only; others unchanged).
  public func toNCHW(_ t: Tensor) -> Tensor {
    guard self == .nhwc, t.rank == 4 else { return t }
    return Layout.nhwcToNCHW(t)
  }

  /// `shape` without its axes of size 1.
  public static func squeezed(_ shape: [Int]) -> [Int] { shape.filter { $0 != 1 } }

  /// Whether two shapes hold the same values in the same order once axes of size 1 are dropped.
  public static func sameUpToUnitAxes(_ a: [Int], _ b: [Int]) -> Bool {
    a.reduce(1, *) == b.reduce(1, *) && squeezed(a) == squeezed(b)
  }
}
