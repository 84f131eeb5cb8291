// MARK: - DataLayout

/// How the user's rank-4 tensors are laid out in memory.
///
/// `nchw` (the default, PyTorch's): `x`, `dx`, `y`, `dy` are `[N, C, H, W]`-like and the weights
/// `[F, C, KH, KW]`. `nhwc` (channels last; TensorFlow's activations and the blog article's
/// `out[B, O, O, F]`): `[N, H, W, C]`-like; a kernel given as data (`--kernel`) is
/// `[KH, KW, C, F]` (HWIO, as TensorFlow writes it) and a checked `dw` `[F, KH, KW, C]` (the
/// article's) or HWIO (told apart by the layer's shape). Biases are `[F]` either way. Axes of size 1 may be left out (`[B, H, W]` for one
/// channel), as long as the remaining axes are in order.
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

// MARK: - Channels-last data, channels first

extension DataLayout {
  /// An activation-like array (`x`, `dy`) in this layout as channels first: `nhwc` moves the
  /// last axis of a rank-4 `[N, H, W, C]` or rank-3 `[H, W, C]` array to the channel place;
  /// other ranks, and `nchw`, are unchanged.
  public func activationToNCHW(_ t: Tensor) -> Tensor {
    guard self == .nhwc else { return t }
    switch t.rank {
    case 4: return t.permuted([0, 3, 1, 2])
    case 3: return t.permuted([2, 0, 1])
    default: return t
    }
  }

  /// A kernel in this layout as `[F, C, KH, KW]`-like: `nhwc` reads rank 4 as HWIO
  /// `[KH, KW, C, F]` and rank 3 as `[KH, KW, F]`; other ranks, and `nchw`, are unchanged.
  public func kernelToNCHW(_ t: Tensor) -> Tensor {
    guard self == .nhwc else { return t }
    switch t.rank {
    case 4: return t.permuted([3, 2, 0, 1])
    case 3: return t.permuted([2, 0, 1])
    default: return t
    }
  }
}

extension Tensor {
  /// The tensor with its axes reordered: axis `k` of the result is axis `axes[k]` of this one
  /// (NumPy's `transpose(axes)`). `axes` must be a permutation of `0..<rank`.
  public func permuted(_ axes: [Int]) -> Tensor {
    precondition(axes.sorted() == Array(0..<rank), "not a permutation of the axes")
    let newShape = axes.map { shape[$0] }
    var result = Tensor(shape: newShape)
    guard count > 0 else { return result }
    // Strides of the source, taken in the result's axis order.
    var sourceStrides = [Int](repeating: 1, count: rank)
    for k in stride(from: rank - 2, through: 0, by: -1) {
      sourceStrides[k] = sourceStrides[k + 1] * shape[k + 1]
    }
    let strides = axes.map { sourceStrides[$0] }
    var index = [Int](repeating: 0, count: rank)
    var source = 0
    for target in 0..<count {
      result.data[target] = data[source]
      var axis = rank - 1
      while axis >= 0 {
        index[axis] += 1
        source += strides[axis]
        if index[axis] < newShape[axis] { break }
        source -= strides[axis] * newShape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }
}
